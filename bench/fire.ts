// `npm run bench fire`: how late reminders reach a subscribed WebSocket client.
// lateness = (time the client receives reminderExpired) − (the reminder's due time), measured in this
// process, against a server child process (embedded PostgreSQL, ROLE=all) on the same machine.
// Single: 50 reminders one after another, each due ~300 ms after its creation. Bursts: 1,000 and
// 10,000 reminders due at the same instant, created beforehand through the public API (batches of
// 15 aliased createReminder mutations, 8 requests in flight — the alias limit is 15).
import { writeFile } from 'node:fs/promises';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import pg from 'pg';
import { percentiles, startBenchServer, type BenchServer } from './lib/server.ts';

type Expired = { id: string; receivedAt: number };

async function gql(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** A reminderExpired listener; `waitFor(n)` resolves when n more messages have arrived. */
function listen(client: Client) {
  const received: Expired[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  client.subscribe<{ reminderExpired: { reminder: { id: string } } }>(
    { query: 'subscription { reminderExpired { reminder { id } } }' },
    {
      next: (message) => {
        received.push({ id: message.data!.reminderExpired.reminder.id, receivedAt: Date.now() });
        if (waiter && received.length >= waiter.count) waiter.resolve();
      },
      error: (error) => console.error('subscription error', error),
      complete: () => undefined,
    },
  );
  return {
    received,
    waitFor(count: number, timeoutMs: number): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${received.length}/${count} expiries within ${timeoutMs} ms`)), timeoutMs);
        waiter = { count, resolve: () => { clearTimeout(timer); resolve(); } };
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
      for (const value of Object.values(data) as { reminder: { id: string } }[]) ids.push(value.reminder.id);
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
      insert into pgboss.job (id, name, data, start_after, retry_limit, retry_delay, retry_backoff, expire_seconds)
      select job_id, 'reminder.fire', jsonb_build_object('reminderId', id, 'version', 1), remind_at, 10, 1, true, 300 from r`, [account!.id, count]);
    await client.query('analyze reminder; analyze pgboss.job');
  } finally {
    await client.end();
  }
}

export default async function fire(): Promise<Record<string, unknown>> {
  const server = await startBenchServer({}, { ownDatabase: pendingCount > 0 });
  const client = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: {} });
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
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const results: Record<string, unknown> = {};

    // Single reminders, one at a time.
    const single: number[] = [];
    for (let i = 0; i < singleCount; i++) {
      const due = new Date(Date.now() + 300);
      const before = listener.received.length;
      await gql(server.url, token, 'mutation($t: DateTime!) { createReminder(input: { message: "single", remindAt: $t }) { __typename } }', { t: due.toISOString() });
      await listener.waitFor(before + 1, 5000);
      single.push(listener.received.at(-1)!.receivedAt - due.getTime());
    }
    if (singleCount > 0) results.single = { count: single.length, latenessMs: ms(single) };

    for (const size of burstSizes) {
      const lead = Math.max(8000, size * 4.5); // creating them through the API takes ~3 ms each
      const due = new Date(Math.ceil((Date.now() + lead) / 1000) * 1000);
      const createStarted = Date.now();
      const ids = await createMany(server.url, token, size, due.toISOString());
      const createMs = Date.now() - createStarted;
      if (Date.now() > due.getTime() - 500) throw new Error(`creating ${size} reminders took ${createMs} ms: too slow for the lead time`);
      const before = listener.received.length;
      const rss = await sampleRss(server);
      await listener.waitFor(before + ids.length, 60_000);
      const peakRss = await rss.stop();
      const burst = listener.received.slice(before).map((e) => e.receivedAt - due.getTime());
      if (process.env.BENCH_FIRE_TRACE) await writeFile(`${process.env.BENCH_FIRE_TRACE}.${size}.json`, JSON.stringify({ due: due.getTime(), lateness: burst }));
      results[`burst${size}`] = {
        count: burst.length,
        createSeconds: Math.round(createMs / 100) / 10,
        latenessMs: ms(burst),
        lastDeliveryAfterDueMs: Math.max(...burst),
        peakRssMiB: Math.round(peakRss / 2 ** 20),
      };
    }
    await ws.dispose();
    results.pendingMeanwhile = pendingCount;
    console.log(`${pendingCount.toLocaleString('en')} reminders pending for later throughout`);
    console.table(Object.fromEntries(Object.entries(results).filter(([, v]) => typeof v === 'object').map(([k, v]: [string, any]) => [k, { count: v.count, ...v.latenessMs, lastMs: v.lastDeliveryAfterDueMs, rssMiB: v.peakRssMiB }])));
    return results;
  } finally {
    await client.dispose();
    await server.stop();
  }
}
