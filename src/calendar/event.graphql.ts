import { GraphQLError } from 'graphql';
import { filter, map, pipe } from 'graphql-yoga';
import { builder } from '../graphql/builder.ts';
import { viewerOf, type Context } from '../graphql/context.ts';
import { decodeId } from '../graphql/ids.ts';
import { ErrorInterface } from '../graphql/errors.graphql.ts';
import { Calendar } from './calendar.entity.ts';
import { CalendarRef } from './calendar.graphql.ts';
import { Event, PLACEMENTS } from './event.entity.ts';
import { EVENT_STATUSES, eventStatus } from './placement.ts';
import { SlotUnavailableError, type TimeSlot } from './slot-unavailable.error.ts';
import * as queries from './event.queries.ts';

export const EventRef = builder.objectRef<Event>('Event');
export const EventStatusEnum = builder.enumType('EventStatus', { values: EVENT_STATUSES });
const EventPlacementEnum = builder.enumType('EventPlacement', { values: PLACEMENTS });
const EventChangeKindEnum = builder.enumType('EventChangeKind', { values: ['CREATED', 'UPDATED', 'CANCELLED', 'DELETED'] as const });

export const TimeSlotRef = builder.objectRef<TimeSlot>('TimeSlot').implement({
  fields: (t) => ({
    startsAt: t.expose('startsAt', { type: 'DateTime', nullable: false }),
    endsAt: t.expose('endsAt', { type: 'DateTime', nullable: false }),
  }),
});

builder.node(EventRef, {
  id: { resolve: (event) => event.id },
  loadOne: (id, ctx) => (ctx.viewer ? ctx.em.findOne(Event, { id, account: ctx.viewer.accountId }) : null),
  fields: (t) => ({
    calendar: t.field({ type: CalendarRef, nullable: false, resolve: (event, _args, ctx) => ctx.em.findOneOrFail(Calendar, event.calendar.id) }),
    title: t.exposeString('title', { nullable: false }),
    startsAt: t.expose('startsAt', { type: 'DateTime', nullable: false }),
    endsAt: t.expose('endsAt', { type: 'DateTime', nullable: false }),
    durationMinutes: t.exposeInt('durationMinutes', { nullable: false }),
    status: t.field({
      type: EventStatusEnum,
      nullable: false,
      description: 'CANCELLED once cancelled; otherwise PENDING before the start, IN_PROGRESS during, COMPLETED after',
      resolve: (event, _args, ctx) => eventStatus(event, ctx.services.now()),
    }),
    placement: t.field({ type: EventPlacementEnum, nullable: false, resolve: (event) => event.placement }),
    attendees: t.exposeStringList('attendees', { nullable: false }),
    attendeeCalendars: t.field({
      type: [CalendarRef],
      nullable: false,
      resolve: async (event, _args, ctx) => {
        if (event.attendeeCalendarIds.length === 0) return [];
        const found = await ctx.em.find(Calendar, { id: { $in: event.attendeeCalendarIds }, account: event.account.id });
        return event.attendeeCalendarIds.flatMap((id) => found.filter((c) => c.id === id));
      },
    }),
    location: t.exposeString('location', { nullable: true }),
    allDay: t.boolean({
      nullable: false,
      description: 'Whole local days (createEvent with allDay, or a feed\'s VALUE=DATE event): startsAt and endsAt are the local midnights '
        + 'that begin the first day and end the last one, in the calendar\'s zone (the feed\'s for feed events)',
      // Snapshots of deleted events written before the column existed have no allDay.
      resolve: (event) => event.allDay ?? false,
    }),
    cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: false }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: false }),
  }),
});

builder.objectType(SlotUnavailableError, {
  name: 'SlotUnavailableError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    conflicts: t.field({ type: [EventRef], nullable: false, description: 'What blocks the requested exact time (empty for auto placement)', resolve: (e) => e.conflicts }),
    suggestions: t.field({ type: [TimeSlotRef], nullable: false, description: 'The next free slots that would fit', resolve: (e) => e.suggestions }),
  }),
});

const EventEdgeRef = builder.objectRef<queries.EventEdge>('EventEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor', { nullable: false }),
    node: t.field({ type: EventRef, nullable: false, resolve: (edge) => edge.node }),
  }),
});
const EventConnectionRef = builder.objectRef<queries.EventPage>('EventConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [EventEdgeRef], nullable: false, resolve: (page) => page.edges }),
    pageInfo: t.field({ type: builder.pageInfoRef(), nullable: false, resolve: (page) => page.pageInfo }),
  }),
});

