import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Account } from '../accounts/account.entity.ts';
import { NotFoundError, ValidationError, type FieldError } from '../shared/errors.ts';
import { nameSchema, parseInput, timeZoneSchema } from '../shared/validation.ts';
import { Calendar } from './calendar.entity.ts';
import { validateSlotInterval, validateWorkingHours, WEEKDAYS, type WorkingHoursRule } from './working-hours.ts';

const updateCalendarInput = z.object({
  name: nameSchema.nullish(),
  timeZone: timeZoneSchema.nullish(),
  workingHours: z.array(z.object({ weekday: z.enum(WEEKDAYS), start: z.string(), end: z.string() })).max(7 * 24).nullish(),
  bufferMinutes: z.number().int().min(0, 'must be 0 or more').max(1440, 'must be at most 1440').nullish(),
  slotIntervalMinutes: z.number().int().nullish(),
  horizonDays: z.number().int().min(1, 'must be from 1 to 3650').max(3650, 'must be from 1 to 3650').nullish(),
  busyCalendarIds: z.array(z.string()).max(50, 'at most 50 calendars').nullish(),
});
/** A new calendar's settings are an update's, with a name required (the rest default). */
const createCalendarInput = updateCalendarInput.extend({ name: nameSchema });

/** Creates a calendar; unset settings take the defaults of a new account's calendar, in the account's zone. */
export async function createCalendar(em: EntityManager, accountId: string, input: unknown): Promise<Calendar> {
  const parsed = parseInput(createCalendarInput, input);
  const account = await em.findOneOrFail(Account, accountId);
  const workingHours = (parsed.workingHours ?? []) as WorkingHoursRule[];
  const slotIntervalMinutes = parsed.slotIntervalMinutes ?? 15;
  assertRules(workingHours, slotIntervalMinutes);
  const calendar = em.create(Calendar, {
    account,
    name: parsed.name,
    timeZone: parsed.timeZone ?? account.timeZone,
    isDefault: false,
    workingHours,
    bufferMinutes: parsed.bufferMinutes ?? 0,
    slotIntervalMinutes,
    horizonDays: parsed.horizonDays ?? 90,
    busyCalendarIds: await feedCalendarIds(em, accountId, parsed.busyCalendarIds ?? [], null),
  });
  await em.flush();
  return calendar;
}

/** Changes a calendar's settings; events already placed stay where they are. */
export async function updateCalendar(em: EntityManager, accountId: string, calendarId: string, input: unknown): Promise<Calendar> {
  const parsed = parseInput(updateCalendarInput, input);
  const calendar = await em.findOne(Calendar, { id: calendarId, account: accountId });
  if (!calendar) throw new NotFoundError('calendar', calendarId);
  const workingHours = (parsed.workingHours ?? calendar.workingHours) as WorkingHoursRule[];
  assertRules(workingHours, parsed.slotIntervalMinutes ?? calendar.slotIntervalMinutes);
  if (parsed.name != null) calendar.name = parsed.name;
  if (parsed.timeZone != null) calendar.timeZone = parsed.timeZone;
  if (parsed.workingHours != null) calendar.workingHours = workingHours;
  if (parsed.bufferMinutes != null) calendar.bufferMinutes = parsed.bufferMinutes;
  if (parsed.slotIntervalMinutes != null) calendar.slotIntervalMinutes = parsed.slotIntervalMinutes;
  if (parsed.horizonDays != null) calendar.horizonDays = parsed.horizonDays;
  if (parsed.busyCalendarIds != null) calendar.busyCalendarIds = await feedCalendarIds(em, accountId, parsed.busyCalendarIds, calendar.id);
  await em.flush();
  return calendar;
}

/**
 * The account's calendars with these ids, in the order asked; NotFoundError when any is absent or
 * belongs to another account (the same answer for both).
 */
export async function loadOwnCalendars(em: EntityManager, accountId: string, ids: readonly string[]): Promise<Calendar[]> {
  const found = await em.find(Calendar, { id: { $in: [...ids] }, account: accountId });
  const byId = new Map(found.map((c) => [c.id, c]));
  return ids.map((id) => {
    const calendar = byId.get(id);
    if (!calendar) throw new NotFoundError('calendar', id);
    return calendar;
  });
}

/** The ids, checked to be feed calendars of the account (ids that are not: a ValidationError naming them). */
async function feedCalendarIds(em: EntityManager, accountId: string, ids: readonly string[], self: string | null): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const uuids = unique.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  const found = uuids.length ? await em.find(Calendar, { id: { $in: uuids }, account: accountId, isFeed: true }) : [];
  const bad = unique.flatMap((id, index) => (found.some((c) => c.id === id) && id !== self ? [] : [{ path: ['input', 'busyCalendarIds', String(index)], message: 'is not a feed calendar of this account' }]));
  if (bad.length > 0) throw new ValidationError(bad);
  return unique;
}

/** Feed calendars mirror their feed: events are never placed on them through the API. */
export function assertWritable(calendars: readonly Calendar[]): void {
  const feed = calendars.find((c) => c.isFeed);
  if (feed) throw ValidationError.field(['input', 'calendarId'], `"${feed.name}" is a feed calendar, which mirrors its feed and is read-only`);
}

function assertRules(workingHours: WorkingHoursRule[], slotIntervalMinutes: number): void {
  const issues: FieldError[] = validateWorkingHours(workingHours, ['input', 'workingHours']);
  const interval = validateSlotInterval(slotIntervalMinutes);
  if (interval) issues.push({ path: ['input', 'slotIntervalMinutes'], message: interval });
  if (issues.length > 0) throw new ValidationError(issues);
}
