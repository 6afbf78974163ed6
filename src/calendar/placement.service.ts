/**
 * Placement inside the caller's transaction, after the occupied calendars are locked: reads busy time
 * through the index, computes with the pure slot finder, and moves auto-placed events out of the way.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TimeRange } from '../shared/time-range.ts';
import type { Calendar } from './calendar.entity.ts';
import { Event } from './event.entity.ts';
import { busyRanges, occupy, vacate } from './occupancy.repository.ts';
import { placementWindow, searchChunks, minutes } from './placement.ts';
import { findSlots } from './slot-finder.ts';
import { SlotUnavailableError } from './slot-unavailable.error.ts';
import { DAY_MS } from './working-hours.ts';
import type { WorkingHoursRule } from './working-hours.ts';
import { MAX_INSTANT_MS, MIN_INSTANT_MS } from '../shared/instant-range.ts';

/** How far past the requested time suggestions are looked for, and how many are given. */
const SUGGESTION_SPAN_MS = 14 * DAY_MS;
const SUGGESTION_COUNT = 3;

/** Thrown when a displacement reaches calendars not yet locked: the caller retries with all of them locked. */
export class LockSetTooSmall extends Error {
  readonly calendarIds: string[];
  constructor(calendarIds: string[]) {
    super('placement needs more calendar locks');
    this.calendarIds = calendarIds;
  }
}

/**
 * Up to `limit` free slots of `durationMs` in `window` on every calendar (the first one's zone, grid and
 * working hours), earliest first. Busy time is read chunk by chunk, so an early fit reads little.
 */
export async function findSlotsIn(
  em: EntityManager,
  calendars: readonly Calendar[],
  window: TimeRange,
  durationMs: number,
  limit: number,
): Promise<TimeRange[]> {
  const primary = calendars[0]!;
  const ids = busyReadIds(calendars);
  const maxBufferMs = Math.max(...calendars.map((c) => minutes(c.bufferMinutes)));
  const found: TimeRange[] = [];
  // No slot lies outside the instants PostgreSQL stores (years 0001–9999): a search running past them
  // (suggestions after a window at the end of 9999) stops there rather than query year 10000.
  const bounded = { start: Math.max(window.start, MIN_INSTANT_MS), end: Math.min(window.end, MAX_INSTANT_MS) };
  if (bounded.end <= bounded.start) return found;
  for (const chunk of searchChunks(bounded, durationMs)) {
    const busy = await busyRanges(em, ids, { start: Math.max(MIN_INSTANT_MS, chunk.start - maxBufferMs), end: Math.min(MAX_INSTANT_MS, chunk.end + maxBufferMs) });
    const slots = findSlots({
      window: chunk,
      durationMs,
      timeZone: primary.timeZone,
      workingHours: primary.workingHours as WorkingHoursRule[],
      slotIntervalMinutes: primary.slotIntervalMinutes,
      calendars: calendars.map((c) => ({ busy: busyOf(c, busy), bufferMs: minutes(c.bufferMinutes) })),
      limit: limit - found.length,
    });
    // Chunks overlap by one duration, so a slot near a chunk's end can be found twice.
    for (const slot of slots) if (!found.some((f) => f.start === slot.start)) found.push(slot);
    if (found.length >= limit) break;
  }
  return found.slice(0, limit);
}

/** The calendars whose occupancy placement reads: these, and the feed calendars they count as busy. */
export function busyReadIds(calendars: readonly Calendar[]): string[] {
  return [...new Set(calendars.flatMap((c) => [c.id, ...(c.busyCalendarIds ?? [])]))];
}

/** A calendar's busy time: its own events, and the busy time of the feeds it plans around (which may overlap). */
export function busyOf<B extends { calendarId: string }>(calendar: Calendar, busy: readonly B[]): B[] {
  const feeds = calendar.busyCalendarIds ?? [];
  return busy.filter((b) => b.calendarId === calendar.id || feeds.includes(b.calendarId));
}

/** Free slots after `from` that a client could ask for instead. */
export function suggestionsFrom(em: EntityManager, calendars: readonly Calendar[], from: number, durationMs: number): Promise<TimeRange[]> {
  return findSlotsIn(em, calendars, { start: from, end: from + SUGGESTION_SPAN_MS }, durationMs, SUGGESTION_COUNT);
}

/**
 * Makes `range` free on `calendars` for an exact placement. EXACT events in the way refuse it
 * (SlotUnavailableError); AUTO events in the way are vacated and returned, to be placed again.
 */
export async function clearForExact(
  em: EntityManager,
  calendars: readonly Calendar[],
  range: TimeRange,
  lockedIds: ReadonlySet<string>,
  now: number,
): Promise<Event[]> {
  const hits = await busyRanges(em, calendars.map((c) => c.id), range);
  if (hits.length === 0) return [];
  const blocking = await em.find(Event, { id: { $in: [...new Set(hits.map((h) => h.eventId))] } }, { orderBy: { startsAt: 'asc', id: 'asc' } });
  const exact = blocking.filter((e) => e.placement === 'EXACT');
  if (exact.length > 0) {
    const suggestions = await suggestionsFrom(em, calendars, Math.max(range.start, now), range.end - range.start);
    throw new SlotUnavailableError(`The time is taken by ${exact.length} exactly placed event(s)`, exact, suggestions);
  }
  const needed = blocking.flatMap(occupiedCalendarIds);
  if (needed.some((id) => !lockedIds.has(id))) throw new LockSetTooSmall([...lockedIds, ...needed]);
  await vacate(em, blocking.map((e) => e.id));
  return blocking;
}

/**
 * Places displaced AUTO events again, each at the earliest slot within its own window, in start order.
 * Any that no longer fits refuses the whole placement (the caller's transaction rolls back).
 */
export async function replaceDisplaced(em: EntityManager, displaced: readonly Event[], calendarsById: Map<string, Calendar>, now: number): Promise<void> {
  for (const event of displaced) {
    const calendars = occupiedCalendarIds(event).map((id) => calendarsById.get(id)!);
    const primary = calendars[0]!;
    const window = placementWindow({
      now,
      horizonDays: primary.horizonDays,
      notBefore: event.notBefore?.getTime() ?? null,
      notAfter: event.notAfter?.getTime() ?? null,
    });
    const durationMs = minutes(event.durationMinutes);
    const [slot] = await findSlotsIn(em, calendars, window, durationMs, 1);
    if (!slot) {
      throw new SlotUnavailableError(`The auto-placed event "${event.title}" in the way cannot be moved within its own window`, [event], []);
    }
    event.startsAt = new Date(slot.start);
    event.endsAt = new Date(slot.end);
    await em.flush();
    await occupy(em, event.id, calendars.map((c) => c.id), slot);
  }
}

/** Every calendar an event holds, its own first. */
export function occupiedCalendarIds(event: Event): string[] {
  return [event.calendar.id, ...event.attendeeCalendarIds.filter((id) => id !== event.calendar.id)];
}
