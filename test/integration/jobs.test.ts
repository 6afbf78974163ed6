import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/db.ts';
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
