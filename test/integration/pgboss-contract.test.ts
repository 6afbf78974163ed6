// The contract between Tickler's hand-written statements against pg-boss's tables
// (src/platform/pgboss-seam.ts) and pg-boss itself: each statement runs beside the same operation
// through pg-boss's public API, and the rows, and what a pg-boss worker does with them next, are
// compared. Run after upgrading pg-boss. The insert's own comparisons are in jobs.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromKysely, type JobInsert } from 'pg-boss';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { spawnTickler } from '../helpers/process.ts';
import type { Jobs } from '../../src/platform/jobs.ts';
import pg from 'pg';
import { jobsInStateSql, PGBOSS_SCHEMA_VERSION } from '../../src/platform/pgboss-seam.ts';

const Q = 'reminder.fire';
let db: TestDatabase;
let server: TestServer;
let jobs: Jobs;
let table: string;
const em = (): EntityManager => server.app.orm!.em.fork();
const exec = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => em().getConnection().execute<T[]>(sql, params.map((p) => (Array.isArray(p) ? `{${p.join(',')}}` : p)));
const row = async (id: string) => (await exec(`select * from ${table} where id = ?`, [id]))[0];
const options = { retryLimit: 3, retryDelay: 60, retryBackoff: false, expireInSeconds: 300 } satisfies Partial<JobInsert>;
const job = (startAfter = new Date(Date.now() - 1000)) => {
  const id = crypto.randomUUID();
  return { id, data: { reminderId: id, version: 1 }, startAfter, ...options };
};
/** Both ways of inserting: pg-boss's insert and Tickler's statement (jobs.insert takes it for these). */
const insertByBoss = (...list: ReturnType<typeof job>[]) => em().transactional((tx) => jobs.boss.insert(Q, list, { db: fromKysely(tx.getKysely()) }));
const insertBySql = (...list: ReturnType<typeof job>[]) => em().transactional((tx) => jobs.insert(tx, Q, list));
/** A row without what differs between two jobs by nature (ids, creation instants, the payload's id). */
const comparable = (r: Record<string, unknown> | undefined) => {
  assert.ok(r, 'the row exists');
  const { id: _id, data: _data, created_on: _c, start_after: _s, keep_until: _k, completed_on: completed, started_on: _st, ...rest } = r;
  return { ...rest, completed: completed !== null };
};
const near = (a: unknown, b: unknown, ms = 5000) => assert.ok(Math.abs(new Date(a as string).getTime() - new Date(b as string).getTime()) < ms, `${a} ≈ ${b}`);

before(async () => {
  db = await createTestDatabase();
  // ROLE=api: no firing worker takes the jobs from under the test.
  server = await startTestServer({ db, env: { ROLE: 'api' } });
  jobs = server.app.services!.jobs;
  const [queue] = await exec<{ table_name: string }>(`select table_name from pgboss.queue where name = ?`, [Q]);
  table = `pgboss.${queue!.table_name}`;
});
after(async () => {
  await server?.stop();
  await db?.drop();
});

test('insert: a job written by Tickler\'s statement is fetched by a pg-boss worker with the same options as one pg-boss inserted', async () => {
  const [a, b] = [job(), job()];
  await insertByBoss(a);
  await insertBySql(b);
  assert.deepEqual(comparable(await row(b.id)), comparable(await row(a.id)));
  const fetched = await em().transactional((tx) => jobs.boss.fetch(Q, { batchSize: 10, includeMetadata: true, db: fromKysely(tx.getKysely()) }));
  const byId = new Map(fetched.map((j) => [j.id, j]));
  assert.ok(byId.has(a.id) && byId.has(b.id));
  for (const key of ['retryLimit', 'retryDelay', 'retryBackoff', 'expireInSeconds', 'state', 'retryCount', 'priority'] as const) {
    assert.deepEqual(byId.get(b.id)![key], byId.get(a.id)![key], key);
  }
  await em().transactional((tx) => jobs.boss.deleteJob(Q, [a.id, b.id], { db: fromKysely(tx.getKysely()) }));
});

