// `npm run bench fire`: how late reminders reach a subscribed WebSocket client.
// lateness = (time the client receives reminderExpired) − (the reminder's due time), measured in this
// process, against a server child process (ROLE=all) on the same machine, with 100,000 reminders
// pending for later throughout.
// Single: reminders one after another, each due ~300 ms after its creation. Bursts: 1,000 and 10,000
// reminders due at the same instant, created beforehand through the public API (batches of 15 aliased
// createReminder mutations, 8 requests in flight); the due time is set from the creation speed
// measured in this run, and a slow run is reported (createdAfterDue, missing), never failed.
// Measured in the same run, interleaved with Tickler's singles (bench/lib/peers.ts): plain pg-boss at
// its minimum 0.5 s polling (lateness at handler start, so the ratio favours pg-boss) and the floor
// (timer → UPDATE … RETURNING + NOTIFY → LISTEN → WebSocket send), all read to a tenth of a millisecond
// (preciseNow). The machine is shared with other
// engineers' test runs: read the ratios, which compare figures taken side by side.
import { writeFile } from 'node:fs/promises';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import pg from 'pg';
import { gql, percentiles, startBenchServer, type BenchServer } from './lib/server.ts';
import { preciseNow, startFloorPeer, startPgBossPeer } from './lib/peers.ts';
import { PGBOSS_SCHEMA } from '../src/platform/pgboss-seam.ts';

/** `claimLatenessMs`: the occurrence's own latenessMs, due time → the firing transaction's claim (database clock). */
type Expired = { id: string; receivedAt: number; claimLatenessMs: number };

/** A reminderExpired listener; `waitFor(n)` resolves when n more messages have arrived. */
function listen(client: Client) {
  const received: Expired[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  client.subscribe<{ reminderExpired: { latenessMs: number; reminder: { id: string } } }>(
    { query: 'subscription { reminderExpired { latenessMs reminder { id } } }' },
    {
      next: (message) => {
        const receivedAt = preciseNow();
        received.push({ id: message.data!.reminderExpired.reminder.id, receivedAt, claimLatenessMs: message.data!.reminderExpired.latenessMs });
        if (waiter && received.length >= waiter.count) waiter.resolve();
      },
      error: (error) => console.error('subscription error', error),
      complete: () => undefined,
    },
  );
  return {
    received,
    /** Resolves true when `count` messages have arrived, false after `timeoutMs` (reported, not thrown). */
    waitFor(count: number, timeoutMs: number): Promise<boolean> {
      if (received.length >= count) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        waiter = { count, resolve: () => { clearTimeout(timer); resolve(true); } };
      });
    },
  };
}

async function createMany(url: string, token: string, count: number, remindAt: string): Promise<string[]> {
  const aliases = 15;
  const requests: number[] = [];
  for (let i = 0; i < count; i += aliases) requests.push(Math.min(aliases, count - i));
  const ids: string[] = [];
  let next = 0;
  const workerLoop = async () => {
    while (next < requests.length) {
      const size = requests[next++]!;
      const fields = Array.from({ length: size }, (_, i) => `a${i}: createReminder(input: { message: "burst", remindAt: $t }) { ... on CreateReminderPayload { reminder { id } } }`);
      const data = await gql(url, token, `mutation($t: DateTime!) { ${fields.join(' ')} }`, { t: remindAt });
      for (const value of Object.values(data) as { reminder?: { id: string } }[]) if (value.reminder) ids.push(value.reminder.id);
    }
  };
  await Promise.all(Array.from({ length: 8 }, workerLoop));
  return ids;
}

async function sampleRss(server: BenchServer) {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await server.rssBytes().catch(() => 0));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return { stop: async () => { running = false; await loop; return peak; } };
}

// BENCH_FIRE_SINGLE=n and BENCH_FIRE_BURSTS=a,b narrow a run down while working on one of them.
// BENCH_FIRE_PENDING=n reminders (default 100,000) are pending for later throughout, as on a server
// in use: every fetch of due jobs has to find them among those.
const singleCount = Number(process.env.BENCH_FIRE_SINGLE ?? 50);
const pendingCount = Number(process.env.BENCH_FIRE_PENDING ?? 100_000);
const burstSizes = (process.env.BENCH_FIRE_BURSTS ?? '1000,10000').split(',').filter(Boolean).map(Number);

const tenth = (value: number) => Math.round(value * 10) / 10;
const ms = (values: number[]) => Object.fromEntries(Object.entries(percentiles(values)).map(([k, v]) => [k, Math.round(v * 10) / 10]));

/**
 * Reminders due 1 to 30 days from now, each with its fire job, written straight into the database
 * (through the API this would take minutes): the rows and jobs createReminder would have made.
 */