builder.queryField('event', (t) =>
  t.field({
    type: EventRef,
    nullable: true,
    authScopes: { account: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => {
      const eventId = decodeId('Event', String(id));
      return eventId ? ctx.em.findOne(Event, { id: eventId, account: viewerOf(ctx).accountId }) : null;
    },
  }),
);

builder.queryField('events', (t) =>
  t.field({
    type: EventConnectionRef,
    nullable: false,
    description: 'Events overlapping [from, to) on the calendar (as its own or as an attendee calendar), ordered by start. '
      + `first: default ${queries.DEFAULT_PAGE}, at most ${queries.MAX_PAGE}.`,
    authScopes: { account: true },
    args: {
      calendarId: t.arg.id(),
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
      status: t.arg({ type: EventStatusEnum }),
      first: t.arg.int(),
      after: t.arg.string(),
    },
    resolve: (_root, args, ctx) => queries.listEvents(ctx.em, viewerOf(ctx).accountId, ctx.services.now(), {
      calendarId: args.calendarId == null ? null : calendarIdOrFail(String(args.calendarId)),
      from: args.from ?? null,
      to: args.to ?? null,
      status: args.status ?? null,
      first: args.first ?? null,
      after: args.after ?? null,
    }),
  }),
);

builder.queryField('freeSlots', (t) =>
  t.field({
    type: [TimeSlotRef],
    nullable: false,
    description: `Every slot on the calendar's grid in [from, to) (never in the past) where an event of this duration fits, at most ${queries.MAX_FREE_SLOTS}.`,
    authScopes: { account: true },
    args: {
      calendarId: t.arg.id(),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      durationMinutes: t.arg.int({ required: true }),
      attendeeCalendarIds: t.arg.idList(),
    },
    resolve: (_root, args, ctx) => queries.freeSlots(ctx.em, viewerOf(ctx).accountId, ctx.services.now(), {
      calendarId: args.calendarId == null ? null : calendarIdOrFail(String(args.calendarId)),
      attendeeCalendarIds: (args.attendeeCalendarIds ?? []).map((id) => calendarIdOrFail(String(id))),
      from: args.from,
      to: args.to,
      durationMinutes: args.durationMinutes,
    }),
  }),
);

/** Queries cannot answer with a NotFoundError object, so a bad id is a GraphQL error with that code. */
function calendarIdOrFail(globalId: string): string {
  const id = decodeId('Calendar', globalId);
  if (!id) throw new GraphQLError(`No calendar with id "${globalId}"`, { extensions: { code: 'NOT_FOUND' } });
  return id;
}

type EventChange = { kind: 'CREATED' | 'UPDATED' | 'CANCELLED' | 'DELETED'; event: Event };
const EventChangeRef = builder.objectRef<EventChange>('EventChange').implement({
  fields: (t) => ({
    kind: t.field({ type: EventChangeKindEnum, nullable: false, resolve: (change) => change.kind }),
    event: t.field({ type: EventRef, nullable: false, resolve: (change) => change.event }),
  }),
});

builder.subscriptionField('eventChanged', (t) =>
  t.field({
    type: EventChangeRef,
    nullable: false,
    description: 'Events created, moved or changed, cancelled or deleted on the calendar (all the account\'s calendars without calendarId).',
    authScopes: { account: true },
    args: { calendarId: t.arg.id() },
    subscribe: (_root, { calendarId }, ctx) => {
      const only = calendarId == null ? null : calendarIdOrFail(String(calendarId));
      return pipe(
        ctx.services.pubsub.subscribe('event:changed', viewerOf(ctx).accountId),
        filter((notice) => only === null || notice.calendarIds.includes(only)),
        map(async (notice) => ({ kind: notice.kind, event: notice.snapshot ? queries.fromSnapshot(notice.snapshot) : await latest(ctx, notice.eventId) })),
        // An event deleted before its earlier notice was read has nothing left to show.
        filter((change): change is EventChange => change.event !== null),
      );
    },
    resolve: (change) => change,
  }),
);

function latest(ctx: Context, eventId: string): Promise<Event | null> {
  return ctx.em.fork().findOne(Event, eventId);
}

type PlacementFailure = { calendarId: string; title: string; message: string; suggestions: { startsAt: string; endsAt: string }[] };
const EventPlacementFailureRef = builder.objectRef<PlacementFailure>('EventPlacementFailure').implement({
  fields: (t) => ({
    calendar: t.field({ type: CalendarRef, nullable: false, resolve: (failure, _args, ctx) => ctx.em.fork().findOneOrFail(Calendar, failure.calendarId) }),
    title: t.exposeString('title', { nullable: false }),
    message: t.exposeString('message', { nullable: false }),
    suggestions: t.field({
      type: [TimeSlotRef],
      nullable: false,
      resolve: (failure) => failure.suggestions.map((s) => ({ startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt) })),
    }),
  }),
});

builder.subscriptionField('eventPlacementFailed', (t) =>
  t.field({
    type: EventPlacementFailureRef,
    nullable: false,
    description: 'An automatic placement for the account found no free slot (nothing was created).',
    authScopes: { account: true },
    subscribe: (_root, _args, ctx) => ctx.services.pubsub.subscribe('event:placement-failed', viewerOf(ctx).accountId),
    resolve: (failure) => failure,
  }),
);
