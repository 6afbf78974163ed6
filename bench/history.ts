// `npm run bench history`: does Tickler stay as fast after a year of operation as on day one?
// Two servers (ROLE=all), each with its own database, measured in turn round by round: one holds
// only the bench account's working set (100 reminders, one with 25 occurrences, a week of events, a
// 500-event calendar) and 10,000 reminders pending in another account; the other the same, and a
// year of history written straight into PostgreSQL for a mix of accounts
// (a few heavy, most light): daily reminders with an occurrence a day, a delivery each and an
// attempt each (a tenth retried once), one-shot reminders pending up to a year ahead with their
// fire jobs, a year of calendar events with their occupancy; the bench account gets its share too
// (300 daily reminders with a year of history, an hourly one, 2,000 past one-shots, a year of
// events around the measured week). Each operation runs BENCH_HISTORY_REQUESTS times a round, in
// BENCH_HISTORY_ROUNDS rounds (at least 3); a figure is the median over the rounds of each round's
// median (fire: p50 and p99 of the round's singles), and its ratio is history / empty.
// Sizes: BENCH_HISTORY_OCCURRENCES (fired occurrences, default 1,000,000), BENCH_HISTORY_PENDING
// (pending reminders in all, default 1,000,000), BENCH_HISTORY_EVENTS (default 300,000),
// BENCH_HISTORY_ACCOUNTS (default 1,000). The last line is `history {…}` (JSON): worstRatio is the
// largest operation ratio, pendingFireRatio the single-fire p50 with the full pending set over the
// one with 10,000 pending.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import pg from 'pg';
import { decodeId } from '../src/graphql/ids.ts';
import { claimDueSql, PGBOSS_SCHEMA, QUEUE_TABLE_SQL, qualifiedJobTable } from '../src/platform/pgboss-seam.ts';
import { gql, percentiles, startBenchServer, type BenchServer } from './lib/server.ts';

const env = (name: string, fallback: number) => Math.max(0, Number(process.env[name] ?? fallback));
const SIZES = {
  accounts: Math.max(1, env('BENCH_HISTORY_ACCOUNTS', 1000)),
  occurrences: env('BENCH_HISTORY_OCCURRENCES', 1_000_000),
  pending: Math.max(10_000, env('BENCH_HISTORY_PENDING', 1_000_000)),
  events: env('BENCH_HISTORY_EVENTS', 300_000),
};
const ROUNDS = Math.max(3, env('BENCH_HISTORY_ROUNDS', 3));
const REQUESTS = Math.max(3, env('BENCH_HISTORY_REQUESTS', 15));
const FIRES = Math.max(3, env('BENCH_HISTORY_FIRES', 10));
const BASE_PENDING = 10_000;
const SINGLE_LEAD_MS = 300;
const JOB = `${PGBOSS_SCHEMA}.job`;
const CHANNEL = `'[{"kind":"WEBHOOK","target":"https://hooks.example.com/bench"}]'::jsonb`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? NaN;
const round1 = (n: number) => Math.round(n * 10) / 10;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

type Bench = {
  server: BenchServer;
  db: pg.Client;
  token: string;
  accountId: string;
  calendarId: string;
  icsCalendarId: string;
  reminderGid: string;
  /** The measured week (14 days ahead, whole days, UTC). */
  week: { from: Date; to: Date };
  /** Counters that keep created events apart. */
  created: { events: number; reminders: number };
  expiries: Expiries;
};

type Expiries = { received: number[]; waitFor(count: number, timeoutMs: number): Promise<boolean> };

function listen(client: Client): Expiries {
  const received: number[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  client.subscribe({ query: 'subscription { reminderExpired { reminder { id } } }' }, {
    next: () => {
      received.push(Date.now());
      if (waiter && received.length >= waiter.count) waiter.resolve();
    },
    error: (error) => console.error('subscription error', error),
    complete: () => undefined,
  });
  return {
    received,
    waitFor(count, timeoutMs) {
      if (received.length >= count) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        waiter = { count, resolve: () => { clearTimeout(timer); resolve(true); } };
      });
    },
  };
}

async function timed(step: string, run: () => Promise<unknown>, log: Record<string, number>): Promise<void> {
  const started = Date.now();
  await run();
  log[step] = round1((Date.now() - started) / 1000);
  console.log(`  ${step}: ${log[step]} s`);
}

