/**
 * The calendar's side of event reminders (the Reminders issue owns the reminders themselves): every call
 * runs in the caller's transaction, so a rolled-back placement leaves no reminder behind.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../platform/services.ts';
import { cancelEventReminders, rescheduleEventReminders, retitleEventReminders, scheduleEventReminders, type CheckedEventReminders } from '../reminders/reminder.service.ts';

export type EventReminderRequest = { minutesBefore: number; channels?: { kind: 'WEBHOOK' | 'EMAIL'; target: string }[] | null };

export async function scheduleReminders(
  em: EntityManager,
  services: Services,
  event: { accountId: string; eventId: string; startsAt: Date; timeZone: string; title: string; allDay?: boolean; reminders: EventReminderRequest[]; checked?: CheckedEventReminders },
): Promise<void> {
  await scheduleEventReminders(em, services, event);
}

/** Moves the event's pending reminders with its new start. */
export async function moveReminders(em: EntityManager, services: Services, event: { accountId: string; eventId: string; startsAt: Date }): Promise<void> {
  await rescheduleEventReminders(em, services, event);
}

/** Renders the pending reminders' message again after a rename (their times unchanged). */
export async function retitleReminders(em: EntityManager, services: Services, event: { accountId: string; eventId: string; startsAt: Date }): Promise<void> {
  await retitleEventReminders(em, services, event);
}

export async function cancelReminders(em: EntityManager, services: Services, event: { accountId: string; eventId: string }): Promise<void> {
  await cancelEventReminders(em, services, event);
}