test('claim: claimDue takes exactly the jobs pg-boss\'s fetch would take, and a rollback leaves them due for a pg-boss worker', async () => {
  const due = [job(), job()];
  const later = job(new Date(Date.now() + 3_600_000));
  const cancelled = job();
  const active = job();
  const retrying = job();
  await insertByBoss(due[0]!, later, cancelled);
  await insertBySql(due[1]!, active, retrying);
  await em().transactional((tx) => jobs.boss.cancel(Q, [cancelled.id], { db: fromKysely(tx.getKysely()) }));
  await exec(`update ${table} set state = 'active', started_on = now() where id = ?`, [active.id]);
  await exec(`update ${table} set state = 'retry', retry_count = 1 where id = ?`, [retrying.id]);
  const mine: string[] = [due[0]!.id, due[1]!.id, later.id, cancelled.id, active.id, retrying.id];
  const expected = [due[0]!.id, due[1]!.id, retrying.id].sort();

  // Tickler's claim, rolled back: it changes no row, and leaves every job as it found it.
  const before = await exec(`select * from ${table} where id = any(?::uuid[]) order by id`, [mine]);
  const claimed = await em().transactional(async (tx) => {
    const taken = await jobs.claimDue(tx, Q, 100);
    throw Object.assign(new Error('roll back'), { taken });
  }).catch((error: { taken?: { id: string }[] }) => error.taken ?? []);
  assert.deepEqual(claimed.map((j) => j.id).filter((id) => mine.includes(id)).sort(), expected);
  assert.deepEqual(await exec(`select * from ${table} where id = any(?::uuid[]) order by id`, [mine]), before);

  // pg-boss's fetch, inside a transaction too: the same jobs.
  const fetched = await em().transactional((tx) => jobs.boss.fetch(Q, { batchSize: 100, db: fromKysely(tx.getKysely()) }));
  assert.deepEqual(fetched.map((j) => j.id).filter((id) => mine.includes(id)).sort(), expected);
  // A locked job is skipped by both while its claim's transaction lasts.
  await exec(`update ${table} set state = 'created', started_on = null where id = any(?::uuid[])`, [expected]);
  await em().transactional(async (tx) => {
    const [held] = await jobs.claimDue(tx, Q, 1);
    const other = await jobs.boss.fetch(Q, { batchSize: 100 });
    assert.ok(held && !other.some((j) => j.id === held.id), 'pg-boss does not take a job Tickler holds');
    await jobs.boss.deleteJob(Q, other.map((j) => j.id));
    await jobs.remove(tx, Q, [held!.id]);
  });
  await exec(`delete from ${table} where id = any(?::uuid[])`, [mine]);
});

test('complete/delete: removeSql deletes what pg-boss\'s deleteJob deletes, and a pg-boss worker finds neither', async () => {
  const [a, b] = [job(), job()];
  await insertByBoss(a, b);
  await em().transactional((tx) => jobs.boss.deleteJob(Q, [a.id], { db: fromKysely(tx.getKysely()) }));
  await em().transactional(async (tx) => tx.execute(`with removed as (${await jobs.removeSql(tx, Q)}) select 1`, [[b.id]]));
  assert.deepEqual(await exec(`select id from ${table} where id in (?, ?)`, [a.id, b.id]), []);
  const fetched = await jobs.boss.fetch(Q, { batchSize: 100 });
  assert.ok(!fetched.some((j) => j.id === a.id || j.id === b.id));
  // jobs.remove (pg-boss's deleteJob in the caller's transaction) rolls back with it.
  const c = job();
  await insertBySql(c);
  await em().transactional(async (tx) => {
    await jobs.remove(tx, Q, [c.id]);
    throw new Error('roll back');
  }).catch(() => undefined);
  assert.ok(await row(c.id));
  await jobs.boss.deleteJob(Q, [c.id]);
});

test('cancel: cancelSql leaves the row pg-boss\'s cancel leaves; a pg-boss worker skips both, and resume brings both back', async () => {
  const [a, b] = [job(), job()];
  await insertBySql(a, b);
  await em().transactional((tx) => jobs.boss.cancel(Q, [a.id], { db: fromKysely(tx.getKysely()) }));
  await em().transactional(async (tx) => tx.execute(`with cancelled as (${await jobs.cancelSql(tx, Q)}) select 1`, [[b.id]]));
  const [ra, rb] = [await row(a.id), await row(b.id)];
  assert.equal(ra!.state, 'cancelled');
  assert.deepEqual(comparable(rb), comparable(ra));
  near(rb!.completed_on, ra!.completed_on);
  assert.ok(!(await jobs.boss.fetch(Q, { batchSize: 100 })).some((j) => j.id === a.id || j.id === b.id));
  await jobs.boss.resume(Q, [a.id, b.id]);
  assert.deepEqual(comparable(await row(b.id)), comparable(await row(a.id)));
  const fetched = await jobs.boss.fetch(Q, { batchSize: 100 });
  assert.deepEqual(fetched.map((j) => j.id).filter((id) => id === a.id || id === b.id).sort(), [a.id, b.id].sort());
  await jobs.boss.deleteJob(Q, [a.id, b.id]);
});

