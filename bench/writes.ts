// `npm run bench writes`: the write path under 32 concurrent clients, one mutation per request, for
// createReminder, createEvent (exact times, all different), updateReminder (a new time: reschedules),
// snoozeReminder and cancelReminder (each request on another reminder, seeded beforehand with SQL).
// Baselines measured in the same run, on the same server and database: `{ __typename }` over HTTP
// (what any request costs) and a one-row INSERT transaction straight on PostgreSQL with 32 connections.
// The machine is shared: read the ratios to those baselines rather than the absolute figures.
import autocannon from 'autocannon';
import pg from 'pg';
import { encodeId } from '../src/graphql/ids.ts';
import { startBenchServer } from './lib/server.ts';
import { PGBOSS_SCHEMA } from '../src/platform/pgboss-seam.ts';

const CLIENTS = Number(process.env.BENCH_WRITES_CLIENTS ?? 32);
const SECONDS = Number(process.env.BENCH_WRITES_SECONDS ?? 5);
const ONLY = process.env.BENCH_WRITES_ONLY?.split(',');
const SEEDED = 20_000;

type Case = { body: (i: number) => string; token: string | undefined };

async function gql(url: string, token: string, query: string): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
  return ((await response.json()) as { data: any }).data;
}

const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

function run(url: string, c: Case, seconds: number): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url,
    method: 'POST',
    connections: CLIENTS,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...(c.token ? { authorization: `Bearer ${c.token}` } : {}) },
    requests: [{ setupRequest: (request) => ({ ...request, body: c.body(next++) }) }],
  });
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
  const server = await startBenchServer({}, { ownDatabase: true });
  const db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  try {
    const created = await gql(server.url, server.adminToken, 'mutation { createAccount(input: { name: "Bench", timeZone: "UTC" }) { ... on CreateAccountPayload { token account { id } } } }');
    const token: string = created.createAccount.token;
    const { rows: [account] } = await db.query<{ id: string }>(`select id from account where name = 'Bench'`);
    const forUpdate = await seedReminders(db, account!.id, SEEDED);
    const forSnooze = await seedReminders(db, account!.id, SEEDED);
    const forCancel = await seedReminders(db, account!.id, SEEDED);
    await db.query('analyze');
    const far = Date.now() + 30 * 86_400_000;
    const eventBase = Date.UTC(new Date().getUTCFullYear() + 1, 0, 5, 0, 0, 0);
    const cases: Record<string, Case> = {
      typename: { token: undefined, body: () => body('{ __typename }', {}) },
      createReminder: {
        token,
        body: (i) => body('mutation($t: DateTime!) { createReminder(input: { message: "write bench", remindAt: $t }) { __typename } }', { t: new Date(far + i * 1000).toISOString() }),
      },
      createEvent: {
        token,
        body: (i) => body('mutation($s: DateTime!) { createEvent(input: { title: "write bench", durationMinutes: 30, startsAt: $s }) { __typename } }', { s: new Date(eventBase + i * 3_600_000).toISOString() }),
      },
      updateReminder: {
        token,
        body: (i) => body('mutation($id: ID!, $t: DateTime!) { updateReminder(input: { id: $id, message: "moved", remindAt: $t }) { __typename } }', { id: forUpdate[i % SEEDED], t: new Date(far + i * 1000).toISOString() }),
      },
      snoozeReminder: {
        token,
        body: (i) => body('mutation($id: ID!) { snoozeReminder(input: { id: $id, minutes: 90 }) { __typename } }', { id: forSnooze[i % SEEDED] }),
      },
      cancelReminder: { token, body: (i) => body('mutation($id: ID!) { cancelReminder(id: $id) { __typename } }', { id: forCancel[i % SEEDED] }) },
    };
    const results: Record<string, unknown> = {};
    const baseline = await insertBaseline(server.databaseUrl!, SECONDS);
    for (const [name, c] of Object.entries(cases)) {
      if (ONLY && name !== 'typename' && !ONLY.includes(name)) continue;
      await run(server.url, c, 1); // warm-up
      const result = await run(server.url, c, SECONDS);
      results[name] = {
        perSecond: Math.round(result.requests.average),
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
        requests: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
      };
    }
    const typename = (results.typename as { perSecond: number }).perSecond;
    const rows = Object.fromEntries(Object.entries(results).map(([name, r]: [string, any]) => [name, {
      'per s': r.perSecond, 'p50 ms': r.latencyMs.p50, 'p99 ms': r.latencyMs.p99, 'vs typename': `${Math.round((r.perSecond / typename) * 100)} %`, 'vs INSERT': `${Math.round((r.perSecond / baseline.perSecond) * 100)} %`, non2xx: r.non2xx,
    }]));
    console.log(`${CLIENTS} clients, ${SECONDS} s each; one-row INSERT transactions straight on PostgreSQL: ${baseline.perSecond}/s (same run; the machine is shared, so compare ratios)`);
    console.table(rows);
    return { clients: CLIENTS, seconds: SECONDS, insertBaselinePerSecond: baseline.perSecond, ...results };
  } finally {
    await db.end();
    await server.stop();
  }
}
