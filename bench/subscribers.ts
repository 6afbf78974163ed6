// `npm run bench subscribers`: fan-out to many graphql-ws subscribers. For each size N (default 1,000
// and 10,000: BENCH_SUBSCRIBERS=1000,10000), N sockets over 100 accounts (N/100 per account) subscribe
// to reminderExpired; then one reminder per account falls due at one instant, and every socket's
// lateness (receipt − due time) is measured. Reported: lateness percentiles over all sockets, sockets
// that got nothing (missing) or another account's expiry (foreign), the connect + authenticate +
// subscribe rate (until the server runs every subscription), the server's peak RSS, the shared
// executions the server ran, and the CPU use of the server and of each client process while connecting
// and while delivering (the clients are spread over BENCH_SUBSCRIBER_PROCESSES processes, default 2,
// so that they are not the bottleneck: a client process near 100 % would mean they are).
// The due time is derived from how fast reminders were created in this run, and the wait from the
// size; nothing fails for being slow — it is reported.
// BENCH_CONNECT_CONCURRENCY (default 256 per client process) sets how many sockets each client opens at
// once; 5000 makes it a reconnect storm (all 10,000 at once). The clients are bare WebSockets
// (lib/lean-ws.ts) unless BENCH_WS_CLIENT=ws.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { metric, percentiles, startBenchServer, type BenchServer } from './lib/server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SIZES = (process.env.BENCH_SUBSCRIBERS ?? '1000,10000').split(',').filter(Boolean).map(Number);
const ACCOUNTS = Number(process.env.BENCH_SUBSCRIBER_ACCOUNTS ?? 100);
const PROCESSES = Number(process.env.BENCH_SUBSCRIBER_PROCESSES ?? 2);
/** Sockets being opened at once, per client process: a reconnect storm, but within the listen backlog. */
const CONNECT_CONCURRENCY = Number(process.env.BENCH_CONNECT_CONCURRENCY ?? 256);
const SUBSCRIPTIONS_OPEN = 'tickler_subscriptions_open{transport="graphql-ws"}';
const QUERY = 'subscription { reminderExpired { cursor latenessMs reminder { id message } } }';

type Reply = { type: string; [key: string]: any };

async function gql(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function parallel<T>(items: T[], width: number, fn: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index]!, index);
    }
  }));
}

/** A client process and a way to await its next reply of a type. */
function swarm() {
  const child: ChildProcess = fork(path.join(here, 'lib/ws-swarm.ts'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<string, (reply: Reply) => void>();
  const errors: string[] = [];
  child.on('message', (reply: Reply) => {
    if (reply.type === 'error') errors.push(reply.error);
    waiting.get(reply.type)?.(reply);
  });
  return {
    errors,
    request(message: unknown, expect: string): Promise<Reply> {
      return new Promise((resolve) => {
        waiting.set(expect, resolve);
        if (message) child.send(message as never);
      });
    },
    close() {
      child.send({ type: 'close' });
    },
  };
}

/** Peak RSS of the server while `during` runs. */
async function peakRss<T>(server: BenchServer, during: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await server.rssBytes().catch(() => 0));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    return { result: await during(), peak };
  } finally {
    running = false;
    await loop;
  }
}