/** The bench account's working set, identical in both phases; and 10,000 reminders pending in another account. */
async function seedWorkingSet(b: Bench): Promise<void> {
  const { db, accountId, calendarId, icsCalendarId, week } = b;
  // 100 reminders due 2 to 30 days ahead, with their jobs.
  await db.query(`
    with r as (
      insert into reminder (id, account_id, message, remind_at, time_zone, status, channels, schedule_version, job_id, created_at, updated_at)
      select gen_random_uuid(), $1, 'working set ' || g, now() + interval '2 days' + g * interval '7 hours', 'UTC', 'SCHEDULED', ${CHANNEL}, 1, gen_random_uuid(), now(), now()
        from generate_series(1, 100) g
      returning id, remind_at, job_id)
    insert into ${JOB} (id, name, data, start_after, retry_limit, retry_delay, retry_backoff, expire_seconds)
    select job_id, 'reminder.fire', jsonb_build_object('reminderId', id, 'version', 1), remind_at, 10, 1, true, 300 from r`, [accountId]);
  // The queried reminder (daily) with 25 occurrences, a delivery each, an attempt each.
  const reminderId = decodeId('Reminder', b.reminderGid)!;
  await insertOccurrences(db, `select $1::uuid as id, $2::uuid as account_id, now() - interval '30 days' + g * interval '1 day' as due_at from generate_series(1, 25) g`, [reminderId, accountId]);
  // 20 events in the measured week (the default calendar) and 500 in the exported one, 2 hours apart.
  await insertEvents(db, `
    select $1::uuid as account_id, $2::uuid as calendar_id, $3::timestamptz + g * interval '5 hours' as starts_at, 60 as minutes from generate_series(0, 19) g
    union all
    select $1, $4, now() - interval '20 days' + g * interval '2 hours', 60 from generate_series(0, 499) g`, [accountId, calendarId, week.from, icsCalendarId]);
  // Another account's 10,000 reminders pending, 1 to 365 days ahead.
  await db.query(`insert into account (id, name, time_zone, webhook_secret, created_at, updated_at) values (gen_random_uuid(), 'pending filler', 'UTC', md5('filler'), now(), now())`);
  await insertPending(db, `select (select id from account where name = 'pending filler') as account_id, g from generate_series(1, $1) g`, [BASE_PENDING], BASE_PENDING);
  await db.query('analyze');
}

/** Occurrences for (id, account_id, due_at) rows, each with a delivery and its attempts (a tenth retried once). */
async function insertOccurrences(db: pg.Client, rows: string, params: unknown[]): Promise<void> {
  const { rows: [last] } = await db.query<{ max: string }>('select coalesce(max(id), 0) as max from reminder_occurrence');
  const max = last!.max;
  await db.query(`
    insert into reminder_occurrence (reminder_id, account_id, due_at, fired_at, lateness_ms, status)
    select r.id, r.account_id, r.due_at, r.due_at + interval '25 milliseconds', 25, 'SENT' from (${rows}) r order by r.due_at`, params);
  await db.query(`
    insert into reminder_delivery (id, occurrence_id, channel_index, kind, target, status, attempts)
    select gen_random_uuid(), o.id, 0, 'WEBHOOK', 'https://hooks.example.com/bench', 'SUCCEEDED', case when o.id % 10 = 0 then 2 else 1 end
      from reminder_occurrence o where o.id > $1`, [max]);
  await db.query(`
    insert into delivery_attempt (delivery_id, attempt, attempted_at, duration_ms, outcome, error)
    select d.id, a, o.fired_at + (a - 1) * interval '5 seconds', 80, case when a < d.attempts then 'RETRYING' else 'SUCCEEDED' end, case when a < d.attempts then 'HTTP 503' end
      from reminder_delivery d join reminder_occurrence o on o.id = d.occurrence_id cross join generate_series(1, d.attempts) a
     where o.id > $1`, [max]);
  await db.query(`
    update reminder r set last_occurrence_id = o.last from (select reminder_id, max(id) as last from reminder_occurrence where id > $1 group by reminder_id) o
     where r.id = o.reminder_id`, [max]);
}

