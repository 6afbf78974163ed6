// recurrencePreview is the one truth the clients show: a reminder created from the same remindAt,
// rule and zone fires exactly the previewed occurrences, in order — the start first even on a day the
// rule does not name (RFC 5545 counts DTSTART as the first instance), across a DST change, and COUNT
// includes the start.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { graphqlData } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { EXPIRED, createReminder, expire, nextAbout, subscribe, waitUntilLive, type Account } from '../helpers/reminders.ts';

let server: TestServer;
let ada: Account;
let listener: ReturnType<typeof subscribe>;

before(async () => {
  server = await startTestServer();
  ada = await server.createAccount('Ada', 'Europe/Paris');
  listener = subscribe(server.url, ada, `subscription { ${EXPIRED} }`);
  await waitUntilLive(server.url, ada, [listener.subscription], 'expired');
});
after(async () => {
  await listener?.close();
  await server?.stop();
});

const preview = async (remindAt: string, recurrence: string, timeZone: string, count: number): Promise<string[]> => {
  const data = await graphqlData(server.url, {
    token: ada.token,
    query: `query($r: DateTime!, $rule: String!, $tz: String, $n: Int) { recurrencePreview(remindAt: $r, recurrence: $rule, timeZone: $tz, count: $n) {
      __typename ... on RecurrencePreview { occurrences } ... on ValidationError { message } } }`,
    variables: { r: remindAt, rule: recurrence, tz: timeZone, n: count },
  });
  assert.equal(data.recurrencePreview.__typename, 'RecurrencePreview', JSON.stringify(data.recurrencePreview));
  return data.recurrencePreview.occurrences;
};
const reminderNow = async (id: string) =>
  (await graphqlData(server.url, { token: ada.token, query: 'query($id: ID!) { reminder(id: $id) { remindAt status } }', variables: { id } })).reminder;

/** Fires the reminder's pending occurrence (expireReminder) and waits for the expiry to be heard. */
async function fireNext(id: string): Promise<void> {
  await expire(server.url, ada, id);
  await nextAbout(listener.subscription, 'reminderExpired', id, 10_000);
}

describe('the occurrences that fire are the ones recurrencePreview showed', () => {
  const cases: { name: string; remindAt: string; recurrence: string; timeZone: string; first: string[] }[] = [
    {
      name: 'weekly on Monday started on Thursday 4 Dec 2031: Thursday, then Mondays',
      remindAt: '2031-12-04T08:00:00.000Z', recurrence: 'FREQ=WEEKLY;BYDAY=MO', timeZone: 'Europe/Paris',
      first: ['2031-12-04T08:00:00.000Z', '2031-12-08T08:00:00.000Z', '2031-12-15T08:00:00.000Z'],
    },
    {
      name: 'daily at 09:00 Paris across the spring change of 30 Mar 2031: 08:00 UTC, then 07:00 UTC',
      remindAt: '2031-03-28T08:00:00.000Z', recurrence: 'FREQ=DAILY', timeZone: 'Europe/Paris',
      first: ['2031-03-28T08:00:00.000Z', '2031-03-29T08:00:00.000Z', '2031-03-30T07:00:00.000Z'],
    },
    {
      name: 'the last Friday of each month started on Tuesday 14 Jan 2031',
      remindAt: '2031-01-14T09:00:00.000Z', recurrence: 'FREQ=MONTHLY;BYDAY=-1FR', timeZone: 'UTC',
      first: ['2031-01-14T09:00:00.000Z', '2031-01-31T09:00:00.000Z', '2031-02-28T09:00:00.000Z'],
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const shown = await preview(c.remindAt, c.recurrence, c.timeZone, 5);
      assert.deepEqual(shown.slice(0, c.first.length), c.first);
      const reminder = await createReminder(server.url, ada, { message: c.name, remindAt: c.remindAt, recurrence: c.recurrence, timeZone: c.timeZone });
      const due = [reminder.remindAt];
      for (let i = 1; i < shown.length; i++) {
        await fireNext(reminder.id);
        due.push((await reminderNow(reminder.id)).remindAt);
      }
      assert.deepEqual(due, shown, 'each firing moves the reminder to the next previewed occurrence');
    });
  }

  test('COUNT counts the start: weekly on Monday;COUNT=3 from a Thursday fires Thursday and two Mondays, then ends', async () => {
    const rule = 'FREQ=WEEKLY;BYDAY=MO;COUNT=3';
    const shown = await preview('2031-12-04T08:00:00.000Z', rule, 'Europe/Paris', 5);
    assert.deepEqual(shown, ['2031-12-04T08:00:00.000Z', '2031-12-08T08:00:00.000Z', '2031-12-15T08:00:00.000Z']);
    const reminder = await createReminder(server.url, ada, { message: 'Three times', remindAt: shown[0], recurrence: rule, timeZone: 'Europe/Paris' });
    const due = [reminder.remindAt];
    for (let i = 0; i < 2; i++) {
      await fireNext(reminder.id);
      due.push((await reminderNow(reminder.id)).remindAt);
    }
    assert.deepEqual(due, shown);
    await fireNext(reminder.id);
    assert.equal((await reminderNow(reminder.id)).status, 'SENT', 'nothing after the third');
  });
});
