/**
 * Automatic placement in batches: concurrent requests for the same calendars share one transaction,
 * one set of locks, one read of busy time and one insert (group commit). Each request still gets the
 * earliest slot that fits its own window, in arrival order, as if placed one after another.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PubSub } from '../platform/pubsub.ts';
import type { TimeRange } from '../shared/time-range.ts';
import type { Calendar } from './calendar.entity.ts';
import { Event } from './event.entity.ts';
import type { CreateEventInput } from './event-input.ts';
import { createKeyedBatcher } from './keyed-batcher.ts';
import { busyRanges, insertEventsWithOccupancy, lockAndLoadCalendars, type NewEventRow } from './occupancy.repository.ts';
import { localDay, minutes, placementWindow, searchChunks } from './placement.ts';
import { busyOf, busyReadIds, findSlotsIn, suggestionsFrom } from './placement.service.ts';
import { findSlots } from './slot-finder.ts';
import { SlotUnavailableError } from './slot-unavailable.error.ts';
import { assertWritable } from './calendar.service.ts';
import type { WorkingHoursRule } from './working-hours.ts';

export type AutoJob = { accountId: string; calendarIds: string[]; input: CreateEventInput };
export type AutoOutcome = { event: Event } | { error: SlotUnavailableError };

const MAX_BATCH = 64;

/**
 * Automatic placement's batcher. One is created with each app (createApp, on Services) and holds the
 * batches in flight of that app only: two apps in one process share nothing.
 */
export type AutoPlacement = {
  /** Places an AUTO event, batched with concurrent placements on the same calendars. */
  place(job: AutoJob): Promise<AutoOutcome>;
};

type PlacementDeps = { forkEm: () => EntityManager; pubsub: PubSub; now: () => Date };

export function createAutoPlacement(deps: PlacementDeps): AutoPlacement {
  // Each batch forks the root entity manager: a batch outlives the request that started it.
  const batcher = createKeyedBatcher<AutoJob, AutoOutcome>((_key, jobs) => placeBatch(deps.forkEm(), deps, jobs), MAX_BATCH);
  return {
    place(job) {
      const [primary, ...attendees] = job.calendarIds;
      return batcher.submit(`${job.accountId}:${primary}:${attendees.sort().join(',')}`, job);
    },
  };
}

/** The window the caller asked for: `date` is that local day, narrowed by notBefore/notAfter if given. */
export function requestedWindow(input: CreateEventInput, calendar: Calendar): { notBefore: number | null; notAfter: number | null } {
  const day = input.date ? localDay(input.date, calendar.timeZone) : null;
  const notBefore = Math.max(day?.start ?? -Infinity, input.notBefore?.getTime() ?? -Infinity);
  const notAfter = Math.min(day?.end ?? Infinity, input.notAfter?.getTime() ?? Infinity);
  return { notBefore: Number.isFinite(notBefore) ? notBefore : null, notAfter: Number.isFinite(notAfter) ? notAfter : null };
}

