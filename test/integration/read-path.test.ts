import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { graphqlData, graphqlWithStatus, Subscription, wsClient, within } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { decodeId } from '../../src/graphql/ids.ts';

let first: TestServer;
let second: TestServer;

before(async () => {
  first = await startTestServer();
  second = await startTestServer({ db: first.db }); // two processes on one database
});
after(async () => {
  await second.stop();
  await first.stop();
});

const ME = '{ me { name defaultCalendar { id } } }';

describe('the token cache', () => {
  test('a token revoked on one process is refused at once by the other, which had it cached, over HTTP and WebSocket', async () => {
    const ada = await first.createAccount('Ada');
    // Cached on the second process: once seen, the token costs no query there.
    assert.equal((await graphqlData(second.url, { token: ada.token, query: ME })).me.name, 'Ada');
    const lookups = await countQueries(second, /from api_token/);
    for (let i = 0; i < 3; i++) assert.equal((await graphqlData(second.url, { token: ada.token, query: ME })).me.name, 'Ada');
    assert.equal(lookups.stop().length, 0, 'a cached token is not looked up again');
    const tokens = await graphqlData(first.url, { token: ada.token, query: '{ me { apiTokens { id } } }' });
    const revoked = await graphqlData(first.url, {
      token: ada.token,
      query: 'mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }',
      variables: { id: tokens.me.apiTokens[0].id },
    });
    assert.equal(revoked.revokeApiToken.__typename, 'RevokeApiTokenPayload');

    for (const server of [second, first]) {
      const { status, body } = await graphqlWithStatus(server.url, { token: ada.token, query: ME });
      assert.equal(status, 401);
      assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    }
    const { client, closes } = wsClient(second.url, ada.token);
    const subscription = new Subscription(client, { query: 'subscription { accountUpdated { name } }' });
    await within(subscription.next().catch(() => undefined), 5000, 'the socket to close');
    assert.equal(closes[0]?.code, 4401);
    await client.dispose();
  });

  test('connection_init is authenticated from the cache, and a fresh token works on both processes', async () => {
    const bob = await second.createAccount('Bob');
    for (const server of [first, second]) {
      const { client } = wsClient(server.url, bob.token, { lazy: false });
      const subscription = new Subscription(client, { query: 'subscription { accountUpdated { name } }' });
      try {
        // Live once an update reaches it (the update is retried until the subscription is set up).
        let message;
        for (let i = 0; !message && i < 50; i++) {
          await graphqlData(server.url, { token: bob.token, query: `mutation { updateAccount(input: { name: "Bob ${i}" }) { __typename } }` });
          message = await subscription.next(200).catch(() => undefined);
        }
        assert.match(message!.data!.accountUpdated.name, /^Bob/);
      } finally {
        subscription.close();
        await client.dispose();
      }
    }
  });
});

describe('the account cache', () => {
  test('`me` costs no query once the account is cached, and an update on one process shows at once on the other', async () => {
    const ada = await first.createAccount('Ada');
    assert.equal((await graphqlData(second.url, { token: ada.token, query: ME })).me.name, 'Ada');
    const reads = await countQueries(second, /from "?account|from "?calendar/);
    for (let i = 0; i < 3; i++) assert.equal((await graphqlData(second.url, { token: ada.token, query: ME })).me.name, 'Ada');
    assert.deepEqual(reads.stop(), [], 'a cached account is not read again');

    // Changed through the first process: the second, which had it cached, answers with the change
    // (the mutation answers once its notice has come back, as revokeApiToken does).
    await graphqlData(first.url, { token: ada.token, query: 'mutation { updateAccount(input: { name: "Ada L.", timeZone: "America/New_York" }) { __typename } }' });
    for (const server of [second, first]) {
      const me = (await graphqlData(server.url, { token: ada.token, query: '{ me { name timeZone defaultCalendar { id name } } }' })).me;
      assert.deepEqual([me.name, me.timeZone], ['Ada L.', 'America/New_York']);
      assert.equal(me.defaultCalendar.id, ada.defaultCalendarId);
    }
    // New reminders are read in the new zone on the other process too (recurrences follow it).
    const created = await graphqlData(second.url, {
      token: ada.token,
      query: 'mutation { createReminder(input: { message: "zone", remindAt: "2099-01-05T08:00:00Z", recurrence: "FREQ=DAILY" }) { ... on CreateReminderPayload { reminder { timeZone } } } }',
    });
    assert.equal(created.createReminder.reminder.timeZone, 'America/New_York');
  });

  test('a burst of 200 writes and reads on a process that has cached nothing completes, each once', async () => {
    const ada = await first.createAccount('Ada');
    const cold = await startTestServer({ db: first.db }); // pool of 20: the burst is ten times that
    try {
      const requests = Array.from({ length: 200 }, (_, i) => graphqlData(cold.url, {
        token: ada.token,
        query: `mutation($t: DateTime!) { createReminder(input: { message: "burst ${i}", remindAt: $t }) { ... on CreateReminderPayload { reminder { message } } } }`,
        variables: { t: new Date(Date.now() + 86_400_000 + i * 1000).toISOString() },
      }));
      const reads = Array.from({ length: 200 }, () => graphqlData(cold.url, { token: ada.token, query: ME }));
      const [written, read] = await within(Promise.all([Promise.all(requests), Promise.all(reads)]), 60_000, 'the burst to complete');
      assert.deepEqual(written.map((d) => d.createReminder.reminder.message).sort(), Array.from({ length: 200 }, (_, i) => `burst ${i}`).sort());
      assert.ok(read.every((d) => d.me.name === 'Ada'));
      const stored = await graphqlData(first.url, { token: ada.token, query: '{ reminders(first: 500) { edges { node { id } } } }' });
      assert.equal(stored.reminders.edges.length, 200);
    } finally {
      await cold.stop();
    }
  });

  test('two accounts on one process never see each other through the cache', async () => {
    const [ada, bob] = await Promise.all([second.createAccount('Ada'), second.createAccount('Bob')]);
    const [a, b] = (await Promise.all([ada, bob].map((who) => graphqlData(second.url, { token: who.token, query: '{ me { id name defaultCalendar { id } } }' })))) as [any, any];
    assert.deepEqual([a.me.name, b.me.name], ['Ada', 'Bob']);
    assert.notEqual(a.me.defaultCalendar.id, b.me.defaultCalendar.id);
    assert.notEqual(a.me.id, b.me.id);
  });
});

