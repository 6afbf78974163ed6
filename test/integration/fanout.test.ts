import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createReminder, expire, inMs, subscribe, waitUntilLive, type Account } from '../helpers/reminders.ts';
import type { Subscription } from '../helpers/clients.ts';

let server: TestServer;
let ada: Account;
let bob: Account;

before(async () => {
  server = await startTestServer();
  ada = await server.createAccount('Ada');
  bob = await server.createAccount('Bob');
});
after(() => server.stop());

const SOCKETS = 3;
const DOCUMENT = 'subscription { reminderExpired { cursor reminder { id message } } }';

async function sharedExecutions(): Promise<number> {
  const text = await server.app.services!.metrics.registry.metrics();
  return Number(/^tickler_subscription_executions (\d+)$/m.exec(text)?.[1]);
}

/** Every reminderExpired message on `subscription` until the one about `fenceId`. */
async function readUntil(subscription: Subscription, fenceId: string): Promise<{ id: string; message: string }[]> {
  const seen: { id: string; message: string }[] = [];
  for (;;) {
    const message = await subscription.next(10_000);
    if (message.errors) throw new Error(JSON.stringify(message.errors));
    const reminder = message.data!.reminderExpired.reminder as { id: string; message: string };
    seen.push(reminder);
    if (reminder.id === fenceId) return seen;
  }
}

describe('shared fan-out', () => {
  test('two accounts with the same subscription document share one execution each and never see each other\'s data', async () => {
    const adas = Array.from({ length: SOCKETS }, () => subscribe(server.url, ada, DOCUMENT));
    const bobs = Array.from({ length: SOCKETS }, () => subscribe(server.url, bob, DOCUMENT));
    try {
      await waitUntilLive(server.url, ada, adas.map((s) => s.subscription), 'expired');
      await waitUntilLive(server.url, bob, bobs.map((s) => s.subscription), 'expired');
      assert.equal(await sharedExecutions(), 2, 'one execution per account for six sockets');

      const adaSecret = await createReminder(server.url, ada, { message: 'ada-secret', remindAt: inMs(3_600_000) });
      const bobSecret = await createReminder(server.url, bob, { message: 'bob-secret', remindAt: inMs(3_600_000) });
      await expire(server.url, ada, adaSecret.id);
      await expire(server.url, bob, bobSecret.id);
      // Fences, expired after the secrets: anything that leaked would arrive before them.
      const adaFence = await createReminder(server.url, ada, { message: 'ada-fence', remindAt: inMs(3_600_000) });
      const bobFence = await createReminder(server.url, bob, { message: 'bob-fence', remindAt: inMs(3_600_000) });
      await expire(server.url, ada, adaFence.id);
      await expire(server.url, bob, bobFence.id);

      for (const { subscription } of adas) {
        const seen = await readUntil(subscription, adaFence.id);
        assert.ok(seen.some((r) => r.id === adaSecret.id), 'every socket of Ada gets her expiry');
        assert.ok(seen.every((r) => r.message.startsWith('ada-') || r.message === 'probe'), `Ada saw ${JSON.stringify(seen)}`);
      }
      for (const { subscription } of bobs) {
        const seen = await readUntil(subscription, bobFence.id);
        assert.ok(seen.some((r) => r.id === bobSecret.id), 'every socket of Bob gets his expiry');
        assert.ok(seen.every((r) => r.message.startsWith('bob-') || r.message === 'probe'), `Bob saw ${JSON.stringify(seen)}`);
      }
    } finally {
      await Promise.all([...adas, ...bobs].map((s) => s.close()));
    }
  });

  test('a socket that leaves does not end the execution its account\'s other sockets share', async () => {
    const [first, second] = [subscribe(server.url, ada, DOCUMENT), subscribe(server.url, ada, DOCUMENT)];
    try {
      await waitUntilLive(server.url, ada, [first.subscription, second.subscription], 'expired');
      await first.close();
      const later = await createReminder(server.url, ada, { message: 'ada-later', remindAt: inMs(3_600_000) });
      await expire(server.url, ada, later.id);
      const seen = await readUntil(second.subscription, later.id);
      assert.equal(seen.at(-1)!.message, 'ada-later');
    } finally {
      await second.close();
    }
  });
});
