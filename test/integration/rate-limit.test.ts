import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { graphqlWithStatus, sseSubscribe, wsUrl } from '../helpers/clients.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { createRateLimiter, LEASE_SQL } from '../../src/platform/rate-limit.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { grant, leaseSize, refill } from '../../src/platform/token-bucket.ts';

// 5 a second, bursts of 20: a lease is 2 tokens, so leasing (not one statement per request) is exercised.
const RATE = 5;
const BURST = 20;
const LEASE = leaseSize({ perSecond: RATE, burst: BURST });
// ROLE=api: nothing here needs the workers.
const LIMITED = { RATE_LIMIT_PER_SECOND: String(RATE), RATE_LIMIT_BURST: String(BURST), METRICS_PORT: '0', ROLE: 'api' };
const ME = '{ me { id } }';

let first: TestServer;
let second: TestServer;
let db: pg.Client;
const cleanups: (() => Promise<unknown>)[] = [];

before(async () => {
  first = await startTestServer({ env: LIMITED });
  second = await startTestServer({ env: LIMITED, db: first.db });
  db = new pg.Client({ connectionString: first.db.url });
  await db.connect();
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await db?.end();
  await second?.stop();
  await first?.stop();
});

const me = (url: string, token: string) => graphqlWithStatus(url, { query: ME, token });

