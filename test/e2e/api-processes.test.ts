// API_PROCESSES=2: the real server command with two api processes (and a worker) on one port behaves
// as one server. Each api process serves its own /metrics (METRICS_PORT=0: a port each, logged with its
// `proc`), which is how the tests see that both served: nothing is added to the answers for tests.
// Requests go over fresh TCP connections, so that the kernel spreads them (SO_REUSEPORT hashes each
// connection) instead of one kept-alive connection landing on one process.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { spawnTickler, type TicklerProcess } from '../helpers/process.ts';
import { graphqlData, Subscription, within, wsClient } from '../helpers/clients.ts';
import { createReminder, expire, inMs, nextAbout, waitUntilLive, type Account } from '../helpers/reminders.ts';

const ADMIN = 'api-processes-admin-token';
const RATE = { perSecond: 1, burst: 30 };
const ACTIVE_REMINDERS = 5;

let db: TestDatabase;
let run: TicklerProcess;
let url: string;
const cleanups: (() => unknown)[] = [];

before(async () => {
  db = await createTestDatabase();
  run = spawnTickler({
    DATABASE_URL: db.url, ADMIN_TOKEN: ADMIN, API_PROCESSES: '2', METRICS_PORT: '0',
    RATE_LIMIT_PER_SECOND: String(RATE.perSecond), RATE_LIMIT_BURST: String(RATE.burst), LIMIT_ACTIVE_REMINDERS: String(ACTIVE_REMINDERS),
  });
  url = await within(run.ready, 30_000, 'ready');
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  if (run?.child.exitCode === null) {
    run.child.kill('SIGKILL');
    await run.exited;
  }
  await db?.drop();
});

/** POSTs one operation over a connection of its own; the status and the parsed body. */
function post(token: string, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** Each api process (api-1, api-2) as it last announced itself: pid and metrics URL. */
function apiProcesses(): Map<string, { pid: number; metricsUrl: string }> {
  const found = new Map<string, { pid: number; metricsUrl: string }>();
  for (const line of run.logs) {
    if (typeof line.metricsUrl === 'string' && /^api-\d+$/.test(line.proc)) found.set(line.proc, { pid: line.pid, metricsUrl: line.metricsUrl });
  }
  return found;
}

/** The sum of a metric's samples whose line starts with `prefix` (name and labels), on one process. */
async function metric(metricsUrl: string, prefix: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return text.split('\n').filter((line) => line.startsWith(prefix)).reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** A metric on every api process, by name. */
async function perProcess(prefix: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, { metricsUrl }] of apiProcesses()) out[name] = await metric(metricsUrl, prefix);
  return out;
}

async function newAccount(name: string): Promise<Account> {
  const { createAccount } = await graphqlData(url, {
    token: ADMIN,
    query: `mutation { createAccount(input: { name: "${name}", timeZone: "UTC" }) { ... on CreateAccountPayload { token account { id } } } }`,
  });
  return { id: createAccount.account.id, token: createAccount.token };
}

const ME_COUNT = 'tickler_graphql_operation_duration_seconds_count{type="query",field="me"}';

