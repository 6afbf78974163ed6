/**
 * Pure rules for placing events: windows, local dates and times, status. Time comes in as `now`.
 */
import { DateTime } from 'luxon';
import type { TimeRange } from '../shared/time-range.ts';
import { DAY_MS, MINUTE_MS } from './working-hours.ts';

export const EVENT_STATUSES = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** CANCELLED when cancelled, otherwise where `now` stands relative to [startsAt, endsAt). */
export function eventStatus(event: { startsAt: Date; endsAt: Date; cancelledAt?: Date | null }, now: Date): EventStatus {
  if (event.cancelledAt) return 'CANCELLED';
  if (now < event.startsAt) return 'PENDING';
  if (now < event.endsAt) return 'IN_PROGRESS';
  return 'COMPLETED';
}

/** The instants of one local calendar day ('2026-11-24') in `timeZone`: 23, 24 or 25 hours long. */
export function localDay(date: string, timeZone: string): TimeRange {
  const start = DateTime.fromISO(date, { zone: timeZone }).startOf('day');
  return { start: start.toMillis(), end: start.plus({ days: 1 }).startOf('day').toMillis() };
}

/**
 * An all-day event's instants: from the first instant of `date` to the first instant after `lastDate`
 * in `timeZone` (usually midnights; where a DST change skips midnight, the first hour that exists).
 */
export function allDayRange(date: string, lastDate: string, timeZone: string): TimeRange {
  return { start: localDay(date, timeZone).start, end: localDay(lastDate, timeZone).end };
}

/** The local dates ('2026-11-24') an all-day event covers in `timeZone`: its first and its last day. */
export function allDayDates(range: { start: number; end: number }, timeZone: string): { date: string; lastDate: string } {
  const date = DateTime.fromMillis(range.start, { zone: timeZone }).toISODate()!;
  // The end is the first instant after the last day; a zero-length range has one day.
  const lastDate = DateTime.fromMillis(Math.max(range.start, range.end - 1), { zone: timeZone }).toISODate()!;
  return { date, lastDate };
}

/**
 * The instant of a local date and wall-clock time in `timeZone`, or null when that wall-clock time does
 * not exist there (skipped by a DST change). An ambiguous time (fall back) is its first occurrence.
 */
export function localInstant(date: string, time: string, timeZone: string): number | null {
  const local = DateTime.fromISO(`${date}T${time.length === 5 ? `${time}:00` : time}`, { zone: timeZone });
  if (!local.isValid) return null;
  const wanted = `${date}T${time.length === 5 ? `${time}:00` : time}`;
  return local.toFormat("yyyy-MM-dd'T'HH:mm:ss") === wanted ? local.toMillis() : null;
}

export type WindowRequest = {
  now: number;
  horizonDays: number;
  /** What the caller asked for; either may be missing. */
  notBefore: number | null;
  notAfter: number | null;
};

/** Where an auto-placed event may lie: the request clipped to [now, now + horizon]. May be empty. */
export function placementWindow(request: WindowRequest): TimeRange {
  const horizonEnd = request.now + request.horizonDays * DAY_MS;
  const start = Math.max(request.now, request.notBefore ?? request.now);
  const end = Math.min(horizonEnd, request.notAfter ?? horizonEnd);
  return { start, end: Math.max(start, end) };
}

/**
 * Chunks of `window` to search in order, each twice the last (from one day), so that an early fit
 * reads one day of busy time and a long search still reads the window once.
 */
export function* searchChunks(window: TimeRange, durationMs: number): Generator<TimeRange> {
  let size = Math.max(DAY_MS, durationMs);
  for (let start = window.start; start < window.end; start += size, size *= 2) {
    // A slot may start near the chunk's end and run past it: the chunk reaches `duration` further.
    yield { start, end: Math.min(window.end, start + size + durationMs) };
    if (start + size + durationMs >= window.end) return;
  }
}

export const minutes = (n: number): number => n * MINUTE_MS;
