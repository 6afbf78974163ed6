/** When feeds are synced and over which window. Pure: `now` comes in. */
import type { TimeRange } from '../shared/time-range.ts';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Instances this far back are still mirrored (recent history stays visible). */
export const PAST_DAYS = 30;
export const DEFAULT_REFRESH_MINUTES = 60;
export const MIN_REFRESH_MINUTES = 5;
export const MAX_REFRESH_MINUTES = 7 * 24 * 60;

/**
 * From PAST_DAYS back to the furthest horizon of the account's calendars (and the rest of that day),
 * in whole UTC days: the window stays the same all day, so a resync can reuse unchanged parses.
 */
export function syncWindow(now: number, maxHorizonDays: number): TimeRange {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return { start: today - PAST_DAYS * DAY_MS, end: today + (Math.max(1, maxHorizonDays) + 1) * DAY_MS };
}

/**
 * The delay before the next sync: the feed's refresh interval after a success; after failures, 1, 2,
 * 4… minutes (never longer than the refresh interval), so a brief outage is caught up quickly and a
 * dead feed costs one request per interval.
 */
export function nextSyncDelayMs(refreshMinutes: number, consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return refreshMinutes * MINUTE_MS;
  return Math.min(refreshMinutes, 2 ** Math.min(consecutiveFailures - 1, 20)) * MINUTE_MS;
}
