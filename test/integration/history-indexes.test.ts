import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { runRetention } from '../../src/history/retention.ts';

/**
 * The queries that read more as history grows, EXPLAINed over a generated large data set: each must
 * take the index made for it (Migration20261203150000_history_indexes), not a scan of the history.
 */
const OCCURRENCES = 200_000;
const EVENTS = 200_000;

let server: TestServer;
let db: pg.Client;
let accountId: string;
let busyReminder: string;
let exportCalendar: string;

const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;

before(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.db.url });
  await db.connect();
  const account = await server.createAccount('Large');
  accountId = rawId(account.id);
  exportCalendar = rawId(account.defaultCalendarId);
  const other = await server.createAccount('Other');
  const started = performance.now();
  // Ids in firing order, as the firing transaction writes them. 1,000 reminders; one of them (busyReminder) has a quarter of the history, the rest share the remainder.
  await db.query(`insert into reminder (id, account_id, message, remind_at, time_zone, recurrence, status, channels, created_at, updated_at)
    select gen_random_uuid(), $1, 'r', now() + interval '1 day', 'UTC', 'FREQ=DAILY', 'SCHEDULED', '[]', now(), now() from generate_series(1, 1000)`, [accountId]);
  busyReminder = randomUUID();
  await db.query(`insert into reminder (id, account_id, message, remind_at, time_zone, recurrence, status, channels, created_at, updated_at)
    values ($1, $2, 'busy', now() + interval '1 day', 'UTC', 'FREQ=MINUTELY', 'SCHEDULED', '[]', now(), now())`, [busyReminder, accountId]);
  await db.query(`insert into reminder_occurrence (reminder_id, account_id, due_at, fired_at, lateness_ms, status)
    select case when g % 4 = 0 then $2::uuid else ids[1 + g % 1000] end, $1, now() - (${OCCURRENCES} - g) * interval '1 minute', now() - (${OCCURRENCES} - g) * interval '1 minute', 0, 'SENT'
      from (select array_agg(id) as ids from reminder where account_id = $1 and id <> $2) r, generate_series(1, ${OCCURRENCES}) g`, [accountId, busyReminder]);
  // One delivery per occurrence, nearly all settled; a few in flight and a few FAILED.
  await db.query(`insert into reminder_delivery (id, occurrence_id, channel_index, kind, target, status, attempts)
    select gen_random_uuid(), o.id, 0, 'WEBHOOK', 'http://127.0.0.1:9/',
           case when o.id % 20000 = 0 then 'RETRYING' when o.id % 5000 = 0 then 'FAILED' else 'SUCCEEDED' end, 1
      from reminder_occurrence o where o.account_id = $1`, [accountId]);
  // Another account's events, a few of which list the exported calendar as an attendee.
  await db.query(`insert into event (id, account_id, calendar_id, title, starts_at, ends_at, duration_minutes, placement, attendee_calendar_ids, created_at, updated_at)
    select gen_random_uuid(), $1, $2, 'e', now() + g * interval '1 minute', now() + g * interval '1 minute' + interval '30 minutes', 30, 'EXACT',
           case when g % 1000 = 0 then array[$3::text] else array[gen_random_uuid()::text] end, now(), now()
      from generate_series(1, ${EVENTS}) g`, [rawId(other.id), rawId(other.defaultCalendarId), exportCalendar]);
  // Their occupancy (overlapping, as a feed's may be): what busy-time reads (freeSlots, placement) go through, every account's in one table.
  await db.query(`insert into event_occupancy (event_id, calendar_id, during, exclusive)
    select id, calendar_id, tstzrange(starts_at, ends_at), false from event where account_id = $1`, [rawId(other.id)]);
  await db.query('analyze');
  console.log(`generated ${OCCURRENCES} occurrences, deliveries and ${EVENTS} events in ${Math.round(performance.now() - started)} ms`);
});

after(async () => {
  await db?.end();
  await server?.stop();
});

type Plan = { 'Node Type': string; 'Index Name'?: string; Plans?: Plan[] };

async function explain(sql: string, values: unknown[]): Promise<{ indexes: string[]; nodes: string[]; ms: number }> {
  const { rows: [row] } = await db.query(`explain (analyze, format json) ${sql}`, values);
  const [{ Plan: plan, 'Execution Time': ms }] = row['QUERY PLAN'] as [{ Plan: Plan; 'Execution Time': number }];
  const indexes: string[] = [];
  const nodes: string[] = [];
  const walk = (p: Plan) => {
    nodes.push(p['Node Type']);
    if (p['Index Name']) indexes.push(p['Index Name']);
    p.Plans?.forEach(walk);
  };
  walk(plan);
  return { indexes, nodes, ms };
}

test('the newest occurrences of a page of reminders are read from (reminder_id, id), without sorting their histories', async () => {
  // reminder.loaders.ts's statement, for a page of ordinary reminders (150 occurrences each) and the busy one.
  const { rows } = await db.query<{ id: string }>('select id from reminder where account_id = $1 and id <> $2 limit 20', [accountId, busyReminder]);
  const plan = await explain(`select o.id from unnest($1::uuid[]) as r(id)
    cross join lateral (select * from reminder_occurrence where reminder_id = r.id order by id desc limit $2) o`, [[...rows.map((r) => r.id), busyReminder], 20]);
  console.log(`newest occurrences: ${plan.ms.toFixed(2)} ms`, plan.indexes);
  assert.ok(plan.indexes.includes('reminder_occurrence_reminder_id_id_index'), JSON.stringify(plan));
  assert.ok(!plan.nodes.includes('Sort'), JSON.stringify(plan));
});

