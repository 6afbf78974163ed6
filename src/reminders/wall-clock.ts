/**
 * Local wall-clock time in an IANA time zone, and civil-calendar arithmetic on it: the time model
 * recurrence expansion (recurrence.ts) runs on.
 *
 * A PURE module: no clock reads, no environment, no I/O.
 */
import { IANAZone } from 'luxon';
import type { Weekday } from './rrule.ts';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// ─── Zone math ──────────────────────────────────────────────────────────────────────────────
// A "wall" is a local wall-clock time encoded as if it were UTC epoch milliseconds: calendar
// arithmetic on walls is plain arithmetic, and the zone is consulted only to convert to instants.

export type Clock = { zone: IANAZone; offsets: Map<number, number> };

export function makeClock(timeZone: string): Clock {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new Error(`Unknown time zone '${timeZone}'`);
  return { zone, offsets: new Map() };
}

/** Offset (ms) at an exact instant. Memoised per expansion: luxon's Intl lookup costs microseconds. */
function exactOffset(clock: Clock, instant: number): number {
  let offset = clock.offsets.get(instant);
  if (offset === undefined) {
    offset = Math.round(clock.zone.offset(instant) * MINUTE);
    clock.offsets.set(instant, offset);
  }
  return offset;
}

/** Offset at any instant, via the enclosing UTC hour: no zone changes offset twice within an hour. */
function offsetAt(clock: Clock, instant: number): number {
  const hour = Math.floor(instant / HOUR) * HOUR;
  const atStart = exactOffset(clock, hour);
  if (atStart === exactOffset(clock, hour + HOUR)) return atStart;
  return Math.round(clock.zone.offset(instant) * MINUTE); // a transition hour: ask exactly, uncached
}

export function toWall(clock: Clock, instant: number): number {
  return instant + offsetAt(clock, instant);
}

/**
 * The instant of a wall-clock time. Compares the offsets a day either side (hour-aligned, so they
 * are shared between neighbouring days): equal means no transition nearby. Otherwise both readings
 * are tried: two valid → ambiguous, take the earlier; none valid → in a gap, read the time with
 * the pre-transition offset, which moves it forward by the gap length (02:30 CET → 03:30 CEST).
 */
export function toInstant(clock: Clock, wall: number): number {
  const before = exactOffset(clock, Math.floor((wall - DAY) / HOUR) * HOUR);
  const after = exactOffset(clock, Math.floor((wall + DAY) / HOUR) * HOUR);
  if (before === after) return wall - before;
  const valid = [wall - before, wall - after].filter((instant) => offsetAt(clock, instant) === wall - instant);
  return valid.length > 0 ? Math.min(...valid) : wall - before;
}

// ─── Calendar ───────────────────────────────────────────────────────────────────────────────
// Days are numbered from 1970-01-01 (day 0); walls divide into them exactly.

export type Civil = { dayNum: number; year: number; month: number; day: number; weekday: Weekday; yearDay: number };
export type Local = Civil & { hour: number; minute: number; second: number };

export function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

export function dayNumber(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, keeps years 0–99 literal
  return Math.round(date.getTime() / DAY);
}

function weekdayOf(dayNum: number): Weekday {
  return (mod(dayNum + 3, 7) + 1) as Weekday; // day 0 was a Thursday
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return (MONTH_DAYS[month - 1] ?? 31) + (month === 2 && isLeap(year) ? 1 : 0);
}

export function daysInYear(year: number): number {
  return isLeap(year) ? 366 : 365;
}

export function civil(dayNum: number): Civil {
  const date = new Date(dayNum * DAY);
  const year = date.getUTCFullYear();
  const yearDay = dayNum - dayNumber(year, 1, 1) + 1;
  return { dayNum, year, month: date.getUTCMonth() + 1, day: date.getUTCDate(), weekday: weekdayOf(dayNum), yearDay };
}

export function localFields(wall: number): Local {
  const dayNum = Math.floor(wall / DAY);
  const time = wall - dayNum * DAY;
  const hour = Math.floor(time / HOUR);
  const minute = Math.floor((time % HOUR) / MINUTE);
  return { ...civil(dayNum), hour, minute, second: Math.floor((time % MINUTE) / SECOND) };
}

/** First day of the week (starting on wkst) that contains dayNum. */
export function weekStart(dayNum: number, wkst: Weekday): number {
  return dayNum - mod(weekdayOf(dayNum) - wkst, 7);
}

/** Week 1 is the first week with at least 4 days in the year, i.e. the week containing January 4th. */
function weekOneStart(year: number, wkst: Weekday): number {
  return weekStart(dayNumber(year, 1, 4), wkst);
}

/** Week number and the number of weeks in that week-numbering year (which may be the next or previous year). */
export function weekNumber(c: Civil, wkst: Weekday): { week: number; weeks: number } {
  let year = c.year;
  if (c.dayNum < weekOneStart(year, wkst)) year--;
  else if (c.dayNum >= weekOneStart(year + 1, wkst)) year++;
  const first = weekOneStart(year, wkst);
  return { week: Math.floor((c.dayNum - first) / 7) + 1, weeks: (weekOneStart(year + 1, wkst) - first) / 7 };
}