/** One-shot reminders pending 1 to 365 days ahead, with their fire jobs; `rows` gives (account_id, g). */
async function insertPending(db: pg.Client, rows: string, params: unknown[], count: number): Promise<void> {
  if (count <= 0) return;
  await db.query(`
    with r as (
      insert into reminder (id, account_id, message, remind_at, time_zone, status, channels, schedule_version, job_id, created_at, updated_at)
      select gen_random_uuid(), p.account_id, 'pending', now() + interval '1 day' + (p.g * 364 * 86400.0 / ${count}) * interval '1 second', 'UTC', 'SCHEDULED', ${CHANNEL}, 1, gen_random_uuid(), now(), now()
        from (${rows}) p
      returning id, remind_at, job_id)
    insert into ${JOB} (id, name, data, start_after, created_on, retry_limit, retry_delay, retry_backoff, expire_seconds)
    select job_id, 'reminder.fire', jsonb_build_object('reminderId', id, 'version', 1), remind_at,
           -- Created over the past year, in no relation to the due time, as on a server in use: one
           -- creation instant for all would let an index led by created_on skip through them.
           now() - (hashtext(id::text)::bigint % 31536000 + 31536000) % 31536000 * interval '1 second', 10, 1, true, 300 from r`, params);
}

/** Events (account_id, calendar_id, starts_at, minutes), with their occupancy. */
async function insertEvents(db: pg.Client, rows: string, params: unknown[]): Promise<void> {
  await db.query(`
    with e as (
      insert into event (id, account_id, calendar_id, title, starts_at, ends_at, duration_minutes, placement, created_at, updated_at)
      select gen_random_uuid(), r.account_id, r.calendar_id, 'Meeting', r.starts_at, r.starts_at + r.minutes * interval '1 minute', r.minutes, 'EXACT', now(), now()
        from (${rows}) r
      returning id, calendar_id, starts_at, ends_at)
    insert into event_occupancy (event_id, calendar_id, during) select id, calendar_id, tstzrange(starts_at, ends_at) from e`, params);
}

