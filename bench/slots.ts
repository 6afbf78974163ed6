// `npm run bench slots`: automatic placement through the API (createEvent without an exact time).
// 1. Throughput and latency with 64 concurrent clients on ONE calendar (placements serialise on that
//    calendar's advisory lock; concurrent ones are batched per calendar into one transaction), then
//    with 8 clients on one calendar, then 64 clients on 64 different calendars.
// 2. Latency of single placements on a calendar holding 100 events vs one holding 100,000 events.
//    The events are seeded with SQL straight into the server's database (an embedded PostgreSQL that
//    this script starts and hands to the server as DATABASE_URL): hourly 30-minute events going back
//    from now, so both calendars look alike where new events land and differ only in size.
// Each placement asks for a random day within the next year (`date`), so the busy time read per
// placement stays small and comparable across scenarios.
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startBenchServer, percentiles, type BenchServer } from './lib/server.ts';
import { startEmbeddedPostgres } from '../src/platform/embedded-postgres.ts';
import { createLogger } from '../src/platform/logger.ts';
import { decodeId } from '../src/graphql/ids.ts';

const CLIENTS = 64;
const PLACEMENTS = 3000;
const SEQUENTIAL = 300;

const CREATE_EVENT = `mutation($input: CreateEventInput!) { createEvent(input: $input) { __typename ... on CreateEventPayload { event { id } } } }`;

type Gql = (query: string, variables?: Record<string, unknown>) => Promise<any>;

export default async function slots(): Promise<Record<string, unknown>> {
  const log = createLogger({ logLevel: 'warn', logFormat: 'pretty' });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tickler-bench-slots-'));
  await chmod(dataDir, 0o755);
  const postgres = await startEmbeddedPostgres(dataDir, log, { password: 'bench' });
  const databaseUrl = withDatabase(postgres.url, 'tickler_bench');
  let server: BenchServer | undefined;
  try {
    server = await startBenchServer({ DATABASE_URL: databaseUrl });
    const admin = client(server.url, server.adminToken);
    const created = await admin(`mutation { createAccount(input: { name: "Bench", timeZone: "UTC" }) { ... on CreateAccountPayload { token } } }`);
    const gql = client(server.url, created.createAccount.token);
    const calendar = (name: string) => newCalendar(gql, name);

    await load(gql, [await calendar('warm-up')], 200, 16); // JIT, pools and plans warm up first

    const one = await calendar('one');
    const oneCalendar = await load(gql, [one], PLACEMENTS, CLIENTS);
    // At 64 closed-loop clients latency is queueing (Little's law: mean = 64 / throughput); 8 clients show the service time.
    const oneCalendarLight = await load(gql, [await calendar('one, light load')], 1000, 8);
    // The target as a service level: 64 clients offering 500 placements/s in all (open loop; latency
    // counted from each request's scheduled time, so time spent waiting for a free client counts too).
    const oneCalendarAt500 = await openLoad(gql, await calendar('one, 500/s offered'), 500, PLACEMENTS, CLIENTS);
    const many = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => calendar(`many ${i}`)));
    const manyCalendars = await load(gql, many, PLACEMENTS, CLIENTS);

    const small = await calendar('100 events');
    const large = await calendar('100,000 events');
    await seed(databaseUrl, small, 100);
    await seed(databaseUrl, large, 100_000);
    const sizes = await sequentialLatency(gql, small, large);

    const rows = {
      'one calendar, 64 clients': summary(oneCalendar),
      'one calendar, 8 clients': summary(oneCalendarLight),
      'one calendar, 64 clients, 500/s offered': summary(oneCalendarAt500),
      '64 calendars, 64 clients': summary(manyCalendars),
      'calendar with 100 events, 1 client': summary(sizes.small),
      'calendar with 100,000 events, 1 client': summary(sizes.large),
    };
    console.table(rows);
    const ratio = percentiles(sizes.large.latencies).p50! / percentiles(sizes.small.latencies).p50!;
    console.log(`100,000-event calendar p50 is ${(ratio * 100 - 100).toFixed(1)}% vs the 100-event one (target: within 20%)`);
    return { ...rows, largeVsSmallP50Ratio: Number(ratio.toFixed(3)), serverRssMiB: Math.round((await server.rssBytes()) / 2 ** 20) };
  } finally {
    await server?.stop();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

type LoadResult = { placed: number; refused: number; errors: number; seconds: number; latencies: number[] };

/** `clients` loops, each sending one placement at a time, until `total` have been sent; client i uses calendar i mod n. */
async function load(gql: Gql, calendarIds: string[], total: number, clients: number): Promise<LoadResult> {
  const result: LoadResult = { placed: 0, refused: 0, errors: 0, seconds: 0, latencies: [] };
  let sent = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async (_, i) => {
    const calendarId = calendarIds[i % calendarIds.length]!;
    while (sent++ < total) await placeOnce(gql, calendarId, result);
  }));
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** `total` placements offered at `rate` per second by up to `clients` requests in flight. */
async function openLoad(gql: Gql, calendarId: string, rate: number, total: number, clients: number): Promise<LoadResult> {
  const result = empty();
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    for (let i = next++; i < total; i = next++) {
      const scheduled = started + (i * 1000) / rate;
      const wait = scheduled - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait)); // pacing, not waiting for an event
      await placeOnce(gql, calendarId, result, scheduled);
    }
  }));
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

