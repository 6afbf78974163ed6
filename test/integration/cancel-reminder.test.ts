import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { graphqlData } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createReminder, mutate, nextAbout, subscribe, waitUntilLive, type Account } from '../helpers/reminders.ts';
import { decodeId } from '../../src/graphql/ids.ts';
import { PGBOSS_SCHEMA } from '../../src/platform/pgboss-seam.ts';

let server: TestServer;
let ada: Account;
let db: pg.Client;

before(async () => {
  server = await startTestServer();
  ada = await server.createAccount('Ada', 'Europe/Paris');
  db = new pg.Client({ connectionString: server.db.url });
  await db.connect();
});
after(async () => {
  await db.end();
  await server.stop();
});

const activeReminders = async () => (await graphqlData(server.url, { token: ada.token, query: '{ me { usage { activeReminders } } }' })).me.usage.activeReminders as number;
const CANCEL_FIELDS = '... on CancelReminderPayload { reminder { id status updatedAt remindAt message } }';

test('cancelReminder cancels the fire job, counts the reminder out once, is heard by subscribers, and a second cancel returns it unchanged', async () => {
  const listener = subscribe(server.url, ada, 'subscription { reminderUpdated { id status } }');
  try {
    // An expired probe is also a reminderUpdated (its status changes): heard once the subscription is live.
    await waitUntilLive(server.url, ada, [listener.subscription], 'expired');
    const reminder = await createReminder(server.url, ada, { message: 'Renew the passport', remindAt: '2031-06-01T09:00:00.000Z' });
    const rowId = decodeId('Reminder', reminder.id)!;
    const { rows: [{ job_id: jobId }] } = await db.query('select job_id from reminder where id = $1', [rowId]);
    const before = await activeReminders();

    const first = await mutate(server.url, ada, 'cancelReminder', '$id: ID!', { id: reminder.id }, CANCEL_FIELDS);
    assert.equal(first.__typename, 'CancelReminderPayload');
    assert.equal(first.reminder.status, 'CANCELLED');
    assert.equal(first.reminder.message, 'Renew the passport');
    assert.equal(first.reminder.remindAt, '2031-06-01T09:00:00.000Z');
    const heard = await nextAbout(listener.subscription, 'reminderUpdated', reminder.id);
    assert.equal(heard.status, 'CANCELLED');
    const { rows: [job] } = await db.query(`select state from ${PGBOSS_SCHEMA}.job where id = $1`, [jobId]);
    assert.equal(job.state, 'cancelled');
    const { rows: [row] } = await db.query('select job_id, schedule_version from reminder where id = $1', [rowId]);
    assert.deepEqual(row, { job_id: null, schedule_version: 2 });
    assert.equal(await activeReminders(), before - 1);

    const second = await mutate(server.url, ada, 'cancelReminder', '$id: ID!', { id: reminder.id }, CANCEL_FIELDS);
    assert.deepEqual(second, first, 'the cancelled reminder, as it was');
    const { rows: [again] } = await db.query('select schedule_version from reminder where id = $1', [rowId]);
    assert.equal(again.schedule_version, 2);
    assert.equal(await activeReminders(), before - 1);
  } finally {
    await listener.close();
  }
});

test('another account\'s reminder is not found and stays scheduled', async () => {
  const reminder = await createReminder(server.url, ada, { message: 'Mine', remindAt: '2031-06-01T09:00:00.000Z' });
  const eve = await server.createAccount('Eve', 'UTC');
  const refused = await mutate(server.url, eve, 'cancelReminder', '$id: ID!', { id: reminder.id }, CANCEL_FIELDS);
  assert.equal(refused.__typename, 'NotFoundError');
  const { rows: [row] } = await db.query('select status from reminder where id = $1', [decodeId('Reminder', reminder.id)]);
  assert.equal(row.status, 'SCHEDULED');
});
