// A worker SIGKILLed while a webhook request is in flight: after the restart the delivery is sent
// again within 60 s of the worker being ready (the job's heartbeat lapses and pg-boss's supervisor,
// every 10 s, hands it out again), under the same delivery id, and recorded once. Slow by nature
// (the heartbeat is 10 s): ≈ 30 s, more on a loaded machine, where a start alone can take 30 s.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDatabase } from '../helpers/db.ts';
import { spawnTickler, type TicklerProcess } from '../helpers/process.ts';
import { graphqlData, within } from '../helpers/clients.ts';
import { createReminder, expire, inMs, nextAbout, subscribe, waitUntilLive } from '../helpers/reminders.ts';

const RETRY_BOUND_MS = 60_000;
const ADMIN_TOKEN = 'delivery-crash-admin-token';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

function start(env: Record<string, string>): TicklerProcess {
  const run = spawnTickler(env);
  cleanups.push(async () => {
    if (run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill('SIGKILL');
      await run.exited;
    }
  });
  return run;
}

type Request = { at: number; headers: IncomingMessage['headers']; body: Record<string, any>; res: ServerResponse };

/** A receiver that holds its first request open (never answers it) and answers 200 to the others. */
async function holdingReceiver() {
  const requests: Request[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ at: Date.now(), headers: req.headers, body: JSON.parse(body), res });
      if (requests.length > 1) res.end();
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => {
    server.close(resolve);
    server.closeAllConnections();
  }));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    requests,
    /** Resolves once `count` requests have arrived. */
    arrived: (count: number) => new Promise<void>((resolve) => {
      if (requests.length >= count) resolve();
      else waiters.push({ count, resolve });
    }),
  };
}

describe('a delivery in flight when its worker is killed', () => {
  test('is sent again within 60 s of a worker being ready, with the same delivery id, and recorded as one success', { timeout: 240_000 }, async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const env = { DATABASE_URL: db.url, ADMIN_TOKEN, WEBHOOK_RETRIES: '3', WEBHOOK_RETRY_DELAY_SECONDS: '1' };
    const hook = await holdingReceiver();

    const first = start(env);
    const url = await within(first.ready, 90_000, 'first start');
    const { createAccount } = await graphqlData(url, {
      token: ADMIN_TOKEN,
      query: 'mutation { createAccount(input: { name: "Crash", timeZone: "UTC" }) { ... on CreateAccountPayload { token } } }',
    });
    const account = { id: '', token: createAccount.token as string };
    const reminder = await createReminder(url, account, { message: 'In flight', remindAt: inMs(3_600_000), channels: [{ kind: 'WEBHOOK', target: hook.url }] });
    await expire(url, account, reminder.id);

    await within(hook.arrived(1), 15_000, 'the first request');
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Date.now();

    const second = start(env);
    const url2 = await within(second.ready, 90_000, 'restart');
    const readyAt = Date.now();
    const updates = subscribe(url2, account, 'subscription { reminderUpdated { id status } }');
    cleanups.push(() => updates.close());
    await waitUntilLive(url2, account, [updates.subscription], 'expired');
    await within(hook.arrived(2), RETRY_BOUND_MS - (Date.now() - readyAt), 'the retried request');
    const retriedAfterMs = hook.requests[1]!.at - killedAt;
    const afterReadyMs = hook.requests[1]!.at - readyAt;
    assert.ok(afterReadyMs < RETRY_BOUND_MS, `retried ${afterReadyMs} ms after the restarted worker was ready`);

    // The attempt is recorded once the worker has the answer: reminderUpdated says SENT then.
    const HISTORY = 'query($id: ID!) { reminder(id: $id) { status occurrences { deliveries { id status attempts { attempt outcome } } } } }';
    const read = async () => (await graphqlData(url2, { token: account.token, query: HISTORY, variables: { id: reminder.id } })).reminder;
    let status = (await read()).status;
    while (status !== 'SENT') status = (await nextAbout(updates.subscription, 'reminderUpdated', reminder.id, 10_000)).status;
    const history = await read();
    const delivery = history.occurrences[0].deliveries[0];
    assert.equal(delivery.status, 'SUCCEEDED');
    // The killed attempt had no outcome to record: one attempt, the success.
    assert.deepEqual(delivery.attempts.map((a: any) => [a.attempt, a.outcome]), [[1, 'SUCCEEDED']]);

    // Both requests carry the same delivery id, so a receiver that did act on the first can ignore the second.
    assert.equal(hook.requests.length, 2, 'exactly one request after the restart');
    const ids = new Set(hook.requests.flatMap((r) => [r.headers['x-tickler-delivery'], r.body.deliveryId]));
    assert.equal(ids.size, 1);
    console.log(`# delivery retried ${retriedAfterMs} ms after the SIGKILL, ${afterReadyMs} ms after the restart was ready`);

    second.child.kill('SIGTERM');
    assert.equal((await second.exited).code, 0);
  });
});
