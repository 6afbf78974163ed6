import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { RETENTION_QUEUE } from '../../src/history/retention.job.ts';

// Everything is dated relative to the database's now(): nothing depends on today's date.
const RETENTION_DAYS = 30;

let server: TestServer;
let db: pg.Client;

before(async () => {
  server = await startTestServer({ env: { HISTORY_RETENTION_DAYS: String(RETENTION_DAYS) } });
  db = new pg.Client({ connectionString: server.db.url });
  await db.connect();
});

after(async () => {
  await db?.end();
  await server?.stop();
});

/** The API's ids are global (base64 of `Type:uuid`); the tables hold the uuid. */
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;

const daysAgo = (days: number) => `now() - interval '${days} days'`;

async function reminder(accountId: string, opts: { status: string; recurring: boolean; updatedDaysAgo?: number }): Promise<string> {
  const id = randomUUID();
  await db.query(`insert into reminder (id, account_id, message, remind_at, time_zone, recurrence, status, channels, created_at, updated_at)
    values ($1, $2, 'r', now() + interval '1 day', 'UTC', $3, $4, '[]', ${daysAgo(400)}, ${daysAgo(opts.updatedDaysAgo ?? 0)})`,
  [id, accountId, opts.recurring ? 'FREQ=DAILY' : null, opts.status]);
  return id;
}

/** An occurrence fired `firedDaysAgo`, with one delivery per entry of `deliveries` and its attempts' ages. */
async function occurrence(reminderId: string, accountId: string, firedDaysAgo: number, deliveries: { status: string; attemptsDaysAgo: number[] }[] = []): Promise<string> {
  const { rows: [o] } = await db.query<{ id: string }>(`insert into reminder_occurrence (reminder_id, account_id, due_at, fired_at, lateness_ms, status)
    values ($1, $2, ${daysAgo(firedDaysAgo)}, ${daysAgo(firedDaysAgo)}, 0, 'SENT') returning id::text`, [reminderId, accountId]);
  for (const [index, d] of deliveries.entries()) {
    const deliveryId = randomUUID();
    await db.query(`insert into reminder_delivery (id, occurrence_id, channel_index, kind, target, status, attempts) values ($1, $2, $3, 'WEBHOOK', 'http://127.0.0.1:9/', $4, $5)`,
      [deliveryId, o!.id, index, d.status, d.attemptsDaysAgo.length]);
    for (const [n, age] of d.attemptsDaysAgo.entries()) {
      await db.query(`insert into delivery_attempt (delivery_id, attempt, attempted_at, duration_ms, outcome) values ($1, $2, ${daysAgo(age)}, 5, 'FAILED')`, [deliveryId, n + 1]);
    }
  }
  return o!.id;
}

async function feedCalendar(defaultCalendarId: string): Promise<string> {
  const { rows: columns } = await db.query<{ column_name: string }>(
    `select column_name from information_schema.columns where table_name = 'calendar' and column_name not in ('id', 'name', 'is_feed', 'feed_token', 'is_default')`);
  const list = columns.map((c) => `"${c.column_name}"`).join(', ');
  const id = randomUUID();
  await db.query(`insert into calendar (id, name, is_feed, is_default, ${list}) select $1, 'Feed', true, false, ${list} from calendar where id = $2`, [id, defaultCalendarId]);
  return id;
}

async function event(accountId: string, calendarId: string, endedDaysAgo: number): Promise<string> {
  const id = randomUUID();
  await db.query(`insert into event (id, account_id, calendar_id, title, starts_at, ends_at, duration_minutes, placement, created_at, updated_at)
    values ($1, $2, $3, 'e', ${daysAgo(endedDaysAgo)} - interval '1 hour', ${daysAgo(endedDaysAgo)}, 60, 'EXACT', ${daysAgo(400)}, ${daysAgo(400)})`, [id, accountId, calendarId]);
  return id;
}

async function existing(table: string, ids: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>(`select id::text from ${table} where id::text = any($1)`, [ids]);
  return new Set(rows.map((r) => r.id));
}

async function countedHistory(accountId: string): Promise<{ counter: number; actual: number }> {
  const { rows: [row] } = await db.query<{ counter: string; actual: string }>(`
    select (select history_rows from account_usage where account_id = $1) as counter,
      (select count(*) from reminder_occurrence where account_id = $1)
      + (select count(*) from reminder_delivery d join reminder_occurrence o on o.id = d.occurrence_id where o.account_id = $1)
      + (select count(*) from delivery_attempt a join reminder_delivery d on d.id = a.delivery_id
           join reminder_occurrence o on o.id = d.occurrence_id where o.account_id = $1) as actual`, [accountId]);
  return { counter: Number(row!.counter), actual: Number(row!.actual) };
}

