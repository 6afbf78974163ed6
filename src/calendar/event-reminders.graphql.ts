// The link between events and their reminders, from the calendar's side: Event.reminders and Reminder.event.
import { builder } from '../graphql/builder.ts';
import { Reminder } from '../reminders/reminder.entity.ts';
import { ReminderRef } from '../reminders/reminder.graphql.ts';
import { Event } from './event.entity.ts';
import { EventRef } from './event.graphql.ts';

builder.objectField(EventRef, 'reminders', (t) =>
  t.field({
    type: [ReminderRef],
    nullable: false,
    description: 'Reminders created with the event; they move with it and are cancelled with it',
    resolve: (event, _args, ctx) => ctx.em.find(Reminder, { account: event.account.id, eventId: event.id }, { orderBy: { remindAt: 'asc', id: 'asc' } }),
  }),
);

builder.objectField(ReminderRef, 'event', (t) =>
  t.field({
    type: EventRef,
    nullable: true,
    description: 'The event this reminder belongs to, if any (null once the event is deleted)',
    resolve: (reminder, _args, ctx) => (reminder.eventId ? ctx.em.findOne(Event, { id: reminder.eventId, account: reminder.account.id }) : null),
  }),
);
