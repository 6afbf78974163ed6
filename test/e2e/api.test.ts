import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { graphqlData, graphqlWithStatus, sseSubscribe, Subscription, within, wsClient } from '../helpers/clients.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let ada: { id: string; token: string; defaultCalendarId: string };
let bob: { id: string; token: string; defaultCalendarId: string };

before(async () => {
  server = await startTestServer();
  ada = await server.createAccount('Ada', 'Europe/Paris');
  bob = await server.createAccount('Bob', 'America/New_York');
});
after(() => server.stop());

describe('accounts and tokens', () => {
  test('a new account has a default calendar in its time zone, working Monday to Friday 08:00–17:00', async () => {
    const data = await graphqlData(server.url, {
      token: ada.token,
      query: '{ me { name timeZone webhookSecret defaultCalendar { timeZone bufferMinutes slotIntervalMinutes horizonDays workingHours { weekday start end } } calendars { id } } }',
    });
    assert.equal(data.me.name, 'Ada');
    assert.equal(data.me.timeZone, 'Europe/Paris');
    assert.match(data.me.webhookSecret, /^[0-9a-f]{64}$/);
    const calendar = data.me.defaultCalendar;
    assert.deepEqual([calendar.timeZone, calendar.bufferMinutes, calendar.slotIntervalMinutes, calendar.horizonDays], ['Europe/Paris', 0, 15, 90]);
    assert.deepEqual(calendar.workingHours.map((w: { weekday: string }) => w.weekday), ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY']);
    assert.ok(calendar.workingHours.every((w: { start: string; end: string }) => w.start === '08:00' && w.end === '17:00'));
    assert.deepEqual(data.me.calendars.map((c: { id: string }) => c.id), [ada.defaultCalendarId]);
  });

  test('createAccount refuses a blank name and an unknown time zone, naming both fields, and creates nothing', async () => {
    const data = await graphqlData(server.url, {
      token: TEST_ADMIN_TOKEN,
      query: 'mutation { createAccount(input: { name: "   ", timeZone: "Mars/Olympus" }) { __typename ... on ValidationError { code fieldErrors { path message } } } }',
    });
    assert.equal(data.createAccount.__typename, 'ValidationError');
    assert.equal(data.createAccount.code, 'VALIDATION');
    assert.deepEqual(data.createAccount.fieldErrors.map((e: { path: string[] }) => e.path.join('.')), ['input.name', 'input.timeZone']);
    const count = await server.app.orm!.em.fork().getConnection().execute('select count(*)::int as n from account');
    assert.equal(count[0]?.n, 2);
  });

  test('createAccount needs the admin token: an account token is forbidden (403)', async () => {
    const { status, body } = await graphqlWithStatus(server.url, {
      token: ada.token,
      query: 'mutation { createAccount(input: { name: "Eve", timeZone: "UTC" }) { __typename } }',
    });
    assert.equal(status, 403);
    assert.equal(body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });

  test('the admin token cannot read account data', async () => {
    const { status, body } = await graphqlWithStatus(server.url, { token: TEST_ADMIN_TOKEN, query: '{ me { id } }' });
    assert.equal(status, 403);
    assert.match(body.errors?.[0]?.message ?? '', /admin token may only create accounts/);
  });

  test('a second token works, is listed without its secret, and stops working once revoked', async () => {
    const created = await graphqlData(server.url, {
      token: ada.token,
      query: 'mutation { createApiToken(input: { name: "cli" }) { ... on CreateApiTokenPayload { token apiToken { id name revokedAt } } } }',
    });
    const { token, apiToken } = created.createApiToken;
    assert.match(token, /^tk_/);
    assert.equal((await graphqlData(server.url, { token, query: '{ me { name } }' })).me.name, 'Ada');

    // lastUsedAt is written beside the request, not awaited by it: listed once that write has landed.
    let cli: { name: string; lastUsedAt: string | null } | undefined;
    const deadline = Date.now() + 5000;
    do {
      const listed = await graphqlData(server.url, { token: ada.token, query: '{ me { apiTokens { id name lastUsedAt } } }' });
      cli = listed.me.apiTokens.find((t: { id: string }) => t.id === apiToken.id);
    } while (!cli?.lastUsedAt && Date.now() < deadline);
    assert.equal(cli!.name, 'cli');
    assert.ok(cli!.lastUsedAt, 'lastUsedAt is recorded');

    const revoked = await graphqlData(server.url, {
      token: ada.token,
      query: 'mutation($id: ID!) { revokeApiToken(id: $id) { ... on RevokeApiTokenPayload { apiToken { revokedAt } } } }',
      variables: { id: apiToken.id },
    });
    assert.ok(revoked.revokeApiToken.apiToken.revokedAt);
    const refused = await graphqlWithStatus(server.url, { token, query: '{ me { name } }' });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  test('another account\'s token and calendar are "not found", exactly like ones that do not exist', async () => {
    const bobsTokens = await graphqlData(server.url, { token: bob.token, query: '{ me { apiTokens { id } } }' });
    const bobsTokenId = bobsTokens.me.apiTokens[0].id;
    const revoke = 'mutation($id: ID!) { revokeApiToken(id: $id) { __typename ... on NotFoundError { code message } } }';
    const foreign = await graphqlData(server.url, { token: ada.token, query: revoke, variables: { id: bobsTokenId } });
    const absent = await graphqlData(server.url, { token: ada.token, query: revoke, variables: { id: 'bm9wZQ==' } });
    assert.equal(foreign.revokeApiToken.__typename, 'NotFoundError');
    assert.equal(absent.revokeApiToken.__typename, 'NotFoundError');
    const node = await graphqlData(server.url, { token: ada.token, query: '{ a: node(id: "' + bob.defaultCalendarId + '") { id } b: node(id: "' + bob.id + '") { id } }' });
    assert.deepEqual(node, { a: null, b: null });
    // Bob's token still works: Ada's attempt changed nothing.
    assert.equal((await graphqlData(server.url, { token: bob.token, query: '{ me { name } }' })).me.name, 'Bob');
  });

  test('node(id) returns the viewer\'s own account and calendar', async () => {
    const data = await graphqlData(server.url, {
      token: ada.token,
      query: `{ a: node(id: "${ada.id}") { __typename id } c: node(id: "${ada.defaultCalendarId}") { __typename ... on Calendar { name } } }`,
    });
    assert.equal(data.a.__typename, 'Account');
    assert.equal(data.c.__typename, 'Calendar');
  });
});

describe('authentication errors', () => {
  test('no token: 401 UNAUTHENTICATED, telling how to authenticate', async () => {
    const { status, body } = await graphqlWithStatus(server.url, { query: '{ me { id } }' });
    assert.equal(status, 401);
    assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.match(body.errors?.[0]?.message ?? '', /Authorization: Bearer/);
    assert.equal(body.data, undefined);
  });

  test('a wrong token and a malformed header are refused with a reason', async () => {
    const wrong = await graphqlWithStatus(server.url, { token: 'tk_not-a-real-token', query: '{ me { id } }' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.errors?.[0]?.message ?? '', /unknown or has been revoked/);
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Token abc' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    assert.equal(response.status, 401);
    assert.match(JSON.stringify(await response.json()), /Bearer <token>/);
  });

  test('a mutation hidden behind a fragment is still refused without a token', async () => {
    const { status } = await graphqlWithStatus(server.url, {
      query: 'mutation { ...M } fragment M on Mutation { createApiToken(input: { name: "x" }) { __typename } }',
    });
    assert.equal(status, 401);
  });

  test('introspection needs no token, so GraphiQL can show the docs before one is pasted', async () => {
    const data = await graphqlData(server.url, { query: '{ __schema { queryType { name } } }' });
    assert.equal(data.__schema.queryType.name, 'Query');
  });
});

describe('bad and abusive requests get a clear error, never a 500, and the server keeps serving', () => {
  const cases: [string, string, RegExp][] = [
    ['a syntax error', '{ me { name ', /Syntax Error/],
    ['an unknown field', '{ me { nickname } }', /Cannot query field "nickname"/],
    ['too many aliases', `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: me { name }`).join(' ')} }`, /Aliases limit/],
    ['too many tokens', `{ me { ${Array.from({ length: 2500 }, () => 'name').join(' ')} } }`, /Token limit/],
  ];
  for (const [name, query, message] of cases) {
    test(name, async () => {
      const { status, body } = await graphqlWithStatus(server.url, { token: ada.token, query });
      assert.ok(status >= 400 && status < 500, `status ${status}`);
      assert.match(body.errors?.[0]?.message ?? '', message);
    });
  }

  test('too deep a query', async () => {
    const { status, body } = await graphqlWithStatus(server.url, { token: ada.token, query: `{ me { ${nest(14)} } }` });
    assert.ok(status >= 400 && status < 500, `status ${status}`);
    assert.ok(body.errors?.some((e) => /depth/i.test(e.message)), JSON.stringify(body.errors));
  });

  test('an oversized request body is refused with 413', async () => {
    const huge = 'x'.repeat(13 * 1024 * 1024);
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ada.token}` },
      body: JSON.stringify({ query: '{ me { name } }', variables: { huge } }),
    });
    assert.equal(response.status, 413);
    await response.body?.cancel();
  });

  test('after all that, an ordinary query still works', async () => {
    assert.equal((await graphqlData(server.url, { token: ada.token, query: '{ me { name } }' })).me.name, 'Ada');
  });
});

