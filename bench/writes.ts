// `npm run bench writes`: the write path under 32 concurrent clients, one mutation per request, for
// createReminder, createEvent (exact times, all different), updateReminder (a new time: reschedules),
// snoozeReminder and cancelReminder (each request on another reminder, seeded beforehand with SQL).
// Baselines measured in the same run, on the same server and database: `{ __typename }` over HTTP
// (what any request costs) and a one-row INSERT transaction straight on PostgreSQL with 32 connections.
// The machine is shared: read the ratios to those baselines rather than the absolute figures.
// BENCH_WRITES_ROUNDS rounds (default 3) of every case in turn; each figure is the median of the
// rounds', and each ratio the median of the rounds' ratios (a case against `{ __typename }` of the
// same round). CPU per request is the server process's CPU time (user + system) over the requests,
// and PostgreSQL's (its postmaster and backends) beside it: both share this machine's cores.
// Each case's result type is checked once before it runs: a case answered with an error type
// (a quota, a validation error) would measure the error path.
// BENCH_WRITES_ACCOUNTS=n spreads the mutations over n accounts (default 1: one account's writes
// take turns on its usage counter row, the hardest case for it).
import autocannon from 'autocannon';
import pg from 'pg';
import { encodeId } from '../src/graphql/ids.ts';
import { startBenchServer } from './lib/server.ts';
import { PGBOSS_SCHEMA } from '../src/platform/pgboss-seam.ts';

const CLIENTS = Number(process.env.BENCH_WRITES_CLIENTS ?? 32);
const SECONDS = Number(process.env.BENCH_WRITES_SECONDS ?? 5);
const ONLY = process.env.BENCH_WRITES_ONLY?.split(',');
const ROUNDS = Math.max(1, Number(process.env.BENCH_WRITES_ROUNDS ?? 3));
const ACCOUNTS = Math.max(1, Number(process.env.BENCH_WRITES_ACCOUNTS ?? 1));
// Enough that no request of any round meets a reminder twice (cancelling one again is a no-op).
const SEEDED = Number(process.env.BENCH_WRITES_SEEDED ?? 40_000);

type Case = { body: (i: number) => string; token: (i: number) => string | undefined; expect: string };

async function gql(url: string, token: string, query: string): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
  return ((await response.json()) as { data: any }).data;
}

const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

function run(url: string, c: Case, seconds: number, counter: { next: number }): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    connections: CLIENTS,
    duration: seconds,
    requests: [{
      setupRequest: (request) => {
        const i = counter.next++;
        const token = c.token(i);
        return { ...request, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: c.body(i) };
      },
    }],
  });
}

/** The case's first result type (its request i), checked against what a success returns. */
async function check(url: string, name: string, c: Case, i: number): Promise<void> {
  const token = c.token(i);
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: c.body(i) });
  const result = (await response.json()) as { data?: Record<string, { __typename: string } | string> };
  const value = result.data ? Object.values(result.data)[0] : undefined;
  const typename = typeof value === 'string' ? value : value?.__typename;
  if (typename !== c.expect) throw new Error(`${name} answered ${JSON.stringify(result)}, not ${c.expect}`);
}

/** Reminders (with their fire jobs) due in 1 to 30 days, straight into the database; their global ids. */
async function seedReminders(client: pg.Client, accountId: string, count: number): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(`
    with r as (
      insert into reminder (id, account_id, message, remind_at, time_zone, status, channels, schedule_version, job_id, created_at, updated_at)
      select gen_random_uuid(), $1, 'seeded', now() + interval '1 day' + (g * 29 * 86400.0 / $2) * interval '1 second', 'UTC', 'SCHEDULED', '[]', 1, gen_random_uuid(), now(), now()
        from generate_series(1, $2) g
      returning id, remind_at, job_id),
    j as (
      insert into ${PGBOSS_SCHEMA}.job (id, name, data, start_after, retry_limit, retry_delay, retry_backoff, expire_seconds)
      select job_id, 'reminder.fire', jsonb_build_object('reminderId', id, 'version', 1), remind_at, 10, 1, true, 300 from r)
    select id from r`, [accountId, count]);
  return rows.map((row) => encodeId('Reminder', row.id));
}

