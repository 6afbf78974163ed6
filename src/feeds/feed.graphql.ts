import { builder } from '../graphql/builder.ts';
import { viewerOf } from '../graphql/context.ts';
import { decodeId, encodeId } from '../graphql/ids.ts';
import { NotFoundError, QuotaExceededError, ValidationError } from '../shared/errors.ts';
import { Calendar } from '../calendar/calendar.entity.ts';
import { CalendarRef } from '../calendar/calendar.graphql.ts';
import { CalendarFeed } from './feed.entity.ts';
import * as feeds from './feed.service.ts';

const CalendarFeedRef = builder.objectRef<CalendarFeed>('CalendarFeed').implement({
  description: 'The subscription behind a feed calendar, and how its syncs went.',
  fields: (t) => ({
    url: t.exposeString('url', { nullable: false }),
    refreshMinutes: t.exposeInt('refreshMinutes', { nullable: false }),
    lastSyncedAt: t.expose('lastSyncedAt', { type: 'DateTime', nullable: true, description: 'Last successful sync' }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last attempt failed; null after a successful sync' }),
    etag: t.exposeString('etag', { nullable: true, description: 'The feed server\'s ETag of the last good body' }),
    eventCount: t.exposeInt('eventCount', { nullable: false }),
    warnings: t.stringList({
      nullable: false,
      description: 'What the last sync read leniently (a date without VALUE=DATE, an empty RRULE…), each naming its line; empty when the feed follows RFC 5545',
      resolve: (feed) => feed.warnings ?? [],
    }),
    nextSyncAt: t.expose('nextSyncAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.objectFields(CalendarRef, (t) => ({
  feed: t.field({
    type: CalendarFeedRef,
    nullable: true,
    description: 'Set on feed calendars (read-only mirrors of an external ICS feed)',
    resolve: (calendar, _args, ctx) => (calendar.isFeed ? ctx.em.fork().findOne(CalendarFeed, { calendar: calendar.id }) : null),
  }),
  busyCalendarIds: t.idList({
    nullable: false,
    description: 'Feed calendars whose busy time this calendar plans around',
    resolve: (calendar) => (calendar.busyCalendarIds ?? []).map((id) => encodeId('Calendar', id)),
  }),
  feedUrl: t.string({
    nullable: false,
    description: 'This calendar\'s own secret ICS feed URL (absolute with PUBLIC_URL, else a path on this server)',
    resolve: async (calendar, _args, ctx) => {
      const token = calendar.feedToken ?? (await ctx.em.fork().findOneOrFail(Calendar, calendar.id, { fields: ['feedToken'] })).feedToken;
      return feeds.feedUrlOf({ id: calendar.id, feedToken: token }, ctx.services.config.publicUrl);
    },
  }),
}));

const SubscribeCalendarFeedInput = builder.inputType('SubscribeCalendarFeedInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: 'http(s):// or webcal:// address of an iCalendar feed' }),
    name: t.string({ description: 'Default: the feed\'s own name (X-WR-CALNAME) or its host' }),
    refreshMinutes: t.int({ description: 'Default 60, at least 5' }),
  }),
});
const UpdateCalendarFeedInput = builder.inputType('UpdateCalendarFeedInput', {
  fields: (t) => ({
    calendarId: t.id({ required: true }),
    url: t.string(),
    name: t.string(),
    refreshMinutes: t.int(),
  }),
});
const SubscribeCalendarFeedPayload = builder.simpleObject('SubscribeCalendarFeedPayload', {
  fields: (t) => ({ calendar: t.field({ type: CalendarRef, nullable: false }) }),
});
const RefreshCalendarFeedPayload = builder.simpleObject('RefreshCalendarFeedPayload', {
  fields: (t) => ({
    calendar: t.field({ type: CalendarRef, nullable: false }),
    created: t.int({ nullable: false }),
    updated: t.int({ nullable: false }),
    deleted: t.int({ nullable: false }),
  }),
});
const UnsubscribeCalendarFeedPayload = builder.simpleObject('UnsubscribeCalendarFeedPayload', {
  fields: (t) => ({ id: t.id({ nullable: false }) }),
});
const RotateCalendarFeedTokenPayload = builder.simpleObject('RotateCalendarFeedTokenPayload', {
  fields: (t) => ({ calendar: t.field({ type: CalendarRef, nullable: false }) }),
});