async function seedPending(databaseUrl: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: [account] } = await client.query<{ id: string }>(`select id from account where name = 'Bench'`);
    await client.query(`
      with r as (
        insert into reminder (id, account_id, message, remind_at, time_zone, status, channels, schedule_version, job_id, created_at, updated_at)
        select gen_random_uuid(), $1, 'later', now() + interval '1 day' + (g * 29 * 86400.0 / $2) * interval '1 second', 'UTC', 'SCHEDULED', '[]', 1, gen_random_uuid(), now(), now()
          from generate_series(1, $2) g
        returning id, remind_at, job_id)
      insert into ${PGBOSS_SCHEMA}.job (id, name, data, start_after, retry_limit, retry_delay, retry_backoff, expire_seconds)
      select job_id, 'reminder.fire', jsonb_build_object('reminderId', id, 'version', 1), remind_at, 10, 1, true, 300 from r`, [account!.id, count]);
    await client.query(`analyze reminder; analyze ${PGBOSS_SCHEMA}.job`);
  } finally {
    await client.end();
  }
}

const SINGLE_LEAD_MS = 300;
const ROUNDS = Math.max(1, Number(process.env.BENCH_FIRE_ROUNDS ?? 3));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? NaN;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

export default async function fire(): Promise<Record<string, unknown>> {
  // The pending reminders alone reach the default LIMIT_ACTIVE_REMINDERS (100,000): the bench's own
  // reminders would be refused.
  const server = await startBenchServer({ LIMIT_ACTIVE_REMINDERS: '10000000' }, { ownDatabase: true });
  const client = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: {} });
  const pgBoss = await startPgBossPeer(server.databaseUrl!);
  const floor = await startFloorPeer(server.databaseUrl!);
  try {
    const account = await gql(server.url, server.adminToken, 'mutation { createAccount(input: { name: "Bench", timeZone: "UTC" }) { ... on CreateAccountPayload { token } } }');
    const token: string = account.createAccount.token;
    if (pendingCount > 0) await seedPending(server.databaseUrl!, pendingCount);
    const ws = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` } });
    const listener = listen(ws);
    // Warm up (and make sure the subscription is live) with expiries until one is heard.
    for (let i = 0; listener.received.length === 0 && i < 50; i++) {
      const { createReminder } = await gql(server.url, token, 'mutation($t: DateTime!) { createReminder(input: { message: "warm-up", remindAt: $t }) { ... on CreateReminderPayload { reminder { id } } } }', { t: new Date(Date.now() + 3_600_000).toISOString() });
      await gql(server.url, token, 'mutation($id: ID!) { expireReminder(id: $id) { __typename } }', { id: createReminder.reminder.id });
      await listener.waitFor(1, 100);
    }
    const results: Record<string, unknown> = {};

    // Singles, interleaved (Tickler, pg-boss, floor) so that the machine's load falls on all three alike,
    // in ROUNDS rounds: each percentile is also reported as the median of the rounds'.
    const single = { tickler: [] as number[][], pgBoss: [] as number[][], floor: [] as number[][] };
    // Stages: Tickler's due → claim (the wake-up) and claim → client; the floor's due → timer and timer → client.
    const stages = { ticklerClaim: [] as number[], ticklerAfterClaim: [] as number[], floorTimer: [] as number[], floorAfterTimer: [] as number[] };
    let singleMissing = 0;
    for (let round = 0; round < ROUNDS && singleCount > 0; round++) {
      const t: number[] = [];
      const b: number[] = [];
      const f: number[] = [];
      for (let i = 0; i < Math.ceil(singleCount / ROUNDS); i++) {
        const due = new Date(Date.now() + SINGLE_LEAD_MS);
        const before = listener.received.length;
        await gql(server.url, token, 'mutation($t: DateTime!) { createReminder(input: { message: "single", remindAt: $t }) { __typename } }', { t: due.toISOString() });
        if (await listener.waitFor(before + 1, 10_000)) {
          const heard = listener.received.at(-1)!;
          t.push(heard.receivedAt - due.getTime());
          stages.ticklerClaim.push(heard.claimLatenessMs);
          stages.ticklerAfterClaim.push(heard.receivedAt - due.getTime() - heard.claimLatenessMs);
        } else singleMissing++;
        const peer = await pgBoss.single(SINGLE_LEAD_MS);
        if (!Number.isNaN(peer)) b.push(peer);
        const floorSingle = await floor.single(SINGLE_LEAD_MS);
        f.push(floorSingle.latenessMs);
        stages.floorTimer.push(floorSingle.timerMs);
        stages.floorAfterTimer.push(floorSingle.latenessMs - floorSingle.timerMs);
      }
      single.tickler.push(t);
      single.pgBoss.push(b);
      single.floor.push(f);
    }
    if (singleCount > 0) {
      const summary = (rounds: number[][]) => ({
        count: rounds.flat().length,
        latenessMs: ms(rounds.flat()),
        medianOfRounds: { p50: tenth(median(rounds.map((r) => percentiles(r).p50!))), p99: tenth(median(rounds.map((r) => percentiles(r).p99!))) },
      });
      const [t, b, f] = [summary(single.tickler), summary(single.pgBoss), summary(single.floor)];
      results.single = { ...t, missing: singleMissing };
      results.singlePgBoss = b;
      results.singleFloor = f;
      results.singleStagesP50 = Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, tenth(median(v))]));
      results.singleRatios = {
        pgBossOverTicklerP50: ratio(b.medianOfRounds.p50, t.medianOfRounds.p50),
        pgBossOverTicklerP99: ratio(b.medianOfRounds.p99, t.medianOfRounds.p99),
        ticklerOverFloorP50: ratio(t.medianOfRounds.p50, f.medianOfRounds.p50),
        ticklerOverFloorP99: ratio(t.medianOfRounds.p99, f.medianOfRounds.p99),
      };
    }

    // How fast reminders are created through the API here, now: sets each burst's lead time.
    const pilotStarted = Date.now();
    const pilot = await createMany(server.url, token, 150, new Date(Date.now() + 7 * 86_400_000).toISOString());
    const perReminderMs = (Date.now() - pilotStarted) / pilot.length;
    results.creationMsPerReminder = Math.round(perReminderMs * 100) / 100;

    for (const size of burstSizes) {
      const lead = Math.max(5000, Math.ceil(size * perReminderMs * 1.5) + 3000);
      const waitMs = Math.max(60_000, size * 10);
      const due = new Date(Math.ceil((Date.now() + lead) / 1000) * 1000);
      const createStarted = Date.now();
      const before = listener.received.length;
      const ids = await createMany(server.url, token, size, due.toISOString());
      const createMs = Date.now() - createStarted;
      const rss = await sampleRss(server);
      await listener.waitFor(before + ids.length, Math.max(0, due.getTime() - Date.now()) + waitMs);
      const peakRss = await rss.stop();
      const burst = listener.received.slice(before).map((e) => e.receivedAt - due.getTime());
      if (process.env.BENCH_FIRE_TRACE) await writeFile(`${process.env.BENCH_FIRE_TRACE}.${size}.json`, JSON.stringify({ due: due.getTime(), lateness: burst }));
      // pg-boss, the same burst size due at one instant (inserted in one go: its creation is not measured).
      const peerDue = Math.ceil((Date.now() + 3000) / 1000) * 1000;
      const peer = await pgBoss.burst(size, peerDue, waitMs);
      results[`burst${size}`] = {
        count: burst.length,
        refused: size - ids.length,
        missing: ids.length - burst.length,
        leadMs: lead,
        createSeconds: Math.round(createMs / 100) / 10,
        createdAfterDue: createStarted + createMs > due.getTime(),
        latenessMs: ms(burst),
        lastDeliveryAfterDueMs: burst.length ? tenth(Math.max(...burst)) : null,
        peakRssMiB: Math.round(peakRss / 2 ** 20),
        pgBoss: { count: peer.length, missing: size - peer.length, latenessMs: ms(peer), lastHandlerStartAfterDueMs: peer.length ? tenth(Math.max(...peer)) : null },
        pgBossOverTicklerLast: burst.length && peer.length ? ratio(Math.max(...peer), Math.max(...burst)) : null,
      };
    }
    await ws.dispose();
    results.pendingMeanwhile = pendingCount;
    results.rounds = ROUNDS;
    console.log(`${pendingCount.toLocaleString('en')} reminders pending for later throughout; singles in ${ROUNDS} interleaved rounds; the machine is shared, so read the ratios`);
    const row = (v: any, last?: number | null) => ({ count: v.count, ...v.latenessMs, lastMs: last ?? v.latenessMs.max, rssMiB: v.peakRssMiB ?? '' });
    const table: Record<string, unknown> = {};
    if (results.single) {
      table['single Tickler (client)'] = row(results.single);
      table['single pg-boss (handler)'] = row(results.singlePgBoss);
      table['single floor (client)'] = row(results.singleFloor);
    }
    for (const size of burstSizes) {
      const b = results[`burst${size}`] as any;
      table[`burst ${size} Tickler`] = row(b, b.lastDeliveryAfterDueMs);
      table[`burst ${size} pg-boss`] = row(b.pgBoss, b.pgBoss.lastHandlerStartAfterDueMs);
    }
    console.table(table);
    if (results.singleStagesP50) console.log('single stages, p50 ms', JSON.stringify(results.singleStagesP50));
    console.log('ratios', JSON.stringify({ ...(results.singleRatios as object), ...Object.fromEntries(burstSizes.map((s) => [`burst${s}PgBossOverTicklerLast`, (results[`burst${s}`] as any).pgBossOverTicklerLast])) }));
    return results;
  } finally {
    await floor.stop().catch(() => undefined);
    await pgBoss.stop().catch(() => undefined);
    await client.dispose();
    await server.stop();
  }
}
