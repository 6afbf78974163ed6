// A reminder whose firing throws does not stop firing for everyone: its batch is split until it is
// alone, the others fire on time, and it is backed off until it ends FAILED with the reason.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.ts';
import { createBurst, expiryCursor, hearAll } from '../helpers/bursts.ts';
import { createReminder, nextAbout, subscribe, waitUntilLive } from '../helpers/reminders.ts';
import { graphqlData } from '../helpers/clients.ts';
import { decodeId } from '../../src/graphql/ids.ts';
import { FIRE_FAILURE_LIMIT, fireRetryDelayMs } from '../../src/reminders/fire.job.ts';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

test('a reminder whose firing throws is isolated: its 50 neighbours fire on time, it is retried with backoff and ends FAILED with the reason', { timeout: 180_000 }, async () => {
  const server = await startTestServer();
  cleanups.push(() => server.stop());
  const account = await server.createAccount('Poison');
  const cursor = await expiryCursor(server.url, account);
  const { ids, dueAt } = await createBurst(server.url, account, 51, {}, 2000);
  const [bad, ...neighbours] = ids as [string, ...string[]];
  const later = await createReminder(server.url, account, { message: 'later', remindAt: new Date(dueAt + 3000).toISOString() });

  // The poison: recording this one reminder's occurrence raises, as a bug or bad data would.
  const sql = server.app.orm!.em.fork().getConnection();
  await sql.execute(`create function poison_one() returns trigger language plpgsql as $$
    begin
      if new.reminder_id = '${decodeId('Reminder', bad)}' then raise exception 'poisoned reminder %', new.reminder_id; end if;
      return new;
    end $$`);
  await sql.execute('create trigger poison_one before insert on reminder_occurrence for each row execute function poison_one()');

  const updates = subscribe(server.url, account, 'subscription { reminderUpdated { id status } }');
  cleanups.push(() => updates.close());
  await waitUntilLive(server.url, account, [updates.subscription], 'created');

  const heard = await hearAll(server.url, account, [...neighbours, later.id], cursor, 30_000);
  assert.equal(heard.length, neighbours.length + 1, 'every neighbour and the later one fired, once');
  const lateness = heard.filter((h) => h.id !== later.id).map((h) => h.latenessMs);
  const worst = Math.max(...lateness);
  const laterHeard = heard.find((h) => h.id === later.id)!;
  console.log(`# neighbours fired at most ${worst} ms late (median ${lateness.sort((a, b) => a - b)[25]} ms); the later reminder ${laterHeard.latenessMs} ms late`);
  assert.ok(worst < 2000, `a neighbour fired ${worst} ms late`);
  assert.ok(laterHeard.latenessMs < 2000, `the later reminder fired ${laterHeard.latenessMs} ms late`);

  // The bad one: backed off 1, 2, 4, 8 s, then FAILED at the fifth failure.
  const backoffMs = Array.from({ length: FIRE_FAILURE_LIMIT - 1 }, (_, i) => fireRetryDelayMs(i + 1)).reduce((a, b) => a + b, 0);
  const deadline = Date.now() + backoffMs + 30_000;
  let status = '';
  while (status !== 'FAILED') {
    status = (await nextAbout(updates.subscription, 'reminderUpdated', bad, Math.max(1, deadline - Date.now()))).status;
  }
  const failedAfterMs = Date.now() - dueAt;
  const { reminder } = await graphqlData(server.url, {
    token: account.token,
    query: 'query($id: ID!) { reminder(id: $id) { status failureReason occurrences { status } } }',
    variables: { id: bad },
  });
  console.log(`# the poisoned reminder ended FAILED ${failedAfterMs} ms after it was due: ${reminder.failureReason}`);
  assert.equal(reminder.status, 'FAILED');
  assert.match(reminder.failureReason, new RegExp(`^Firing failed ${FIRE_FAILURE_LIMIT} times; last error: .*poisoned reminder`));
  assert.deepEqual(reminder.occurrences, []);
  assert.ok(failedAfterMs >= backoffMs - 500, `FAILED after ${failedAfterMs} ms, sooner than the backoff (${backoffMs} ms) allows`);

  const metrics = await server.app.services!.metrics.registry.getSingleMetricAsString('tickler_fire_failures_total');
  assert.match(metrics, new RegExp(`tickler_fire_failures_total\\{outcome="retry"\\} ${FIRE_FAILURE_LIMIT - 1}\\b`));
  assert.match(metrics, /tickler_fire_failures_total\{outcome="failed"\} 1\b/);
  // Nothing is left to fire for it.
  const [job] = await sql.execute<{ job_id: string | null }[]>('select job_id from reminder where id = ?', [decodeId('Reminder', bad)]);
  assert.equal(job!.job_id, null);
});
