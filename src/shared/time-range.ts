/**
 * Half-open time ranges [start, end) over epoch milliseconds, plus the
 * sorted-list algebra the scheduler is built on (in the style of cal.com's
 * date-ranges). Instants are plain numbers so the hot loops never allocate
 * Date/DateTime objects.
 *
 * Convention: a "sorted list" is sorted by start, pairwise disjoint and free
 * of empty ranges, which is exactly what `merge` returns. `intersect` and
 * `subtract` require sorted lists and run in linear time.
 */
export type TimeRange = { start: number; end: number };

function isEmpty(r: TimeRange): boolean {
  return !(r.start < r.end);
}

/** Sorts and coalesces overlapping or touching ranges; drops empty ones. Does not mutate its input. */
export function merge(ranges: readonly TimeRange[]): TimeRange[] {
  // Sorting dominates; on already-sorted input V8's TimSort is linear.
  const sorted = ranges.filter((r) => !isEmpty(r)).sort((a, b) => a.start - b.start);
  const out: TimeRange[] = [];
  let current: TimeRange | undefined;
  for (const r of sorted) {
    if (current !== undefined && r.start <= current.end) {
      current.end = Math.max(current.end, r.end);
    } else {
      current = { start: r.start, end: r.end };
      out.push(current);
    }
  }
  return out;
}

/** Instants contained in both sorted lists, as a sorted list. */
export function intersect(a: readonly TimeRange[], b: readonly TimeRange[]): TimeRange[] {
  const out: TimeRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (start < end) out.push({ start, end });
    // The range that ends first cannot meet anything further along the other list.
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

/** Instants of the sorted list `base` not covered by the sorted list `holes`. */
export function subtract(base: readonly TimeRange[], holes: readonly TimeRange[]): TimeRange[] {
  const out: TimeRange[] = [];
  let h = 0;
  for (const r of base) {
    // Holes that end before this range also end before every later one.
    while (h < holes.length && holes[h]!.end <= r.start) h++;
    let cursor = r.start;
    for (let k = h; k < holes.length && cursor < r.end; k++) {
      const hole = holes[k]!;
      if (hole.start >= r.end) break;
      if (hole.start > cursor) out.push({ start: cursor, end: hole.start });
      cursor = Math.max(cursor, hole.end);
    }
    if (cursor < r.end) out.push({ start: cursor, end: r.end });
  }
  return out;
}

/** Grows a range by `beforeMs` at its start and `afterMs` at its end (e.g. to apply buffers). */
export function expand(range: TimeRange, beforeMs: number, afterMs: number): TimeRange {
  return { start: range.start - beforeMs, end: range.end + afterMs };
}

/** Whether two ranges share an instant. Touching ranges ([1,2) and [2,3)) and empty ranges never overlap. */
export function overlaps(a: TimeRange, b: TimeRange): boolean {
  return a.start < b.end && b.start < a.end && !isEmpty(a) && !isEmpty(b);
}
