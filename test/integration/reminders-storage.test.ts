import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { startTestServer } from '../helpers/server.ts';
import { createReminder, expire, inMs } from '../helpers/reminders.ts';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

test('deleting an account deletes its reminders with their whole history (occurrences, deliveries, attempts)', async () => {
  const hook = createServer((_req, res) => res.end());
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => hook.close(resolve)));
  const server = await startTestServer();
  cleanups.push(() => server.stop());
  const sql = <T>(text: string) => server.app.orm!.em.fork().getConnection().execute<T[]>(text);

  const [ada, bob] = [await server.createAccount('Ada', 'UTC'), await server.createAccount('Bob', 'UTC')];
  for (const account of [ada, bob]) {
    const reminder = await createReminder(server.url, account, {
      message: 'history', remindAt: inMs(3_600_000), channels: [{ kind: 'WEBHOOK', target: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/` }],
    });
    await expire(server.url, account, reminder.id);
  }
  const attempts = () => sql<{ n: number }>('select count(*)::int as n from delivery_attempt');
  for (let i = 0; (await attempts())[0]!.n < 2; i++) {
    assert.ok(i < 200, 'both webhooks were attempted');
    await delay(25);
  }

  await sql(`delete from account where name = 'Ada'`);
  const left = await sql<Record<string, number>>(`select
    (select count(*)::int from reminder) as reminders, (select count(*)::int from reminder_occurrence) as occurrences,
    (select count(*)::int from reminder_delivery) as deliveries, (select count(*)::int from delivery_attempt) as attempts`);
  assert.deepEqual(left[0], { reminders: 1, occurrences: 1, deliveries: 1, attempts: 1 }, 'only Bob\'s history is left');
});
