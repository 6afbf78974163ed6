import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchStream } from '../../src/reminders/streams.ts';

/** A live source fed by the test, like the pub/sub's iterator: next() waits for a push, return() ends it. */
function liveSource<T>() {
  const queued: T[] = [];
  const waiting: ((result: IteratorResult<T>) => void)[] = [];
  let ended = false;
  let nextCalls = 0;
  const iterator: AsyncIterator<T> = {
    next() {
      nextCalls++;
      if (queued.length) return Promise.resolve({ done: false, value: queued.shift()! });
      if (ended) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => waiting.push(resolve));
    },
    async return() {
      ended = true;
      for (const resolve of waiting.splice(0)) resolve({ done: true, value: undefined });
      return { done: true, value: undefined };
    },
  };
  return {
    iterator,
    push(value: T) {
      const resolve = waiting.shift();
      if (resolve) resolve({ done: false, value });
      else queued.push(value);
    },
    get ended() {
      return ended;
    },
    get nextCalls() {
      return nextCalls;
    },
  };
}

const byKey = (ids: number[], after: bigint | null) => Promise.resolve(ids.filter((id) => after === null || BigInt(id) > after));

test('rows of each live batch come one at a time, in order, listening from the start', async () => {
  const live = liveSource<number[]>();
  const stream = batchStream(() => live.iterator, byKey, (id) => BigInt(id));
  assert.equal(live.nextCalls, 1, 'listens before the first pull');
  live.push([1, 2, 3]);
  live.push([4]);
  const seen: number[] = [];
  for await (const id of stream) {
    seen.push(id);
    if (id === 4) break;
  }
  assert.deepEqual(seen, [1, 2, 3, 4]);
  assert.equal(live.ended, true, 'leaving the loop releases the live source');
});

test('replay pages come first; live rows already replayed are skipped at the seam, later ones kept', async () => {
  const live = liveSource<number[]>();
  const history = [11, 12, 13, 14, 15];
  const stream = batchStream(() => live.iterator, byKey, (id) => BigInt(id), {
    after: 10n,
    page: async (after) => {
      const rows = history.filter((id) => BigInt(id) > after).slice(0, 2);
      return { rows, more: rows.length === 2 };
    },
  });
  // Expiries committed while the client replays: 14 and 15 are in history too, 16 is new.
  live.push([14, 15, 16]);
  live.push([9, 17]);
  const seen: number[] = [];
  for await (const id of stream) {
    seen.push(id);
    if (id === 17) break;
  }
  assert.deepEqual(seen, [11, 12, 13, 14, 15, 16, 17]);
});

test('return() while waiting for the next live batch ends the stream at once', async () => {
  const live = liveSource<number[]>();
  const stream = batchStream(() => live.iterator, byKey, (id) => BigInt(id));
  const pending = stream.next();
  await stream.return!();
  assert.deepEqual(await pending, { done: true, value: undefined });
  assert.equal(live.ended, true);
});

test('a failed load ends the stream with the error and releases the live source', async () => {
  const live = liveSource<number[]>();
  const stream = batchStream(() => live.iterator, () => Promise.reject(new Error('database gone')), () => null);
  live.push([1]);
  await assert.rejects(stream.next(), /database gone/);
  assert.equal(live.ended, true);
  assert.deepEqual(await stream.next(), { done: true, value: undefined });
});