/** Sends `{ me }` with `concurrency` requests in flight until `stop` says so; counts by status. */
async function flood(url: string, token: string, concurrency: number, stop: (counts: Counts) => boolean): Promise<Counts> {
  const counts: Counts = { accepted: 0, refused: 0, firstRefusal: null };
  const lane = async () => {
    while (!stop(counts)) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: ME }),
      });
      const body = await response.json() as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] };
      if (response.status === 200 && body.data) counts.accepted++;
      else if (response.status === 429) {
        counts.refused++;
        counts.firstRefusal ??= { retryAfter: response.headers.get('retry-after'), body, acceptedBefore: counts.accepted };
      } else throw new Error(`unexpected answer ${response.status}: ${JSON.stringify(body)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return counts;
}
type Counts = { accepted: number; refused: number; firstRefusal: { retryAfter: string | null; body: any; acceptedBefore: number } | null };

async function scrape(server: TestServer, sample: string): Promise<number> {
  const text = await (await fetch(server.app.metricsUrl!)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? Number.NaN : Number(line.slice(sample.length + 1));
}

async function waitFor<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (result !== undefined) return result;
    if (performance.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('per-token rate limit over HTTP', () => {
  test('a token firing as fast as it can gets 429 with Retry-After and RATE_LIMITED after about the burst, while another account is served', async () => {
    const flooder = await first.createAccount('Flooder');
    const other = await first.createAccount('Neighbour');
    const started = performance.now();
    const counts = await flood(first.url, flooder.token, 1, (c) => c.refused > 0 || c.accepted > BURST * 10);
    const elapsed = (performance.now() - started) / 1000;
    assert.ok(counts.firstRefusal, `no 429 after ${counts.accepted} requests`);
    const refusal = counts.firstRefusal;
    console.log(`# first 429 after ${refusal.acceptedBefore} accepted in ${elapsed.toFixed(2)} s (burst ${BURST}, ${RATE}/s)`);
    assert.ok(refusal.acceptedBefore >= BURST, `at least the burst is accepted (${refusal.acceptedBefore})`);
    assert.ok(refusal.acceptedBefore <= BURST + RATE * elapsed + LEASE, `no more than burst + rate × t + a lease (${refusal.acceptedBefore})`);
    assert.match(refusal.retryAfter ?? '', /^[1-9]\d*$/, 'Retry-After is whole seconds, at least 1');
    assert.equal(refusal.body.errors[0].extensions.code, 'RATE_LIMITED');
    assert.equal(refusal.body.errors[0].extensions.retryAfterSeconds, Number(refusal.retryAfter));
    assert.match(refusal.body.errors[0].message, /Too many requests/);

    // In the same second, the neighbour's requests all pass and the flooder is still refused.
    const neighbour = await Promise.all(Array.from({ length: BURST / 2 }, () => me(first.url, other.token)));
    assert.deepEqual(neighbour.map((r) => r.status), neighbour.map(() => 200));
    assert.ok(neighbour.every((r) => r.body.data?.me?.id === other.id));
    assert.equal((await me(first.url, flooder.token)).status, 429, 'the flooder is still over its limit');

    // A subscription over SSE comes through the same path and is refused the same way.
    const controller = new AbortController();
    const sse = await sseSubscribe(first.url, { query: 'subscription { reminderExpired { cursor } }', token: flooder.token }, controller.signal);
    controller.abort();
    assert.equal(sse.response.status, 429);
    assert.ok(Number(sse.response.headers.get('retry-after')) >= 1);
    assert.ok(await scrape(first, 'tickler_rate_limited_total{transport="http"}') >= 2);
  });

  test('two server instances on one database share the bucket: a token gets burst + rate × t between them, not twice the burst', async () => {
    const account = await first.createAccount('Two processes');
    const started = performance.now();
    const window = () => performance.now() - started > 2000;
    const [a, b] = await Promise.all([flood(first.url, account.token, 3, window), flood(second.url, account.token, 3, window)]);
    const elapsed = (performance.now() - started) / 1000;
    const accepted = a.accepted + b.accepted;
    const bound = BURST + RATE * elapsed + 2 * LEASE;
    console.log(`# two processes: ${accepted} accepted (${a.accepted} + ${b.accepted}), ${a.refused + b.refused} refused in ${elapsed.toFixed(2)} s; bound ${bound.toFixed(1)}, separate buckets would allow ${(2 * (BURST + RATE * elapsed)).toFixed(1)}`);
    assert.ok(accepted <= bound, `${accepted} accepted, more than ${bound.toFixed(1)}`);
    assert.ok(accepted >= BURST, `${accepted} accepted, fewer than the burst`);
    assert.ok(a.accepted > 0 && b.accepted > 0, 'both processes served the token');
    assert.ok(a.refused > 0 && b.refused > 0, 'both processes refused it');
  });

  test('the admin token, unauthenticated requests, /health and /ready are never limited', async () => {
    const many = BURST * 3;
    const admin = await Promise.all(Array.from({ length: many }, () => graphqlWithStatus(first.url, { query: '{ __typename }', token: TEST_ADMIN_TOKEN })));
    assert.ok(admin.every((r) => r.status === 200), 'admin');
    const anonymous = await Promise.all(Array.from({ length: many }, () => graphqlWithStatus(first.url, { query: '{ __typename }' })));
    assert.ok(anonymous.every((r) => r.status === 200), 'unauthenticated');
    for (const path of ['/health', '/ready']) {
      const statuses = await Promise.all(Array.from({ length: many }, async () => (await fetch(new URL(path, first.url))).status));
      assert.ok(statuses.every((s) => s === 200), path);
    }
  });

  test('0 turns it off: RATE_LIMIT_BURST=0 lets a token through at any rate', async () => {
    const off = await startTestServer({ env: { RATE_LIMIT_PER_SECOND: String(RATE), RATE_LIMIT_BURST: '0', ROLE: 'api' }, db: first.db });
    cleanups.push(() => off.stop());
    const account = await off.createAccount('Unlimited');
    const counts = await flood(off.url, account.token, 4, (c) => c.accepted + c.refused >= BURST * 4);
    assert.equal(counts.refused, 0);
    assert.ok(counts.accepted >= BURST * 4);
  });
});

