import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { graphql, graphqlData } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { CREATE, EXPIRED, REMINDER, createReminder, expire, inMs, nextAbout, subscribe, waitUntilLive, type Account } from '../helpers/reminders.ts';

let server: TestServer;
let ada: Account;

before(async () => {
  server = await startTestServer();
  ada = await server.createAccount('Ada', 'Europe/Paris');
});
after(() => server.stop());

describe('the four seed scenarios, over graphql-ws', () => {
  test('creating a reminder is echoed to another connected client with the same message and time', async () => {
    const other = subscribe(server.url, ada, `subscription { reminderCreated { ${REMINDER} } }`);
    try {
      await waitUntilLive(server.url, ada, [other.subscription], 'created');
      const remindAt = inMs(3_600_000);
      const created = await createReminder(server.url, ada, { message: 'Call the plumber', remindAt });
      const echoed = await nextAbout(other.subscription, 'reminderCreated', created.id);
      assert.equal(echoed.message, 'Call the plumber');
      assert.equal(echoed.remindAt, new Date(remindAt).toISOString());
      assert.equal(echoed.status, 'SCHEDULED');
      assert.equal(echoed.timeZone, 'Europe/Paris', 'the account\'s time zone is the default');
    } finally {
      await other.close();
    }
  });

  test('a past time is refused with an error naming remindAt, and nothing is written', async () => {
    const data = await graphqlData(server.url, { token: ada.token, query: CREATE, variables: { input: { message: 'Too late', remindAt: inMs(-60_000) } } });
    assert.equal(data.createReminder.__typename, 'ValidationError');
    assert.deepEqual(data.createReminder.fieldErrors.map((e: { path: string[] }) => e.path.join('.')), ['input.remindAt']);
    const rows = await server.app.orm!.em.fork().getConnection().execute(`select count(*)::int as n from reminder where message = 'Too late'`);
    assert.equal(rows[0]?.n, 0);
  });

  test('missing data is refused with an error', async () => {
    const noTime = await graphql(server.url, { token: ada.token, query: 'mutation { createReminder(input: { message: "No time" }) { __typename } }' });
    assert.match(noTime.errors?.[0]?.message ?? '', /remindAt/);
    const noMessage = await graphql(server.url, { token: ada.token, query: CREATE, variables: { input: { remindAt: inMs(60_000) } } });
    assert.match(noMessage.errors?.[0]?.message ?? '', /message/);
  });

  test('expireReminder makes a listening client receive reminderExpired for it', async () => {
    const listener = subscribe(server.url, ada, `subscription { ${EXPIRED} }`);
    try {
      await waitUntilLive(server.url, ada, [listener.subscription], 'expired');
      const reminder = await createReminder(server.url, ada, { message: 'Stand-up', remindAt: inMs(3_600_000) });
      const result = await expire(server.url, ada, reminder.id);
      assert.equal(result.__typename, 'ExpireReminderPayload');
      const expired = await nextAbout(listener.subscription, 'reminderExpired', reminder.id);
      assert.equal(expired.reminder.message, 'Stand-up');
      assert.ok(expired.latenessMs >= 0 && expired.latenessMs < 1000, `lateness ${expired.latenessMs}`);
      assert.ok(expired.cursor);
      const after = await graphqlData(server.url, { token: ada.token, query: `query($id: ID!) { reminder(id: $id) { status firedAt occurrences { status latenessMs } } }`, variables: { id: reminder.id } });
      assert.equal(after.reminder.status, 'SENT');
      assert.ok(after.reminder.firedAt);
      assert.equal(after.reminder.occurrences.length, 1);
    } finally {
      await listener.close();
    }
  });
});