/** One-row INSERT transactions at CLIENTS connections straight on PostgreSQL: the database's own rate here. */
async function insertBaseline(databaseUrl: string, seconds: number): Promise<{ perSecond: number }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: CLIENTS });
  try {
    await pool.query('create table if not exists bench_insert (id bigserial primary key, at timestamptz not null default now(), note text)');
    const until = Date.now() + seconds * 1000;
    let done = 0;
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      const client = await pool.connect();
      try {
        while (Date.now() < until) {
          await client.query('begin');
          await client.query(`insert into bench_insert (note) values ('x')`);
          await client.query('commit');
          done++;
        }
      } finally {
        client.release();
      }
    }));
    return { perSecond: Math.round(done / seconds) };
  } finally {
    await pool.end();
  }
}

export default async function writes(): Promise<Record<string, unknown>> {
  // The seeded reminders count against LIMIT_ACTIVE_REMINDERS (default 100,000): raised, so that no
  // case measures the refusal instead (check() would stop the run).
  const server = await startBenchServer({ LIMIT_ACTIVE_REMINDERS: '10000000' }, { ownDatabase: true });
  const db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  try {
    const tokens: string[] = [];
    const forUpdate: string[] = [];
    const forSnooze: string[] = [];
    const forCancel: string[] = [];
    for (let a = 0; a < ACCOUNTS; a++) {
      const created = await gql(server.url, server.adminToken, `mutation { createAccount(input: { name: "Bench ${a}", timeZone: "UTC" }) { ... on CreateAccountPayload { token account { id } } } }`);
      tokens.push(created.createAccount.token);
      const { rows: [account] } = await db.query<{ id: string }>(`select id from account where name = $1`, [`Bench ${a}`]);
      // Interleaved by account: request i goes to account i % ACCOUNTS and its reminder i.
      const seeded: string[][] = [];
      for (let k = 0; k < 3; k++) seeded.push(await seedReminders(db, account!.id, Math.ceil(SEEDED / ACCOUNTS)));
      for (const [list, ids] of [[forUpdate, seeded[0]!], [forSnooze, seeded[1]!], [forCancel, seeded[2]!]] as const) ids.forEach((id, k) => (list[k * ACCOUNTS + a] = id));
    }
    await db.query('analyze');
    const token = (i: number) => tokens[i % ACCOUNTS];
    const far = Date.now() + 30 * 86_400_000;
    const eventBase = Date.UTC(new Date().getUTCFullYear() + 1, 0, 5, 0, 0, 0);
    const cases: Record<string, Case> = {
      typename: { token: () => undefined, body: () => body('{ __typename }', {}), expect: 'Query' },
      createReminder: {
        token, expect: 'CreateReminderPayload',
        body: (i) => body('mutation($t: DateTime!) { createReminder(input: { message: "write bench", remindAt: $t }) { __typename } }', { t: new Date(far + i * 1000).toISOString() }),
      },
      createEvent: {
        token, expect: 'CreateEventPayload',
        body: (i) => body('mutation($s: DateTime!) { createEvent(input: { title: "write bench", durationMinutes: 30, startsAt: $s }) { __typename } }', { s: new Date(eventBase + i * 3_600_000).toISOString() }),
      },
      updateReminder: {
        token, expect: 'UpdateReminderPayload',
        body: (i) => body('mutation($id: ID!, $t: DateTime!) { updateReminder(input: { id: $id, message: "moved", remindAt: $t }) { __typename } }', { id: forUpdate[i % forUpdate.length], t: new Date(far + i * 1000).toISOString() }),
      },
      snoozeReminder: {
        token, expect: 'SnoozeReminderPayload',
        body: (i) => body('mutation($id: ID!) { snoozeReminder(input: { id: $id, minutes: 90 }) { __typename } }', { id: forSnooze[i % forSnooze.length] }),
      },
      cancelReminder: { token, expect: 'CancelReminderPayload', body: (i) => body('mutation($id: ID!) { cancelReminder(id: $id) { __typename } }', { id: forCancel[i % forCancel.length] }) },
    };
    const names = Object.keys(cases).filter((name) => !ONLY || name === 'typename' || ONLY.includes(name));
    const counters = Object.fromEntries(names.map((name) => [name, { next: 0 }]));
    for (const name of names) {
      await check(server.url, name, cases[name]!, counters[name]!.next++);
      await run(server.url, cases[name]!, 1, counters[name]!); // warm-up
    }
    const baselines: number[] = [];
    type Round = { perSecond: number; p50: number; p99: number; cpuMsPerRequest: number; pgCpuMsPerRequest: number; non2xx: number; errors: number };
    const rounds: Record<string, Round[]> = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      baselines.push((await insertBaseline(server.databaseUrl!, SECONDS)).perSecond);
      for (const name of names) {
        const cpuBefore = await server.cpuMs();
        const pgCpuBefore = await postgresCpuMs(server.databaseUrl!);
        const result = await run(server.url, cases[name]!, SECONDS, counters[name]!);
        const cpuMs = (await server.cpuMs()) - cpuBefore;
        const pgCpuMs = (await postgresCpuMs(server.databaseUrl!)) - pgCpuBefore;
        rounds[name]!.push({
          perSecond: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99,
          cpuMsPerRequest: Math.round((cpuMs / Math.max(1, result.requests.total)) * 1000) / 1000,
          pgCpuMsPerRequest: Math.round((pgCpuMs / Math.max(1, result.requests.total)) * 1000) / 1000, non2xx: result.non2xx, errors: result.errors,
        });
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
    const typename = rounds.typename!;
    const results: Record<string, unknown> = {};
    for (const name of names) {
      const r = rounds[name]!;
      results[name] = {
        perSecond: median(r.map((x) => x.perSecond)),
        latencyMs: { p50: median(r.map((x) => x.p50)), p99: median(r.map((x) => x.p99)) },
        cpuMsPerRequest: median(r.map((x) => x.cpuMsPerRequest)),
        pgCpuMsPerRequest: median(r.map((x) => x.pgCpuMsPerRequest)),
        overTypename: Math.round(median(r.map((x, i) => x.perSecond / typename[i]!.perSecond)) * 100) / 100,
        p99OverTypename: Math.round(median(r.map((x, i) => x.p99 / Math.max(1, typename[i]!.p99))) * 100) / 100,
        overInsert: Math.round(median(r.map((x, i) => x.perSecond / baselines[i]!)) * 100) / 100,
        non2xx: r.reduce((sum, x) => sum + x.non2xx, 0),
        errors: r.reduce((sum, x) => sum + x.errors, 0),
        rounds: r,
      };
    }
    const rows = Object.fromEntries(Object.entries(results).map(([name, r]: [string, any]) => [name, {
      'per s': r.perSecond, 'p50 ms': r.latencyMs.p50, 'p99 ms': r.latencyMs.p99, 'CPU ms/req': r.cpuMsPerRequest, 'PG CPU ms/req': r.pgCpuMsPerRequest,
      'vs typename': `${Math.round(r.overTypename * 100)} %`, 'p99 vs typename': `${r.p99OverTypename}×`, 'vs INSERT': `${Math.round(r.overInsert * 100)} %`, non2xx: r.non2xx,
    }]));
    console.log(`${CLIENTS} clients, ${ACCOUNTS} account(s), ${ROUNDS} rounds of ${SECONDS} s per case, medians; one-row INSERT transactions straight on PostgreSQL: ${median(baselines)}/s (same run; the machine is shared, so compare ratios)`);
    console.table(rows);
    return { clients: CLIENTS, accounts: ACCOUNTS, rounds: ROUNDS, seconds: SECONDS, insertBaselinePerSecond: median(baselines), ...results };
  } finally {
    await db.end();
    await server.stop();
  }
}

/**
 * CPU time (user + system, ms) used so far by the PostgreSQL server listening on the database URL's
 * port: its postmaster and every live child (the pool's backends live through a run), from Linux /proc.
 */
export async function postgresCpuMs(databaseUrl: string): Promise<number> {
  const port = new URL(databaseUrl).port;
  const { readdir, readFile } = await import('node:fs/promises');
  const stats = new Map<number, { ppid: number; cpu: number }>();
  let postmaster: number | undefined;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) * 10 });
      if (postmaster === undefined && stat.includes('(postgres)')) {
        const args = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
        if (args.includes('-p') && args[args.indexOf('-p') + 1] === port) postmaster = Number(entry);
      }
    } catch { /* the process ended meanwhile */ }
  }
  if (postmaster === undefined) return NaN;
  let total = 0;
  for (const [pid, { ppid, cpu }] of stats) if (pid === postmaster || ppid === postmaster) total += cpu;
  return total;
}
