/**
 * Finds free slots for a new event: grid-aligned starts (local to the
 * primary calendar's zone) inside the primary calendar's working hours that
 * keep every occupied calendar's buffers free. Pure: `now` and the horizon are
 * already folded into `window` by the caller.
 */
import { expand, merge, overlaps, subtract } from '../shared/time-range.ts';
import type { TimeRange } from '../shared/time-range.ts';
import {
  DAY_MS,
  MINUTE_MS,
  utcOffsetSegments,
  validateSlotInterval,
  validateWorkingHours,
  workingHoursInSegments,
} from './working-hours.ts';
import type { OffsetSegment, WorkingHoursRule } from './working-hours.ts';

export type SlotQuery = {
  /** Where slot starts AND ends must lie (callers clip to now / horizon). */
  window: TimeRange;
  durationMs: number;
  /** Zone of the event's (primary) calendar: the grid and working hours are local to it. */
  timeZone: string;
  /** The primary calendar's rules; [] = around the clock. */
  workingHours: WorkingHoursRule[];
  /** Starts lie on this grid in local time, anchored at local midnight (15 → :00 :15 :30 :45). */
  slotIntervalMinutes: number;
  /** Every occupied calendar (primary first, then attendees); busy ranges in any order, may overlap. */
  calendars: { busy: TimeRange[]; bufferMs: number }[];
  /** Maximum number of slots to return. */
  limit: number;
};

/**
 * Every fitting slot [start, start + duration), earliest first, at most `limit`.
 * Slots may overlap one another: each grid point that fits is a candidate.
 * Throws RangeError for a malformed query (bad zone, grid, duration, buffer or rules).
 */
export function findSlots(q: SlotQuery): TimeRange[] {
  assertValidQuery(q);
  const slots: TimeRange[] = [];
  if (q.limit < 1 || q.window.end - q.window.start < q.durationMs) return slots;
  const blocked = blockedRanges(q.calendars, q.window);
  // Walk the window in doubling chunks so an early fit (limit 1) never pays for
  // expanding a long horizon, while a long search still costs O(window).
  let chunk = Math.max(DAY_MS, q.durationMs);
  for (let from = q.window.start; from < q.window.end && slots.length < q.limit; from += chunk, chunk *= 2) {
    const starts = { start: from, end: Math.min(from + chunk, q.window.end) };
    findSlotsStartingIn(q, blocked, starts, slots);
  }
  return slots;
}

/** The earliest fitting slot, or null. */
export function firstSlot(q: SlotQuery): TimeRange | null {
  return findSlots({ ...q, limit: 1 })[0] ?? null;
}

function assertValidQuery(q: SlotQuery): void {
  const problem =
    prefixed('slotIntervalMinutes', validateSlotInterval(q.slotIntervalMinutes)) ??
    (Number.isFinite(q.durationMs) && q.durationMs > 0 ? null : 'durationMs must be a positive number') ??
    (q.calendars.every((c) => Number.isFinite(c.bufferMs) && c.bufferMs >= 0) ? null : 'bufferMs must be >= 0') ??
    validateWorkingHours(q.workingHours).map((e) => `${e.path.join('.')} ${e.message}`)[0] ??
    null;
  // Callers validate user input first (validateSlotInterval, validateWorkingHours); reaching here is a bug.
  if (problem !== null) throw new RangeError(`Invalid slot query: ${problem}`);
}

function prefixed(field: string, message: string | null): string | null {
  return message === null ? null : `${field} ${message}`;
}

/** Union of every calendar's busy ranges grown by its buffer, limited to those touching `window`. */
function blockedRanges(calendars: SlotQuery['calendars'], window: TimeRange): TimeRange[] {
  const blocked: TimeRange[] = [];
  for (const { busy, bufferMs } of calendars) {
    for (const range of busy) {
      // A zero-length range occupies nothing, so it has no buffer to keep either.
      if (!(range.start < range.end)) continue;
      const padded = expand(range, bufferMs, bufferMs);
      // Filter before sorting so far-away history costs O(n), not O(n log n).
      if (overlaps(padded, window)) blocked.push(padded);
    }
  }
  return merge(blocked);
}

/**
 * Appends slots whose start lies in `starts`. Free time is computed up to
 * `starts.end + duration` so a slot may run past the chunk; clipping free
 * intervals at `starts.start` is harmless because the grid is absolute.
 */
function findSlotsStartingIn(q: SlotQuery, blocked: readonly TimeRange[], starts: TimeRange, slots: TimeRange[]): void {
  const scope = { start: starts.start, end: Math.min(starts.end + q.durationMs, q.window.end) };
  const segments = utcOffsetSegments(q.timeZone, scope);
  const working = workingHoursInSegments(q.workingHours, segments);
  const free = subtract(working, sliceOverlapping(blocked, scope));
  const grid = { stepMs: q.slotIntervalMinutes * MINUTE_MS, durationMs: q.durationMs, startsBefore: starts.end };
  for (const gap of free) {
    if (placeInGap(gap, segments, grid, q.limit, slots)) return;
  }
}

type Grid = { stepMs: number; durationMs: number; startsBefore: number };

/** Places grid-aligned starts inside `gap`; true once `limit` is reached. */
function placeInGap(
  gap: TimeRange,
  segments: readonly OffsetSegment[],
  grid: Grid,
  limit: number,
  slots: TimeRange[],
): boolean {
  const lastStart = Math.min(gap.end - grid.durationMs, grid.startsBefore - 1);
  // A start's grid alignment depends on the offset in force at that start, so
  // walk the gap one constant-offset segment at a time.
  for (const segment of segments) {
    if (segment.end <= gap.start) continue;
    if (segment.start > lastStart) break;
    const to = Math.min(lastStart, segment.end - 1);
    for (let t = nextGridPoint(Math.max(gap.start, segment.start), segment.offsetMs, grid.stepMs); t <= to; t += grid.stepMs) {
      slots.push({ start: t, end: t + grid.durationMs });
      if (slots.length >= limit) return true;
    }
  }
  return false;
}

/** The first instant >= t whose local time (t + offset) is a multiple of the step; local midnight always is. */
function nextGridPoint(t: number, offsetMs: number, stepMs: number): number {
  const remainder = (((t + offsetMs) % stepMs) + stepMs) % stepMs;
  return remainder === 0 ? t : t + stepMs - remainder;
}

/** The part of a sorted, disjoint list that can overlap `scope`, found by binary search. */
function sliceOverlapping(sorted: readonly TimeRange[], scope: TimeRange): readonly TimeRange[] {
  const from = firstIndex(sorted, (r) => r.end > scope.start);
  const to = firstIndex(sorted, (r) => r.start >= scope.end);
  return sorted.slice(from, Math.max(from, to));
}

/** Index of the first element satisfying a predicate that is monotone over `sorted` (false…true). */
function firstIndex(sorted: readonly TimeRange[], isPast: (r: TimeRange) => boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isPast(sorted[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