/** A year of history for a mix of accounts, and the bench account's share. */
async function seedHistory(b: Bench): Promise<Record<string, number>> {
  const { db, accountId, calendarId, week } = b;
  const took: Record<string, number> = {};
  const { accounts, occurrences, events } = SIZES;
  const daily = Math.max(1, Math.ceil(occurrences / 365)); // daily reminders with a year of occurrences each
  await timed('accounts and calendars', async () => {
    await db.query(`
      create table bench_account as
      select g as n, gen_random_uuid() as id, gen_random_uuid() as calendar_id from generate_series(1, $1) g`, [accounts]);
    await db.query('create unique index on bench_account (n)');
    await db.query(`insert into account (id, name, time_zone, webhook_secret, created_at, updated_at)
      select id, 'history ' || n, 'UTC', md5(n::text), now() - interval '1 year', now() - interval '1 year' from bench_account`);
    await db.query(`insert into calendar (id, account_id, name, time_zone, is_default, working_hours, created_at, updated_at)
      select calendar_id, id, 'Calendar', 'UTC', true, '[]', now() - interval '1 year', now() - interval '1 year' from bench_account`);
  }, took);
  // A few heavy accounts, most light: the k-th reminder goes to account 1 + floor(x³ · (accounts − 1)), x spread over [0, 1).
  const skew = (g: string, total: string) => `1 + floor(power(((${g}::bigint * 7919) % ${total})::float / ${total}, 3) * (${accounts} - 1))::int`;
  await timed('daily reminders', async () => {
    await db.query(`
      create table bench_reminder as
      select g as n, gen_random_uuid() as id, a.id as account_id from generate_series(1, $1) g join bench_account a on a.n = ${skew('g', '$1')}`, [daily]);
    await db.query(`
      with r as (
        insert into reminder (id, account_id, message, remind_at, time_zone, recurrence, series_start, series_at, status, channels, schedule_version, job_id, created_at, updated_at)
        select id, account_id, 'daily', date_trunc('day', now()) + interval '2 days' + (n % 1440) * interval '1 minute', 'UTC', 'FREQ=DAILY',
               date_trunc('day', now()) - interval '365 days' + (n % 1440) * interval '1 minute', null, 'SCHEDULED', ${CHANNEL}, 366, gen_random_uuid(), now() - interval '1 year', now()
          from bench_reminder
        returning id, remind_at, job_id)
      insert into ${JOB} (id, name, data, start_after, created_on, retry_limit, retry_delay, retry_backoff, expire_seconds)
      select job_id, 'reminder.fire', jsonb_build_object('reminderId', id, 'version', 366), remind_at, now() - interval '1 day', 10, 1, true, 300 from r`);
  }, took);
  await timed('occurrences, deliveries, attempts', () => insertOccurrences(db, `
    select r.id, r.account_id, date_trunc('day', now()) - interval '365 days' + (g / $1) * interval '1 day' + (r.n % 1440) * interval '1 minute' as due_at
      from generate_series(0, $2 - 1) g join bench_reminder r on r.n = g % $1 + 1`, [daily, occurrences]), took);
  await timed('pending one-shot reminders', () => insertPending(db, `
    select a.id as account_id, g from generate_series(1, $1) g join bench_account a on a.n = ${skew('g', '$1')}`,
  [SIZES.pending - BASE_PENDING - daily], SIZES.pending - BASE_PENDING - daily), took);
  await timed('events', async () => {
    const perCalendar = Math.max(1, Math.ceil(events / accounts));
    const spacingMinutes = Math.max(90, Math.floor((365 * 24 * 60) / perCalendar));
    await insertEvents(db, `
      select a.id as account_id, a.calendar_id, now() - interval '300 days' + (g / ${accounts}) * ${spacingMinutes} * interval '1 minute' as starts_at, 60 as minutes
        from generate_series(0, $1 - 1) g join bench_account a on a.n = g % ${accounts} + 1`, [events]);
  }, took);
  await timed('the bench account\'s year', async () => {
    // 300 daily reminders with a year of occurrences, the queried reminder hourly for a year, 2,000 past one-shots.
    await db.query(`
      create table bench_own as select g as n, gen_random_uuid() as id from generate_series(1, 300) g;
      insert into reminder (id, account_id, message, remind_at, time_zone, recurrence, series_start, status, channels, schedule_version, created_at, updated_at)
      select id, '${accountId}', 'own daily', date_trunc('day', now()) + interval '40 days' + n * interval '1 minute', 'UTC', 'FREQ=DAILY', now() - interval '365 days', 'SCHEDULED', ${CHANNEL}, 1, now() - interval '1 year', now() from bench_own;
      insert into reminder (id, account_id, message, remind_at, time_zone, status, channels, fired_at, created_at, updated_at)
      select gen_random_uuid(), '${accountId}', 'past', now() - g * interval '4 hours', 'UTC', 'SENT', ${CHANNEL}, now() - g * interval '4 hours', now() - interval '1 year', now() from generate_series(1, 2000) g;`);
    await insertOccurrences(db, `
      select r.id, '${accountId}'::uuid as account_id, now() - interval '365 days' + d * interval '1 day' + r.n * interval '1 minute' as due_at
        from bench_own r cross join generate_series(0, 364) d
      union all
      select $1::uuid, '${accountId}'::uuid, now() - interval '365 days' + h * interval '1 hour' from generate_series(0, 365 * 24 - 1) h`, [decodeId('Reminder', b.reminderGid)]);
    // A year of events in the default calendar, every 3 hours, clear of the measured week.
    await insertEvents(db, `
      select '${accountId}'::uuid as account_id, '${calendarId}'::uuid as calendar_id, s as starts_at, 60 as minutes
        from generate_series(now() - interval '300 days', now() + interval '60 days', interval '3 hours') s
       where s + interval '1 hour' < $1::timestamptz - interval '1 day' or s > $2::timestamptz + interval '1 day'`, [week.from, week.to]);
    await db.query('drop table bench_own; drop table bench_reminder; drop table bench_account');
  }, took);
  await timed('analyze', () => db.query('analyze'), took);
  return took;
}

type Operation = { name: string; run: (b: Bench, i: number) => Promise<unknown> };

