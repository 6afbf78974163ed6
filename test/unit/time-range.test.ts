import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { expand, intersect, merge, overlaps, subtract } from '../../src/shared/time-range.ts';
import type { TimeRange } from '../../src/shared/time-range.ts';

/** [[1, 3], [5, 8]] → ranges, to keep the tables readable. */
const r = (pairs: [number, number][]): TimeRange[] => pairs.map(([start, end]) => ({ start, end }));

describe('merge', () => {
  const cases: { name: string; input: [number, number][]; expected: [number, number][] }[] = [
    { name: 'an empty list stays empty', input: [], expected: [] },
    { name: 'unsorted ranges come back sorted', input: [[5, 6], [1, 2]], expected: [[1, 2], [5, 6]] },
    { name: 'overlapping ranges coalesce', input: [[1, 4], [3, 6]], expected: [[1, 6]] },
    { name: 'touching ranges coalesce', input: [[1, 2], [2, 3]], expected: [[1, 3]] },
    { name: 'a contained range disappears into its container', input: [[1, 10], [2, 3], [4, 5]], expected: [[1, 10]] },
    { name: 'empty and inverted ranges are dropped', input: [[3, 3], [5, 4], [1, 2]], expected: [[1, 2]] },
    { name: 'a chain of overlaps in any order becomes one range', input: [[7, 9], [1, 3], [2, 5], [5, 7]], expected: [[1, 9]] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(merge(r(c.input)), r(c.expected)));

  test('the input is not mutated', () => {
    const input = r([[3, 6], [1, 4]]);
    merge(input);
    assert.deepEqual(input, r([[3, 6], [1, 4]]));
  });
});

describe('intersect', () => {
  const cases: { name: string; a: [number, number][]; b: [number, number][]; expected: [number, number][] }[] = [
    { name: 'anything intersected with nothing is nothing', a: [[1, 5]], b: [], expected: [] },
    { name: 'overlapping parts are kept', a: [[1, 5], [8, 12]], b: [[3, 10]], expected: [[3, 5], [8, 10]] },
    { name: 'touching ranges share no instant', a: [[1, 2]], b: [[2, 3]], expected: [] },
    { name: 'one range can cut several', a: [[0, 100]], b: [[1, 2], [4, 5], [99, 200]], expected: [[1, 2], [4, 5], [99, 100]] },
    { name: 'identical lists intersect to themselves', a: [[1, 2], [3, 4]], b: [[1, 2], [3, 4]], expected: [[1, 2], [3, 4]] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(intersect(r(c.a), r(c.b)), r(c.expected));
      assert.deepEqual(intersect(r(c.b), r(c.a)), r(c.expected), 'intersect is symmetric');
    });
  }
});

describe('subtract', () => {
  const cases: { name: string; base: [number, number][]; holes: [number, number][]; expected: [number, number][] }[] = [
    { name: 'no holes leaves the base alone', base: [[1, 5]], holes: [], expected: [[1, 5]] },
    { name: 'a hole in the middle splits a range', base: [[0, 10]], holes: [[4, 6]], expected: [[0, 4], [6, 10]] },
    { name: 'a hole covering everything leaves nothing', base: [[2, 3], [5, 6]], holes: [[0, 10]], expected: [] },
    { name: 'a hole spanning two ranges trims both', base: [[0, 4], [6, 10]], holes: [[3, 7]], expected: [[0, 3], [7, 10]] },
    { name: 'holes outside the base change nothing', base: [[5, 6]], holes: [[0, 5], [6, 9]], expected: [[5, 6]] },
    { name: 'several holes in one range leave the gaps between', base: [[0, 10]], holes: [[1, 2], [3, 4], [9, 12]], expected: [[0, 1], [2, 3], [4, 9]] },
    { name: 'a hole at the very start removes just that part', base: [[0, 10], [20, 30]], holes: [[0, 2], [25, 30]], expected: [[2, 10], [20, 25]] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(subtract(r(c.base), r(c.holes)), r(c.expected)));
});

describe('expand', () => {
  test('grows a range on both sides independently', () => {
    assert.deepEqual(expand({ start: 10, end: 20 }, 3, 5), { start: 7, end: 25 });
  });
  test('zero padding returns an equal range', () => {
    assert.deepEqual(expand({ start: 10, end: 20 }, 0, 0), { start: 10, end: 20 });
  });
});

describe('overlaps', () => {
  const cases: { name: string; a: [number, number]; b: [number, number]; expected: boolean }[] = [
    { name: 'ranges sharing an instant overlap', a: [1, 5], b: [4, 9], expected: true },
    { name: 'a range contained in another overlaps it', a: [1, 10], b: [4, 5], expected: true },
    { name: 'touching half-open ranges do not overlap', a: [1, 5], b: [5, 9], expected: false },
    { name: 'disjoint ranges do not overlap', a: [1, 2], b: [3, 4], expected: false },
    { name: 'an empty range overlaps nothing, even inside another', a: [4, 4], b: [1, 10], expected: false },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const [a, b] = r([c.a, c.b]) as [TimeRange, TimeRange];
      assert.equal(overlaps(a, b), c.expected);
      assert.equal(overlaps(b, a), c.expected, 'overlaps is symmetric');
    });
  }
});
