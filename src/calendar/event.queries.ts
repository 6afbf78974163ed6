/** Read side of events: the keyset-paginated list, free slots, and DELETED snapshots. */
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { Calendar } from './calendar.entity.ts';
import { loadOwnCalendars } from './calendar.service.ts';
import { Event } from './event.entity.ts';
import { minutes, type EventStatus } from './placement.ts';
import { findSlotsIn } from './placement.service.ts';
import { toTimeSlot, type TimeSlot } from './slot-unavailable.error.ts';
import { DAY_MS } from './working-hours.ts';
import { isStorableInstant } from '../shared/instant-range.ts';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 5000;
export const MAX_FREE_SLOTS = 1000;
/** As many as createEvent takes (event-input.ts). */
const MAX_ATTENDEE_CALENDARS = 20;
const MAX_FREE_SLOT_SPAN_MS = 366 * DAY_MS;

export type EventEdge = { cursor: string; node: Event };
export type EventPage = {
  edges: EventEdge[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
};
export type ListEventsArgs = {
  calendarId: string | null;
  from: Date | null;
  to: Date | null;
  status: EventStatus | null;
  first: number | null;
  after: string | null;
};

/** The status filter as time conditions, matching eventStatus() exactly, so the database can use them. */
function statusCondition(status: EventStatus, now: Date): FilterQuery<Event> {
  switch (status) {
    case 'CANCELLED': return { cancelledAt: { $ne: null } };
    case 'PENDING': return { cancelledAt: null, startsAt: { $gt: now } };
    case 'IN_PROGRESS': return { cancelledAt: null, startsAt: { $lte: now }, endsAt: { $gt: now } };
    case 'COMPLETED': return { cancelledAt: null, endsAt: { $lte: now } };
  }
}

export async function listEvents(em: EntityManager, accountId: string, now: Date, args: ListEventsArgs): Promise<EventPage> {
  if (args.first != null && args.first < 0) throw badInput('first must be 0 or more');
  const first = Math.min(args.first ?? DEFAULT_PAGE, MAX_PAGE);
  const conditions: FilterQuery<Event>[] = [{ account: accountId }];
  if (args.calendarId) conditions.push({ $or: [{ calendar: args.calendarId }, { attendeeCalendarIds: { $contains: [args.calendarId] } }] });
  if (args.from) conditions.push({ endsAt: { $gt: args.from } });
  if (args.to) conditions.push({ startsAt: { $lt: args.to } });
  if (args.status) conditions.push(statusCondition(args.status, now));
  if (args.after) {
    const [startsAt, id] = decodeCursor(args.after);
    conditions.push({ $or: [{ startsAt: { $gt: startsAt } }, { startsAt, id: { $gt: id } }] });
  }
  const rows = await em.find(Event, { $and: conditions }, { orderBy: { startsAt: 'asc', id: 'asc' }, limit: first + 1 });
  const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: args.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

function encodeCursor(event: Event): string {
  return Buffer.from(JSON.stringify([event.startsAt.getTime(), event.id])).toString('base64url');
}

function decodeCursor(cursor: string): [Date, string] {
  try {
    const [ms, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown];
    // Only an instant the database holds: a forged [8.64e15, …] would reach PostgreSQL as year 275760.
    if (typeof ms === 'number' && isStorableInstant(ms) && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) return [new Date(ms), id];
  } catch { /* fall through */ }
  throw badInput('after is not a cursor from this connection');
}

export type FreeSlotsArgs = { calendarId: string | null; attendeeCalendarIds: string[]; from: Date; to: Date; durationMinutes: number };

/** Every grid slot that fits, by the same finder and rules as automatic placement (no locks: a snapshot). */
export async function freeSlots(em: EntityManager, accountId: string, now: Date, args: FreeSlotsArgs): Promise<TimeSlot[]> {
  if (args.attendeeCalendarIds.length > MAX_ATTENDEE_CALENDARS) throw badInput(`attendeeCalendarIds: at most ${MAX_ATTENDEE_CALENDARS} calendars`);
  if (!Number.isInteger(args.durationMinutes) || args.durationMinutes < 1 || args.durationMinutes > 1440) throw badInput('durationMinutes must be from 1 to 1440');
  if (args.to <= args.from) throw badInput('to must be after from');
  if (args.to.getTime() - args.from.getTime() > MAX_FREE_SLOT_SPAN_MS) throw badInput('from and to may be at most 366 days apart');
  const primaryId = args.calendarId ?? (await em.findOneOrFail(Calendar, { account: accountId, isDefault: true })).id;
  let calendars: Calendar[];
  try {
    calendars = await loadOwnCalendars(em, accountId, [...new Set([primaryId, ...args.attendeeCalendarIds])]);
  } catch (error) {
    throw new GraphQLError((error as Error).message, { extensions: { code: 'NOT_FOUND' } });
  }
  const window = { start: Math.max(args.from.getTime(), now.getTime()), end: args.to.getTime() };
  if (window.end <= window.start) return [];
  const slots = await findSlotsIn(em, calendars, window, minutes(args.durationMinutes), MAX_FREE_SLOTS);
  return slots.map(toTimeSlot);
}

/** A detached Event rebuilt from a DELETED notice, enough for every Event field. */
export function fromSnapshot(snapshot: Record<string, unknown>): Event {
  const date = (key: string) => (snapshot[key] ? new Date(snapshot[key] as string) : null);
  return {
    ...snapshot,
    account: { id: snapshot.accountId },
    calendar: { id: snapshot.calendarId },
    startsAt: date('startsAt'),
    endsAt: date('endsAt'),
    cancelledAt: date('cancelledAt'),
    createdAt: date('createdAt'),
    updatedAt: date('updatedAt'),
  } as unknown as Event;
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}
