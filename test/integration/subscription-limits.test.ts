import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { sseSubscribe, Subscription, wsClient } from '../helpers/clients.ts';
import { decodeId } from '../../src/graphql/ids.ts';
import { EXPIRED, waitUntilLive, type Account } from '../helpers/reminders.ts';

const LIMITS = { LIMIT_SUBSCRIPTIONS: '3', LIMIT_SUBSCRIPTIONS_PER_SOCKET: '2' };
const QUERY = `subscription { ${EXPIRED} }`;

let db: TestDatabase;
let one: TestServer;
let two: TestServer;
const cleanups: (() => unknown)[] = [];

before(async () => {
  db = await createTestDatabase();
  one = await startTestServer({ db, env: LIMITS });
  two = await startTestServer({ db, env: LIMITS });
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  await two?.stop();
  await one?.stop();
  await db?.drop();
});

function socket(server: TestServer, account: Account) {
  const { client, closes } = wsClient(server.url, account.token, { lazy: false });
  cleanups.push(() => client.dispose());
  return {
    closes,
    subscribe: () => new Subscription(client, { query: QUERY }),
  };
}

/** Polls `condition` until it holds (the counts are shared between processes once a second). */
async function until(what: string, condition: () => boolean, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const countOn = (server: TestServer, account: Account) => server.app.services!.live.subscriptionsOf(decodeId('Account', account.id)!);

/** The refusal a subscription gets: its first message must be an error. */
async function refusal(subscription: Subscription) {
  const error = await subscription.next(5000).then(
    (message) => assert.fail(`expected a refusal, got ${JSON.stringify(message)}`),
    (error: Error) => error,
  );
  const [first] = JSON.parse(error.message) as { message: string; extensions: Record<string, unknown> }[];
  return first!;
}

async function sse(server: TestServer, account: Account) {
  const abort = new AbortController();
  cleanups.push(() => abort.abort());
  const { response } = await sseSubscribe(server.url, { query: QUERY, token: account.token }, abort.signal);
  return { response, abort: () => abort.abort() };
}

describe('subscription limits (LIMIT_SUBSCRIPTIONS=3, LIMIT_SUBSCRIPTIONS_PER_SOCKET=2)', () => {
  test('the third subscription on one socket is refused with QUOTA_EXCEEDED, and the socket keeps working', async () => {
    const ada = await one.createAccount('Ada', 'UTC');
    const ws = socket(one, ada);
    const first = ws.subscribe();
    const second = ws.subscribe();
    await until('two subscriptions open', () => countOn(one, ada) === 2);
    const third = await refusal(ws.subscribe());
    assert.equal(third.extensions.code, 'QUOTA_EXCEEDED');
    assert.equal(third.extensions.limit, 'subscriptionsPerSocket');
    assert.equal(third.extensions.value, 2);
    assert.match(third.message, /limit of 2 open subscriptions/);
    assert.equal(countOn(one, ada), 2, 'the refused one took no slot');
    const metrics = await one.app.services!.metrics.registry.getSingleMetricAsString('tickler_subscriptions_refused_total');
    assert.match(metrics, /tickler_subscriptions_refused_total\{limit="subscriptionsPerSocket"\} [1-9]/);

    first.close(); // completing one frees its slot at once
    await until('the completed subscription freed its slot', () => countOn(one, ada) === 1);
    const again = ws.subscribe();
    await waitUntilLive(one.url, ada, [second, again], 'expired');
    assert.deepEqual(ws.closes, [], 'the socket stayed open throughout');
  });

  test('the account\'s fourth subscription across sockets and SSE is refused (SSE: HTTP 429); completing one frees a slot; another account is unaffected', async () => {
    const ada = await one.createAccount('Ada', 'UTC');
    const bob = await one.createAccount('Bob', 'UTC');
    const a = socket(one, ada);
    a.subscribe();
    a.subscribe();
    const stream = await sse(one, ada);
    assert.equal(stream.response.status, 200);
    await until('three subscriptions open', () => countOn(one, ada) === 3);

    const b = socket(one, ada);
    const overWs = await refusal(b.subscribe());
    assert.deepEqual([overWs.extensions.code, overWs.extensions.limit, overWs.extensions.value], ['QUOTA_EXCEEDED', 'subscriptions', 3]);
    const overSse = await sse(one, ada);
    assert.equal(overSse.response.status, 429);
    assert.match(overSse.response.headers.get('content-type') ?? '', /application\/json/);
    const body = (await overSse.response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    assert.deepEqual(body.errors.map((e) => [e.extensions.code, e.extensions.limit, e.extensions.value]), [['QUOTA_EXCEEDED', 'subscriptions', 3]]);
    assert.match(body.errors[0]!.message, /limit of 3 open subscriptions/);

    // Bob's subscriptions are his own.
    const bobs = socket(one, bob);
    const bobSubscriptions = [bobs.subscribe(), bobs.subscribe(), socket(one, bob).subscribe()];
    await until('Bob has three subscriptions', () => countOn(one, bob) === 3);
    await waitUntilLive(one.url, bob, bobSubscriptions, 'expired');

    stream.abort(); // a closed stream frees its slot
    await until('the closed stream freed its slot', () => countOn(one, ada) === 2);
    const now = b.subscribe();
    await waitUntilLive(one.url, ada, [now], 'expired');
    assert.equal(countOn(one, ada), 3);
    assert.deepEqual(b.closes, []);
  });

  test('across two server processes on one database the account\'s total holds', async () => {
    const cy = await one.createAccount('Cy', 'UTC');
    const onOne = socket(one, cy);
    const first = onOne.subscribe();
    onOne.subscribe();
    const stream = await sse(one, cy);
    assert.equal(stream.response.status, 200);
    await until('the other process knows of the three', () => countOn(two, cy) === 3);

    const refused = await refusal(socket(two, cy).subscribe());
    assert.deepEqual([refused.extensions.code, refused.extensions.limit], ['QUOTA_EXCEEDED', 'subscriptions']);
    const overSse = await sse(two, cy);
    assert.equal(overSse.response.status, 429);
    await overSse.response.body?.cancel();

    first.close();
    await until('the other process knows one was completed', () => countOn(two, cy) === 2);
    const onTwo = socket(two, cy).subscribe();
    await until('the other process admitted one', () => countOn(two, cy) === 3);
    await until('the first process knows of it', () => countOn(one, cy) === 3);
    await waitUntilLive(two.url, cy, [onTwo], 'expired');
    assert.equal(await refusal(onOne.subscribe()).then((e) => e.extensions.limit), 'subscriptions', 'the first process refuses now too');
  });
});