describe('per-token rate limit over graphql-ws', () => {
  test('a subscribe over the limit gets an error for that operation; the socket stays up and serves again once the bucket refills', async () => {
    const account = await first.createAccount('Socket');
    let connections = 0;
    const closes: number[] = [];
    const client: Client = createClient({
      url: wsUrl(first.url),
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${account.token}` },
      on: { connected: () => connections++, closed: (event) => closes.push((event as CloseEvent).code) },
    });
    cleanups.push(async () => client.dispose());
    const once = (query: string) => new Promise<{ data?: any; errors?: any[] }>((resolve) => {
      let result: { data?: any; errors?: any[] } = {};
      client.subscribe({ query }, {
        next: (value) => (result = value as typeof result),
        error: (error) => resolve({ errors: Array.isArray(error) ? error : [{ message: String(error) }] }),
        complete: () => resolve(result),
      });
    });
    const served0 = await once(ME);
    assert.ok(served0.data?.me, `the socket serves the token: ${JSON.stringify(served0)}`);

    const drained = await flood(first.url, account.token, 1, (c) => c.refused > 0 || c.accepted > BURST * 10);
    assert.ok(drained.refused > 0);
    const refused = await once(ME);
    assert.equal(refused.errors?.[0]?.extensions?.code, 'RATE_LIMITED', JSON.stringify(refused));
    assert.ok(refused.errors![0].extensions.retryAfterSeconds >= 1);

    const served = await waitFor('a served operation on the same socket', 10_000, async () => {
      const result = await once(ME);
      return result.data?.me ? result : undefined;
    });
    assert.equal(served.data.me.id, account.id);
    assert.equal(connections, 1, 'the same connection throughout');
    assert.deepEqual(closes, []);
    assert.ok(await scrape(first, 'tickler_rate_limited_total{transport="graphql-ws"}') >= 1);
  });
});

describe('the shared bucket statement', () => {
  const settings = { perSecond: RATE, burst: BURST };
  const cases: { name: string; tokens: number; agoMs: number; want: number }[] = [
    { name: 'partly refilled', tokens: 1, agoMs: 700, want: 2 },
    { name: 'refilled up to the burst only', tokens: 15, agoMs: 60_000, want: 20 },
    { name: 'empty, asking for more than there is', tokens: 0.2, agoMs: 100, want: 2 },
    { name: 'a bucket written by a statement that saw a later clock', tokens: 3, agoMs: -5000, want: 2 },
  ];
  for (const c of cases) {
    test(`refills, caps and grants as token-bucket.ts does: ${c.name}`, async () => {
      const tokenId = crypto.randomUUID();
      await db.query(`insert into rate_limit_bucket (token_id, tokens, granted, refilled_at) values ($1, $2, 0, now() - make_interval(secs => $3))`, [tokenId, c.tokens, c.agoMs / 1000]);
      const { rows } = await db.query(LEASE_SQL, [tokenId, RATE, BURST, c.want]);
      const expected = grant(refill({ tokens: c.tokens, at: 0 }, c.agoMs, settings), c.want);
      assert.equal(Number(rows[0].granted), expected.granted);
      // The statement runs a few ms after the row was written: that much more refill is allowed.
      assert.ok(Math.abs(Number(rows[0].tokens) - expected.bucket.tokens) < 0.25, `${rows[0].tokens} ≈ ${expected.bucket.tokens}`);
    });
  }

  test('a token seen for the first time starts from a full bucket', async () => {
    const { rows } = await db.query(LEASE_SQL, [crypto.randomUUID(), RATE, BURST, 2]);
    assert.deepEqual(rows.map((r) => [Number(r.granted), Number(r.tokens)]), [[2, BURST - 2]]);
  });

  test('the sweep deletes buckets idle for long and keeps the others', async () => {
    const idle = crypto.randomUUID();
    const recent = crypto.randomUUID();
    await db.query(`insert into rate_limit_bucket (token_id, tokens, granted, refilled_at) values ($1, 0, 0, now() - interval '2 hours'), ($2, 0, 0, now())`, [idle, recent]);
    const limiter = createRateLimiter({ settings, query: (text, values) => db.query(text, values), log: createLogger({ logLevel: 'silent', logFormat: 'json' }), idleSeconds: 3600 });
    await limiter.sweep();
    const { rows } = await db.query(`select token_id from rate_limit_bucket where token_id = any($1::uuid[])`, [[idle, recent]]);
    assert.deepEqual(rows.map((r) => r.token_id), [recent]);
    await limiter.stop();
  });
});
