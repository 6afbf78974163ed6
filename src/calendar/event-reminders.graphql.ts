// The link between events and their reminders, from the calendar's side: Event.reminders and Reminder.event.
import { builder } from '../graphql/builder.ts';
import { groupedBy, loaderOf } from '../graphql/loaders.ts';
import { Reminder } from '../reminders/reminder.entity.ts';
import { ReminderRef } from '../reminders/reminder.graphql.ts';
import { Event } from './event.entity.ts';
import { EventRef } from './event.graphql.ts';

builder.objectField(EventRef, 'reminders', (t) =>
  t.field({
    type: [ReminderRef],
    nullable: false,
    description: 'Reminders created with the event; they move with it and are cancelled with it',
    // Batched: a page of events costs one query for all their reminders.
    resolve: (event, _args, ctx) => loaderOf(ctx, `event-reminders:${event.account.id}`, async (eventIds) => {
      const reminders = await ctx.em.find(Reminder, { account: event.account.id, eventId: { $in: [...eventIds] } }, { orderBy: { remindAt: 'asc', id: 'asc' } });
      return groupedBy(eventIds, reminders, (r) => r.eventId!);
    }).load(event.id),
  }),
);

builder.objectField(ReminderRef, 'event', (t) =>
  t.field({
    type: EventRef,
    nullable: true,
    description: 'The event this reminder belongs to, if any (null once the event is deleted)',
    resolve: (reminder, _args, ctx) => (reminder.eventId ? loaderOf(ctx, `reminder-event:${reminder.account.id}`, async (eventIds) => {
      const events = await ctx.em.find(Event, { id: { $in: [...eventIds] }, account: reminder.account.id });
      const byId = new Map(events.map((e) => [e.id, e]));
      return eventIds.map((id) => byId.get(id) ?? null);
    }).load(reminder.eventId) : null),
  }),
);
