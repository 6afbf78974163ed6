/**
 * Event mutations. Each opens one transaction, locks the calendars it touches in a stable order, places
 * with the pure slot finder, writes, and publishes at COMMIT. The exclusion constraint backs it all up.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import type { Services } from '../platform/services.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { parseInput } from '../shared/validation.ts';
import type { TimeRange } from '../shared/time-range.ts';
import { Calendar } from './calendar.entity.ts';
import { assertWritable, loadOwnCalendars } from './calendar.service.ts';
import { Event } from './event.entity.ts';
import {
  assertStorableRange, createEventInput, isExact, updatedDays, updateEventInput, type CreateEventInput, type UpdateEventInput,
} from './event-input.ts';
import { cancelReminders, moveReminders, retitleReminders, scheduleReminders } from './event-reminders.ts';
import { checkEventReminders, type CheckedEventReminders } from '../reminders/reminder.service.ts';
import { insertEventsWithOccupancy, isOverlapViolation, lockAndLoadCalendars, isUniqueViolation, lockCalendars, occupy, vacate } from './occupancy.repository.ts';
import { allDayDates, allDayRange, localInstant, minutes, placementWindow } from './placement.ts';
import { asEvent, requestedWindow } from './auto-placement.service.ts';
import {
  clearForExact, findSlotsIn, LockSetTooSmall, occupiedCalendarIds, replaceDisplaced, suggestionsFrom,
} from './placement.service.ts';
import { SlotUnavailableError } from './slot-unavailable.error.ts';

export type Placed = { event: Event; displaced: Event[] };

/** Creates an event at an exact time (moving AUTO events aside) or at the earliest free slot. */
export async function createEvent(em: EntityManager, services: Services, accountId: string, raw: unknown): Promise<Placed> {
  const input = parseInput(createEventInput, raw);
  const primaryId = input.calendarId ?? (await em.findOneOrFail(Calendar, { account: accountId, isDefault: true })).id;
  const calendarIds = [...new Set([primaryId, ...(input.attendeeCalendarIds ?? [])])];
  try {
    if (!isExact(input) && !input.idempotencyKey && !input.reminders?.length) {
      // The hot path: plain automatic placements are batched per calendar (group commit).
      const outcome = await services.placement.place({ accountId, calendarIds, input });
      if ('error' in outcome) throw outcome.error;
      return { event: outcome.event, displaced: [] };
    }
    // Webhook targets are resolved (DNS) before the transaction, not while it holds the calendars' locks.
    const checked = input.reminders?.length ? await checkEventReminders(services, input.reminders) : undefined;
    return await withCalendarLocks(calendarIds, (locked) =>
      em.transactional((tx) => placeNewEvent(tx, services, accountId, input, calendarIds, locked, checked)));
  } catch (error) {
    if (input.idempotencyKey && isUniqueViolation(error)) {
      // Another request with the same key won the race; its result is this one's.
      const first = await em.fork().findOne(Event, { account: accountId, idempotencyKey: input.idempotencyKey });
      if (first) return { event: first, displaced: [] };
    }
    if (error instanceof SlotUnavailableError && !isExact(input)) {
      await services.pubsub.publish('event:placement-failed', accountId, {
        calendarId: primaryId,
        title: input.title,
        message: error.message,
        suggestions: error.suggestions.map((s) => ({ startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() })),
      });
    }
    throw overlapAsSlotUnavailable(error);
  }
}