/** Sends the retention job now and waits (with a deadline) for pg-boss to record it completed. */
async function runRetentionJob(): Promise<void> {
  const boss = server.app.services!.jobs.boss;
  const id = await boss.send(RETENTION_QUEUE, {});
  assert.ok(id, 'the retention job was queued');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = await boss.getJobById(RETENTION_QUEUE, id);
    if (job?.state === 'completed') return;
    assert.ok(job?.state !== 'failed', `the retention job failed: ${JSON.stringify(job?.output)}`);
    assert.ok(Date.now() < deadline, `the retention job did not complete within 30 s (state ${job?.state})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a retention pass deletes old history, keeps the latest and the still-redeliverable, and history_rows follows', async () => {
  const account = await server.createAccount('Retention');
  const a = rawId(account.id);
  const defaultCalendarId = rawId(account.defaultCalendarId);
  const recurring = await reminder(a, { status: 'SCHEDULED', recurring: true });
  const oldSent = await occurrence(recurring, a, 100, [{ status: 'SUCCEEDED', attemptsDaysAgo: [100, 100] }]);
  const oldFailedRecently = await occurrence(recurring, a, 100, [{ status: 'FAILED', attemptsDaysAgo: [100, 10] }]);
  const oldFailedLongAgo = await occurrence(recurring, a, 100, [{ status: 'FAILED', attemptsDaysAgo: [100, 90] }]);
  const oldRetrying = await occurrence(recurring, a, 100, [{ status: 'RETRYING', attemptsDaysAgo: [100] }]);
  const recent = await occurrence(recurring, a, 5, [{ status: 'SUCCEEDED', attemptsDaysAgo: [5] }]);
  // Many old occurrences, so that the pass takes several batches of its 1,000-id windows.
  await db.query(`insert into reminder_occurrence (reminder_id, account_id, due_at, fired_at, lateness_ms, status)
    select $1, $2, now() - interval '200 days', now() - interval '200 days', 0, 'SENT' from generate_series(1, 2500)`, [recurring, a]);
  const latest = await occurrence(recurring, a, 3);
  await db.query('update reminder set last_occurrence_id = $1 where id = $2', [latest, recurring]);

  const oneShot = await reminder(a, { status: 'FIRED', recurring: false });
  const oneShotOnly = await occurrence(oneShot, a, 200, [{ status: 'SUCCEEDED', attemptsDaysAgo: [200] }]);
  await db.query('update reminder set last_occurrence_id = $1 where id = $2', [oneShotOnly, oneShot]);

  const cancelledOld = await reminder(a, { status: 'CANCELLED', recurring: false, updatedDaysAgo: 100 });
  const cancelledOldOccurrence = await occurrence(cancelledOld, a, 120, [{ status: 'CANCELLED', attemptsDaysAgo: [] }]);
  await db.query('update reminder set last_occurrence_id = $1 where id = $2', [cancelledOldOccurrence, cancelledOld]);
  const cancelledRecent = await reminder(a, { status: 'CANCELLED', recurring: false, updatedDaysAgo: 5 });
  const cancelledRecurring = await reminder(a, { status: 'CANCELLED', recurring: true, updatedDaysAgo: 100 });

  const feed = await feedCalendar(defaultCalendarId);
  const feedOld = await event(a, feed, 60);
  const feedRecent = await event(a, feed, 5);
  const ownOld = await event(a, defaultCalendarId, 60);

  const before = await countedHistory(a);
  assert.equal(before.counter, before.actual, 'the triggers counted the inserted history');
  assert.ok(before.actual > 2500);

  await runRetentionJob();

  assert.deepEqual(await existing('reminder_occurrence', [oldSent, oldFailedLongAgo, cancelledOldOccurrence]), new Set(), 'old history is gone');
  assert.deepEqual(await existing('reminder_occurrence', [oldFailedRecently, oldRetrying, recent, latest, oneShotOnly]),
    new Set([oldFailedRecently, oldRetrying, recent, latest, oneShotOnly]), 'recent, latest, redeliverable and in-flight occurrences stay');
  const { rows: [bulk] } = await db.query<{ n: number }>(`select count(*)::int as n from reminder_occurrence where fired_at < now() - interval '150 days' and id <> $1`, [oneShotOnly]);
  assert.equal(bulk!.n, 0, 'all 2,500 old occurrences went');
  assert.deepEqual(await existing('reminder', [recurring, oneShot, cancelledOld, cancelledRecent, cancelledRecurring]),
    new Set([recurring, oneShot, cancelledRecent, cancelledRecurring]), 'only the long-cancelled one-shot reminder is deleted');
  assert.deepEqual(await existing('event', [feedOld, feedRecent, ownOld]), new Set([feedRecent, ownOld]), 'only the feed event before the sync window goes');

  const afterPass = await countedHistory(a);
  assert.equal(afterPass.counter, afterPass.actual, 'history_rows agrees with a count after the pass');
  console.log(`retention: history rows ${before.actual} → ${afterPass.actual}`);

  // A second pass finds nothing more to delete.
  await runRetentionJob();
  assert.deepEqual(await countedHistory(a), afterPass);
});
