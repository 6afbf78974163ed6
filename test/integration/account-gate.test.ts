// The per-account gate: an account's requests beyond ACCOUNT_CONCURRENCY wait in their own line, and
// another account's request runs at once meanwhile.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.ts';
import { graphqlData, within } from '../helpers/clients.ts';
import { holdingGuard } from '../helpers/outbound.ts';
import { createAccountGate } from '../../src/platform/account-gate.ts';

describe('createAccountGate', () => {
  test('runs up to the limit per account, lets the rest wait in order, and passes each freed slot to the next', async () => {
    const gate = createAccountGate(2);
    const a1 = (await gate.enter('a'))!;
    const a2 = (await gate.enter('a'))!;
    const order: string[] = [];
    const a3 = gate.enter('a').then((leave) => (order.push('a3'), leave!));
    const a4 = gate.enter('a').then((leave) => (order.push('a4'), leave!));
    const b1 = await gate.enter('b');
    assert.ok(b1, 'another account is not held up');
    assert.deepEqual(gate.stats('a'), { running: 2, waiting: 2 });
    a1();
    a1(); // twice is once
    const third = await a3;
    assert.deepEqual(order, ['a3']);
    assert.deepEqual(gate.stats('a'), { running: 2, waiting: 1 });
    a2();
    const fourth = await a4;
    assert.deepEqual(order, ['a3', 'a4']);
    third();
    fourth();
    assert.deepEqual(gate.stats('a'), { running: 0, waiting: 0 });
    b1!();
    assert.deepEqual(gate.stats('b'), { running: 0, waiting: 0 });
  });

  test('refuses when an account\'s line is full', async () => {
    const gate = createAccountGate(1, 1);
    const first = await gate.enter('a');
    const waiting = gate.enter('a');
    assert.equal(await gate.enter('a'), null);
    first!();
    (await waiting)!();
  });
});

describe('the gate in a server', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  test('an account with its slots held by slow requests does not hold up another account\'s request; its own extra request waits its turn', { timeout: 60_000 }, async () => {
    const { outbound, held, release } = holdingGuard();
    const server = await startTestServer({ outbound, env: { ACCOUNT_CONCURRENCY: '2' } });
    cleanups.push(() => server.stop());
    const noisy = await server.createAccount('Noisy');
    const quiet = await server.createAccount('Quiet');
    const create = (token: string, target?: string) => graphqlData(server.url, {
      token,
      query: 'mutation($input: CreateReminderInput!) { createReminder(input: $input) { __typename } }',
      variables: { input: { message: 'gate', remindAt: new Date(Date.now() + 3_600_000).toISOString(), channels: target ? [{ kind: 'WEBHOOK', target }] : [] } },
    });

    const slow = [create(noisy.token, 'http://127.0.0.1:9/slow'), create(noisy.token, 'http://127.0.0.1:9/slow')];
    await within(held(2), 10_000, 'both slots of the noisy account taken');
    // The noisy account's third request waits for a slot; the quiet account's runs at once.
    let thirdDone = false;
    const third = create(noisy.token).then((result) => ((thirdDone = true), result));
    const quietResult = await within(create(quiet.token), 10_000, 'the quiet account\'s request while the noisy one\'s slots are held');
    assert.equal(quietResult.createReminder.__typename, 'CreateReminderPayload');
    const meanwhile = await within(graphqlData(server.url, { token: quiet.token, query: '{ me { name } }' }), 10_000, 'a query of the quiet account');
    assert.equal(meanwhile.me.name, 'Quiet');
    assert.equal(thirdDone, false, 'the noisy account\'s third request waits while its two slots are held');
    release();
    for (const result of await within(Promise.all([...slow, third]), 10_000, 'the noisy account\'s requests once its slots are freed')) {
      assert.equal(result.createReminder.__typename, 'CreateReminderPayload');
    }
  });
});