/** All jobs share account and calendars (the batch key). */
async function placeBatch(em: EntityManager, deps: PlacementDeps, jobs: AutoJob[]): Promise<AutoOutcome[]> {
  const { accountId, calendarIds } = jobs[0]!;
  return em.transactional(async (tx) => {
    const ids = jobs.map(() => randomUUID());
    // Queued before the locks, delivered at COMMIT; a notice for a job that finds no slot names an event
    // that never exists, which eventChanged subscribers skip.
    for (const eventId of ids) await deps.pubsub.publishInTransaction(tx, 'event:changed', accountId, { eventId, calendarIds, kind: 'CREATED' });
    const calendars = await lockAndLoadCalendars(tx, calendarIds, accountId, calendarIds);
    assertWritable(calendars);
    const primary = calendars[0]!;
    const now = deps.now().getTime();
    const plans = jobs.map((job) => {
      const requested = requestedWindow(job.input, primary);
      const window = placementWindow({ now, horizonDays: primary.horizonDays, ...requested });
      const durationMs = minutes(job.input.durationMinutes);
      return { job, requested, window, durationMs, firstChunk: searchChunks(window, durationMs).next().value as TimeRange | undefined };
    });
    const maxBufferMs = Math.max(...calendars.map((c) => minutes(c.bufferMinutes)));
    const chunks = plans.flatMap((p) => (p.firstChunk ? [{ start: p.firstChunk.start - maxBufferMs, end: p.firstChunk.end + maxBufferMs }] : []));
    const busy = chunks.length ? await busyRanges(tx, busyReadIds(calendars), chunks) : [];
    const placed: TimeRange[] = [];
    const pending: NewEventRow[] = [];
    const flush = async () => {
      await insertEventsWithOccupancy(tx, pending, calendarIds);
      pending.length = 0;
    };
    const outcomes: AutoOutcome[] = [];
    for (const [i, plan] of plans.entries()) {
      let slot = plan.firstChunk ? firstSlotInMemory(calendars, busy, placed, plan.firstChunk, plan.durationMs) : null;
      if (!slot && plan.firstChunk && plan.firstChunk.end < plan.window.end) {
        await flush(); // the database must see this batch's placements before it is searched further
        [slot = null] = await findSlotsIn(tx, calendars, plan.window, plan.durationMs, 1);
      }
      if (!slot) {
        await flush();
        const suggestions = await suggestionsFrom(tx, calendars, Math.max(plan.window.end, now), plan.durationMs);
        outcomes.push({ error: new SlotUnavailableError(`No free ${plan.job.input.durationMinutes}-minute slot in the window`, [], suggestions) });
        continue;
      }
      placed.push(slot);
      const row = newRow(ids[i]!, plan.job, primary.id, slot, plan.requested);
      pending.push(row);
      outcomes.push({ event: asEvent(tx, row, primary) });
    }
    await flush();
    return outcomes;
  });
}

function firstSlotInMemory(calendars: Calendar[], busy: { calendarId: string; start: number; end: number }[], placed: TimeRange[], window: TimeRange, durationMs: number): TimeRange | null {
  const primary = calendars[0]!;
  const [slot] = findSlots({
    window,
    durationMs,
    timeZone: primary.timeZone,
    workingHours: primary.workingHours as WorkingHoursRule[],
    slotIntervalMinutes: primary.slotIntervalMinutes,
    // Every event of the batch occupies every calendar of the batch.
    calendars: calendars.map((c) => ({ busy: [...busyOf(c, busy), ...placed], bufferMs: minutes(c.bufferMinutes) })),
    limit: 1,
  });
  return slot ?? null;
}

function newRow(id: string, job: AutoJob, calendarId: string, slot: TimeRange, requested: { notBefore: number | null; notAfter: number | null }): NewEventRow {
  return {
    id,
    accountId: job.accountId,
    calendarId,
    title: job.input.title,
    startsAt: new Date(slot.start),
    endsAt: new Date(slot.end),
    durationMinutes: job.input.durationMinutes,
    placement: 'AUTO',
    attendees: job.input.attendees ?? [],
    attendeeCalendarIds: job.calendarIds.slice(1),
    location: job.input.location ?? null,
    notBefore: requested.notBefore === null ? null : new Date(requested.notBefore),
    notAfter: requested.notAfter === null ? null : new Date(requested.notAfter),
    idempotencyKey: null,
    createdAt: new Date(),
  };
}

/** The inserted row as an Event for the response (not managed: it was written with SQL). */
export function asEvent(em: EntityManager, row: NewEventRow, primary: Calendar): Event {
  const { accountId, calendarId: _calendarId, ...fields } = row;
  return em.create(Event, { ...fields, placement: row.placement as Event['placement'], account: accountId, calendar: primary, updatedAt: row.createdAt }, { persist: false });
}