describe('history fields are batched', () => {
  test('a page of 5,000 reminders with occurrences, deliveries and attempts costs a handful of queries', async () => {
    const ada = await first.createAccount('Ada');
    await seedHistory(first.db.url, decodeId('Account', ada.id)!, 5000);
    const counted = await countQueries(first, /reminder_occurrence|reminder_delivery|delivery_attempt|from "reminder"|'reminder\.deliver'/);
    try {
      const data = await graphqlData(first.url, {
        token: ada.token,
        query: `{ reminders(first: 5000) { edges { node { id occurrences(first: 2) { status deliveries { status nextAttemptAt attempts { outcome } } } } } } }`,
      });
      const edges = data.reminders.edges as { node: { occurrences: { deliveries: { nextAttemptAt: string | null; attempts: unknown[] }[] }[] } }[];
      assert.equal(edges.length, 5000);
      assert.ok(edges.every((e) => e.node.occurrences.length === 1 && e.node.occurrences[0]!.deliveries[0]!.attempts.length === 1));
      const history = counted.stop();
      assert.ok(history.length <= 6, `${history.length} queries:\n${history.slice(0, 10).join('\n')}`);
    } finally {
      counted.stop();
    }
  });
});

/**
 * Records the statements matching `pattern` that the server's ORM pool runs from now until `stop()`
 * (instrumenting the real driver's clients as they are checked out; nothing is mocked).
 */
async function countQueries(server: TestServer, pattern: RegExp) {
  const pool = await server.app.orm!.em.getConnection().getNativeClient();
  const seen: string[] = [];
  let counting = true;
  const patched = new WeakSet<object>();
  const onAcquire = (client: pg.PoolClient) => {
    if (patched.has(client)) return;
    patched.add(client);
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text ?? '';
      if (counting && pattern.test(text)) seen.push(text);
      return original(...args);
    };
  };
  pool.on('acquire', onAcquire);
  return {
    stop() {
      counting = false;
      pool.off('acquire', onAcquire);
      return seen;
    },
  };
}

/** `count` past reminders of the account, each with one occurrence, one retrying delivery and one attempt. */
async function seedHistory(url: string, accountId: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      with r as (
        insert into reminder (id, account_id, message, remind_at, time_zone, status, channels, schedule_version, created_at, updated_at)
        select gen_random_uuid(), $1, 'past ' || g, now() - interval '1 day' + g * interval '1 second', 'UTC', 'RETRIED',
               '[{"kind":"WEBHOOK","target":"https://example.com/hook"}]', 1, now(), now()
          from generate_series(1, $2) g
        returning id, remind_at),
      o as (
        insert into reminder_occurrence (reminder_id, account_id, due_at, fired_at, lateness_ms, status)
        select id, $1, remind_at, remind_at, 3, 'RETRIED' from r
        returning id),
      d as (
        insert into reminder_delivery (id, occurrence_id, channel_index, kind, target, status, attempts)
        select gen_random_uuid(), id, 0, 'WEBHOOK', 'https://example.com/hook', 'RETRYING', 1 from o
        returning id)
      insert into delivery_attempt (delivery_id, attempt, attempted_at, duration_ms, outcome, error)
      select id, 1, now(), 12, 'RETRYING', 'HTTP 503' from d`, [accountId, count]);
  } finally {
    await client.end();
  }
}
