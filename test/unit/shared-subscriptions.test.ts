import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, type ExecutionResult } from 'graphql';
import { createSubscriptionHub, LaggedError, noteResumeCursor, sharingKey } from '../../src/platform/shared-subscriptions.ts';

/** A source the test pushes results into, like a subscription's execution. */
function source(context: object) {
  // Like a resolver, the cursor is noted when its event is executed (pulled), not when published.
  const queue: { result: ExecutionResult; cursor?: string }[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let returned = 0;
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      while (queue.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
      const item = queue.shift();
      if (!item) return { done: true, value: undefined };
      if (item.cursor) noteResumeCursor(context, item.cursor);
      return { done: false, value: item.result };
    },
    async return() {
      returned++;
      ended = true;
      wake?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return {
    iterator,
    push(result: ExecutionResult, cursor?: string) {
      queue.push({ result, cursor });
      wake?.();
    },
    get returned() {
      return returned;
    },
  };
}

/** A socket's offer that records what it accepted, refusing once `capacity` messages are queued. */
function socket(capacity = Infinity) {
  const accepted: string[] = [];
  return { accepted, offer: (head: Buffer, body: Buffer) => (accepted.length < capacity ? (accepted.push(`${head}${body}`), true) : false) };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('shared subscription executions', () => {
  test('members of one key share one execution, and each gets the same payload under its own id', async () => {
    const hub = createSubscriptionHub();
    const context = {};
    const src = source(context);
    let starts = 0;
    const start = async () => (starts++, { results: src.iterator, context });
    const a = socket();
    const b = socket();
    await hub.join('k', '1', a.offer, start);
    await hub.join('k', 'x"y', b.offer, start);
    assert.equal(starts, 1);
    assert.equal(hub.size, 1);
    src.push({ data: { n: 1 } });
    await turn();
    assert.deepEqual(a.accepted.map((m) => JSON.parse(m)), [{ id: '1', type: 'next', payload: { data: { n: 1 } } }]);
    assert.deepEqual(b.accepted.map((m) => JSON.parse(m)), [{ id: 'x"y', type: 'next', payload: { data: { n: 1 } } }]);
  });

  test('a member that cannot keep up is ended with LAGGED and the cursor to resume from; the others go on', async () => {
    const hub = createSubscriptionHub();
    const context = {};
    const src = source(context);
    const start = async () => ({ results: src.iterator, context });
    const slow = socket(1);
    const fast = socket();
    const slowIterator = (await hub.join('k', '1', slow.offer, start)) as AsyncIterableIterator<ExecutionResult>;
    await hub.join('k', '2', fast.offer, start);
    const slowEnd = slowIterator.next();
    src.push({ data: { n: 1 } }, 'before-1');
    src.push({ data: { n: 2 } }, 'before-2');
    src.push({ data: { n: 3 } }, 'before-3');
    await assert.rejects(slowEnd, (error: unknown) => {
      assert.ok(error instanceof LaggedError);
      assert.deepEqual(error.extensions, { code: 'LAGGED', cursor: 'before-2' });
      return true;
    });
    await turn();
    assert.equal(slow.accepted.length, 1);
    assert.equal(fast.accepted.length, 3);
  });

  test('the execution stops when its last member leaves, and a later join starts a new one', async () => {
    const hub = createSubscriptionHub();
    const context = {};
    const src = source(context);
    const start = async () => ({ results: src.iterator, context });
    const member = (await hub.join('k', '1', socket().offer, start)) as AsyncIterableIterator<ExecutionResult>;
    await member.return!();
    assert.equal(src.returned, 1);
    assert.equal(hub.size, 0);
  });

  test('a start that does not subscribe (an error result) is handed to every member and not kept', async () => {
    const hub = createSubscriptionHub();
    const result = { errors: [] } as ExecutionResult;
    assert.equal(await hub.join('k', '1', socket().offer, async () => ({ result })), result);
    assert.equal(hub.size, 0);
  });
});

describe('sharingKey', () => {
  const doc = (text: string) => parse(text);
  test('keys live subscriptions by account, document and variables', () => {
    const text = 'subscription { reminderExpired { cursor } }';
    const ada = sharingKey('ada', doc(text), text, undefined, undefined);
    assert.ok(ada);
    assert.notEqual(ada, sharingKey('bob', doc(text), text, undefined, undefined));
    assert.notEqual(ada, sharingKey('ada', doc(text), text, undefined, { x: 1 }));
  });

  test('does not share replays, queries or mutations', () => {
    const replay = 'subscription($c: String) { reminderExpired(after: $c) { cursor } }';
    assert.equal(sharingKey('ada', doc(replay), replay, undefined, { c: 'abc' }), null);
    assert.ok(sharingKey('ada', doc(replay), replay, undefined, { c: null }));
    const literal = 'subscription { reminderExpired(after: "abc") { cursor } }';
    assert.equal(sharingKey('ada', doc(literal), literal, undefined, undefined), null);
    assert.equal(sharingKey('ada', doc('{ me { name } }'), '{ me { name } }', undefined, undefined), null);
  });
});
