// `npm run bench subscribers`: connecting and fanning out to many graphql-ws subscribers, Tickler with
// API_PROCESSES=1 and =2 beside a bare `ws` server (lib/bare-ws-server.ts) in the same run, round after
// round (BENCH_ROUNDS, default 3: medians are printed), interleaved so that a busy moment of this shared
// machine hits each alike.
//
// Each round, for each Tickler (BENCH_API_PROCESSES=1,2) and then the bare server:
// - connect: N sockets (BENCH_SUBSCRIBERS, default 10,000) over 100 accounts (N/100 per account)
//   connect, authenticate (connection_init → ack) and subscribe to reminderExpired; the rate counts until
//   the servers run every subscription (Tickler) or have acknowledged every socket (bare). The server's
//   CPU is read from /proc for its whole process tree (primary, api processes, worker; PostgreSQL apart)
//   before and after, and given per socket; the client processes report theirs.
// - fan-out: one reminder per account falls due at one instant; lateness (receipt − due time) at every
//   socket. The floor: the bare server writes the very texts Tickler sent (captured by the clients) to
//   the same number of sockets per account, and lateness is receipt − the moment it starts writing.
// The clients are spread over BENCH_SUBSCRIBER_PROCESSES processes (default 2) of bare WebSockets
// (lib/lean-ws.ts); BENCH_CONNECT_CONCURRENCY (default 256 per client process) sockets open at once.
// Nothing fails for being slow: it is reported.
import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { gql, metric, percentiles, startBenchServer, type BenchServer } from './lib/server.ts';
import { cpuBetween, postmasterOn, processTree, type ProcSample } from './lib/proc-stat.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SIZE = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const API_PROCESSES = (process.env.BENCH_API_PROCESSES ?? '1,2').split(',').filter(Boolean).map(Number);
const ACCOUNTS = Number(process.env.BENCH_SUBSCRIBER_ACCOUNTS ?? 100);
const CLIENT_PROCESSES = Number(process.env.BENCH_SUBSCRIBER_PROCESSES ?? 2);
/** Sockets being opened at once, per client process: a reconnect storm, but within the listen backlog. */
const CONNECT_CONCURRENCY = Number(process.env.BENCH_CONNECT_CONCURRENCY ?? 256);
const SUBSCRIPTIONS_OPEN = 'tickler_subscriptions_open{transport="graphql-ws"}';
const QUERY = 'subscription { reminderExpired { cursor latenessMs reminder { id message } } }';

type Reply = { type: string; [key: string]: any };

/** A Tickler under test: its server, accounts, and the api processes' names by pid. */
type Tickler = { name: string; server: BenchServer; tokens: string[]; postmaster: number | undefined };
/** What one connect measured. */
type Connected = { sockets: number; failed: Record<string, number>; seconds: number; serverCpuMs: { node: number; postgres: number }; clientCpuMs: number; connectMs: number[] };

