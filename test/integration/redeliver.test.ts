import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphqlData } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createReminder, expire, inMs, nextAbout, subscribe, waitUntilLive, type Account } from '../helpers/reminders.ts';

/** A webhook receiver on loopback that answers 500 until `healthy` is set, then 200. */
async function flakyReceiver() {
  const received: { headers: IncomingMessage['headers']; body: Record<string, any> }[] = [];
  const state = { healthy: false };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(body) });
      res.statusCode = state.healthy ? 200 : 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    state,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const HISTORY = `query($id: ID!) { reminder(id: $id) { status occurrences { status deliveries { id status
  attempts { attempt outcome error } } } } }`;

const REDELIVER = `mutation($id: ID!) { redeliver(deliveryId: $id) { __typename
  ... on RedeliverPayload { delivery { id status } reminder { id status } }
  ... on Error { code message } ... on ValidationError { fieldErrors { path message } } } }`;

const REDELIVER_FAILED = `mutation($input: RedeliverFailedInput!) { redeliverFailed(input: $input) { __typename
  ... on RedeliverFailedPayload { count }
  ... on Error { code message } ... on ValidationError { fieldErrors { path message } } } }`;

let server: TestServer;
let ada: Account;
let bob: Account;

before(async () => {
  // One retry, at once: a delivery to a failing receiver ends FAILED after two attempts.
  server = await startTestServer({ env: { WEBHOOK_RETRIES: '1', WEBHOOK_RETRY_DELAY_SECONDS: '0' } });
  ada = await server.createAccount('Ada');
  bob = await server.createAccount('Bob');
});
after(() => server.stop());

/** Statuses heard on reminderUpdated for the reminder until `last` (inclusive). */
async function statusesUntil(updates: ReturnType<typeof subscribe>, id: string, last: string): Promise<string[]> {
  const seen: string[] = [];
  while (seen.at(-1) !== last) seen.push((await nextAbout(updates.subscription, 'reminderUpdated', id, 20_000)).status);
  return seen;
}

async function history(id: string) {
  return (await graphqlData(server.url, { token: ada.token, query: HISTORY, variables: { id } })).reminder;
}

