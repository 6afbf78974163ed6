import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createBurst } from '../helpers/bursts.ts';
import { EXPIRED, createReminder, expire, inMs, nextAbout, subscribe, waitUntilLive } from '../helpers/reminders.ts';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function sharedDb(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
}

async function server(db: TestDatabase, role: 'api' | 'worker'): Promise<TestServer> {
  const started = await startTestServer({ db, env: { ROLE: role } });
  cleanups.push(() => started.stop());
  return started;
}

const rows = async (s: TestServer, sql: string) => s.app.orm!.em.fork().getConnection().execute(sql);

describe('several server processes on one database', () => {
  test('a client of a ROLE=api process hears what a ROLE=worker process fired; with two workers each reminder fires exactly once', async () => {
    const db = await sharedDb();
    const api = await server(db, 'api');
    await server(db, 'worker');
    await server(db, 'worker');
    assert.equal(api.app.url !== undefined, true);
    const ada = await api.createAccount('Ada', 'UTC');
    const listener = subscribe(api.url, ada, `subscription { ${EXPIRED} }`);
    try {
      await waitUntilLive(api.url, ada, [listener.subscription], 'expired');
      // All 60 due at one instant, the lead measured from this machine's creation speed.
      const burst = await createBurst(api.url, ada, 60);
      const due = new Date(burst.dueAt).toISOString();
      const ids = new Set(burst.ids);
      const heard: string[] = [];
      while (heard.filter((id) => ids.has(id)).length < ids.size) {
        const message = await listener.subscription.next(5000);
        heard.push(message.data?.reminderExpired.reminder.id);
      }
      await assert.rejects(listener.subscription.next(1000), /no subscription message/, 'no duplicate arrives later');
      const mine = heard.filter((id) => ids.has(id));
      assert.equal(new Set(mine).size, mine.length, 'each reminder was heard once');
      const [counts] = await rows(api, `select count(*)::int as n, count(distinct reminder_id)::int as d from reminder_occurrence where due_at = '${new Date(due).toISOString()}'`);
      assert.deepEqual(counts, { n: 60, d: 60 });
    } finally {
      await listener.close();
    }
  });
});

describe('a crash', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));

  function spawnWorker(db: TestDatabase): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['src/main.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, ROLE: 'worker', LOG_FORMAT: 'json', LOG_LEVEL: 'info', PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    return new Promise((resolve, reject) => {
      let buffered = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        if (buffered.includes('Tickler worker is running')) resolve(child);
      });
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
  }

  test('reminders due while the only worker was SIGKILLed expire exactly once after restart (or MISSED past their grace), and a client resuming with after: gets each once', async () => {
    const db = await sharedDb();
    const api = await server(db, 'api');
    let worker = await spawnWorker(db);
    const ada = await api.createAccount('Ada', 'UTC');

    // A first expiry gives the client its cursor.
    const first = subscribe(api.url, ada, `subscription { ${EXPIRED} }`);
    const probes = await waitUntilLive(api.url, ada, [first.subscription], 'expired');
    const probe = await createReminder(api.url, ada, { message: 'before the crash', remindAt: inMs(3_600_000) });
    await expire(api.url, ada, probe.id);
    const cursor = (await nextAbout(first.subscription, 'reminderExpired', probe.id)).cursor;
    await first.close();

    const dueAt = Date.now() + 3000;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createReminder(api.url, ada, { message: `due ${i}`, remindAt: new Date(dueAt).toISOString() })).id);
    const strict = await createReminder(api.url, ada, { message: 'strict', remindAt: new Date(dueAt).toISOString(), graceSeconds: 1 });
    assert.ok(Date.now() < dueAt - 500, 'the worker is killed before anything falls due');

    const killed = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGKILL');
    await killed;
    // Downtime: the reminders fall due (and the strict one's grace passes) while no worker runs.
    await delay(dueAt + 1500 - Date.now());
    const [during] = await rows(api, 'select count(*)::int as n from reminder_occurrence');
    assert.equal(during?.n, probes.size + 1, 'nothing fired while no worker ran');

    const resumed = subscribe(api.url, ada, `subscription($after: String) { ${EXPIRED} }`.replace('reminderExpired', 'reminderExpired(after: $after)'), { after: cursor });
    try {
      worker = await spawnWorker(db);
      const heard: string[] = [];
      while (!ids.every((id) => heard.includes(id))) {
        const message = await resumed.subscription.next(10_000);
        const event = message.data?.reminderExpired;
        assert.ok(event, JSON.stringify(message));
        heard.push(event.reminder.id);
        if (ids.includes(event.reminder.id)) assert.ok(event.latenessMs >= 1000, `true lateness recorded (${event.latenessMs} ms)`);
      }
      await assert.rejects(resumed.subscription.next(1000), /no subscription message/);
      assert.deepEqual([...heard].sort(), [...ids].sort(), 'each one exactly once, and not the MISSED one');
      const occurrences = await rows(api, `select r.message, o.status from reminder_occurrence o join reminder r on r.id = o.reminder_id where r.message like 'due %' or r.message = 'strict' order by r.message`);
      assert.deepEqual(occurrences, [...[0, 1, 2, 3, 4].map((i) => ({ message: `due ${i}`, status: 'SENT' })), { message: 'strict', status: 'MISSED' }]);
      assert.ok(strict.id);
    } finally {
      await resumed.close();
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    }
  });
});