const OPERATIONS: Operation[] = [
  { name: 'reminders(first: 100)', run: (b) => gql(b.server.url, b.token, '{ reminders(first: 100) { edges { node { id message remindAt status } } } }') },
  {
    name: 'reminder occurrences/deliveries/attempts',
    run: (b) => gql(b.server.url, b.token, `query($id: ID!) { reminder(id: $id) { id occurrences(first: 20) { occurrenceAt status deliveries { id status nextAttemptAt attempts { attempt outcome attemptedAt } } } } }`, { id: b.reminderGid }),
  },
  {
    name: 'events(from, to) a week',
    run: (b) => gql(b.server.url, b.token, `query($f: DateTime!, $t: DateTime!) { events(from: $f, to: $t, first: 100) { edges { node { id title startsAt endsAt } } } }`, { f: b.week.from.toISOString(), t: b.week.to.toISOString() }),
  },
  {
    name: 'freeSlots a week',
    run: (b) => gql(b.server.url, b.token, `query($f: DateTime!, $t: DateTime!) { freeSlots(durationMinutes: 30, from: $f, to: $t) { startsAt endsAt } }`, { f: b.week.from.toISOString(), t: b.week.to.toISOString() }),
  },
  {
    name: 'ICS export (500 events)',
    run: async (b) => {
      const response = await fetch(new URL(`/calendars/${b.icsCalendarId}.ics`, b.server.url), { headers: { authorization: `Bearer ${b.token}` } });
      const text = await response.text();
      if (response.status !== 200 || (text.match(/BEGIN:VEVENT/g)?.length ?? 0) < 500) throw new Error(`ICS export: ${response.status}, ${text.slice(0, 200)}`);
    },
  },
  {
    name: 'createReminder',
    run: (b) => gql(b.server.url, b.token, 'mutation($t: DateTime!) { createReminder(input: { message: "history bench", remindAt: $t }) { __typename } }',
      { t: new Date(Date.now() + 50 * 86_400_000 + ++b.created.reminders * 1000).toISOString() }),
  },
  {
    name: 'createEvent',
    run: async (b) => {
      const base = Date.UTC(new Date().getUTCFullYear() + 2, 0, 5);
      const data = await gql(b.server.url, b.token, 'mutation($s: DateTime!) { createEvent(input: { title: "history bench", durationMinutes: 30, startsAt: $s }) { __typename } }',
        { s: new Date(base + ++b.created.events * 3_600_000).toISOString() });
      if (data.createEvent.__typename !== 'CreateEventPayload') throw new Error(`createEvent: ${JSON.stringify(data)}`);
    },
  },
];

/** One round: each operation REQUESTS times (median ms), and FIRES single reminders (lateness at the subscribed client). */
async function measureRound(b: Bench): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const op of OPERATIONS) {
    await op.run(b, -1); // warm-up
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const started = performance.now();
      await op.run(b, i);
      times.push(performance.now() - started);
    }
    result[op.name] = median(times);
  }
  const lateness: number[] = [];
  for (let i = 0; i < FIRES; i++) {
    const due = new Date(Date.now() + SINGLE_LEAD_MS);
    const before = b.expiries.received.length;
    await gql(b.server.url, b.token, 'mutation($t: DateTime!) { createReminder(input: { message: "single", remindAt: $t }) { __typename } }', { t: due.toISOString() });
    if (await b.expiries.waitFor(before + 1, 10_000)) lateness.push(b.expiries.received.at(-1)! - due.getTime());
  }
  const p = percentiles(lateness);
  result['fire p50'] = p.p50!;
  result['fire p99'] = p.p99!;
  return result;
}

/**
 * The fire claim (seam.claimDueSql, 100 jobs, none due: the empty poll every lane makes) with
 * Tickler's due-time index and, in a transaction rolled back, without it (pg-boss's own indexes
 * only): whether that index still earns its place at this many pending jobs.
 */
