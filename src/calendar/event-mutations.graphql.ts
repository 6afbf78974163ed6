import { builder } from '../graphql/builder.ts';
import { viewerOf } from '../graphql/context.ts';
import { decodeId } from '../graphql/ids.ts';
import { NotFoundError, QuotaExceededError, ValidationError } from '../shared/errors.ts';
import { refusingOverLimits } from '../accounts/usage.ts';
import { EventRef } from './event.graphql.ts';
import { SlotUnavailableError } from './slot-unavailable.error.ts';
import * as events from './event.service.ts';

const EventReminderInput = builder.inputType('EventReminderInput', {
  fields: (t) => ({
    minutesBefore: t.int({ required: true }),
    // ChannelInput belongs to the Reminders feature, which does not export its ref; Pothos resolves it by name.
    channels: t.field({ type: ['ChannelInput'] as never, description: 'Default: in-app only' }),
  }),
});

const CreateEventInput = builder.inputType('CreateEventInput', {
  fields: (t) => ({
    calendarId: t.id({ description: 'Default: the account\'s default calendar' }),
    title: t.string({ required: true }),
    durationMinutes: t.int({ required: true, description: '1 to 1440; not used for an all-day event, whose days give its length (send 1440)' }),
    date: t.field({ type: 'Date', description: 'With startTime: exact; alone: auto-place on that local date; with allDay: the first day' }),
    startTime: t.field({ type: 'LocalTime' }),
    startsAt: t.field({ type: 'DateTime', description: 'Exact instant (instead of date + startTime)' }),
    notBefore: t.field({ type: 'DateTime', description: 'Auto-placement window start (default: now)' }),
    notAfter: t.field({ type: 'DateTime', description: 'Auto-placement window end (default: now + the calendar\'s horizon)' }),
    attendees: t.stringList(),
    attendeeCalendarIds: t.idList({ description: 'Calendars of the account that must all be free; the event occupies them too' }),
    location: t.string(),
    reminders: t.field({ type: [EventReminderInput] }),
    idempotencyKey: t.string({ description: 'The same key from the same account returns the first result' }),
    allDay: t.boolean({
      description: 'Whole local days in the calendar\'s zone, from date to lastDate (no times; never auto-placed). '
        + 'Holds no time: timed events may overlap it and it never blocks or moves them. Default false',
    }),
    lastDate: t.field({ type: 'Date', description: 'The last day of an all-day event, included (default: date)' }),
  }),
});
const CreateEventPayload = builder.simpleObject('CreateEventPayload', {
  fields: (t) => ({
    event: t.field({ type: EventRef, nullable: false }),
    displaced: t.field({ type: [EventRef], nullable: false, description: 'Auto-placed events moved aside' }),
  }),
});

builder.mutationField('createEvent', (t) =>
  t.field({
    type: CreateEventPayload,
    nullable: false,
    authScopes: { account: true },
    args: { input: t.arg({ type: CreateEventInput, required: true }) },
    // QuotaExceededError: its reminders (LIMIT_ACTIVE_REMINDERS, LIMIT_CHANNELS_PER_REMINDER).
    errors: { types: [SlotUnavailableError, ValidationError, NotFoundError, QuotaExceededError], union: { name: 'CreateEventResult' } },
    resolve: (_root, { input }, ctx) => {
      const calendarId = input.calendarId == null ? null : calendarIdOrFail(String(input.calendarId));
      const attendeeCalendarIds = input.attendeeCalendarIds?.map((id) => calendarIdOrFail(String(id))) ?? null;
      return refusingOverLimits(ctx.services.config.limits, () =>
        events.createEvent(ctx.em, ctx.services, viewerOf(ctx).accountId, { ...input, calendarId, attendeeCalendarIds }));
    },
  }),
);

const UpdateEventInput = builder.inputType('UpdateEventInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    title: t.string(),
    startsAt: t.field({ type: 'DateTime', description: 'A new time is checked like an exact placement' }),
    durationMinutes: t.int(),
    attendees: t.stringList(),
    location: t.string(),
    allDay: t.boolean({ description: 'true: make it whole days (date/lastDate, default: the local date of its start); false: give it a time (needs startsAt and durationMinutes)' }),
    date: t.field({ type: 'Date', description: 'An all-day event\'s first day; alone it moves the event and keeps its number of days' }),
    lastDate: t.field({ type: 'Date', description: 'An all-day event\'s last day, included' }),
  }),
});
const UpdateEventPayload = builder.simpleObject('UpdateEventPayload', {
  fields: (t) => ({
    event: t.field({ type: EventRef, nullable: false }),
    displaced: t.field({ type: [EventRef], nullable: false }),
  }),
});

builder.mutationField('updateEvent', (t) =>
  t.field({
    type: UpdateEventPayload,
    nullable: false,
    authScopes: { account: true },
    args: { input: t.arg({ type: UpdateEventInput, required: true }) },
    // QuotaExceededError: moving the event schedules again its reminders that had already fired.
    errors: { types: [SlotUnavailableError, ValidationError, NotFoundError, QuotaExceededError], union: { name: 'UpdateEventResult' } },
    resolve: (_root, { input }, ctx) => {
      const { id, ...changes } = input;
      return refusingOverLimits(ctx.services.config.limits, () =>
        events.updateEvent(ctx.em, ctx.services, viewerOf(ctx).accountId, eventIdOrFail(String(id)), changes));
    },
  }),
);

const CancelEventPayload = builder.simpleObject('CancelEventPayload', {
  fields: (t) => ({ event: t.field({ type: EventRef, nullable: false }) }),
});

builder.mutationField('cancelEvent', (t) =>
  t.field({
    type: CancelEventPayload,
    nullable: false,
    description: 'Frees the event\'s time; the event stays, CANCELLED, and its reminders are cancelled.',
    authScopes: { account: true },
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [NotFoundError], union: { name: 'CancelEventResult' } },
    resolve: async (_root, { id }, ctx) => ({
      event: await events.cancelEvent(ctx.em, ctx.services, viewerOf(ctx).accountId, eventIdOrFail(String(id))),
    }),
  }),
);

const DeleteEventPayload = builder.simpleObject('DeleteEventPayload', {
  fields: (t) => ({ id: t.id({ nullable: false }) }),
});

builder.mutationField('deleteEvent', (t) =>
  t.field({
    type: DeleteEventPayload,
    nullable: false,
    authScopes: { account: true },
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [NotFoundError], union: { name: 'DeleteEventResult' } },
    resolve: async (_root, { id }, ctx) => {
      await events.deleteEvent(ctx.em, ctx.services, viewerOf(ctx).accountId, eventIdOrFail(String(id)));
      return { id: String(id) };
    },
  }),
);

function calendarIdOrFail(globalId: string): string {
  const id = decodeId('Calendar', globalId);
  if (!id) throw new NotFoundError('calendar', globalId);
  return id;
}

function eventIdOrFail(globalId: string): string {
  const id = decodeId('Event', globalId);
  if (!id) throw new NotFoundError('event', globalId);
  return id;
}
