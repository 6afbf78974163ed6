/**
 * "Exact time wins, from outside too": busy time a sync brings onto calendars that plan around the feed
 * moves the AUTO events it overlaps to their next fitting slot, in the sync's transaction, through the
 * calendar's own displacement (replaceDisplaced, reminders moved with them). An event that cannot move
 * stays and the clash is announced on eventPlacementFailed, as is every clash with an EXACT event.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../platform/services.ts';
import { Calendar } from '../calendar/calendar.entity.ts';
import { Event } from '../calendar/event.entity.ts';
import { moveReminders } from '../calendar/event-reminders.ts';
import { lockCalendars, vacate } from '../calendar/occupancy.repository.ts';
import { occupiedCalendarIds, replaceDisplaced } from '../calendar/placement.service.ts';
import { SlotUnavailableError } from '../calendar/slot-unavailable.error.ts';

export type ClashScope = {
  accountId: string;
  feedCalendarId: string;
  feedName: string;
  /** Calendars that count the feed as busy (already locked by the caller). */
  calendarIds: string[];
  /** Feed events whose busy time is new or moved in this sync. */
  feedEventIds: string[];
};

type Clash = { event_id: string; placement: string; title: string; feed_title: string; starts_at: Date };

export async function moveClashingEvents(tx: EntityManager, services: Services, scope: ClashScope): Promise<void> {
  if (scope.calendarIds.length === 0 || scope.feedEventIds.length === 0) return;
  const clashes = await tx.execute<Clash[]>(
    `select distinct on (o.event_id) o.event_id, e.placement, e.title, fe.title as feed_title, e.starts_at
       from event_occupancy f
       join event fe on fe.id = f.event_id
       join event_occupancy o on o.calendar_id = any(array[?]::uuid[]) and o.during && f.during and o.exclusive
       join event e on e.id = o.event_id
      where f.calendar_id = ? and f.event_id = any(array[?]::uuid[]) and e.ends_at > ?
      order by o.event_id, lower(f.during)`,
    [scope.calendarIds, scope.feedCalendarId, scope.feedEventIds, services.now()],
  );
  if (clashes.length === 0) return;
  clashes.sort((a, b) => new Date(a.starts_at).getTime() - new Date(b.starts_at).getTime());
  const now = services.now().getTime();
  for (const clash of clashes) {
    if (clash.placement !== 'AUTO') {
      await announce(tx, services, scope, clash, `The exactly placed event "${clash.title}" now overlaps "${clash.feed_title}" from the feed "${scope.feedName}"; it was not moved`);
      continue;
    }
    try {
      // A savepoint per event: one that cannot move rolls back alone and stays where it was.
      await tx.transactional(async (inner) => {
        const event = await inner.findOneOrFail(Event, clash.event_id, { refresh: true });
        const ids = occupiedCalendarIds(event);
        // Attendee calendars outside the caller's lock set are locked now (rare; see README).
        await lockCalendars(inner, ids);
        const calendars = await inner.find(Calendar, { id: { $in: ids }, account: scope.accountId });
        await vacate(inner, [event.id]);
        await replaceDisplaced(inner, [event], new Map(calendars.map((c) => [c.id, c])), now);
        await moveReminders(inner, services, { accountId: scope.accountId, eventId: event.id, startsAt: event.startsAt });
        await services.pubsub.publishInTransaction(inner, 'event:changed', scope.accountId, { eventId: event.id, calendarIds: ids, kind: 'UPDATED' });
      });
    } catch (error) {
      if (!(error instanceof SlotUnavailableError)) throw error;
      await announce(tx, services, scope, clash, `The auto-placed event "${clash.title}" now overlaps "${clash.feed_title}" from the feed "${scope.feedName}" and no other slot fits its window; it stays`);
    }
  }
}

async function announce(tx: EntityManager, services: Services, scope: ClashScope, clash: Clash, message: string): Promise<void> {
  const [calendar] = await tx.execute<{ calendar_id: string }[]>('select calendar_id from event where id = ?', [clash.event_id]);
  await services.pubsub.publishInTransaction(tx, 'event:placement-failed', scope.accountId, {
    calendarId: calendar?.calendar_id ?? scope.calendarIds[0]!, title: clash.title, message, suggestions: [],
  });
}