describe('API_PROCESSES=2', () => {
  test('one port, two api processes and a worker, each logging its name; requests are served by both', async () => {
    const ready = run.logs.filter((line) => / is ready$/.test(line.msg)).map((line) => line.proc).sort();
    assert.deepEqual(ready, ['api-1', 'api-2', 'worker']);
    const primary = run.logs.find((line) => typeof line.url === 'string')!;
    assert.equal(primary.proc, 'primary');
    assert.equal(primary.apiProcesses, 2);
    assert.equal(apiProcesses().size, 2);
    const account = await newAccount('Both');
    const before = await perProcess(ME_COUNT);
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(account.token, '{ me { name } }')));
    assert.ok(answers.every((a) => a.body.data?.me.name === 'Both'), JSON.stringify(answers.find((a) => !a.body.data)));
    const after = await perProcess(ME_COUNT);
    for (const name of ['api-1', 'api-2']) assert.ok(after[name]! > before[name]!, `${name} served none of 20 requests: ${JSON.stringify(after)}`);
  });

  test('subscribers on either process hear an expiry and an account update written through the other', async () => {
    const account = await newAccount('Hears');
    const expired: Subscription[] = [];
    const updated: Subscription[] = [];
    // Sockets until each process holds at least one: the kernel picks the process of each.
    for (let round = 0; round < 6; round++) {
      const added: Subscription[] = [];
      for (let i = 0; i < 3; i++) {
        const { client } = wsClient(url, account.token);
        cleanups.push(() => client.dispose());
        added.push(new Subscription(client, { query: 'subscription { reminderExpired { reminder { id } } }' }));
        updated.push(new Subscription(client, { query: 'subscription { accountUpdated { name } }' }));
      }
      expired.push(...added);
      await waitUntilLive(url, account, added, 'expired');
      const sockets = await perProcess('tickler_websockets_open');
      if (Object.values(sockets).every((n) => n > 0)) break;
    }
    const sockets = await perProcess('tickler_websockets_open');
    assert.ok(Object.values(sockets).every((n) => n > 0), `sockets on both processes: ${JSON.stringify(sockets)}`);

    // The mutation is served by one process; the sockets on the other one hear it through PostgreSQL.
    const reminder = await createReminder(url, account, { message: 'across', remindAt: inMs(3_600_000) });
    await expire(url, account, reminder.id);
    await Promise.all(expired.map((s) => nextAbout(s, 'reminderExpired', reminder.id, 5000)));

    // accountUpdated: rename until every subscription has heard a rename (each became live at some
    // point), then once more: every one of them hears that one.
    const heard = new Set<Subscription>();
    for (let i = 0; i < 20 && heard.size < updated.length; i++) {
      await graphqlData(url, { token: account.token, query: `mutation { updateAccount(input: { name: "warm ${i}" }) { __typename } }` });
      await Promise.all(updated.map((s) => s.next(300).then(() => heard.add(s), () => undefined)));
    }
    for (const s of updated) while (s.pending) await s.next(0);
    await graphqlData(url, { token: account.token, query: 'mutation { updateAccount(input: { name: "Renamed" }) { __typename } }' });
    for (const s of updated) {
      for (;;) {
        const message = await s.next(5000);
        if (message.data?.accountUpdated.name === 'Renamed') break;
      }
    }
  });

  test('a token revoked through one process is refused by both at once', async () => {
    const account = await newAccount('Revoke');
    const { createApiToken } = await graphqlData(url, { token: account.token, query: 'mutation { createApiToken(input: { name: "second" }) { ... on CreateApiTokenPayload { token apiToken { id } } } }' });
    const second = createApiToken.token as string;
    // Both processes have the token cached: each served requests with it.
    const before = await perProcess(ME_COUNT);
    const warm = await Promise.all(Array.from({ length: 16 }, () => post(second, '{ me { name } }')));
    assert.ok(warm.every((a) => a.body.data?.me.name === 'Revoke'));
    const after = await perProcess(ME_COUNT);
    for (const name of ['api-1', 'api-2']) assert.ok(after[name]! > before[name]!, `${name} served none of the warm-up: ${JSON.stringify(after)}`);

    const revoked = await post(account.token, 'mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }', { id: createApiToken.apiToken.id });
    assert.equal(revoked.body.data.revokeApiToken.__typename, 'RevokeApiTokenPayload');
    // Right after the answer, on fresh connections to whichever process: none is served.
    const answers = await Promise.all(Array.from({ length: 40 }, () => post(second, '{ me { name } }')));
    const served = answers.filter((a) => a.body.data?.me);
    assert.equal(served.length, 0, `${served.length} of 40 requests right after the revocation were served`);
    assert.ok(answers.every((a) => a.body.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED'), JSON.stringify(answers[0]));
  });

  test('a token\'s rate limit and an account\'s quota hold across both processes (not doubled)', async () => {
    const account = await newAccount('Limits');
    const started = performance.now();
    const refusedBefore = await perProcess('tickler_rate_limited_total');
    const answers = await Promise.all(Array.from({ length: 3 * RATE.burst }, () => post(account.token, '{ me { name } }')));
    const seconds = (performance.now() - started) / 1000;
    const accepted = answers.filter((a) => a.body.data?.me).length;
    const limited = answers.filter((a) => a.body.errors?.[0]?.extensions?.code === 'RATE_LIMITED').length;
    assert.equal(accepted + limited, answers.length);
    // burst + rate × t, and one token of rounding.
    assert.ok(accepted <= RATE.burst + Math.ceil(seconds * RATE.perSecond) + 1, `${accepted} accepted in ${seconds.toFixed(1)} s with a burst of ${RATE.burst}`);
    assert.ok(accepted > 0);
    const refused = await perProcess('tickler_rate_limited_total');
    for (const name of ['api-1', 'api-2']) assert.ok(refused[name]! > refusedBefore[name]!, `${name} refused none: ${JSON.stringify(refused)}`);

    // The quota: creates at once on both processes, and exactly the limit succeed.
    const quota = await newAccount('Quota');
    const creates = await Promise.all(Array.from({ length: 3 * ACTIVE_REMINDERS }, (_, i) => post(quota.token,
      'mutation($t: DateTime!, $m: String!) { createReminder(input: { message: $m, remindAt: $t }) { __typename } }', { t: inMs(3_600_000), m: `q${i}` })));
    const kinds = creates.map((c) => c.body.data?.createReminder.__typename ?? JSON.stringify(c.body.errors));
    assert.equal(kinds.filter((k) => k === 'CreateReminderPayload').length, ACTIVE_REMINDERS, kinds.join(', '));
    assert.equal(kinds.filter((k) => k === 'QuotaExceededError').length, 2 * ACTIVE_REMINDERS, kinds.join(', '));
  });

  test('PostgreSQL connections: within what README "Running at scale" counts for two api processes and a worker', async (t) => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows: [row] } = await client.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
      t.diagnostic(`connections to the database: ${row!.n}`);
      assert.ok(Number(row!.n) <= 2 * 34 + 24, `${row!.n} connections`);
    } finally {
      await client.end();
    }
  });

  test('kill -9 of an api process: the other one serves meanwhile, it is restarted, nothing written is lost', async () => {
    const account = await newAccount('Crash');
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await createReminder(url, account, { message: `kept ${i}`, remindAt: inMs(3_600_000) })).id);
    const victim = apiProcesses().get('api-1')!;
    const restarted = run.waitForLog((line) => line.proc === 'api-1' && line.msg === 'api-1 is ready' && line.pid !== victim.pid);
    process.kill(victim.pid, 'SIGKILL');
    await run.waitForLog((line) => line.proc === 'primary' && /api-1 exited \(SIGKILL\): restarting it/.test(line.msg));
    // While api-1 is down, every new connection reaches api-2.
    // (Few requests per account here: the rate limit is on, with a burst of 30.)
    const meanwhile = await Promise.all(Array.from({ length: 6 }, () => post(account.token, '{ me { name } }')));
    assert.ok(meanwhile.every((a) => a.body.data?.me.name === 'Crash'), JSON.stringify(meanwhile.find((a) => !a.body.data)));
    const back = await within(restarted, 20_000, 'api-1 restarted');
    assert.notEqual(back.pid, victim.pid);
    const { reminders } = await graphqlData(url, { token: account.token, query: '{ reminders(first: 10) { edges { node { id } } } }' });
    assert.deepEqual(reminders.edges.map((e: { node: { id: string } }) => e.node.id).sort(), [...ids].sort());
    // The new api-1 serves its share again.
    const fresh = apiProcesses().get('api-1')!;
    assert.equal(fresh.pid, back.pid);
    const before = await metric(fresh.metricsUrl, ME_COUNT);
    const answers = await Promise.all(Array.from({ length: 14 }, () => post(account.token, '{ me { name } }')));
    assert.ok(answers.every((a) => a.body.data?.me.name === 'Crash'), JSON.stringify(answers.find((a) => !a.body.data)));
    assert.ok((await metric(fresh.metricsUrl, ME_COUNT)) > before, 'the restarted api-1 served none of 14 requests');
  });

  test('SIGTERM to the primary stops every child, then it exits 0', async () => {
    const children = run.logs.filter((line) => / is ready$/.test(line.msg)).map((line) => line.pid as number);
    run.child.kill('SIGTERM');
    assert.deepEqual(await within(run.exited, 30_000, 'exit'), { code: 0, signal: null });
    for (const pid of children) assert.throws(() => process.kill(pid, 0), /ESRCH/, `child ${pid} still runs`);
  });
});

describe('API_PROCESSES=2 when the primary dies', () => {
  test('kill -9 of the primary takes its children down (no orphans)', async () => {
    const other = spawnTickler({ DATABASE_URL: db.url, ADMIN_TOKEN: ADMIN, API_PROCESSES: '2', ROLE: 'api' });
    await within(other.ready, 30_000, 'ready');
    const children = other.logs.filter((line) => / is ready$/.test(line.msg)).map((line) => line.pid as number);
    assert.equal(children.length, 2);
    other.child.kill('SIGKILL');
    await other.exited;
    // Each child exits when its IPC channel to the primary closes; the kernel tells it at once.
    const deadline = Date.now() + 10_000;
    const alive = () => children.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    while (alive().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(alive(), []);
  });
});