async function parallel<T>(items: T[], width: number, fn: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index]!, index);
    }
  }));
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A child process and a way to await its next reply of a type. */
function child(file: string): { process: ChildProcess; request(message: unknown, expect: string): Promise<Reply>; errors: string[] } {
  const proc: ChildProcess = fork(path.join(here, file), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<string, (reply: Reply) => void>();
  const errors: string[] = [];
  proc.on('message', (reply: Reply) => {
    if (reply.type === 'error') errors.push(reply.error);
    waiting.get(reply.type)?.(reply);
  });
  return {
    process: proc,
    errors,
    request(message: unknown, expect: string): Promise<Reply> {
      return new Promise((resolve) => {
        waiting.set(expect, resolve);
        if (message) proc.send(message as never);
      });
    },
  };
}

type Swarm = ReturnType<typeof child>;

async function openSwarms(): Promise<Swarm[]> {
  const clients = Array.from({ length: CLIENT_PROCESSES }, () => child('lib/ws-swarm.ts'));
  await Promise.all(clients.map((c) => c.request(null, 'ready')));
  return clients;
}

function closeSwarms(clients: Swarm[]): Promise<unknown> {
  return Promise.all(clients.map((c) => new Promise((resolve) => {
    c.process.once('exit', resolve);
    c.process.send({ type: 'close' });
  })));
}

/** Sum of a sample over every process's /metrics. */
async function metricSum(server: BenchServer, sample: string): Promise<number> {
  let sum = 0;
  for (const url of server.metricsUrls) sum += (await metric(url, sample)) ?? 0;
  return sum;
}

/**
 * Connects the clients' share of sockets; `served` resolves once the server runs them all. CPU is
 * read for the server's process tree rooted at `pid`.
 */
async function connect(clients: Swarm[], wsUrl: string, tokens: string[], sample: () => Promise<ProcSample[]>, served: (expected: number) => Promise<void>): Promise<Connected> {
  const perToken = Math.max(1, Math.round(SIZE / tokens.length));
  // Accounts are split between client processes, so each process holds whole accounts.
  const shares = clients.map((_, p) => tokens.filter((_, i) => i % clients.length === p));
  const treeBefore = await sample();
  const started = performance.now();
  const replies = await Promise.all(clients.map((c, p) => c.request({ type: 'start', url: wsUrl, tokens: shares[p], socketsPerToken: perToken, concurrency: CONNECT_CONCURRENCY, query: QUERY }, 'connected')));
  const sockets = replies.reduce((n, r) => n + r.sockets - r.failed, 0);
  await served(sockets);
  const seconds = (performance.now() - started) / 1000;
  const serverCpuMs = cpuBetween(treeBefore, await sample());
  const failed: Record<string, number> = {};
  for (const r of replies) for (const [code, n] of Object.entries(r.closeCodes as Record<string, number>)) failed[code] = (failed[code] ?? 0) + n;
  return {
    sockets, failed, seconds, serverCpuMs,
    clientCpuMs: replies.reduce((ms, r) => ms + (r.cpuPercent / 100) * r.seconds * 1000, 0),
    connectMs: replies.flatMap((r) => r.connectMs as number[]),
  };
}

/** Reports of every client until none is missing a reminder of `ids` (or the deadline). */
async function collect(clients: Swarm[], dueAt: number, ids: string[], until: number, texts = false): Promise<Reply[]> {
  for (;;) {
    const reports = await Promise.all(clients.map((c) => c.request({ type: 'report', dueAt, ids, texts }, 'report')));
    const missing = reports.reduce((n, r) => n + r.missing, 0);
    if ((missing === 0 && Date.now() > dueAt) || Date.now() > until) return reports;
    await delay(100);
  }
}

/** Node processes of the tree with their TICKLER_PROCESS name (api-1, worker; none: the only process or the primary). */
async function named(tree: ProcSample[]): Promise<{ name: string; rssMiB: number }[]> {
  const out: { name: string; rssMiB: number }[] = [];
  for (const s of tree.filter((p) => p.comm !== 'postgres')) {
    const environ = await readFile(`/proc/${s.pid}/environ`, 'utf8').catch(() => '');
    const name = /(?:^|\0)TICKLER_PROCESS=([^\0]*)/.exec(environ)?.[1] ?? (tree[0]?.pid === s.pid ? 'main' : `pid ${s.pid}`);
    out.push({ name, rssMiB: Math.round(s.rssBytes / 2 ** 20) });
  }
  return out;
}

async function pgConnections(server: BenchServer): Promise<number | undefined> {
  if (!server.databaseUrl) return undefined;
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    const { rows: [row] } = await client.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    return Number(row!.n);
  } finally {
    await client.end();
  }
}

/** The server's node processes and its PostgreSQL's (which the bench started: not in the server's tree). */
async function trees(t: Tickler): Promise<ProcSample[]> {
  return [...await processTree(t.server.pid), ...(t.postmaster ? await processTree(t.postmaster) : [])];
}