async function placeOnce(gql: Gql, calendarId: string, result: LoadResult, t0 = performance.now()): Promise<void> {
  try {
    const data = await gql(CREATE_EVENT, { input: { calendarId, title: 'Bench', durationMinutes: 30, date: randomDay() } });
    if (data.createEvent.__typename === 'CreateEventPayload') result.placed++;
    else result.refused++;
  } catch {
    result.errors++;
  }
  result.latencies.push(performance.now() - t0);
}

/** One client, alternating between the two calendars so that drift affects both alike. */
async function sequentialLatency(gql: Gql, small: string, large: string) {
  const runs = { small: empty(), large: empty() };
  for (let i = 0; i < SEQUENTIAL; i++) {
    await placeOnce(gql, small, runs.small);
    await placeOnce(gql, large, runs.large);
  }
  return runs;
}

function empty(): LoadResult {
  return { placed: 0, refused: 0, errors: 0, seconds: 0, latencies: [] };
}

function summary(r: LoadResult) {
  const p = percentiles(r.latencies);
  return {
    placed: r.placed,
    refused: r.refused,
    errors: r.errors,
    perSecond: r.seconds ? Math.round(r.placed / r.seconds) : undefined,
    p50Ms: round(p.p50!),
    p99Ms: round(p.p99!),
    maxMs: round(p.max!),
  };
}

async function newCalendar(gql: Gql, name: string): Promise<string> {
  const data = await gql(`mutation($input: CreateCalendarInput!) { createCalendar(input: $input) { ... on CreateCalendarPayload { calendar { id } } } }`, {
    input: { name, timeZone: 'UTC', workingHours: [], slotIntervalMinutes: 15, horizonDays: 3650 },
  });
  return data.createCalendar.calendar.id;
}

/** `count` hourly 30-minute EXACT events going back from now, written straight into the tables. */
async function seed(databaseUrl: string, calendarGlobalId: string, count: number): Promise<void> {
  const calendarId = decodeId('Calendar', calendarGlobalId)!;
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(`insert into event (id, account_id, calendar_id, title, starts_at, ends_at, duration_minutes, placement, created_at, updated_at)
      select gen_random_uuid(), c.account_id, c.id, 'Seeded ' || g, date_trunc('hour', now()) - g * interval '1 hour',
             date_trunc('hour', now()) - g * interval '1 hour' + interval '30 minutes', 30, 'EXACT', now(), now()
        from calendar c, generate_series(1, $2::int) g where c.id = $1`, [calendarId, count]);
    await db.query(`insert into event_occupancy (event_id, calendar_id, during)
      select id, calendar_id, tstzrange(starts_at, ends_at) from event where calendar_id = $1 and title like 'Seeded %'`, [calendarId]);
    await db.query('analyze event; analyze event_occupancy');
  } finally {
    await db.end();
  }
}

function client(url: string, token: string): Gql {
  return async (query, variables) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors?.length || !body.data) throw new Error(JSON.stringify(body.errors ?? body));
    return body.data;
  };
}

function randomDay(): string {
  const day = 1 + Math.floor(Math.random() * 365);
  return new Date(Date.now() + day * 86_400_000).toISOString().slice(0, 10);
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
