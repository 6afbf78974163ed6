import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromKysely } from 'pg-boss';
import { createTestDatabase } from '../helpers/db.ts';
import { jsonJobs } from '../../src/platform/jobs.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

const dueIndexes = (s: TestServer) => s.app.orm!.em.fork().getConnection().execute<{ name: string; valid: boolean; definition: string }[]>(`
  select c.relname as name, i.indisvalid as valid, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
   where n.nspname = 'pgboss' and c.relname like 'tickler_due_%'`);

test('the fire queue gets its own job table with an index by due time, built once however many processes start', async () => {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  const [first, second] = await Promise.all([startTestServer({ db }), startTestServer({ db, env: { ROLE: 'worker' } })]);
  cleanups.push(() => first.stop(), () => second.stop());

  const [queue] = await first.app.orm!.em.fork().getConnection().execute<{ table_name: string }[]>(`select table_name from pgboss.queue where name = 'reminder.fire'`);
  assert.notEqual(queue!.table_name, 'job_common', 'reminder.fire has a table of its own');
  const indexes = await dueIndexes(first);
  assert.equal(indexes.length, 1);
  assert.equal(indexes[0]!.valid, true);
  assert.match(indexes[0]!.definition, new RegExp(`ON pgboss\\.${queue!.table_name} USING btree \\(name, start_after\\) WHERE \\(\\(state < 'active'::pgboss\\.job_state\\) AND \\(NOT blocked\\)\\)`));

  // Gone (or left invalid by an interrupted build): the next start builds it again.
  await first.app.orm!.em.fork().getConnection().execute(`drop index pgboss.${indexes[0]!.name}`);
  await first.app.services!.jobs.ensureDueIndex('reminder.fire');
  assert.deepEqual((await dueIndexes(first)).map((i) => [i.name, i.valid]), [[indexes[0]!.name, true]]);
});

test('a fire job written by our insert statement (insertSql) is the row pg-boss would have written', async () => {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  const server = await startTestServer({ db, env: { ROLE: 'api' } });
  cleanups.push(() => server.stop());
  const jobs = server.app.services!.jobs;
  const em = server.app.orm!.em.fork();
  const startAfter = new Date(Date.now() + 86_400_000);
  const options = { startAfter, retryLimit: 10, retryDelay: 1, retryBackoff: true, retryDelayMax: 30, expireInSeconds: 300 };
  const [byBoss, bySql] = [crypto.randomUUID(), crypto.randomUUID()];
  await em.transactional((tx) => jobs.boss.insert('reminder.fire', [{ id: byBoss, data: { reminderId: byBoss, version: 1 }, ...options }], { db: fromKysely(tx.getKysely()) }));
  await em.execute(`with job as (${await jobs.insertSql(em, 'reminder.fire')}) select 1`, [jsonJobs([{ id: bySql, data: { reminderId: bySql, version: 1 }, ...options }])]);

  const [{ table_name: table }] = await em.execute<{ table_name: string }[]>(`select table_name from pgboss.queue where name = 'reminder.fire'`) as [{ table_name: string }];
  const rows = await em.execute<Record<string, unknown>[]>(`select * from pgboss.${table} where id in (?, ?)`, [byBoss, bySql]);
  assert.equal(rows.length, 2);
  const comparable = (row: Record<string, unknown>) => {
    const { id, data, created_on: _created, ...rest } = row;
    return { ...rest, data: { ...(data as object), reminderId: id === undefined ? '' : 'either' } };
  };
  const [a, b] = [rows.find((r) => r.id === byBoss)!, rows.find((r) => r.id === bySql)!];
  assert.deepEqual(comparable(b), comparable(a));
  assert.equal((b.data as { reminderId: string }).reminderId, bySql);
  // Once due, the claim that firing makes takes both alike.
  await em.execute(`update pgboss.${table} set start_after = now() - interval '1 second' where id in (?, ?)`, [byBoss, bySql]);
  const claimed = await em.transactional((tx) => jobs.claimDue(tx, 'reminder.fire', 10));
  assert.deepEqual(claimed.map((j) => j.id).sort(), [byBoss, bySql].sort());
});

test('a delivery job with its account as group, written by our insert, is the row pg-boss would have written', async () => {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  const server = await startTestServer({ db, env: { ROLE: 'api' } });
  cleanups.push(() => server.stop());
  const jobs = server.app.services!.jobs;
  const em = server.app.orm!.em.fork();
  const account = crypto.randomUUID();
  const options = { retryLimit: 6, retryDelay: 5, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 120, group: { id: account } };
  const [byBoss, bySql] = [crypto.randomUUID(), crypto.randomUUID()];
  const startAfter = new Date(Date.now() + 60_000);
  await em.transactional((tx) => jobs.boss.insert('reminder.deliver', [{ id: byBoss, data: { deliveryId: 'x' }, startAfter, ...options }], { db: fromKysely(tx.getKysely()) }));
  // jobs.insert takes insertSql's statement for these (group included), not pg-boss's.
  await em.transactional((tx) => jobs.insert(tx, 'reminder.deliver', [{ id: bySql, data: { deliveryId: 'x' }, startAfter, ...options }]));

  const rows = await em.execute<Record<string, unknown>[]>(`select * from pgboss.job where name = 'reminder.deliver' and id in (?, ?)`, [byBoss, bySql]);
  assert.equal(rows.length, 2);
  const comparable = (row: Record<string, unknown>) => {
    const { id: _id, created_on: _created, ...rest } = row;
    return rest;
  };
  const [a, b] = [rows.find((r) => r.id === byBoss)!, rows.find((r) => r.id === bySql)!];
  assert.equal(a.group_id, account);
  assert.deepEqual(comparable(b), comparable(a));
});
