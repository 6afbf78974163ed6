import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createKeyedBatcher } from '../../src/calendar/keyed-batcher.ts';

describe('createKeyedBatcher', () => {
  test('jobs submitted while a batch of the same key runs form the next batch, in order', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => { release = resolve; });
    const batcher = createKeyedBatcher<number, number>(async (_key, jobs) => {
      batches.push(jobs);
      if (batches.length === 1) await first;
      return jobs.map((j) => j * 10);
    }, 10);
    const results = [batcher.submit('a', 1), batcher.submit('a', 2), batcher.submit('a', 3)];
    release();
    assert.deepEqual(await Promise.all(results), [10, 20, 30]);
    assert.deepEqual(batches, [[1], [2, 3]]);
  });

  test('different keys run concurrently, and a failed batch rejects only its own jobs', async () => {
    const batcher = createKeyedBatcher<string, string>(async (key, jobs) => {
      if (key === 'bad') throw new Error('boom');
      return jobs.map((j) => `${key}:${j}`);
    }, 10);
    const [good, bad] = await Promise.allSettled([batcher.submit('good', 'x'), batcher.submit('bad', 'y')]);
    assert.deepEqual(good, { status: 'fulfilled', value: 'good:x' });
    assert.equal(bad.status, 'rejected');
    assert.equal(await batcher.submit('bad', 'again').catch((e: Error) => e.message), 'boom', 'a failed key can be used again');
  });

  test('a batch never holds more than the maximum', async () => {
    const sizes: number[] = [];
    const batcher = createKeyedBatcher<number, number>(async (_key, jobs) => {
      sizes.push(jobs.length);
      await new Promise((resolve) => setImmediate(resolve));
      return jobs;
    }, 3);
    await Promise.all(Array.from({ length: 8 }, (_, i) => batcher.submit('k', i)));
    assert.ok(sizes.every((n) => n <= 3), String(sizes));
    assert.equal(sizes.reduce((a, b) => a + b, 0), 8);
  });
});