describe('redeliver', () => {
  test('a FAILED delivery sent again appends its new attempts and ends SENT, heard live, under the same delivery id', async () => {
    const hook = await flakyReceiver();
    const updates = subscribe(server.url, ada, 'subscription { reminderUpdated { id status } }');
    try {
      await waitUntilLive(server.url, ada, [updates.subscription], 'expired');
      const reminder = await createReminder(server.url, ada, { message: 'Again', remindAt: inMs(3_600_000), channels: [{ kind: 'WEBHOOK', target: hook.url }] });
      await expire(server.url, ada, reminder.id);
      assert.deepEqual([...new Set(await statusesUntil(updates, reminder.id, 'FAILED'))], ['PROCESSING', 'RETRIED', 'FAILED']);
      const failed = (await history(reminder.id)).occurrences[0].deliveries[0];
      assert.equal(failed.status, 'FAILED');
      assert.deepEqual(failed.attempts.map((a: any) => [a.attempt, a.outcome]), [[1, 'RETRYING'], [2, 'FAILED']]);

      // Another account's delivery is not found, exactly like a missing one.
      const foreign = await graphqlData(server.url, { token: bob.token, query: REDELIVER, variables: { id: failed.id } });
      assert.equal(foreign.redeliver.__typename, 'NotFoundError');
      const missing = await graphqlData(server.url, { token: ada.token, query: REDELIVER, variables: { id: 'bm9wZQ==' } });
      assert.equal(missing.redeliver.__typename, 'NotFoundError');

      hook.state.healthy = true;
      const again = await graphqlData(server.url, { token: ada.token, query: REDELIVER, variables: { id: failed.id } });
      assert.equal(again.redeliver.__typename, 'RedeliverPayload');
      assert.deepEqual(again.redeliver.delivery, { id: failed.id, status: 'RETRYING' });
      assert.equal(again.redeliver.reminder.status, 'RETRIED');
      assert.deepEqual(await statusesUntil(updates, reminder.id, 'SENT'), ['RETRIED', 'SENT']);

      const done = await history(reminder.id);
      assert.equal(done.status, 'SENT');
      assert.equal(done.occurrences[0].status, 'SENT');
      assert.deepEqual(done.occurrences[0].deliveries[0].attempts.map((a: any) => [a.attempt, a.outcome]), [[1, 'RETRYING'], [2, 'FAILED'], [3, 'SUCCEEDED']]);
      // Receivers deduplicate on the delivery id: the same in every request, header and body.
      assert.equal(hook.received.length, 3);
      const ids = new Set(hook.received.flatMap((r) => [r.headers['x-tickler-delivery'], r.body.deliveryId]));
      assert.equal(ids.size, 1);
      assert.deepEqual(hook.received.map((r) => r.body.attempt), [1, 2, 3]);

      const twice = await graphqlData(server.url, { token: ada.token, query: REDELIVER, variables: { id: failed.id } });
      assert.equal(twice.redeliver.__typename, 'ValidationError');
      assert.deepEqual(twice.redeliver.fieldErrors.map((e: any) => e.path.join('.')), ['deliveryId']);
      assert.match(twice.redeliver.message, /only a FAILED delivery can be sent again; this one is SUCCEEDED/);
    } finally {
      await updates.close();
      await hook.close();
    }
  });

  test('redeliverFailed sends the account\'s failed deliveries again, by reminder or all, and says how many', async () => {
    const hook = await flakyReceiver();
    const updates = subscribe(server.url, ada, 'subscription { reminderUpdated { id status } }');
    try {
      await waitUntilLive(server.url, ada, [updates.subscription], 'expired');
      const first = await createReminder(server.url, ada, { message: 'One', remindAt: inMs(3_600_000), channels: [{ kind: 'WEBHOOK', target: hook.url }] });
      const second = await createReminder(server.url, ada, { message: 'Two', remindAt: inMs(3_600_000), channels: [{ kind: 'WEBHOOK', target: hook.url }] });
      await expire(server.url, ada, first.id);
      await statusesUntil(updates, first.id, 'FAILED');
      await expire(server.url, ada, second.id);
      await statusesUntil(updates, second.id, 'FAILED');
      const count = async (account: Account, input: Record<string, unknown>) =>
        (await graphqlData(server.url, { token: account.token, query: REDELIVER_FAILED, variables: { input } })).redeliverFailed;

      const future = await count(ada, { since: inMs(3_600_000) });
      assert.equal(future.__typename, 'ValidationError');
      assert.deepEqual(future.fieldErrors.map((e: any) => e.path.join('.')), ['input.since']);
      assert.equal((await count(bob, { reminderId: first.id })).__typename, 'NotFoundError');
      assert.deepEqual(await count(bob, {}), { __typename: 'RedeliverFailedPayload', count: 0 });

      hook.state.healthy = true;
      assert.deepEqual(await count(ada, { reminderId: first.id }), { __typename: 'RedeliverFailedPayload', count: 1 });
      await statusesUntil(updates, first.id, 'SENT');
      assert.equal((await history(second.id)).status, 'FAILED', 'only the named reminder was sent again');

      assert.deepEqual(await count(ada, {}), { __typename: 'RedeliverFailedPayload', count: 1 });
      await statusesUntil(updates, second.id, 'SENT');
      assert.deepEqual(await count(ada, {}), { __typename: 'RedeliverFailedPayload', count: 0 });
      assert.equal(hook.received.filter((r) => r.headers['x-tickler-delivery'] !== undefined).length, 6, 'two failed attempts and one success each');
    } finally {
      await updates.close();
      await hook.close();
    }
  });
});
