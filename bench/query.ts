// Throughput and latency of an authenticated query (me { name defaultCalendar { id } }) next to the
// cheapest possible one ({ __typename }), against the same running server, in the same run.
import autocannon from 'autocannon';
import { startBenchServer } from './lib/server.ts';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

export default async function query(): Promise<Record<string, unknown>> {
  const server = await startBenchServer();
  try {
    const token = await createAccount(server.url, server.adminToken);
    const cases = {
      typename: { query: '{ __typename }', token: undefined },
      me: { query: '{ me { name defaultCalendar { id } } }', token },
    };
    const results: Record<string, unknown> = {};
    for (const [name, { query: text, token: auth }] of Object.entries(cases)) {
      await run(server.url, text, auth, 2); // warm-up
      const result = await run(server.url, text, auth, DURATION_SECONDS);
      if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
      results[name] = {
        requestsPerSecond: Math.round(result.requests.average),
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
        requests: result.requests.total,
      };
    }
    const rate = (name: string) => (results[name] as { requestsPerSecond: number }).requestsPerSecond;
    results.meOverTypename = Math.round((rate('me') / rate('typename')) * 100) / 100;
    console.log(`me / __typename: ${Math.round((results.meOverTypename as number) * 100)} % (same server, same run; target >= 40 %)`);
    results.settings = { durationSeconds: DURATION_SECONDS, connections: CONNECTIONS, peakRssMiB: Math.round((await server.rssBytes()) / 2 ** 20) };
    console.table(Object.fromEntries(Object.entries(results).filter(([k]) => k === 'me' || k === 'typename').map(([k, v]) => {
      const r = v as { requestsPerSecond: number; latencyMs: Record<string, number> };
      return [k, { 'req/s': r.requestsPerSecond, 'p50 ms': r.latencyMs.p50, 'p90 ms': r.latencyMs.p90, 'p99 ms': r.latencyMs.p99, 'max ms': r.latencyMs.max }];
    })));
    return results;
  } finally {
    await server.stop();
  }
}

function run(url: string, text: string, token: string | undefined, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: text }),
  });
}

async function createAccount(url: string, adminToken: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ query: 'mutation { createAccount(input: { name: "Bench", timeZone: "UTC" }) { ... on CreateAccountPayload { token } } }' }),
  });
  const body = (await response.json()) as { data: { createAccount: { token: string } } };
  return body.data.createAccount.token;
}