builder.mutationField('subscribeCalendarFeed', (t) =>
  t.field({
    type: SubscribeCalendarFeedPayload,
    nullable: false,
    description: 'Creates a feed calendar mirroring an ICS feed (fetched now: a URL that does not answer with iCalendar is a ValidationError).',
    authScopes: { account: true },
    args: { input: t.arg({ type: SubscribeCalendarFeedInput, required: true }) },
    errors: { types: [ValidationError, QuotaExceededError], union: { name: 'SubscribeCalendarFeedResult' } },
    resolve: async (_root, { input }, ctx) => ({ calendar: await feeds.subscribeFeed(ctx.em, ctx.services, viewerOf(ctx).accountId, input) }),
  }),
);

builder.mutationField('updateCalendarFeed', (t) =>
  t.field({
    type: SubscribeCalendarFeedPayload,
    nullable: false,
    authScopes: { account: true },
    args: { input: t.arg({ type: UpdateCalendarFeedInput, required: true }) },
    errors: { types: [ValidationError, NotFoundError], union: { name: 'UpdateCalendarFeedResult' } },
    resolve: async (_root, { input }, ctx) => {
      const { calendarId, ...changes } = input;
      return { calendar: await feeds.updateFeed(ctx.em, ctx.services, viewerOf(ctx).accountId, calendarIdOrFail(String(calendarId)), changes) };
    },
  }),
);

builder.mutationField('refreshCalendarFeed', (t) =>
  t.field({
    type: RefreshCalendarFeedPayload,
    nullable: false,
    description: 'Syncs the feed now; the counts say what changed (a failed sync changes nothing: see feed.lastError).',
    authScopes: { account: true },
    args: { calendarId: t.arg.id({ required: true }) },
    errors: { types: [ValidationError, NotFoundError], union: { name: 'RefreshCalendarFeedResult' } },
    resolve: (_root, { calendarId }, ctx) => feeds.refreshFeed(ctx.em, ctx.services, viewerOf(ctx).accountId, calendarIdOrFail(String(calendarId))),
  }),
);

builder.mutationField('unsubscribeCalendarFeed', (t) =>
  t.field({
    type: UnsubscribeCalendarFeedPayload,
    nullable: false,
    description: 'Deletes the feed calendar and its events.',
    authScopes: { account: true },
    args: { calendarId: t.arg.id({ required: true }) },
    errors: { types: [NotFoundError], union: { name: 'UnsubscribeCalendarFeedResult' } },
    resolve: async (_root, { calendarId }, ctx) => {
      await feeds.unsubscribeFeed(ctx.em, viewerOf(ctx).accountId, calendarIdOrFail(String(calendarId)));
      return { id: String(calendarId) };
    },
  }),
);

builder.mutationField('rotateCalendarFeedToken', (t) =>
  t.field({
    type: RotateCalendarFeedTokenPayload,
    nullable: false,
    description: 'Gives the calendar a new secret feed URL; the old one stops working.',
    authScopes: { account: true },
    args: { calendarId: t.arg.id({ required: true }) },
    errors: { types: [NotFoundError], union: { name: 'RotateCalendarFeedTokenResult' } },
    resolve: async (_root, { calendarId }, ctx) => ({
      calendar: await feeds.rotateFeedToken(ctx.em, viewerOf(ctx).accountId, calendarIdOrFail(String(calendarId))),
    }),
  }),
);

builder.subscriptionField('calendarFeedSynced', (t) =>
  t.field({
    type: CalendarRef,
    nullable: false,
    description: 'A feed calendar of the account after each sync attempt, failed ones included.',
    authScopes: { account: true },
    subscribe: (_root, _args, ctx) => ctx.services.pubsub.subscribe('calendar:feed-synced', viewerOf(ctx).accountId),
    resolve: (notice, _args, ctx) => ctx.em.fork().findOneOrFail(Calendar, notice.calendarId),
  }),
);

function calendarIdOrFail(globalId: string): string {
  const id = decodeId('Calendar', globalId);
  if (!id) throw new NotFoundError('calendar', globalId);
  return id;
}