test('cancelReminder finds the in-flight deliveries of a reminder through the partial index of unsettled deliveries', async () => {
  // The statement MikroORM writes for em.find(ReminderDelivery, { occurrence: { reminder }, status: { $in } }).
  const plan = await explain(`select r0.* from reminder_delivery as r0 left join reminder_occurrence as r1 on r0.occurrence_id = r1.id
    where r1.reminder_id = $1 and r0.status in ($2, $3)`, [busyReminder, 'PENDING', 'RETRYING']);
  console.log(`cancel's deliveries: ${plan.ms.toFixed(2)} ms`, plan.indexes);
  assert.ok(plan.indexes.includes('reminder_delivery_in_flight_index'), JSON.stringify(plan));
  assert.ok(!plan.nodes.includes('Seq Scan'), JSON.stringify(plan));
});

test('redeliverFailed finds an account\'s FAILED deliveries through the partial index of failed deliveries', async () => {
  const plan = await explain(`
    select d.id, d.status, d.attempts, d.occurrence_id, o.reminder_id, d.kind, d.target
      from reminder_delivery d join reminder_occurrence o on o.id = d.occurrence_id
     where o.account_id = $1 and d.status = 'FAILED' order by o.id, d.channel_index limit $2`, [accountId, 1000]);
  console.log(`redeliverFailed's deliveries: ${plan.ms.toFixed(2)} ms`, plan.indexes);
  assert.ok(plan.indexes.includes('reminder_delivery_failed_index'), JSON.stringify(plan));
  assert.ok(!plan.nodes.includes('Seq Scan'), JSON.stringify(plan));
});

test('the ICS export finds the events a calendar attends through the GIN index, not by scanning every event', async () => {
  // feed-export.http.ts's statement.
  const plan = await explain(`select e.id from event e
      where (e.calendar_id = $1 or e.attendee_calendar_ids @> array[$2]::text[]) and e.ends_at > $3
      order by e.starts_at, e.id limit $4`, [exportCalendar, exportCalendar, new Date(0), 5000]);
  console.log(`ICS export: ${plan.ms.toFixed(2)} ms`, plan.indexes);
  assert.ok(plan.indexes.includes('event_attendee_calendar_ids_index'), JSON.stringify(plan));
  assert.ok(!plan.nodes.includes('Seq Scan'), JSON.stringify(plan));
});

test('a retention pass over the large history works in short batches and leaves history_rows exact', async () => {
  const query = async <T,>(text: string, values: unknown[]) => (await db.query(text, values)).rows as T[];
  // About three quarters of the occurrences (fired 30 to 139 days ago) are past a 30-day retention.
  const { rows: [before] } = await db.query<{ n: number }>('select count(*)::int as n from reminder_occurrence');
  const outcome = await runRetention(query, new Date(), { retentionDays: 30 });
  const { rows: [afterPass] } = await db.query<{ n: number; counter: string; actual: string }>(`
    select (select count(*)::int from reminder_occurrence) as n,
           (select history_rows from account_usage where account_id = $1) as counter,
           (select count(*) from reminder_occurrence where account_id = $1)
             + (select count(*) from reminder_delivery d join reminder_occurrence o on o.id = d.occurrence_id where o.account_id = $1) as actual`, [accountId]);
  console.log(`retention pass: ${before!.n} → ${afterPass!.n} occurrences, ${outcome.historyRows} history rows in ${outcome.batches} batches, ${outcome.ms} ms, longest batch ${outcome.maxBatchMs} ms`);
  assert.equal(outcome.occurrences, before!.n - afterPass!.n);
  assert.ok(outcome.occurrences > OCCURRENCES / 2, `most of the old history went (${outcome.occurrences})`);
  assert.equal(Number(afterPass!.counter), Number(afterPass!.actual), 'history_rows agrees with a count');
  // One statement deleting everything at once takes seconds here; a batch of 1,000 takes milliseconds.
  assert.ok(outcome.maxBatchMs < 1500, `the longest batch held its locks ${outcome.maxBatchMs} ms`);
});

test('busy time of one calendar is read through the (calendar_id, during) GiST index, not by scanning every account\'s occupancy', async () => {
  // occupancy.repository.ts busyRanges's statement, for the large account's calendar and a week.
  const from = new Date(Date.now() + 86_400_000);
  const to = new Date(from.getTime() + 7 * 86_400_000);
  const plan = await explain(`select calendar_id, event_id from unnest(array[$1]::uuid[]) as c(id) join event_occupancy on calendar_id = c.id
      where during && tstzrange($2::timestamptz, $3::timestamptz)`, [exportCalendar, from, to]);
  console.log(`busy ranges of one calendar for a week: ${plan.ms.toFixed(2)} ms`, plan.indexes);
  assert.ok(plan.indexes.includes('event_occupancy_calendar_during'), JSON.stringify(plan));
  assert.ok(!plan.nodes.includes('Seq Scan'), JSON.stringify(plan));
});
