import { Account } from '../accounts/account.entity.ts';
import { ApiToken } from '../accounts/api-token.entity.ts';
import { Calendar } from '../calendar/calendar.entity.ts';
import { Event, EventAttachment, EventOccupancy } from '../calendar/event.entity.ts';
import { Reminder } from '../reminders/reminder.entity.ts';
import { DeliveryAttempt, ReminderDelivery, ReminderOccurrence } from '../reminders/occurrence.entity.ts';
import { CalendarFeed } from '../feeds/feed.entity.ts';

/** Every entity MikroORM knows; features add theirs here. */
export const entities = [Account, ApiToken, Calendar, Event, EventOccupancy, EventAttachment, Reminder, ReminderOccurrence, ReminderDelivery, DeliveryAttempt, CalendarFeed];