async function placeNewEvent(
  tx: EntityManager, services: Services, accountId: string, input: CreateEventInput, calendarIds: string[], locked: Set<string>,
  checked?: CheckedEventReminders,
): Promise<Placed> {
  if (input.idempotencyKey) {
    // A request racing this one with the same key is caught by the unique index instead (see createEvent).
    const first = await tx.findOne(Event, { account: accountId, idempotencyKey: input.idempotencyKey });
    if (first) return { event: first, displaced: [] };
  }
  const eventId = randomUUID();
  // Queued now, delivered at COMMIT, dropped on rollback: done before the locks to keep them short.
  await services.pubsub.publishInTransaction(tx, 'event:changed', accountId, { eventId, calendarIds, kind: 'CREATED' });
  const calendars = await lockAndLoadCalendars(tx, [...locked], accountId, calendarIds);
  assertWritable(calendars);
  const primary = calendars[0]!;
  const now = services.now().getTime();
  const durationMs = minutes(input.durationMinutes);
  let range: TimeRange;
  let displaced: Event[] = [];
  let requested: { notBefore: number | null; notAfter: number | null } = { notBefore: null, notAfter: null };
  if (input.allDay) {
    // Whole days hold no time: nothing is cleared or displaced, and nothing blocks them (README, Calendar).
    range = allDayRange(input.date!, input.lastDate ?? input.date!, primary.timeZone);
    assertStorableRange(range, ['input', 'date']);
  } else if (isExact(input)) {
    const start = input.startsAt?.getTime() ?? localInstant(input.date!, input.startTime!, primary.timeZone);
    if (start === null) throw ValidationError.field(['input', 'startTime'], `does not exist on ${input.date} in ${primary.timeZone} (a daylight-saving change skips it)`);
    range = { start, end: start + durationMs };
    assertStorableRange(range, ['input', input.startsAt ? 'startsAt' : 'date']);
    displaced = await clearForExact(tx, calendars, range, locked, now);
  } else {
    requested = requestedWindow(input, primary);
    const window = placementWindow({ now, horizonDays: primary.horizonDays, ...requested });
    const [slot] = await findSlotsIn(tx, calendars, window, durationMs, 1);
    if (!slot) {
      const suggestions = await suggestionsFrom(tx, calendars, Math.max(window.end, now), durationMs);
      throw new SlotUnavailableError(`No free ${input.durationMinutes}-minute slot in the window`, [], suggestions);
    }
    range = slot;
  }
  const row = {
    id: eventId,
    accountId,
    calendarId: primary.id,
    title: input.title,
    startsAt: new Date(range.start),
    endsAt: new Date(range.end),
    // An all-day event's minutes are its days' real length (1380 or 1500 on a DST change day).
    durationMinutes: input.allDay ? Math.round((range.end - range.start) / 60_000) : input.durationMinutes,
    placement: isExact(input) ? 'EXACT' : 'AUTO',
    attendees: input.attendees ?? [],
    attendeeCalendarIds: calendarIds.slice(1),
    location: input.location ?? null,
    notBefore: requested.notBefore === null ? null : new Date(requested.notBefore),
    notAfter: requested.notAfter === null ? null : new Date(requested.notAfter),
    idempotencyKey: input.idempotencyKey ?? null,
    createdAt: new Date(),
    allDay: Boolean(input.allDay),
  };
  await insertEventsWithOccupancy(tx, [row], calendarIds);
  await moveDisplaced(tx, services, accountId, displaced, calendars, now);
  if (input.reminders?.length) {
    await scheduleReminders(tx, services, { accountId, eventId, startsAt: row.startsAt, timeZone: primary.timeZone, title: row.title, allDay: row.allDay, reminders: input.reminders, checked });
  }
  return { event: asEvent(tx, row, primary), displaced };
}

async function moveDisplaced(tx: EntityManager, services: Services, accountId: string, displaced: Event[], known: Calendar[], now: number) {
  if (displaced.length === 0) return;
  const ids = [...new Set(displaced.flatMap(occupiedCalendarIds))];
  const calendars = await loadOwnCalendars(tx, accountId, ids);
  const byId = new Map([...known, ...calendars].map((c) => [c.id, c]));
  await replaceDisplaced(tx, displaced, byId, now);
  for (const event of displaced) {
    await moveReminders(tx, services, { accountId, eventId: event.id, startsAt: event.startsAt });
    await publishChange(tx, services, accountId, event, 'UPDATED');
  }
}

