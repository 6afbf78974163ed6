/** Validation of event mutations' input (after GraphQL has parsed scalars and decoded ids). */
import { z } from 'zod';
import { ValidationError } from '../shared/errors.ts';
import { INSTANT_RANGE_TEXT, isStorableInstant } from '../shared/instant-range.ts';

const title = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
const durationMinutes = z.number().int('must be a whole number').min(1, 'must be from 1 to 1440').max(1440, 'must be from 1 to 1440');
const attendees = z.array(z.string().trim().min(1, 'must not be empty').max(320, 'must be at most 320 characters')).max(100, 'at most 100 attendees');
const location = z.string().trim().max(500, 'must be at most 500 characters');
const channel = z.object({ kind: z.enum(['WEBHOOK', 'EMAIL']), target: z.string() });
/** The longest all-day event, in days: a year, leap day included (like freeSlots' span). */
export const MAX_ALL_DAY_DAYS = 366;

export const createEventInput = z
  .object({
    calendarId: z.string().nullish(),
    title,
    durationMinutes,
    date: z.string().nullish(),
    startTime: z.string().nullish(),
    startsAt: z.date().nullish(),
    notBefore: z.date().nullish(),
    notAfter: z.date().nullish(),
    attendees: attendees.nullish(),
    attendeeCalendarIds: z.array(z.string()).max(20, 'at most 20 attendee calendars').nullish(),
    location: location.nullish(),
    reminders: z
      .array(z.object({ minutesBefore: z.number().int().min(0, 'must be 0 or more').max(525_600, 'must be at most a year'), channels: z.array(channel).nullish() }))
      .max(10, 'at most 10 reminders')
      .nullish(),
    idempotencyKey: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').nullish(),
    allDay: z.boolean().nullish(),
    lastDate: z.string().nullish(),
  })
  .superRefine((input, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (input.allDay) {
      // An all-day event is whole local days: it takes dates only, and is never auto-placed.
      if (!input.date) issue('date', 'an all-day event needs its (first) date');
      for (const field of ['startsAt', 'startTime', 'notBefore', 'notAfter'] as const) {
        if (input[field]) issue(field, 'an all-day event takes date (and lastDate), not times');
      }
      if (input.date && input.lastDate) checkDays(input.date, input.lastDate, issue);
      return;
    }
    if (input.lastDate) issue('lastDate', 'only for an all-day event (allDay: true)');
    if (input.startsAt && input.date) issue('date', 'give either startsAt or date (+ startTime), not both');
    if (input.startsAt && input.startTime) issue('startTime', 'give either startsAt or date + startTime, not both');
    if (input.startTime && !input.date) issue('startTime', 'needs a date');
    const exact = Boolean(input.startsAt || input.startTime);
    if (exact && (input.notBefore || input.notAfter)) issue(input.notBefore ? 'notBefore' : 'notAfter', 'only applies to automatic placement (without an exact time)');
    if (input.notBefore && input.notAfter && input.notAfter <= input.notBefore) issue('notAfter', 'must be after notBefore');
  });
export type CreateEventInput = z.infer<typeof createEventInput>;

export const updateEventInput = z.object({
  title: title.nullish(),
  startsAt: z.date().nullish(),
  durationMinutes: durationMinutes.nullish(),
  attendees: attendees.nullish(),
  location: location.nullish(),
  allDay: z.boolean().nullish(),
  date: z.string().nullish(),
  lastDate: z.string().nullish(),
});
export type UpdateEventInput = z.infer<typeof updateEventInput>;

/** Whether the input asks for an exact time (startsAt, or date + startTime, or whole days) rather than automatic placement. */
export function isExact(input: CreateEventInput): boolean {
  return Boolean(input.startsAt || (input.date && input.startTime) || input.allDay);
}

/** The number of local days from `date` to `lastDate`, both included (dates are YYYY-MM-DD). */
export function daysBetween(date: string, lastDate: string): number {
  return Math.round((Date.parse(`${lastDate}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000) + 1;
}

function checkDays(date: string, lastDate: string, issue: (path: string, message: string) => void): void {
  const days = daysBetween(date, lastDate);
  if (days < 1) issue('lastDate', 'must be on or after date');
  else if (days > MAX_ALL_DAY_DAYS) issue('lastDate', `an all-day event spans at most ${MAX_ALL_DAY_DAYS} days`);
}

/**
 * Where an updated event ends up: timed (`startsAt` and `durationMinutes` as given or kept) or whole
 * days. Refuses mixes (a time for an all-day event, dates for a timed one) with the field at fault,
 * before anything is written. `current` is the event's days when it is all-day, or its start's local date.
 */
export function updatedDays(
  input: UpdateEventInput,
  current: { allDay: boolean; date: string; lastDate: string },
): { date: string; lastDate: string } | null {
  const allDay = input.allDay ?? current.allDay;
  const field = (path: string, message: string) => ValidationError.field(['input', path], message);
  if (!allDay) {
    if (input.date || input.lastDate) throw field(input.date ? 'date' : 'lastDate', 'only for an all-day event (allDay: true)');
    if (current.allDay && (input.startsAt == null || input.durationMinutes == null)) {
      throw field(input.startsAt == null ? 'startsAt' : 'durationMinutes', 'an all-day event made timed needs startsAt and durationMinutes');
    }
    return null;
  }
  if (input.startsAt != null) throw field('startsAt', 'an all-day event takes date and lastDate; give allDay: false to set a time');
  if (input.durationMinutes != null) throw field('durationMinutes', 'an all-day event lasts its days (date to lastDate); give allDay: false to set a duration');
  const date = input.date ?? current.date;
  // Moving the first day alone keeps the number of days, as dragging an event would.
  const lastDate = input.lastDate ?? (input.date && current.allDay ? shiftDate(current.lastDate, daysBetween(current.date, input.date) - 1) : input.date ?? current.lastDate);
  const problems: string[] = [];
  checkDays(date, lastDate, (_path, message) => problems.push(message));
  if (problems.length) throw field('lastDate', problems[0]!);
  return { date, lastDate };
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Refuses an event whose computed start or end would leave the instants Tickler stores (years
 * 0001–9999): 9999-12-31T23:30Z plus an hour would end in the year 10000. `path` names the field
 * that moved it there.
 */
export function assertStorableRange(range: { start: number; end: number }, path: string[]): void {
  if (isStorableInstant(range.start) && isStorableInstant(range.end)) return;
  throw ValidationError.field(path, `the event would end after 9999-12-31T23:59:59Z (or start before 0001-01-01T00:00:00Z); events must lie ${INSTANT_RANGE_TEXT}`);
}