/** One round on a Tickler: connect, live check, the burst; returns figures and the texts the sockets got. */
async function ticklerRound(t: Tickler) {
  const { server, tokens } = t;
  const clients = await openSwarms();
  try {
    const idle = await named(await processTree(server.pid));
    const before = await metricSum(server, SUBSCRIPTIONS_OPEN);
    const connected = await connect(clients, server.url.replace(/^http/, 'ws'), tokens, () => trees(t), async (expected) => {
      // graphql-ws confirms connection_init, not subscribe: count until every subscription runs.
      for (const giveUp = performance.now() + 20_000; performance.now() < giveUp;) {
        if ((await metricSum(server, SUBSCRIPTIONS_OPEN)) >= before + expected) return;
        await delay(20);
      }
    });
    const loaded = await named(await processTree(server.pid));
    const connections = await pgConnections(server);

    // Live check: one expiry per account, heard by every socket, before measuring.
    const probes: string[] = [];
    await parallel(tokens, 8, async (token) => {
      const { createReminder } = await gql(server.url, token, 'mutation($t: DateTime!) { createReminder(input: { message: "probe", remindAt: $t }) { ... on CreateReminderPayload { reminder { id } } } }', { t: new Date(Date.now() + 3_600_000).toISOString() });
      probes.push(createReminder.reminder.id);
      await gql(server.url, token, 'mutation($id: ID!) { expireReminder(id: $id) { __typename } }', { id: createReminder.reminder.id });
    });
    const live = await collect(clients, 0, probes, Date.now() + 30_000 + SIZE * 5);
    await Promise.all(clients.map((c) => c.request({ type: 'reset' }, 'reset')));

    // The burst: one reminder per account, all due at one instant, far enough ahead to create them all.
    const created = performance.now();
    const dueAt = Math.ceil((Date.now() + Math.max(2000, tokens.length * 10)) / 1000) * 1000;
    const ids: string[] = [];
    const tokenOf = new Map<string, string>();
    await parallel(tokens, 8, async (token) => {
      const { createReminder } = await gql(server.url, token, 'mutation($t: DateTime!) { createReminder(input: { message: "burst", remindAt: $t }) { __typename ... on CreateReminderPayload { reminder { id } } } }', { t: new Date(dueAt).toISOString() });
      ids.push(createReminder.reminder.id);
      tokenOf.set(createReminder.reminder.id, token);
    });
    const createdAfterDue = Date.now() > dueAt;
    const createMs = performance.now() - created;
    await delay(Math.max(0, dueAt - Date.now()));
    const treeAtDue = await trees(t);
    const burst = await collect(clients, dueAt, ids, dueAt + 10_000 + SIZE * 2, true);
    const burstCpu = cpuBetween(treeAtDue, await trees(t));
    const lateness = burst.flatMap((r) => r.lateness as number[]);
    const texts: Record<string, string> = {};
    for (const r of burst) for (const [id, text] of Object.entries(r.texts as Record<string, string>)) texts[tokenOf.get(id)!] = text;
    return {
      figures: {
        ...connectFigures(connected),
        liveCheckMissing: live.reduce((n, r) => n + r.missing, 0),
        createdAfterDue, createMs: Math.round(createMs),
        latenessMs: { min: Math.min(...lateness), ...round(percentiles(lateness)) },
        missing: burst.reduce((n, r) => n + r.missing, 0),
        foreign: burst.reduce((n, r) => n + r.foreign, 0),
        burstServerCpuMs: burstCpu,
        burstClientCpuPercent: burst.map((r) => r.cpuPercent),
        idleRssMiB: idle, loadedRssMiB: loaded,
        pgConnections: connections,
        errors: clients.flatMap((c) => c.errors).slice(0, 3),
      },
      texts,
    };
  } finally {
    await closeSwarms(clients);
    await delay(500); // let the server see the sockets go
  }
}

/** One round on the bare server: connect the same sockets, then write `texts` (by token) to them. */
async function bareRound(tokens: string[], texts: Record<string, string>) {
  const bare = child('lib/bare-ws-server.ts');
  const { port } = await bare.request(null, 'listening');
  const clients = await openSwarms();
  try {
    const connected = await connect(clients, `ws://127.0.0.1:${port}/graphql`, tokens, () => processTree(bare.process.pid!), async () => undefined);
    await Promise.all(clients.map((c) => c.request({ type: 'reset' }, 'reset')));
    const ids = Object.values(texts).map((text) => JSON.parse(text).payload.data.reminderExpired.reminder.id as string);
    const fanned = await bare.request({ type: 'fanout', payloads: texts }, 'fanned');
    const reports = await collect(clients, fanned.at, ids, Date.now() + 10_000 + SIZE * 2);
    const lateness = reports.flatMap((r) => r.lateness as number[]);
    return {
      ...connectFigures(connected),
      fanoutSockets: fanned.sockets,
      latenessMs: { min: Math.min(...lateness), ...round(percentiles(lateness)) },
      missing: reports.reduce((n, r) => n + r.missing, 0),
    };
  } finally {
    await closeSwarms(clients);
    await new Promise((resolve) => {
      bare.process.once('exit', resolve);
      bare.process.send({ type: 'close' });
    });
  }
}

function connectFigures(c: Connected) {
  return {
    connected: c.sockets,
    connectFailures: c.failed,
    connectPerSecond: Math.round(c.sockets / c.seconds),
    connectSeconds: Math.round(c.seconds * 100) / 100,
    connectMs: round(percentiles(c.connectMs)),
    // CPU per socket in ms: the server's node processes, its PostgreSQL, and the clients.
    serverCpuMsPerSocket: +(c.serverCpuMs.node / c.sockets).toFixed(3),
    postgresCpuMsPerSocket: +(c.serverCpuMs.postgres / c.sockets).toFixed(3),
    clientCpuMsPerSocket: +(c.clientCpuMs / c.sockets).toFixed(3),
  };
}

