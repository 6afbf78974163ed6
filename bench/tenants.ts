// `npm run bench tenants`: a noisy neighbour and a quiet one on one server, with the default limits on.
// Account B runs a steady light load (an open loop of `me` queries and createReminder calls, each
// reminder due soon with a webhook to a receiver that answers at once); account A, in the loaded
// phase, floods createReminder from many connections as fast as it can (one token, so the rate limit
// refuses most of it), every reminder it gets in due soon with a webhook whose receiver never answers.
// Each round measures B alone, then B beside A, in the same run: B's request latency (p50/p99) and its
// webhooks' lateness (arrival at the receiver minus the occurrence's due time), and the ratios loaded /
// alone. Medians over BENCH_TENANTS_ROUNDS rounds. Target: B's p99 loaded ≤ 2× its p99 alone.
// The clients share the machine's cores with the server and PostgreSQL: server CPU per request is printed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import autocannon from 'autocannon';
import { percentiles, startBenchServer } from './lib/server.ts';

const ROUNDS = Number(process.env.BENCH_TENANTS_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_TENANTS_SECONDS ?? 8);
/** B's requests per second (half `me`, half createReminder). */
const B_RATE = Number(process.env.BENCH_TENANTS_B_RATE ?? 20);
/** A's concurrent connections flooding createReminder. */
const A_CONNECTIONS = Number(process.env.BENCH_TENANTS_A_CONNECTIONS ?? 32);
/** BENCH_TENANTS_A_FIRES=0: A's reminders are due tomorrow, without webhooks (isolates the request path). */
const A_FIRES = process.env.BENCH_TENANTS_A_FIRES !== '0';
/** How far ahead the reminders of both accounts are due, so that their firing falls inside the phase. */
const DUE_IN_MS = 1500;

async function gql(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return ((await response.json()) as { data: any }).data;
}

type Receiver = { url: string; arrivals: { at: number; occurrenceAt: number; reminderId: string }[]; close(): Promise<void> };

/** A webhook receiver on loopback: answers at once and records arrivals, or (`hang`) never answers. */
async function receiver(hang: boolean): Promise<Receiver> {
  const arrivals: Receiver['arrivals'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      if (hang) return; // held open until the delivery times out
      const at = Date.now();
      try {
        const body = JSON.parse(raw) as { occurrenceAt: string; reminderId: string };
        arrivals.push({ at, occurrenceAt: Date.parse(body.occurrenceAt), reminderId: body.reminderId });
      } catch { /* not ours */ }
      response.writeHead(204).end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrivals,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const CREATE = 'mutation($input: CreateReminderInput!) { createReminder(input: $input) { __typename } }';

/** B's open loop: B_RATE requests a second for `seconds`, each timed; whatever the answers, the next one leaves on time. */
async function steadyLoad(url: string, token: string, hook: string, seconds: number): Promise<{ latencies: number[]; queryLatencies: number[]; writeLatencies: number[]; failures: number; created: number }> {
  const latencies: number[] = [];
  const queryLatencies: number[] = [];
  const writeLatencies: number[] = [];
  let failures = 0;
  let created = 0;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < B_RATE * seconds; i++) {
    const sendAt = started + (i * 1000) / B_RATE;
    const wait = sendAt - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const query = i % 2 === 0 ? '{ me { name } }' : CREATE;
    const variables = i % 2 === 0 ? undefined : { input: { message: `B ${i}`, remindAt: new Date(Date.now() + DUE_IN_MS).toISOString(), channels: [{ kind: 'WEBHOOK', target: hook }] } };
    inFlight.push((async () => {
      const t0 = performance.now();
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
        const body = (await response.json()) as { data?: { createReminder?: { __typename: string } }; errors?: unknown[] };
        latencies.push(performance.now() - t0);
        (i % 2 === 0 ? queryLatencies : writeLatencies).push(performance.now() - t0);
        if (response.status !== 200 || body.errors) failures++;
        else if (body.data?.createReminder?.__typename === 'CreateReminderPayload') created++;
      } catch {
        failures++;
      }
    })());
  }
  await Promise.all(inFlight);
  return { latencies, queryLatencies, writeLatencies, failures, created };
}

/** A's flood: A_CONNECTIONS connections of createReminder for `seconds`, each reminder due soon with a hanging webhook. */
function flood(url: string, token: string, hook: string, seconds: number): Promise<autocannon.Result> {
  let n = 0;
  return autocannon({
    url,
    method: 'POST',
    connections: A_CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    requests: [{
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({ query: CREATE, variables: { input: { message: `A ${n++}`, remindAt: new Date(Date.now() + (A_FIRES ? DUE_IN_MS : 86_400_000)).toISOString(), channels: A_FIRES ? [{ kind: 'WEBHOOK', target: hook }] : [] } } }),
      }),
    }],
  });
}

type Phase = { queryP50: number; queryP99: number; writeP50: number; writeP99: number; p50: number; p99: number; lateP50: number; lateP99: number; delivered: number; created: number; failures: number; serverCpuMsPerRequest: number };

