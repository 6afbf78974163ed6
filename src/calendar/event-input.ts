/** Validation of event mutations' input (after GraphQL has parsed scalars and decoded ids). */
import { z } from 'zod';
import { ValidationError } from '../shared/errors.ts';
import { INSTANT_RANGE_TEXT, isStorableInstant } from '../shared/instant-range.ts';

const title = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
const durationMinutes = z.number().int('must be a whole number').min(1, 'must be from 1 to 1440').max(1440, 'must be from 1 to 1440');
const attendees = z.array(z.string().trim().min(1, 'must not be empty').max(320, 'must be at most 320 characters')).max(100, 'at most 100 attendees');
const location = z.string().trim().max(500, 'must be at most 500 characters');
const channel = z.object({ kind: z.enum(['WEBHOOK', 'EMAIL']), target: z.string() });

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
  })
  .superRefine((input, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
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
});
export type UpdateEventInput = z.infer<typeof updateEventInput>;

/** Whether the input asks for an exact time (startsAt, or date + startTime) rather than automatic placement. */
export function isExact(input: CreateEventInput): boolean {
  return Boolean(input.startsAt || (input.date && input.startTime));
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