async function dueIndexCheck(db: pg.Client): Promise<Record<string, unknown>> {
  const { rows: [queue] } = await db.query<{ table_name: string }>(QUEUE_TABLE_SQL, ['reminder.fire']);
  const claim = claimDueSql(qualifiedJobTable(queue?.table_name, 'reminder.fire'), 'reminder.fire', '100');
  const run = async () => {
    const times: number[] = [];
    let plan = '';
    for (let i = 0; i < 7; i++) {
      await db.query('savepoint claim');
      const { rows: [row] } = await db.query<{ 'QUERY PLAN': [{ 'Execution Time': number; Plan: unknown }] }>(`explain (analyze, format json) ${claim}`);
      await db.query('rollback to savepoint claim');
      times.push(row!['QUERY PLAN'][0]['Execution Time']);
    }
    await db.query('savepoint claim');
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off, timing off) ${claim}`);
    await db.query('rollback to savepoint claim');
    plan = [...new Set(rows.map((r) => r['QUERY PLAN'].trim()).filter((line) => /Scan|Index Cond|Filter|Rows Removed/.test(line)))].join(' | ');
    return { ms: Math.round(median(times) * 100) / 100, plan };
  };
  await db.query('begin');
  try {
    const withIndex = await run();
    await db.query(`drop index ${PGBOSS_SCHEMA}.${`tickler_due_${queue!.table_name}`.slice(0, 63)}`);
    const without = await run();
    return { withDueIndex: withIndex, pgBossIndexesOnly: without };
  } finally {
    await db.query('rollback');
  }
}

async function databaseSizes(db: pg.Client): Promise<{ totalMiB: number; historyMiB: number; occurrences: number; deliveries: number; attempts: number; pendingJobs: number; events: number }> {
  const { rows: [row] } = await db.query(`
    select pg_database_size(current_database()) as total,
           pg_total_relation_size('reminder_occurrence') + pg_total_relation_size('reminder_delivery') + pg_total_relation_size('delivery_attempt') as history,
           (select count(*) from reminder_occurrence) as occurrences, (select count(*) from reminder_delivery) as deliveries,
           (select count(*) from delivery_attempt) as attempts, (select count(*) from event) as events,
           (select count(*) from ${JOB} where name = 'reminder.fire' and state < 'active') as pending`);
  const mib = (v: string) => Math.round(Number(v) / 2 ** 20);
  return { totalMiB: mib(row.total), historyMiB: mib(row.history), occurrences: Number(row.occurrences), deliveries: Number(row.deliveries), attempts: Number(row.attempts), pendingJobs: Number(row.pending), events: Number(row.events) };
}

/** A server on a database of its own, with the bench account, its working set and a live reminderExpired subscription. */
async function startBench(): Promise<Bench & { ws: Client }> {
  const server = await startBenchServer({ LIMIT_ACTIVE_REMINDERS: '100000000' }, { ownDatabase: true });
  const db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  const created = await gql(server.url, server.adminToken, 'mutation { createAccount(input: { name: "Bench", timeZone: "UTC" }) { ... on CreateAccountPayload { token account { id } } } }');
  const token: string = created.createAccount.token;
  const { rows: [account] } = await db.query<{ id: string }>(`select id from account where name = 'Bench'`);
  const { rows: [calendar] } = await db.query<{ id: string }>('select id from calendar where account_id = $1 and is_default', [account!.id]);
  const ics = await gql(server.url, token, 'mutation { createCalendar(input: { name: "Exported", timeZone: "UTC" }) { ... on CreateCalendarPayload { calendar { id } } } }');
  const reminder = await gql(server.url, token, 'mutation($t: DateTime!) { createReminder(input: { message: "queried", remindAt: $t, recurrence: "FREQ=DAILY", channels: [{ kind: WEBHOOK, target: "https://hooks.example.com/bench" }] }) { ... on CreateReminderPayload { reminder { id } } } }',
    { t: new Date(Date.now() + 3 * 86_400_000).toISOString() });
  const day = 86_400_000;
  const weekStart = new Date(Math.floor(Date.now() / day) * day + 14 * day);
  const ws = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` } });
  const b = {
    server, db, token, ws, accountId: account!.id, calendarId: calendar!.id,
    icsCalendarId: decodeId('Calendar', ics.createCalendar.calendar.id)!,
    reminderGid: reminder.createReminder.reminder.id as string,
    week: { from: weekStart, to: new Date(weekStart.getTime() + 7 * day) },
    created: { events: 0, reminders: 0 },
    expiries: listen(ws),
  };
  // The subscription is live once an expiry is heard.
  for (let i = 0; b.expiries.received.length === 0 && i < 50; i++) {
    const { createReminder } = await gql(server.url, token, 'mutation($t: DateTime!) { createReminder(input: { message: "warm-up", remindAt: $t }) { ... on CreateReminderPayload { reminder { id } } } }', { t: new Date(Date.now() + 3_600_000).toISOString() });
    await gql(server.url, token, 'mutation($id: ID!) { expireReminder(id: $id) { __typename } }', { id: createReminder.reminder.id });
    await b.expiries.waitFor(1, 200);
  }
  await seedWorkingSet(b);
  return b;
}

