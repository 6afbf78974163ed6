// Day arithmetic of the calendar view: which days an all-day event covers, and how a heading names
// the days shown. Pure: dates in, strings and indexes out.
import { wallTime } from '../lib/time.ts';

export type Day = { year: number; month: number; day: number };

const dayNumber = (d: Day) => Date.UTC(d.year, d.month - 1, d.day) / 86_400_000;
const asUtc = (d: Day) => new Date(Date.UTC(d.year, d.month - 1, d.day));

/** The local day of an instant in a zone. */
export function dayOf(instant: string | Date, timeZone: string): Day {
  const w = wallTime(new Date(instant), timeZone);
  return { year: w.year, month: w.month, day: w.day };
}

/**
 * The columns (0-based, clipped to the days shown) that an all-day event covers, or null when it lies
 * outside them. Its days are those of its own calendar's zone: it ends at the midnight after its last day.
 */
export function allDayColumns(event: { startsAt: string; endsAt: string }, timeZone: string, first: Day, count: number): [number, number] | null {
  const start = dayNumber(dayOf(event.startsAt, timeZone)) - dayNumber(first);
  const lastInstant = Math.max(Date.parse(event.startsAt), Date.parse(event.endsAt) - 1);
  const last = dayNumber(dayOf(new Date(lastInstant), timeZone)) - dayNumber(first);
  if (last < 0 || start > count - 1) return null;
  return [Math.max(0, start), Math.min(count - 1, last)];
}

/**
 * The heading for these days: "November 2026" when they lie in one month, otherwise both months
 * ("Nov – Dec 2026", "Dec 2026 – Jan 2027"): a week of 30 Nov – 6 Dec is not "November".
 */
export function monthsHeading(first: Day, last: Day, locale?: string): string {
  if (first.year === last.year && first.month === last.month) {
    return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(asUtc(first));
  }
  return new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).formatRange(asUtc(first), asUtc(last));
}

/** "Thursday 3 December 2026" (in the locale's order): the day view's heading. */
export function dayHeading(day: Day, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(asUtc(day));
}

/** "Thu 24 Dec" or "Thu 24 – Sat 26 Dec": an all-day event's days for its details. */
export function daysLabel(event: { startsAt: string; endsAt: string }, timeZone: string, locale?: string): string {
  const first = dayOf(event.startsAt, timeZone);
  const last = dayOf(new Date(Math.max(Date.parse(event.startsAt), Date.parse(event.endsAt) - 1)), timeZone);
  const format = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return dayNumber(first) === dayNumber(last) ? format.format(asUtc(first)) : format.formatRange(asUtc(first), asUtc(last));
}

/** A date input's value (YYYY-MM-DD) as a day, or null when incomplete. */
export function parseDay(value: string): Day | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m ? { year: +m[1]!, month: +m[2]!, day: +m[3]! } : null;
}

/** The Monday of the week a day lies in. */
export function mondayOf(day: Day): Day {
  const utc = asUtc(day);
  utc.setUTCDate(utc.getUTCDate() - ((utc.getUTCDay() + 6) % 7));
  return { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
}
