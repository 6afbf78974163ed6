import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
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

const FIELDS = '... on UpdateReminderPayload { reminder { id message remindAt timeZone recurrence status graceSeconds updatedAt } }';
const update = (input: Record<string, unknown>) => mutate(server.url, ada, 'updateReminder', '$input: UpdateReminderInput!', { input }, FIELDS);
const row = async (id: string) => (await db.query('select job_id, schedule_version, series_start, updated_at from reminder where id = $1', [decodeId('Reminder', id)])).rows[0];
const jobState = async (jobId: string) => (await db.query(`select state, start_after from ${PGBOSS_SCHEMA}.job where id = $1`, [jobId])).rows[0];

test('an update of the message or grace keeps the schedule and its job; one of the time reschedules with a new job and cancels the old one', async () => {
  const listener = subscribe(server.url, ada, 'subscription { reminderUpdated { id message status } }');
  try {
    await waitUntilLive(server.url, ada, [listener.subscription], 'expired');
    const reminder = await createReminder(server.url, ada, { message: 'Dentist', remindAt: '2031-05-02T07:00:00.000Z' });
    const created = await row(reminder.id);

    const renamed = await update({ id: reminder.id, message: 'Dentist at 9', graceSeconds: 120 });
    assert.equal(renamed.reminder.message, 'Dentist at 9');
    assert.equal(renamed.reminder.graceSeconds, 120);
    assert.equal((await nextAbout(listener.subscription, 'reminderUpdated', reminder.id)).message, 'Dentist at 9');
    const afterRename = await row(reminder.id);
    assert.equal(afterRename.job_id, created.job_id, 'the same job');
    assert.equal(afterRename.schedule_version, created.schedule_version);
    assert.ok(afterRename.updated_at > created.updated_at);

    const unchanged = await update({ id: reminder.id, message: 'Dentist at 9' });
    assert.deepEqual(unchanged, renamed, 'a field given as it is changes nothing, updatedAt included');
    await nextAbout(listener.subscription, 'reminderUpdated', reminder.id); // still announced

    const noGrace = await update({ id: reminder.id, graceSeconds: null });
    assert.equal(noGrace.reminder.graceSeconds, null);

    const moved = await update({ id: reminder.id, remindAt: '2031-05-03T07:00:00.000Z', recurrence: 'FREQ=WEEKLY;COUNT=4', timeZone: 'Asia/Tokyo' });
    assert.deepEqual({ ...moved.reminder, updatedAt: undefined }, {
      id: reminder.id, message: 'Dentist at 9', remindAt: '2031-05-03T07:00:00.000Z', timeZone: 'Asia/Tokyo', recurrence: 'FREQ=WEEKLY;COUNT=4',
      status: 'SCHEDULED', graceSeconds: null, updatedAt: undefined,
    });
    const afterMove = await row(reminder.id);
    assert.notEqual(afterMove.job_id, created.job_id);
    assert.equal(afterMove.schedule_version, created.schedule_version + 1);
    assert.equal(new Date(afterMove.series_start).toISOString(), '2031-05-03T07:00:00.000Z', 'a new series starts at the new time');
    assert.equal((await jobState(created.job_id)).state, 'cancelled');
    const next = await jobState(afterMove.job_id);
    assert.equal(next.state, 'created');
    assert.equal(new Date(next.start_after).toISOString(), '2031-05-03T07:00:00.000Z');
  } finally {
    await listener.close();
  }
});