/** Changes an event; a new time or duration is checked like an exact placement. */
export async function updateEvent(em: EntityManager, services: Services, accountId: string, eventId: string, raw: unknown): Promise<Placed> {
  const input = parseInput(updateEventInput, raw);
  const found = await em.findOne(Event, { id: eventId, account: accountId });
  if (!found) throw new NotFoundError('event', eventId);
  if (found.externalKey) throw ValidationError.field(['input', 'id'], 'belongs to a feed calendar, which mirrors its feed and is read-only');
  const calendarIds = occupiedCalendarIds(found);
  try {
    return await withCalendarLocks(calendarIds, (locked) => em.transactional(async (tx) => {
      await lockCalendars(tx, [...locked]);
      const event = await tx.findOne(Event, { id: eventId, account: accountId }, { refresh: true });
      if (!event) throw new NotFoundError('event', eventId);
      const now = services.now().getTime();
      const calendars = await loadOwnCalendars(tx, accountId, calendarIds);
      const { days, range } = requestedTime(input, event, calendars[0]!.timeZone);
      let displaced: Event[] = [];
      const kindChanged = days !== null !== event.allDay;
      let remindersMoved = false;
      if (range && (kindChanged || range.start !== event.startsAt.getTime() || range.end !== event.endsAt.getTime())) {
        const moved = range.start !== event.startsAt.getTime();
        if (!event.cancelledAt) {
          await vacate(tx, [event.id]);
          // Whole days hold no time (README, Calendar): only a timed event clears its range and occupies it.
          if (!days) {
            displaced = await clearForExact(tx, calendars, range, locked, now);
            await occupy(tx, event.id, calendarIds, range);
          }
        }
        event.startsAt = new Date(range.start);
        event.endsAt = new Date(range.end);
        event.durationMinutes = days ? Math.round((range.end - range.start) / 60_000) : input.durationMinutes ?? event.durationMinutes;
        event.allDay = days !== null;
        await tx.flush();
        await moveDisplaced(tx, services, accountId, displaced, calendars, now);
        if (moved && !event.cancelledAt) await moveReminders(tx, services, { accountId, eventId, startsAt: event.startsAt });
        remindersMoved = moved;
      }
      if (input.startsAt != null || days) event.placement = 'EXACT';
      const renamed = input.title != null && input.title !== event.title;
      if (input.title != null) event.title = input.title;
      if (input.attendees != null) event.attendees = input.attendees;
      if (input.location !== undefined) event.location = input.location;
      await tx.flush();
      // The reminders' text names the title and the start (or the day): a rename says so too.
      if ((renamed || kindChanged) && !remindersMoved && !event.cancelledAt) await retitleReminders(tx, services, { accountId, eventId, startsAt: event.startsAt });
      await publishChange(tx, services, accountId, event, 'UPDATED');
      return { event, displaced };
    }));
  } catch (error) {
    throw overlapAsSlotUnavailable(error);
  }
}

/**
 * Where an update puts the event: whole days (`days`, with their instants) or a new timed range, or
 * `range` null when its time does not change. Refuses what cannot be stored, naming the field.
 */
function requestedTime(input: UpdateEventInput, event: Event, zone: string): { days: { date: string; lastDate: string } | null; range: TimeRange | null } {
  // A timed event's "days" are its start's local date (what allDay: true alone turns it into).
  const held = { start: event.startsAt.getTime(), end: event.allDay ? event.endsAt.getTime() : event.startsAt.getTime() };
  const days = updatedDays(input, { allDay: event.allDay, ...allDayDates(held, zone) });
  if (days) {
    // Untouched days stay as stored, even if the calendar's zone has changed since (no silent shift).
    if (input.allDay == null && input.date == null && input.lastDate == null) return { days, range: null };
    const range = allDayRange(days.date, days.lastDate, zone);
    assertStorableRange(range, ['input', input.date != null ? 'date' : 'lastDate']);
    return { days, range };
  }
  if (input.startsAt == null && (input.durationMinutes == null || input.durationMinutes === event.durationMinutes)) return { days, range: null };
  const start = input.startsAt?.getTime() ?? event.startsAt.getTime();
  const range = { start, end: start + minutes(input.durationMinutes ?? event.durationMinutes) };
  assertStorableRange(range, ['input', input.startsAt != null ? 'startsAt' : 'durationMinutes']);
  return { days, range };
}