async function scenario(server: BenchServer, tokens: string[], size: number): Promise<Record<string, unknown>> {
  const perToken = Math.max(1, Math.round(size / tokens.length));
  const clients = Array.from({ length: PROCESSES }, swarm);
  try {
    await Promise.all(clients.map((c) => c.request(null, 'ready')));
    const wsUrl = server.url.replace(/^http/, 'ws');
    // Accounts are split between client processes, so each process holds whole accounts.
    const shares = clients.map((_, p) => tokens.filter((_, i) => i % PROCESSES === p));
    const { result: connected, peak: connectRss } = await peakRss(server, async () => {
      const subscribedBefore = (await metric(server.metricsUrl, SUBSCRIPTIONS_OPEN)) ?? 0;
      const started = performance.now();
      const cpuBefore = await server.cpuMs();
      const replies = await Promise.all(clients.map((c, p) => c.request({ type: 'start', url: wsUrl, tokens: shares[p], socketsPerToken: perToken, concurrency: CONNECT_CONCURRENCY, query: QUERY }, 'connected')));
      // A socket counts once its subscription runs on the server (graphql-ws confirms connection_init,
      // not subscribe), so the rate covers connect + authenticate + subscribe.
      const expected = subscribedBefore + replies.reduce((n, r) => n + r.sockets - r.failed, 0);
      for (const giveUp = performance.now() + 10_000; performance.now() < giveUp;) {
        if (((await metric(server.metricsUrl, SUBSCRIPTIONS_OPEN)) ?? 0) >= expected) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const wallMs = performance.now() - started;
      return { seconds: wallMs / 1000, replies, serverCpuPercent: Math.round(((await server.cpuMs()) - cpuBefore) / wallMs * 100) };
    });
    const sockets = connected.replies.reduce((n, r) => n + r.sockets - r.failed, 0);
    const connectMs = connected.replies.flatMap((r) => r.connectMs as number[]);

    // Live check: one expiry per account, heard by every socket, before measuring.
    const probeStarted = performance.now();
    const probes: string[] = [];
    await parallel(tokens, 8, async (token) => {
      const { createReminder } = await gql(server.url, token, 'mutation($t: DateTime!) { createReminder(input: { message: "probe", remindAt: $t }) { ... on CreateReminderPayload { reminder { id } } } }', { t: new Date(Date.now() + 3_600_000).toISOString() });
      probes.push(createReminder.reminder.id);
      await gql(server.url, token, 'mutation($id: ID!) { expireReminder(id: $id) { __typename } }', { id: createReminder.reminder.id });
    });
    const perReminderMs = (performance.now() - probeStarted) / tokens.length / 2;
    const liveDeadline = Date.now() + 30_000 + size * 5;
    let live = { missing: sockets };
    while (Date.now() < liveDeadline) {
      const reports = await Promise.all(clients.map((c) => c.request({ type: 'report', dueAt: 0, ids: probes }, 'report')));
      live = { missing: reports.reduce((n, r) => n + r.missing, 0) };
      if (live.missing === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await Promise.all(clients.map((c) => c.request({ type: 'reset' }, 'reset')));

    // The burst: one reminder per account, all due at one instant, far enough ahead to create them all.
    const lead = Math.max(2000, Math.ceil(perReminderMs * tokens.length * 3));
    const dueAt = Math.ceil((Date.now() + lead) / 1000) * 1000;
    const ids: string[] = [];
    await parallel(tokens, 8, async (token) => {
      const { createReminder } = await gql(server.url, token, 'mutation($t: DateTime!) { createReminder(input: { message: "burst", remindAt: $t }) { __typename ... on CreateReminderPayload { reminder { id } } } }', { t: new Date(dueAt).toISOString() });
      if (createReminder.reminder) ids.push(createReminder.reminder.id);
    });
    const createdLate = Date.now() > dueAt;
    const waitUntil = dueAt + 10_000 + size * 2;
    // The server's CPU from the due time to the last delivery.
    const atDue = new Promise<{ cpu: number; at: number }>((resolve) => {
      setTimeout(() => void server.cpuMs().then((cpu) => resolve({ cpu, at: performance.now() })), Math.max(0, dueAt - Date.now()));
    });
    const { result: burst, peak: burstRss } = await peakRss(server, async () => {
      for (;;) {
        const reports = await Promise.all(clients.map((c) => c.request({ type: 'report', dueAt, ids }, 'report')));
        const missing = reports.reduce((n, r) => n + r.missing, 0);
        if ((missing === 0 && Date.now() > dueAt) || Date.now() > waitUntil) return reports;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    const due = await atDue;
    const burstServerCpu = Math.round(((await server.cpuMs()) - due.cpu) / (performance.now() - due.at) * 100);
    const lateness = burst.flatMap((r) => r.lateness as number[]);
    const result = {
      sockets: size,
      accounts: tokens.length,
      clientProcesses: PROCESSES,
      connected: sockets,
      connectFailures: connected.replies.reduce((all, r) => {
        for (const [code, n] of Object.entries(r.closeCodes as Record<string, number>)) all[code] = (all[code] ?? 0) + n;
        return all;
      }, {} as Record<string, number>),
      connectPerSecond: Math.round(sockets / connected.seconds),
      connectSeconds: Math.round(connected.seconds * 100) / 100,
      connectMs: round(percentiles(connectMs)),
      connectServerCpuPercent: connected.serverCpuPercent,
      connectClientCpuPercent: connected.replies.map((r) => r.cpuPercent),
      liveCheckMissing: live.missing,
      leadMs: lead,
      createdAfterDue: createdLate,
      latenessMs: { min: Math.min(...lateness), ...round(percentiles(lateness)) },
      delivered: lateness.length,
      missing: burst.reduce((n, r) => n + r.missing, 0),
      foreign: burst.reduce((n, r) => n + r.foreign, 0),
      burstServerCpuPercent: burstServerCpu,
      burstClientCpuPercent: burst.map((r) => r.cpuPercent),
      sharedExecutions: await metric(server.metricsUrl, 'tickler_subscription_executions'),
      openSockets: await metric(server.metricsUrl, 'tickler_websockets_open'),
      peakRssMiB: Math.round(Math.max(connectRss, burstRss) / 2 ** 20),
      errors: clients.flatMap((c) => c.errors).slice(0, 3),
    };
    return result;
  } finally {
    for (const c of clients) c.close();
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the server see the sockets go
  }
}

function round(values: Record<string, number>) {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Math.round(v)]));
}

export default async function subscribers(): Promise<Record<string, unknown>> {
  const server = await startBenchServer({ METRICS_PORT: '0' });
  try {
    const tokens: string[] = [];
    await parallel(Array.from({ length: ACCOUNTS }, (_, i) => i), 8, async (i) => {
      const data = await gql(server.url, server.adminToken, `mutation { createAccount(input: { name: "Bench ${i}", timeZone: "UTC" }) { ... on CreateAccountPayload { token } } }`);
      tokens.push(data.createAccount.token);
    });
    const results: Record<string, unknown> = {};
    for (const size of SIZES) results[`n${size}`] = await scenario(server, tokens, size);
    console.log('The machine is shared with other engineers\' test runs: figures vary from run to run.');
    // CPU in % of one core; the machine has os.cpus().length of them, shared by the server, the client
    // processes and PostgreSQL. A client process near 100 % would mean the clients are the bottleneck.
    console.log('Connect: sockets connected + authenticated + subscribed per second, and each socket\'s time to connection_ack.');
    console.table(Object.fromEntries(Object.entries(results).map(([k, r]: [string, any]) => [k, {
      sockets: r.connected, failed: Object.values(r.connectFailures as Record<string, number>).reduce((a, b) => a + b, 0), 'connect/s': r.connectPerSecond, seconds: r.connectSeconds,
      'p50 ms': r.connectMs.p50, 'p99 ms': r.connectMs.p99, 'server cpu %': r.connectServerCpuPercent, 'client cpu %': r.connectClientCpuPercent.join('/'),
    }])));
    console.log('Delivery: lateness (receipt − due time, ms) at every socket of one expiry per account due at one instant.');
    console.table(Object.fromEntries(Object.entries(results).map(([k, r]: [string, any]) => [k, {
      min: r.latenessMs.min, p50: r.latenessMs.p50, p90: r.latenessMs.p90, p99: r.latenessMs.p99, max: r.latenessMs.max,
      missing: r.missing, foreign: r.foreign, 'rss MiB': r.peakRssMiB, executions: r.sharedExecutions,
      'server cpu %': r.burstServerCpuPercent, 'client cpu %': r.burstClientCpuPercent.join('/'),
    }])));
    return results;
  } finally {
    await server.stop();
  }
}