async function phase(server: Awaited<ReturnType<typeof startBenchServer>>, b: { token: string }, a: { token: string } | null, fast: Receiver, hanging: Receiver): Promise<Phase & { a?: { requests: number; accepted: number; refused429: number } }> {
  const before = fast.arrivals.length;
  const cpu0 = await server.cpuMs();
  const [load, noise] = await Promise.all([
    steadyLoad(server.url, b.token, fast.url, SECONDS),
    a ? flood(server.url, a.token, hanging.url, SECONDS) : Promise.resolve(undefined),
  ]);
  // B's last reminders are due DUE_IN_MS after the phase: wait for their webhooks (by count, with a deadline).
  const deadline = Date.now() + DUE_IN_MS + 15_000;
  while (fast.arrivals.length - before < load.created && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const cpuMs = (await server.cpuMs()) - cpu0;
  const lateness = fast.arrivals.slice(before).map((arrival) => arrival.at - arrival.occurrenceAt);
  const latency = percentiles(load.latencies);
  const late = percentiles(lateness);
  const requests = load.latencies.length + (noise?.requests.total ?? 0);
  return {
    p50: round(latency.p50!), p99: round(latency.p99!),
    queryP50: round(percentiles(load.queryLatencies).p50!), queryP99: round(percentiles(load.queryLatencies).p99!),
    writeP50: round(percentiles(load.writeLatencies).p50!), writeP99: round(percentiles(load.writeLatencies).p99!), lateP50: round(late.p50!), lateP99: round(late.p99!),
    delivered: lateness.length, created: load.created, failures: load.failures,
    serverCpuMsPerRequest: round(cpuMs / Math.max(1, requests), 3),
    ...(noise ? { a: { requests: noise.requests.total, accepted: noise['2xx'], refused429: noise.statusCodeStats?.['429']?.count ?? 0 } } : {}),
  };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

export default async function tenants(): Promise<Record<string, unknown>> {
  // The default limits: RATE_LIMIT_PER_SECOND=100, RATE_LIMIT_BURST=500 per token, ACCOUNT_CONCURRENCY=6, and so on.
  const server = await startBenchServer({ RATE_LIMIT_PER_SECOND: '100', RATE_LIMIT_BURST: '500', ACCOUNT_CONCURRENCY: process.env.BENCH_TENANTS_ACCOUNT_CONCURRENCY ?? '6', WEBHOOK_RETRIES: '0' });
  const fast = await receiver(false);
  const hanging = await receiver(true);
  try {
    const account = async (name: string) => {
      const data = await gql(server.url, server.adminToken, `mutation { createAccount(input: { name: "${name}", timeZone: "UTC" }) { ... on CreateAccountPayload { token } } }`);
      return { token: data.createAccount.token as string };
    };
    const b = await account('Quiet B');
    const a = await account('Noisy A');
    await phase(server, b, null, fast, hanging); // warm-up
    const rounds: { alone: Phase; loaded: Phase & { a?: unknown } }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const alone = await phase(server, b, null, fast, hanging);
      const loaded = await phase(server, b, a, fast, hanging);
      rounds.push({ alone, loaded });
      console.log(`round ${i + 1}: B alone p50 ${alone.p50} ms p99 ${alone.p99} ms (me p99 ${alone.queryP99}, createReminder p99 ${alone.writeP99}), webhook lateness p50 ${alone.lateP50} ms p99 ${alone.lateP99} ms | beside A: p50 ${loaded.p50} ms p99 ${loaded.p99} ms (me p99 ${loaded.queryP99}, createReminder p99 ${loaded.writeP99}), lateness p50 ${loaded.lateP50} ms p99 ${loaded.lateP99} ms | A ${JSON.stringify(loaded.a)}`);
    }
    const ratio = (pick: (p: Phase) => number) => round(median(rounds.map((r) => pick(r.loaded) / Math.max(1, pick(r.alone)))), 2);
    const summary = {
      rounds: ROUNDS,
      seconds: SECONDS,
      bRatePerSecond: B_RATE,
      aConnections: A_CONNECTIONS,
      alone: { p50: median(rounds.map((r) => r.alone.p50)), p99: median(rounds.map((r) => r.alone.p99)), lateP50: median(rounds.map((r) => r.alone.lateP50)), lateP99: median(rounds.map((r) => r.alone.lateP99)), serverCpuMsPerRequest: median(rounds.map((r) => r.alone.serverCpuMsPerRequest)) },
      loaded: { p50: median(rounds.map((r) => r.loaded.p50)), p99: median(rounds.map((r) => r.loaded.p99)), lateP50: median(rounds.map((r) => r.loaded.lateP50)), lateP99: median(rounds.map((r) => r.loaded.lateP99)), serverCpuMsPerRequest: median(rounds.map((r) => r.loaded.serverCpuMsPerRequest)) },
      p99Ratio: ratio((p) => p.p99),
      p50Ratio: ratio((p) => p.p50),
      lateP99Ratio: ratio((p) => p.lateP99),
      bFailures: rounds.reduce((n, r) => n + r.alone.failures + r.loaded.failures, 0),
      bUndelivered: rounds.reduce((n, r) => n + (r.alone.created - r.alone.delivered) + (r.loaded.created - r.loaded.delivered), 0),
      roundsDetail: rounds,
    };
    console.table({
      'B alone': { 'p50 ms': summary.alone.p50, 'p99 ms': summary.alone.p99, 'webhook late p50 ms': summary.alone.lateP50, 'webhook late p99 ms': summary.alone.lateP99, 'server CPU ms/req': summary.alone.serverCpuMsPerRequest },
      'B beside A': { 'p50 ms': summary.loaded.p50, 'p99 ms': summary.loaded.p99, 'webhook late p50 ms': summary.loaded.lateP50, 'webhook late p99 ms': summary.loaded.lateP99, 'server CPU ms/req': summary.loaded.serverCpuMsPerRequest },
    });
    console.log(`tenants ${JSON.stringify({ p99Ratio: summary.p99Ratio, p50Ratio: summary.p50Ratio, lateP99Ratio: summary.lateP99Ratio, bFailures: summary.bFailures, bUndelivered: summary.bUndelivered, target: 'p99Ratio <= 2' })}`);
    return summary;
  } finally {
    await fast.close();
    await hanging.close();
    await server.stop();
  }
}
