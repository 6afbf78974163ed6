import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPubSub } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';
import { createLiveRegistry, type LiveRegistry } from '../../src/platform/live-connections.ts';
import { endableStream } from '../../src/platform/live-streams.ts';
import type { PubSub } from '../../src/platform/pubsub.ts';
import type { Topics } from '../../src/platform/topics.ts';

const ADA = { accountId: 'ada', tokenId: 'ada-1' };
const ADA_2 = { accountId: 'ada', tokenId: 'ada-2' };
const BOB = { accountId: 'bob', tokenId: 'bob-1' };

/** A registry over an in-process pub/sub (the NOTIFY bus is tested end to end in test/e2e/revocation.test.ts). */
async function registry(others = new Map<string, number>()) {
  const pubsub = createPubSub<Topics>() as unknown as PubSub;
  const reported = new Map<string, number>();
  const live = createLiveRegistry({
    pubsub,
    limits: { subscriptions: 3, subscriptionsPerSocket: 2 },
    others: { subscriptionsOf: (accountId) => others.get(accountId) ?? 0, changed: (accountId, count) => void reported.set(accountId, count) },
  });
  await live.start();
  const heard = () => new Promise((resolve) => setImmediate(resolve)); // the notice loop runs on promises
  return { live, pubsub, reported, heard };
}

function opened(live: LiveRegistry, holder: typeof ADA, kind: 'socket' | 'stream' = 'socket') {
  const ends: string[] = [];
  const connection = live.open(holder, kind, (reason) => ends.push(reason));
  return { connection, ends };
}

describe('the live registry', () => {
  test('counts each subscription once, refuses over the socket\'s and the account\'s limits, and frees slots on complete and close', async () => {
    const { live, reported } = await registry();
    const a = opened(live, ADA).connection;
    assert.equal(a.acquire('1'), null);
    assert.equal(a.acquire('1'), null, 'the same id twice takes one slot');
    assert.equal(a.acquire('2'), null);
    assert.deepEqual(a.acquire('3'), { limit: 'subscriptionsPerSocket', value: 2 });
    const b = opened(live, ADA_2).connection;
    assert.equal(b.acquire('1'), null);
    assert.deepEqual(b.acquire('2'), { limit: 'subscriptions', value: 3 }, 'the account\'s limit covers all its tokens');
    assert.equal(opened(live, BOB).connection.acquire('1'), null, 'another account is unaffected');
    assert.equal(live.subscriptionsOf('ada'), 3);
    assert.equal(reported.get('ada'), 3, 'changes are reported for sharing');

    a.release('1');
    a.release('1');
    assert.equal(live.subscriptionsOf('ada'), 2, 'a release counts once');
    b.close();
    b.close();
    assert.equal(live.subscriptionsOf('ada'), 1, 'a closed socket frees all its slots, once');
    assert.equal(b.acquire('3'), null, 'a closed connection takes nothing');
    assert.equal(live.subscriptionsOf('ada'), 1);
  });

  test('counts other processes\' subscriptions against the account\'s limit', async () => {
    const { live } = await registry(new Map([['ada', 2]]));
    const a = opened(live, ADA).connection;
    assert.equal(a.acquire('1'), null);
    assert.deepEqual(a.acquire('2'), { limit: 'subscriptions', value: 3 });
    assert.equal(live.subscriptionsOf('ada'), 3);
  });

  test('a revoked token ends its own connections, also one that registers after the notice, and frees their slots', async () => {
    const { live, pubsub, heard } = await registry();
    const socket = opened(live, ADA);
    const stream = opened(live, ADA, 'stream');
    const other = opened(live, ADA_2);
    socket.connection.acquire('1');
    stream.connection.acquire('sse');
    other.connection.acquire('1');
    pubsub.publish('api-token:revoked', 'tokens', { tokenId: ADA.tokenId });
    await heard();
    assert.deepEqual([socket.ends, stream.ends, other.ends], [['The API token was revoked'], ['The API token was revoked'], []]);
    assert.equal(socket.connection.ended, true);
    assert.equal(live.subscriptionsOf('ada'), 1);

    const late = opened(live, ADA);
    assert.deepEqual(late.ends, ['The API token was revoked']);
    assert.equal(late.connection.ended, true);
  });

  test('a deleted account ends every connection of the account; endStreams ends only streams', async () => {
    const { live, pubsub, heard } = await registry();
    const socket = opened(live, ADA);
    const stream = opened(live, ADA_2, 'stream');
    const bobStream = opened(live, BOB, 'stream');
    const bobSocket = opened(live, BOB);
    pubsub.publish('account:deleted', 'accounts', { accountId: 'ada' });
    await heard();
    assert.deepEqual([socket.ends, stream.ends, bobStream.ends], [['The account was deleted'], ['The account was deleted'], []]);
    live.endStreams('interrupted');
    assert.deepEqual([bobStream.ends, bobSocket.ends], [['interrupted'], []]);
    await live.stop();
  });
});

/** An iterator whose results are pushed by the test, recording whether it was returned. */
function source() {
  const waiting: ((result: IteratorResult<ExecutionResult>) => void)[] = [];
  let returned = false;
  const iterator: AsyncIterator<ExecutionResult> = {
    next: () => new Promise((resolve) => waiting.push(resolve)),
    return: async () => {
      returned = true;
      for (const resolve of waiting.splice(0)) resolve({ done: true, value: undefined });
      return { done: true, value: undefined };
    },
  };
  return { iterator, push: (value: ExecutionResult) => waiting.shift()!({ done: false, value }), returned: () => returned };
}

describe('endableStream', () => {
  test('passes results through until ended; a pending next then gets the reason, the next one done, and the source is returned', async () => {
    const s = source();
    const stream = endableStream(s.iterator);
    let finished = 0;
    stream.onFinish(() => finished++);
    const first = stream.iterable.next();
    s.push({ data: { n: 1 } });
    assert.deepEqual(await first, { done: false, value: { data: { n: 1 } } });
    const pending = stream.iterable.next();
    stream.end('The API token was revoked');
    const last = await pending;
    assert.equal(last.done, false);
    assert.equal(last.value?.errors?.[0]?.message, 'The API token was revoked');
    assert.equal(last.value?.errors?.[0]?.extensions.code, 'UNAUTHENTICATED');
    assert.deepEqual(await stream.iterable.next(), { done: true, value: undefined });
    assert.equal(s.returned(), true);
    assert.equal(finished, 1);
  });

  test('ended with no next pending, the reason comes first; ended before onFinish, onFinish runs at once', async () => {
    const s = source();
    const stream = endableStream(s.iterator);
    stream.end('gone');
    let finished = 0;
    stream.onFinish(() => finished++);
    assert.equal(finished, 1);
    assert.equal((await stream.iterable.next()).value?.errors?.[0]?.message, 'gone');
    assert.equal((await stream.iterable.next()).done, true);
  });

  test('return (the client went away) finishes it once and returns the source', async () => {
    const s = source();
    const stream = endableStream(s.iterator);
    let finished = 0;
    stream.onFinish(() => finished++);
    const pending = stream.iterable.next();
    await stream.iterable.return!();
    assert.equal(s.returned(), true);
    assert.equal(finished, 1);
    stream.end('too late');
    assert.equal(finished, 1);
    assert.equal((await pending).done, true);
  });
});