async function stopBench(b: (Bench & { ws: Client }) | undefined): Promise<void> {
  if (!b) return;
  await b.ws.dispose();
  await b.db.end().catch(() => undefined);
  await b.server.stop();
}

export default async function history(): Promise<Record<string, unknown>> {
  // Two servers, each on a database of its own, measured round by round in turn (the other idle), so
  // that the load of a shared machine falls on both alike: one stays empty, the other gets the year.
  let emptyBench: (Bench & { ws: Client }) | undefined;
  let fullBench: (Bench & { ws: Client }) | undefined;
  try {
    emptyBench = await startBench();
    fullBench = await startBench();
    const emptySize = await databaseSizes(fullBench.db);
    console.log(`building a year of history: ${JSON.stringify(SIZES)}`);
    const started = Date.now();
    const build = await seedHistory(fullBench);
    const buildSeconds = round1((Date.now() - started) / 1000);
    const size = await databaseSizes(fullBench.db);
    console.log(`  built in ${buildSeconds} s: ${JSON.stringify(size)}`);

    console.log(`measuring: empty (the bench account's working set, ${BASE_PENDING.toLocaleString('en')} reminders pending) and history, in turn; ${ROUNDS} rounds of ${REQUESTS} requests per operation and ${FIRES} single fires`);
    await measureRound(emptyBench); // warm-up, discarded: JIT, plans and caches as on servers that have been running
    await measureRound(fullBench);
    const rounds = { empty: [] as Record<string, number>[], history: [] as Record<string, number>[] };
    for (let r = 0; r < ROUNDS; r++) {
      rounds.empty.push(await measureRound(emptyBench));
      rounds.history.push(await measureRound(fullBench));
    }
    const summarise = (list: Record<string, number>[]) => Object.fromEntries(Object.keys(list[0]!).map((name) => [name, round1(median(list.map((round) => round[name]!)))]));
    const [empty, full] = [summarise(rounds.empty), summarise(rounds.history)];

    const dueIndex = await dueIndexCheck(fullBench.db);
    console.log(`  the fire claim's empty poll with ${size.pendingJobs.toLocaleString('en')} pending: ${JSON.stringify(dueIndex)}`);
    const ratios = Object.fromEntries(Object.keys(empty).map((name) => [name, ratio(full[name]!, empty[name]!)]));
    const table = Object.fromEntries(Object.keys(empty).map((name) => [name, { 'empty ms': empty[name], 'history ms': full[name], ratio: ratios[name] }]));
    console.table(table);
    const occurrencesAdded = size.occurrences - emptySize.occurrences;
    const historyMiBPerMillionOccurrences = occurrencesAdded > 0 ? Math.round(((size.historyMiB - emptySize.historyMiB) / occurrencesAdded) * 1_000_000) : null;
    const [worstOperation, worstRatio] = Object.entries(ratios).reduce((a, c) => (c[1]! > a[1]! ? c : a));
    const summary = {
      sizes: { ...SIZES, basePending: BASE_PENDING },
      rounds: ROUNDS,
      buildSeconds,
      worstRatio,
      worstOperation,
      pendingFireRatio: ratios['fire p50'],
      fireP99Ratio: ratios['fire p99'],
      ratios,
      historyMiBPerMillionOccurrences,
      databaseMiB: size.totalMiB,
      dueIndex,
    };
    console.log(`occurrences, their deliveries and attempts (tables and indexes): ${historyMiBPerMillionOccurrences} MiB per 1,000,000 fired occurrences; the whole database: ${size.totalMiB} MiB`);
    console.log(`history ${JSON.stringify(summary)}`);
    return { ...summary, empty, history: full, build, emptySize, size };
  } finally {
    await stopBench(fullBench);
    await stopBench(emptyBench);
  }
}
