import { builder } from '../graphql/builder.ts';
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