test('reschedule: retryLater records a failure as pg-boss\'s fail does; a pg-boss worker retries both alike, then fails both at the retry limit', async () => {
  const [a, b] = [job(), job()];
  // pg-boss fails an active job: a worker takes a, then fails it. Tickler fails a queued one it holds, with the job's own delay.
  await insertByBoss(a);
  assert.ok((await jobs.boss.fetch(Q, { batchSize: 100 })).some((j) => j.id === a.id));
  await insertByBoss(b);
  await jobs.boss.fail(Q, a.id, { message: 'boom' });
  const at = await em().transactional(async (tx) => {
    const locked = await jobs.lockDue(tx, Q, b.id);
    assert.equal(locked?.retryCount, 0);
    return jobs.retryLater(tx, Q, b.id, options.retryDelay * 1000, 'boom');
  });
  const [ra, rb] = [await row(a.id), await row(b.id)];
  assert.equal(ra!.state, 'retry');
  assert.deepEqual(comparable(rb), comparable(ra));
  near(rb!.start_after, ra!.start_after);
  near(at, ra!.start_after);
  // Read next attempt: the loader's statement reads what pg-boss's getJobById reads.
  const next = await exec<{ id: string; start_after: Date }>(jobsInStateSql(Q, 'retry', '?'), [[a.id, b.id]]);
  for (const id of [a.id, b.id]) {
    const byBoss = await jobs.boss.getJobById(Q, id);
    assert.equal(byBoss!.state, 'retry');
    assert.equal(new Date(next.find((n) => n.id === id)!.start_after).getTime(), byBoss!.startAfter.getTime());
  }
  // What a pg-boss worker does next: once due it takes both, and failing them at the limit ends both 'failed'.
  await exec(`update ${table} set start_after = now() - interval '1 second' where id in (?, ?)`, [a.id, b.id]);
  for (let attempt = 2; attempt <= options.retryLimit + 1; attempt++) {
    const taken = (await jobs.boss.fetch(Q, { batchSize: 100 })).filter((j) => j.id === a.id || j.id === b.id);
    assert.equal(taken.length, 2, `attempt ${attempt}: both taken`);
    await jobs.boss.fail(Q, taken.map((j) => j.id), { message: 'boom' });
    await exec(`update ${table} set start_after = now() - interval '1 second' where id in (?, ?) and state = 'retry'`, [a.id, b.id]);
  }
  const [fa, fb] = [await row(a.id), await row(b.id)];
  assert.equal(fa!.state, 'failed');
  assert.deepEqual(comparable(fb), comparable(fa));
});

test('a process refuses to start on a pg-boss schema version the seam was not written for, or a job table missing a column it writes', async () => {
  const other = await createTestDatabase();
  try {
    const first = await startTestServer({ db: other, env: { ROLE: 'api' } });
    await first.stop();
    const run = async (what: string) => {
      const child = spawnTickler({ DATABASE_URL: other.url, ADMIN_TOKEN: TEST_ADMIN_TOKEN, ROLE: 'api' });
      const deadline = setTimeout(() => child.child.kill('SIGKILL'), 60_000);
      const { code } = await child.exited;
      clearTimeout(deadline);
      const fatal = child.logs.find((line) => line.level >= 60);
      assert.equal(code, 1, `${what}: exit code`);
      return String(fatal?.msg ?? '');
    };
    const client = new pg.Client({ connectionString: other.url });
    await client.connect();
    try {
      await client.query(`update pgboss.version set version = ${PGBOSS_SCHEMA_VERSION + 1}`);
      assert.match(await run('newer'), new RegExp(`pg-boss schema is version ${PGBOSS_SCHEMA_VERSION + 1}.*written for schema version ${PGBOSS_SCHEMA_VERSION}.*a newer Tickler`));
      await client.query(`update pgboss.version set version = ${PGBOSS_SCHEMA_VERSION}`);
      await client.query('alter table pgboss.job rename column retry_delay_max to retry_delay_limit');
      assert.match(await run('renamed column'), /job table has no column retry_delay_max/);
    } finally {
      await client.end();
    }
  } finally {
    await other.drop();
  }
});
