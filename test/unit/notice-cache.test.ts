import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNoticeCache } from '../../src/platform/notice-cache.ts';

type Row = { id: string; group: string; version: number };

/** A cache over a table of rows, counting loads, with a LISTEN state and a clock the test moves. */
function setup(options: { maxEntries?: number; ttlMs?: number; keyedByName?: boolean } = {}) {
  const state = { up: true, epoch: 1, now: 0, loads: 0 };
  const table = new Map<string, Row>();
  const noticed: { id: string; resolve: () => void }[] = [];
  /** Resolves once the cache has acted on a notice about `id` (its onNoticed hook). */
  const acted = (id: string) => new Promise<void>((resolve) => noticed.push({ id, resolve }));
  const cache = createNoticeCache<Row>({
    onNoticed: (id) => { for (const waiter of noticed.filter((w) => w.id === id)) waiter.resolve(); },
    listening: () => ({ up: state.up, epoch: state.epoch }),
    now: () => state.now,
    maxEntries: options.maxEntries,
    ttlMs: options.ttlMs,
    idOf: options.keyedByName ? (row) => row.id : undefined,
  });
  const load = (key: string) => async () => {
    state.loads++;
    const row = table.get(key);
    return row ? { ...row } : null;
  };
  const get = (key: string) => cache.get(key, load(key));
  return { state, table, cache, get, acted };
}

/** An async iterable the test pushes notices into. */
function channel<T>() {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  return {
    push(value: T) { queue.push(value); wake?.(); },
    iterable: {
      [Symbol.asyncIterator]: (): AsyncIterator<T> => ({
        async next() {
          while (!queue.length && !ended) await new Promise<void>((resolve) => { wake = resolve; });
          return queue.length ? { done: false, value: queue.shift()! } : { done: true, value: undefined };
        },
        async return() { ended = true; wake?.(); return { done: true, value: undefined }; },
      }),
    },
  };
}

describe('the notice cache', () => {
  test('a row loaded once is served from the cache while LISTEN stays up', async () => {
    const { state, table, get } = setup();
    table.set('a', { id: 'a', group: 'g', version: 1 });
    assert.equal((await get('a'))?.version, 1);
    assert.equal((await get('a'))?.version, 1);
    assert.equal(state.loads, 1);
  });

  test('nothing found is not cached', async () => {
    const { state, get } = setup();
    assert.equal(await get('missing'), null);
    assert.equal(await get('missing'), null);
    assert.equal(state.loads, 2);
  });

  test('an entry added before LISTEN reconnected, or while it was down, is not used', async () => {
    const { state, table, get } = setup();
    table.set('a', { id: 'a', group: 'g', version: 1 });
    await get('a');
    state.epoch = 2;
    table.set('a', { id: 'a', group: 'g', version: 2 });
    assert.equal((await get('a'))?.version, 2);
    state.up = false;
    table.set('a', { id: 'a', group: 'g', version: 3 });
    assert.equal((await get('a'))?.version, 3);
    assert.equal((await get('a'))?.version, 3);
    assert.equal(state.loads, 4, 'while LISTEN is down every read loads');
  });

  test('a load that raced with a notice is returned but not kept', async () => {
    const { state, table, cache } = setup();
    table.set('a', { id: 'a', group: 'g', version: 1 });
    const value = await cache.get('a', async () => {
      state.loads++;
      cache.noticed('a'); // the change's notice arrives while the load is in flight
      return table.get('a')!;
    });
    assert.equal(value?.version, 1);
    table.set('a', { id: 'a', group: 'g', version: 2 });
    assert.equal((await cache.get('a', async () => table.get('a')!))?.version, 2);
  });

  test('a notice drops the row by the id it names, whatever the cache is keyed by, and tells onNoticed', async () => {
    const { state, table, cache, get, acted } = setup({ keyedByName: true });
    table.set('hash-a', { id: 'a', group: 'g', version: 1 });
    await get('hash-a');
    const heard = acted('a');
    cache.noticed('a');
    await heard;
    await get('hash-a');
    assert.equal(state.loads, 2);
  });

  test('forgetWhere drops every matching row and keeps the others', async () => {
    const { state, table, cache, get } = setup();
    for (const [id, group] of [['a', 'x'], ['b', 'x'], ['c', 'y']]) table.set(id!, { id: id!, group: group!, version: 1 });
    for (const id of ['a', 'b', 'c']) await get(id);
    cache.forgetWhere((row) => row.group === 'x');
    for (const id of ['a', 'b', 'c']) await get(id);
    assert.equal(state.loads, 5);
  });

  test('a group notice during a load keeps that load out of the cache even if nothing was cached yet', async () => {
    const { state, table, cache, get } = setup();
    table.set('a', { id: 'a', group: 'x', version: 1 });
    await cache.get('a', async () => {
      cache.forgetWhere((row) => row.group === 'x');
      return table.get('a')!;
    });
    await get('a');
    assert.equal(state.loads, 1);
  });

  test('entries older than the TTL are loaded again, and past maxEntries the oldest goes', async () => {
    const { state, table, get } = setup({ ttlMs: 1000, maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) table.set(id, { id, group: 'g', version: 1 });
    await get('a');
    state.now = 1000;
    await get('a');
    assert.equal(state.loads, 2);
    await get('b');
    await get('c'); // evicts a
    await get('b');
    await get('a');
    assert.equal(state.loads, 5);
  });

  test('followed notices drop rows until stop, which ends the subscription and empties the cache', async () => {
    const { state, table, cache, get, acted } = setup();
    table.set('a', { id: 'a', group: 'g', version: 1 });
    const notices = channel<{ id: string }>();
    cache.follow(notices.iterable, ({ id }) => cache.noticed(id));
    await get('a');
    const heard = acted('a');
    notices.push({ id: 'a' });
    await heard;
    await get('a');
    assert.equal(state.loads, 2);
    await cache.stop();
    await get('a');
    assert.equal(state.loads, 3);
  });
});
