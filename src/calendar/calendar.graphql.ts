import { builder } from '../graphql/builder.ts';
import { viewerOf } from '../graphql/context.ts';
import { decodeId } from '../graphql/ids.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import * as calendars from './calendar.service.ts';
import { Calendar, type WorkingHoursRule } from './calendar.entity.ts';

export const CalendarRef = builder.objectRef<Calendar>('Calendar');

export const WeekdayEnum = builder.enumType('Weekday', {
  values: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const,
});

const WorkingHoursRef = builder.objectRef<WorkingHoursRule>('WorkingHours').implement({
  fields: (t) => ({
    weekday: t.field({ type: WeekdayEnum, nullable: false, resolve: (rule) => rule.weekday as never }),
    start: t.expose('start', { type: 'LocalTime', nullable: false }),
    end: t.expose('end', { type: 'LocalTime', nullable: false }),
  }),
});

builder.node(CalendarRef, {
  id: { resolve: (calendar) => calendar.id },
  loadOne: (id, ctx) => (ctx.viewer ? ctx.em.findOne(Calendar, { id, account: ctx.viewer.accountId }) : null),
  fields: (t) => ({
    name: t.exposeString('name', { nullable: false }),
    timeZone: t.exposeString('timeZone', { nullable: false }),
    workingHours: t.field({
      type: [WorkingHoursRef],
      nullable: false,
      description: 'Empty = bookable around the clock',
      resolve: (calendar) => calendar.workingHours,
    }),
    bufferMinutes: t.exposeInt('bufferMinutes', { nullable: false, description: 'Kept free between auto-placed events' }),
    slotIntervalMinutes: t.exposeInt('slotIntervalMinutes', { nullable: false, description: 'Auto-placed events start on this grid (local time)' }),
    horizonDays: t.exposeInt('horizonDays', { nullable: false, description: 'Auto placement never looks further ahead than this' }),
  }),
});

const WorkingHoursInput = builder.inputType('WorkingHoursInput', {
  fields: (t) => ({
    weekday: t.field({ type: WeekdayEnum, required: true }),
    start: t.field({ type: 'LocalTime', required: true }),
    end: t.field({ type: 'LocalTime', required: true, description: '24:00 ends the day' }),
  }),
});

const CreateCalendarInput = builder.inputType('CreateCalendarInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    timeZone: t.string({ description: 'IANA time-zone name; default: the account\'s' }),
    workingHours: t.field({ type: [WorkingHoursInput], description: 'Several ranges a day allowed; [] or unset = around the clock' }),
    bufferMinutes: t.int({ description: 'Default 0' }),
    slotIntervalMinutes: t.int({ description: 'Must divide a day: 5, 10, 15, 20, 30, 60…; default 15' }),
    horizonDays: t.int({ description: '1 to 3650; default 90' }),
    busyCalendarIds: t.idList({ description: 'Feed calendars whose busy time auto placement avoids' }),
  }),
});
const UpdateCalendarInput = builder.inputType('UpdateCalendarInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    timeZone: t.string({ description: 'IANA time-zone name' }),
    workingHours: t.field({ type: [WorkingHoursInput], description: 'Replaces every rule; [] = around the clock' }),
    bufferMinutes: t.int(),
    slotIntervalMinutes: t.int({ description: 'Must divide a day: 5, 10, 15, 20, 30, 60…' }),
    horizonDays: t.int({ description: '1 to 3650' }),
    busyCalendarIds: t.idList({ description: 'Replaces the list; [] = none' }),
  }),
});
const CreateCalendarPayload = builder.simpleObject('CreateCalendarPayload', {
  fields: (t) => ({ calendar: t.field({ type: CalendarRef, nullable: false }) }),
});
const UpdateCalendarPayload = builder.simpleObject('UpdateCalendarPayload', {
  fields: (t) => ({ calendar: t.field({ type: CalendarRef, nullable: false }) }),
});

builder.queryField('calendar', (t) =>
  t.field({
    type: CalendarRef,
    nullable: true,
    authScopes: { account: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => {
      const calendarId = decodeId('Calendar', String(id));
      return calendarId ? ctx.em.findOne(Calendar, { id: calendarId, account: viewerOf(ctx).accountId }) : null;
    },
  }),
);

builder.mutationField('createCalendar', (t) =>
  t.field({
    type: CreateCalendarPayload,
    nullable: false,
    description: 'A calendar for a person, team member or room; unset settings take the defaults (no working hours = around the clock).',
    authScopes: { account: true },
    args: { input: t.arg({ type: CreateCalendarInput, required: true }) },
    errors: { types: [ValidationError], union: { name: 'CreateCalendarResult' } },
    resolve: async (_root, { input }, ctx) => {
      const calendar = await ctx.em.transactional((em) => calendars.createCalendar(em, viewerOf(ctx).accountId, withBusyIds(input)));
      return { calendar };
    },
  }),
);

builder.mutationField('updateCalendar', (t) =>
  t.field({
    type: UpdateCalendarPayload,
    nullable: false,
    description: 'Changes settings; events already placed stay where they are.',
    authScopes: { account: true },
    args: { input: t.arg({ type: UpdateCalendarInput, required: true }) },
    errors: { types: [ValidationError, NotFoundError], union: { name: 'UpdateCalendarResult' } },
    resolve: async (_root, { input }, ctx) => {
      const calendarId = decodeId('Calendar', String(input.id));
      if (!calendarId) throw new NotFoundError('calendar', String(input.id));
      const { id: _id, ...changes } = input;
      const calendar = await ctx.em.transactional((em) => calendars.updateCalendar(em, viewerOf(ctx).accountId, calendarId, withBusyIds(changes)));
      return { calendar };
    },
  }),
);

/** Global ids of busy calendars as database ids; one that names no calendar fails validation as not a feed calendar. */
function withBusyIds<T extends { busyCalendarIds?: readonly (string | number)[] | null }>(input: T): T {
  if (!input.busyCalendarIds) return input;
  return { ...input, busyCalendarIds: input.busyCalendarIds.map((id) => decodeId('Calendar', String(id)) ?? String(id)) };
}