describe('HTTP endpoints', () => {
  test('/health and /ready answer 200 while serving', async () => {
    const base = new URL(server.url).origin;
    assert.equal((await fetch(`${base}/health`)).status, 200);
    assert.equal((await fetch(`${base}/ready`)).status, 200);
  });

  test('GraphiQL is served from this process, with no script or style from elsewhere', async () => {
    const response = await fetch(server.url, { headers: { accept: 'text/html' } });
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /<title>Tickler<\/title>/);
    const external = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="(https?:[^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(external, []);
    assert.doesNotMatch(html, /unpkg\.com|cdn\.jsdelivr|esm\.sh/);
  });
});

describe('subscriptions', () => {
  const query = 'subscription { accountUpdated { name timeZone } }';
  const rename = (token: string, name: string) =>
    graphqlData(server.url, { token, query: 'mutation($n: String) { updateAccount(input: { name: $n }) { __typename } }', variables: { n: name } });

  test('over graphql-ws, every client of the account hears a change, and other accounts hear nothing', async () => {
    const first = wsClient(server.url, ada.token);
    const second = wsClient(server.url, ada.token);
    const other = wsClient(server.url, bob.token);
    const a = new Subscription(first.client, { query });
    const b = new Subscription(second.client, { query });
    const c = new Subscription(other.client, { query });
    try {
      // A subscription is live once a change made after it is heard; retry the change until then.
      await waitUntilLive([a, b], () => rename(ada.token, 'Ada Lovelace'));
      await waitUntilLive([c], () => rename(bob.token, 'Bob'));
      // A probe rename's notice may still be on its way (a loaded machine): those are skipped by name;
      // anything else, Bob's names above all, fails the test.
      const nextName = async (subscription: Subscription, probe: string) => {
        for (;;) {
          const name = (await subscription.next()).data?.accountUpdated.name;
          if (name !== probe) return name;
        }
      };
      await rename(ada.token, 'Ada');
      for (const subscription of [a, b]) assert.equal(await nextName(subscription, 'Ada Lovelace'), 'Ada', 'Ada\'s clients hear her change and nothing of Bob\'s');
      await rename(bob.token, 'Bob B.');
      assert.equal(await nextName(c, 'Bob'), 'Bob B.', 'Bob hears only his own change');
    } finally {
      for (const s of [a, b, c]) s.close();
      await Promise.all([first, second, other].map((w) => w.client.dispose()));
    }
  });

  test('over SSE, a POST with Accept: text/event-stream streams the same events', async () => {
    const abort = new AbortController();
    try {
      const { response, events } = await sseSubscribe(server.url, { query, token: ada.token }, abort.signal);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
      const iterator = events![Symbol.asyncIterator]();
      let received: any;
      for (let attempt = 0; attempt < 20 && !received; attempt++) {
        await rename(ada.token, 'Ada via SSE');
        received = await within(iterator.next(), 500, 'an SSE event').catch(() => undefined);
      }
      assert.equal(received?.value.data.data.accountUpdated.name, 'Ada via SSE');
    } finally {
      abort.abort();
    }
  });

  test('the token is also taken as "Authorization" or inside connectionParams.headers, as GraphiQL sends it', async () => {
    for (const connectionParams of [{ Authorization: `Bearer ${ada.token}` }, { headers: { Authorization: `Bearer ${ada.token}` } }]) {
      const { client } = wsClient(server.url, null, { connectionParams });
      const subscription = new Subscription(client, { query });
      try {
        await waitUntilLive([subscription], () => rename(ada.token, 'Ada'));
      } finally {
        subscription.close();
        await client.dispose();
      }
    }
  });

  test('a subscription document that fails validation is refused every time it is sent over graphql-ws', async () => {
    const { client } = wsClient(server.url, ada.token);
    try {
      for (const bad of ['subscription { accountUpdated { nickname } }', `subscription { accountUpdated { ${nest(13)} } }`]) {
        for (let attempt = 0; attempt < 2; attempt++) {
          const subscription = new Subscription(client, { query: bad });
          await assert.rejects(subscription.next(5000), (error: Error) => /nickname|depth/i.test(error.message));
        }
      }
      // The same socket still subscribes with a valid document.
      const subscription = new Subscription(client, { query });
      await waitUntilLive([subscription], () => rename(ada.token, 'Ada'));
      subscription.close();
    } finally {
      await client.dispose();
    }
  });

  test('a WebSocket without a valid token is closed with 4401', async () => {
    for (const token of [null, 'tk_wrong']) {
      const { client, closes } = wsClient(server.url, token);
      const subscription = new Subscription(client, { query });
      await assert.rejects(subscription.next(5000));
      assert.equal(closes[0]?.code, 4401);
      await client.dispose();
    }
  });

  test('a WebSocket upgrade anywhere but the GraphQL path is refused with 400', async () => {
    const url = new URL('/elsewhere', server.url.replace(/^http/, 'ws'));
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(url, 'graphql-transport-ws');
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => reject(new Error('the upgrade was accepted')));
      socket.on('error', () => undefined);
    });
    assert.equal(status, 400);
  });

  test('an SSE subscription without a token gets 401', async () => {
    const abort = new AbortController();
    const { response } = await sseSubscribe(server.url, { query }, abort.signal);
    abort.abort();
    assert.equal(response.status, 401);
  });
});

/**
 * Triggers `act` until every subscription has heard something, proving they are live, then drops
 * what they heard so far.
 */
async function waitUntilLive(subscriptions: Subscription[], act: () => Promise<unknown>) {
  const live = new Set<Subscription>();
  for (let attempt = 0; attempt < 40 && live.size < subscriptions.length; attempt++) {
    await act();
    await Promise.all(subscriptions.map((s) => s.next(250).then(() => live.add(s), () => undefined)));
  }
  if (live.size < subscriptions.length) throw new Error('subscription never became live');
  // Let stragglers of the last change arrive, then drop them.
  await new Promise((resolve) => setImmediate(resolve));
  for (const s of subscriptions) while (s.pending) await s.next(0);
}

/** Nested selections; the fields need not exist, the depth limit is checked regardless. */
function nest(depth: number): string {
  let inner = 'id';
  for (let i = 0; i < depth; i++) inner = `calendars { ${inner} }`;
  return inner;
}
