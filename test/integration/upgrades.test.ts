import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, databaseUrl, type TestDatabase } from '../helpers/db.ts';
import { spawnTickler } from '../helpers/process.ts';
import { startTestServer, TEST_ADMIN_TOKEN } from '../helpers/server.ts';
import { graphqlData } from '../helpers/clients.ts';
import { connectOrm } from '../../src/platform/database.ts';
import { migrateWithLock } from '../../src/platform/migrator.ts';
import { hashToken } from '../../src/accounts/token.ts';

/** The migrations of the previous release (git ed16623); their files are unchanged since. */
const PREVIOUS_RELEASE_LAST = 'Migration20261202030957_calendar_feeds';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** An empty database (not the migrated template): the previous release starts from nothing. */
async function emptyDatabase(): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await withClient(databaseUrl('postgres'), (c) => c.query(`create database ${name}`));
  const db = { name, url: databaseUrl(name), drop: () => withClient(databaseUrl('postgres'), (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined) };
  cleanups.push(db.drop);
  return db;
}

test('a process refuses to start on a database migrated by a newer Tickler, saying so, and exits 1', async () => {
  const db = await createTestDatabase();
  cleanups.push(db.drop);
  await withClient(db.url, (c) => c.query(`insert into mikro_orm_migrations (name, executed_at) values ('Migration20991231235959_from_a_newer_version', now())`));
  const before = await withClient(db.url, (c) => c.query('select count(*)::int as n from mikro_orm_migrations'));

  const tickler = spawnTickler({ DATABASE_URL: db.url, ADMIN_TOKEN: TEST_ADMIN_TOKEN });
  const { code } = await tickler.exited;
  assert.equal(code, 1);
  const fatal = tickler.logs.find((line) => line.level === 60 || line.level === 'fatal');
  assert.ok(fatal, `a fatal log line; logs: ${JSON.stringify(tickler.logs.slice(-3))}`);
  assert.match(String(fatal.msg), /migrated by a newer version of Tickler/);
  assert.match(String(fatal.msg), /Migration20991231235959_from_a_newer_version/);
  const afterwards = await withClient(db.url, (c) => c.query('select count(*)::int as n from mikro_orm_migrations'));
  assert.equal(afterwards.rows[0].n, before.rows[0].n, 'nothing was migrated');
});

test('the previous release\'s schema with its data upgrades to this one: rows kept, usage counted, served by the API', async () => {
  const db = await emptyDatabase();
  const orm = await connectOrm(db.url);
  try {
    const applied = await orm.migrator.up({ to: PREVIOUS_RELEASE_LAST });
    assert.equal(applied.at(-1)?.name, PREVIOUS_RELEASE_LAST);
  } finally {
    await orm.close(true);
  }

  // Data as the previous release wrote it (its columns only).
  const accountId = randomUUID();
  const calendarId = randomUUID();
  const reminderId = randomUUID();
  const token = `tk_${randomBytes(16).toString('hex')}`;
  await withClient(db.url, async (c) => {
    await c.query(`insert into account (id, name, time_zone, webhook_secret, created_at, updated_at) values ($1, 'Old', 'Europe/Paris', 'secret', now(), now())`, [accountId]);
    await c.query(`insert into api_token (id, account_id, name, token_hash, created_at) values ($1, $2, 'old', $3, now())`, [randomUUID(), accountId, hashToken(token)]);
    await c.query(`insert into calendar (id, account_id, name, time_zone, is_default, working_hours, created_at, updated_at)
      values ($1, $2, 'Default', 'Europe/Paris', true, '[]', now(), now())`, [calendarId, accountId]);
    await c.query(`insert into reminder (id, account_id, message, remind_at, time_zone, recurrence, series_start, status, channels, created_at, updated_at)
      values ($1, $2, 'Stand-up', now() + interval '1 day', 'Europe/Paris', 'FREQ=DAILY', now() - interval '3 days', 'SCHEDULED', '[]', now(), now())`, [reminderId, accountId]);
    for (let day = 3; day >= 1; day--) {
      const { rows: [o] } = await c.query(`insert into reminder_occurrence (reminder_id, account_id, due_at, fired_at, lateness_ms, status)
        values ($1, $2, now() - $3 * interval '1 day', now() - $3 * interval '1 day', 12, 'SENT') returning id`, [reminderId, accountId, day]);
      const deliveryId = randomUUID();
      await c.query(`insert into reminder_delivery (id, occurrence_id, channel_index, kind, target, status, attempts) values ($1, $2, 0, 'WEBHOOK', 'https://example.com/hook', 'SUCCEEDED', 1)`, [deliveryId, o.id]);
      await c.query(`insert into delivery_attempt (delivery_id, attempt, attempted_at, duration_ms, outcome) values ($1, 1, now() - $2 * interval '1 day', 40, 'SUCCEEDED')`, [deliveryId, day]);
      await c.query('update reminder set last_occurrence_id = $1 where id = $2', [o.id, reminderId]);
    }
    await c.query(`insert into event (id, account_id, calendar_id, title, starts_at, ends_at, duration_minutes, placement, created_at, updated_at)
      values ($1, $2, $3, 'Review', now() + interval '2 days', now() + interval '2 days 1 hour', 60, 'EXACT', now(), now())`, [randomUUID(), accountId, calendarId]);
  });

  // This version's migrations, as the first process of the new version runs them.
  const upgraded = await connectOrm(db.url);
  let applied: string[];
  try {
    applied = await migrateWithLock(upgraded, db.url);
  } finally {
    await upgraded.close(true);
  }
  assert.ok(applied.length > 0 && applied.every((name) => name > PREVIOUS_RELEASE_LAST), `applied: ${applied.join(', ')}`);

  const [usage] = (await withClient(db.url, (c) => c.query('select * from account_usage where account_id = $1', [accountId]))).rows;
  assert.deepEqual({ ...usage, account_id: undefined }, {
    account_id: undefined, active_reminders: '1', calendar_feeds: '0', api_tokens: '1', attachment_bytes: '0', history_rows: '9',
  }, 'the usage counters were filled from the existing rows');

  // A server of this version serves the old rows.
  const server = await startTestServer({ db });
  cleanups.push(() => server.stop());
  const reminderGlobalId = Buffer.from(`Reminder:${reminderId}`).toString('base64');
  const data = await graphqlData<{ me: { usage: { historyRows: number; activeReminders: number } }; reminder: { message: string; occurrences: { latenessMs: number; deliveries: { status: string }[] }[] } }>(server.url, {
    query: `query($id: ID!) { me { usage { historyRows activeReminders } }
      reminder(id: $id) { message occurrences(first: 5) { latenessMs deliveries { status } } } }`,
    variables: { id: reminderGlobalId },
    token,
  });
  assert.deepEqual(data.me.usage, { historyRows: 9, activeReminders: 1 });
  assert.equal(data.reminder.message, 'Stand-up');
  assert.equal(data.reminder.occurrences.length, 3);
  assert.ok(data.reminder.occurrences.every((o) => o.latenessMs === 12 && o.deliveries[0]?.status === 'SUCCEEDED'));
});