/** Cancels an event: it frees its time and stays, CANCELLED. Cancelling twice changes nothing. */
export async function cancelEvent(em: EntityManager, services: Services, accountId: string, eventId: string): Promise<Event> {
  return withLockedEvent(em, accountId, eventId, async (tx, event) => {
    if (event.cancelledAt) return event;
    event.cancelledAt = services.now();
    await tx.flush();
    await vacate(tx, [event.id]);
    await cancelReminders(tx, services, { accountId, eventId });
    await publishChange(tx, services, accountId, event, 'CANCELLED');
    return event;
  });
}

/** Deletes an event with its occupancy and attachments; subscribers get its last state. */
export async function deleteEvent(em: EntityManager, services: Services, accountId: string, eventId: string): Promise<void> {
  await withLockedEvent(em, accountId, eventId, async (tx, event) => {
    await cancelReminders(tx, services, { accountId, eventId });
    await publishChange(tx, services, accountId, event, 'DELETED');
    await tx.execute('delete from event where id = ?', [eventId]);
  });
}

async function withLockedEvent<T>(em: EntityManager, accountId: string, eventId: string, fn: (tx: EntityManager, event: Event) => Promise<T>): Promise<T> {
  const found = await em.findOne(Event, { id: eventId, account: accountId });
  if (!found) throw new NotFoundError('event', eventId);
  if (found.externalKey) throw new GraphQLError('This event belongs to a feed calendar, which mirrors its feed and is read-only', { extensions: { code: 'FORBIDDEN' } });
  return em.transactional(async (tx) => {
    await lockCalendars(tx, occupiedCalendarIds(found));
    // Re-read under the locks: a concurrent placement may have moved it.
    const event = await tx.findOne(Event, { id: eventId, account: accountId }, { refresh: true });
    if (!event) throw new NotFoundError('event', eventId);
    return fn(tx, event);
  });
}

/**
 * Runs `attempt` with these calendars locked; when a displacement reaches further calendars, runs it
 * again from the start with those locked too, so locks are always taken in one sorted batch.
 */
async function withCalendarLocks<T>(calendarIds: string[], attempt: (locked: Set<string>) => Promise<T>): Promise<T> {
  let locked = new Set(calendarIds);
  for (let round = 0; ; round++) {
    try {
      return await attempt(locked);
    } catch (error) {
      if (!(error instanceof LockSetTooSmall) || round >= 4) throw error;
      locked = new Set(error.calendarIds);
    }
  }
}

function overlapAsSlotUnavailable(error: unknown): unknown {
  // The locks make this unreachable in normal operation; the constraint is the last line of defence.
  return isOverlapViolation(error) ? new SlotUnavailableError('The time overlaps another event on one of the calendars', [], []) : error;
}

type ChangeKind = 'CREATED' | 'UPDATED' | 'CANCELLED' | 'DELETED';

async function publishChange(tx: EntityManager, services: Services, accountId: string, event: Event, kind: ChangeKind): Promise<void> {
  const payload = { eventId: event.id, calendarIds: occupiedCalendarIds(event), kind };
  await services.pubsub.publishInTransaction(tx, 'event:changed', accountId, kind === 'DELETED' ? { ...payload, snapshot: snapshotOf(event) } : payload);
}

/** What a DELETED notice carries, since the row is gone when subscribers read it; kept under NOTIFY's limit. */
function snapshotOf(event: Event): Record<string, unknown> {
  const snapshot = {
    id: event.id, accountId: event.account.id, calendarId: event.calendar.id, title: event.title,
    startsAt: event.startsAt.toISOString(), endsAt: event.endsAt.toISOString(), durationMinutes: event.durationMinutes,
    placement: event.placement, attendees: event.attendees, attendeeCalendarIds: event.attendeeCalendarIds,
    location: event.location ?? null, allDay: event.allDay ?? false, cancelledAt: event.cancelledAt?.toISOString() ?? null,
    createdAt: event.createdAt.toISOString(), updatedAt: event.updatedAt.toISOString(),
  };
  return JSON.stringify(snapshot).length > 6000 ? { ...snapshot, attendees: [] } : snapshot;
}