function round(values: Record<string, number>) {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Math.round(v)]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function startTickler(processes: number): Promise<Tickler> {
  // Its own embedded PostgreSQL (ownDatabase), so that its connections can be counted from outside.
  const server = await startBenchServer({ METRICS_PORT: '0', API_PROCESSES: String(processes) }, { ownDatabase: true });
  const tokens: string[] = [];
  await parallel(Array.from({ length: ACCOUNTS }, (_, i) => i), 8, async (i) => {
    const data = await gql(server.url, server.adminToken, `mutation { createAccount(input: { name: "Bench ${i}", timeZone: "UTC" }) { ... on CreateAccountPayload { token } } }`);
    tokens.push(data.createAccount.token);
  });
  const postmaster = server.databaseUrl ? await postmasterOn(Number(new URL(server.databaseUrl).port)) : undefined;
  return { name: `API_PROCESSES=${processes}`, server, tokens, postmaster };
}

export default async function subscribers(): Promise<Record<string, unknown>> {
  const ticklers: Tickler[] = [];
  try {
    for (const n of API_PROCESSES) ticklers.push(await startTickler(n));
    const rounds: Record<string, any>[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const round: Record<string, any> = {};
      let texts: Record<string, string> = {};
      let tokens: string[] = [];
      for (const t of ticklers) {
        console.log(`round ${r}: ${t.name}`);
        const result = await ticklerRound(t);
        round[t.name] = result.figures;
        texts = result.texts;
        tokens = t.tokens;
      }
      // The floor: the same sockets per account, and the texts the last Tickler sent them.
      console.log(`round ${r}: bare ws`);
      round.bare = await bareRound(tokens, texts);
      rounds.push(round);
    }
    const summary = summarise(rounds, ticklers.map((t) => t.name));
    print(summary, ticklers.map((t) => t.name));
    return { sockets: SIZE, accounts: ACCOUNTS, clientProcesses: CLIENT_PROCESSES, rounds, medians: summary };
  } finally {
    for (const t of ticklers) await t.server.stop();
  }
}

/** Medians over the rounds, and ratios taken within each round (then their median). */
function summarise(rounds: Record<string, any>[], names: string[]) {
  const med = (name: string, pick: (r: any) => number) => median(rounds.map((r) => pick(r[name])));
  const ratio = (a: string, b: string, pick: (r: any) => number) => +median(rounds.map((r) => pick(r[a]) / pick(r[b]))).toFixed(2);
  const out: Record<string, any> = {};
  for (const name of [...names, 'bare']) {
    out[name] = {
      'connect/s': med(name, (f) => f.connectPerSecond),
      'server cpu ms/socket': +med(name, (f) => f.serverCpuMsPerSocket).toFixed(3),
      'postgres cpu ms/socket': +med(name, (f) => f.postgresCpuMsPerSocket).toFixed(3),
      'client cpu ms/socket': +med(name, (f) => f.clientCpuMsPerSocket).toFixed(3),
      'connect p99 ms': med(name, (f) => f.connectMs.p99),
      'fan-out p50 ms': med(name, (f) => f.latenessMs.p50),
      'fan-out p99 ms': med(name, (f) => f.latenessMs.p99),
      missing: Math.max(...rounds.map((r) => r[name].missing)),
      failed: Math.max(...rounds.map((r) => Object.values(r[name].connectFailures as Record<string, number>).reduce((a, b) => a + b, 0))),
    };
  }
  const ratios: Record<string, any> = {};
  for (const name of names) {
    ratios[name] = {
      'connect/s vs bare': ratio(name, 'bare', (f) => f.connectPerSecond),
      'cpu/socket vs bare': ratio(name, 'bare', (f) => f.serverCpuMsPerSocket),
      'fan-out p99 vs floor': ratio(name, 'bare', (f) => f.latenessMs.p99),
    };
    if (name !== names[0]) ratios[name][`connect/s vs ${names[0]}`] = ratio(name, names[0]!, (f) => f.connectPerSecond);
  }
  const memory = Object.fromEntries(names.map((name) => [name, { idle: rounds[0]![name].idleRssMiB, loaded: rounds[0]![name].loadedRssMiB, pgConnections: rounds[0]![name].pgConnections }]));
  return { figures: out, ratios, memory };
}

function print(summary: ReturnType<typeof summarise>, names: string[]) {
  console.log('The machine is shared with other engineers\' test runs: figures vary from run to run.');
  console.log(`${SIZE} sockets over ${ACCOUNTS} accounts, ${CLIENT_PROCESSES} client processes; medians over ${ROUNDS} rounds.`);
  console.log('Connect = connect + authenticate + subscribe (until the server runs every subscription; bare: until acknowledged).');
  console.log('Fan-out = lateness at every socket of one expiry per account due at one instant; bare: the same texts written by a bare ws server.');
  console.table(summary.figures);
  console.log('Ratios within each round, then their median:');
  console.table(summary.ratios);
  console.log('RSS (MiB) of each node process, idle and with the sockets subscribed; PostgreSQL connections with the sockets subscribed:');
  for (const name of names) console.log(name, JSON.stringify(summary.memory[name]));
}
