import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnTickler } from '../helpers/process.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { graphqlData, Subscription, within, wsClient } from '../helpers/clients.ts';

describe('the tickler process', () => {
  test('bad configuration: exits 2 naming every bad variable, before touching anything', async () => {
    const run = spawnTickler({ PORT: 'http', ROLE: 'scheduler', DATABASE_URL: 'mysql://nope' });
    const { code } = await run.exited;
    assert.equal(code, 2);
    for (const name of ['PORT', 'ROLE', 'DATABASE_URL']) assert.match(run.stderr(), new RegExp(name));
  });

  test('an unreachable database: exits 1 with the reason', async () => {
    const run = spawnTickler({ DATABASE_URL: 'postgres://tickler:x@127.0.0.1:1/tickler' });
    const { code } = await run.exited;
    assert.equal(code, 1);
    const fatal = run.logs.find((line) => line.level === 60);
    assert.match(fatal?.msg ?? '', /failed to start: .*(ECONNREFUSED|connect)/i);
  });

  test('with DATABASE_URL: serves, says goodbye to WebSockets with 1001 on SIGTERM, and exits 0', async () => {
    const db = await createTestDatabase();
    after(() => db.drop());
    const run = spawnTickler({ DATABASE_URL: db.url, ADMIN_TOKEN: 'process-test-admin-token' });
    const url = await within(run.ready, 20_000, 'ready');
    const { createAccount } = await graphqlData(url, {
      token: 'process-test-admin-token',
      query: 'mutation { createAccount(input: { name: "P", timeZone: "UTC" }) { ... on CreateAccountPayload { token } } }',
    });
    const { client, closes } = wsClient(url, createAccount.token);
    const subscription = new Subscription(client, { query: 'subscription { accountUpdated { name } }' });
    // The connection is up once an operation over it has been acknowledged.
    await within(new Promise<void>((resolve) => client.on('connected', () => resolve())), 5000, 'WebSocket connected');
    run.child.kill('SIGTERM');
    assert.deepEqual(await within(run.exited, 30_000, 'exit'), { code: 0, signal: null });
    await assert.rejects(subscription.next(5000));
    assert.equal(closes[0]?.code, 1001);
    await client.dispose();
  });
});

describe('the embedded PostgreSQL (no DATABASE_URL)', () => {
  test('first start initialises and prints the admin token; restarts reuse it, even after SIGKILL', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tickler-embedded-'));
    await chmod(dataDir, 0o755);
    after(() => rm(dataDir, { recursive: true, force: true }));
    const env = { DATA_DIR: dataDir, ADMIN_TOKEN: undefined, DATABASE_URL: undefined };

    const first = spawnTickler(env);
    const url = await within(first.ready, 60_000, 'first start');
    assert.equal((await fetch(new URL('/ready', url))).status, 200);
    const announced = await first.waitForLog((line) => typeof line.file === 'string' && /admin token created/.test(line.msg));
    const adminToken = (await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim();
    assert.equal(announced.file, path.join(dataDir, 'admin-token'));
    // Not a terminal here: the token is in its file only, in no log line and not on stderr.
    assert.match(adminToken, /^adm_[0-9a-f]{32}$/);
    assert.ok(!first.logs.some((line) => JSON.stringify(line).includes(adminToken)), 'the admin token is in no log line');
    assert.ok(!first.stderr().includes(adminToken));
    const { createAccount } = await graphqlData(url, {
      token: adminToken,
      query: 'mutation { createAccount(input: { name: "Kept", timeZone: "UTC" }) { ... on CreateAccountPayload { token } } }',
    });
    first.child.kill('SIGTERM');
    assert.equal((await first.exited).code, 0);

    // Warm start: same data, token not shown again.
    const second = spawnTickler(env);
    const url2 = await within(second.ready, 30_000, 'warm start');
    assert.equal((await graphqlData(url2, { token: createAccount.token, query: '{ me { name } }' })).me.name, 'Kept');
    assert.ok(!second.logs.some((line) => /admin token created/.test(line.msg)), 'the admin token is created once');

    // A crash leaves PostgreSQL running; the next start adopts it instead of failing on the lock.
    second.child.kill('SIGKILL');
    await second.exited;
    const third = spawnTickler(env);
    const url3 = await within(third.ready, 30_000, 'start after a crash');
    assert.equal((await graphqlData(url3, { token: createAccount.token, query: '{ me { name } }' })).me.name, 'Kept');
    third.child.kill('SIGTERM');
    assert.equal((await third.exited).code, 0);
  });
});
