/**
 * Reminder use cases. Every function takes the caller's transaction (`em`): the row, its pg-boss job
 * and its notifications commit or roll back together.
 */
import { randomUUID } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../graphql/context.ts';
import { Account } from '../accounts/account.entity.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { Reminder, type Channel } from './reminder.entity.ts';
import { ReminderDelivery } from './occurrence.entity.ts';
import { checkWebhookTargets, parseCreateReminder, parseEventReminders, parseSnooze, parseUpdateReminder, type ValidationContext } from './reminder.input.ts';
import { announceDue, fireJob, publishReminders, scheduleFire, unscheduleFire } from './schedule.ts';

function validationContext(services: Services): ValidationContext {
  return { now: services.now(), smtpConfigured: services.config.smtpUrl !== undefined };
}

/**
 * Creates a reminder and its fire job. `input.eventId`, if any, is the event's database id (the
 * resolver decodes the global id). With an idempotencyKey already used by the account, returns
 * the first reminder instead (also when two requests race: the loser reads the winner's row).
 */
export async function createReminder(em: EntityManager, services: Services, accountId: string, input: Record<string, unknown>): Promise<Reminder> {
  const key = typeof input.idempotencyKey === 'string' ? input.idempotencyKey.trim() : '';
  if (key) {
    const existing = await em.findOne(Reminder, { account: accountId, idempotencyKey: key });
    if (existing) return existing;
  }
  const account = await em.findOneOrFail(Account, accountId);
  const data = parseCreateReminder(input, account.timeZone, validationContext(services));
  await checkWebhookTargets(services.outbound, [{ path: ['input', 'channels'], channels: data.channels }]);
  const eventId = data.eventId === null ? null : await ownEventId(em, accountId, data.eventId);
  // The row is written with its first fire job's id and version, so that creating costs one INSERT
  // for the reminder and one for the job: no re-read, no UPDATE afterwards.
  const id = randomUUID();
  const job = fireJob(id, 1, data.remindAt);
  const values = {
    id,
    account: accountId,
    message: data.message,
    remindAt: data.remindAt,
    timeZone: data.timeZone,
    recurrence: data.recurrence,
    seriesStart: data.recurrence ? data.remindAt : null,
    seriesAt: null,
    snoozed: false,
    status: 'SCHEDULED' as const,
    graceSeconds: data.graceSeconds,
    channels: data.channels,
    eventId,
    idempotencyKey: data.idempotencyKey,
    scheduleVersion: 1,
    jobId: job.id!,
  };
  let reminder: Reminder;
  if (!data.idempotencyKey) {
    reminder = em.create(Reminder, values);
    await em.flush();
  } else {
    try {
      // A savepoint, only with a key: a lost idempotency race rolls back this insert, not the caller's transaction.
      reminder = await em.transactional(async (tx) => {
        const row = tx.create(Reminder, values);
        await tx.flush();
        return row;
      });
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      return em.findOneOrFail(Reminder, { account: accountId, idempotencyKey: data.idempotencyKey });
    }
  }
  await services.jobs.insert(em, 'reminder.fire', [job]);
  await announceDue(em, services, [data.remindAt]);
  await publishReminders(em, services, 'reminder:created', [accountId, [reminder.id]]);
  return reminder;
}

/** The event's id when it exists and belongs to the account (the calendar owns that table). */
async function ownEventId(em: EntityManager, accountId: string, id: string): Promise<string> {
  const globalId = id;
  const [{ exists } = { exists: null }] = await em.execute<{ exists: string | null }[]>(
    `select to_regclass('public.event')::text as exists`,
  );
  if (!exists) throw new NotFoundError('event', globalId);
  const rows = await em.execute('select 1 from event where id = ? and account_id = ?', [id, accountId]);
  if (rows.length === 0) throw new NotFoundError('event', globalId);
  return id;
}

/** The account's reminder, locked for the rest of the transaction; another account's is "not found". */
export async function lockReminder(em: EntityManager, accountId: string, id: string, globalId = id): Promise<Reminder> {
  const reminder = await em.findOne(Reminder, { id, account: accountId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!reminder) throw new NotFoundError('reminder', globalId);
  return reminder;
}

export async function updateReminder(em: EntityManager, services: Services, accountId: string, id: string, input: Record<string, unknown>, globalId = id): Promise<Reminder> {
  const reminder = await lockReminder(em, accountId, id, globalId);
  if (reminder.status === 'CANCELLED') throw ValidationError.field(['input', 'id'], 'the reminder is cancelled');
  const changes = parseUpdateReminder(input, reminder, validationContext(services));
  if (changes.message !== undefined) reminder.message = changes.message;
  if (changes.graceSeconds !== undefined) reminder.graceSeconds = changes.graceSeconds;
  const reschedules = changes.remindAt !== undefined || changes.timeZone !== undefined || changes.recurrence !== undefined;
  if (reschedules) {
    if (changes.remindAt) reminder.remindAt = changes.remindAt;
    if (changes.timeZone) reminder.timeZone = changes.timeZone;
    if (changes.recurrence !== undefined) reminder.recurrence = changes.recurrence;
    // A new schedule starts a new series at remindAt; the old time's job is cancelled with it.
    reminder.seriesStart = reminder.recurrence ? reminder.remindAt : null;
    reminder.seriesAt = null;
    reminder.snoozed = false;
    reminder.status = 'SCHEDULED';
    await scheduleFire(em, services, reminder, reminder.remindAt);
  }
  await em.flush();
  await publishReminders(em, services, 'reminder:updated', [accountId, [reminder.id]]);
  return reminder;
}

/** Cancels the reminder: its job and its pending deliveries are cancelled with it. Idempotent. */
export async function cancelReminder(em: EntityManager, services: Services, accountId: string, id: string, globalId = id): Promise<Reminder> {
  const reminder = await lockReminder(em, accountId, id, globalId);
  if (reminder.status === 'CANCELLED') return reminder;
  await cancelLocked(em, services, reminder);
  await em.flush();
  await publishReminders(em, services, 'reminder:updated', [accountId, [reminder.id]]);
  return reminder;
}

async function cancelLocked(em: EntityManager, services: Services, reminder: Reminder): Promise<void> {
  await unscheduleFire(em, services, reminder);
  reminder.scheduleVersion += 1;
  reminder.status = 'CANCELLED';
  // Deliveries exist only for occurrences, and every firing records its occurrence on the reminder:
  // one that never fired has none to cancel, and is spared the query.
  if (reminder.lastOccurrenceId == null) return;
  const pending = await em.find(ReminderDelivery, {
    occurrence: { reminder: reminder.id },
    status: { $in: ['PENDING', 'RETRYING'] },
  });
  for (const delivery of pending) delivery.status = 'CANCELLED';
  await services.jobs.cancel(em, 'reminder.deliver', pending.map((d) => d.id));
}

/**
 * Expires the reminder now through the same path as a due one: a fire job due now, which the worker
 * handles like any other (the workers are woken by the 'reminder:due' notification). The occurrence
 * is recorded as due at the moment of the request.
 */
export async function expireReminder(em: EntityManager, services: Services, accountId: string, id: string, globalId = id): Promise<Reminder> {
  const reminder = await lockReminder(em, accountId, id, globalId);
  if (reminder.status === 'CANCELLED') throw ValidationError.field(['id'], 'the reminder is cancelled');
  if (!reminder.jobId) throw ValidationError.field(['id'], 'the reminder has no pending occurrence: it has already fired');
  const now = services.now();
  await scheduleFire(em, services, reminder, now, now);
  await em.flush();
  return reminder;
}

/**
 * Snoozes the current occurrence to `until` (or now + minutes). For a recurring reminder, a pending
 * series instant that the snooze passes over is delivered by the snoozed firing; the series then
 * resumes with its next instant after the snoozed time.
 */
export async function snoozeReminder(em: EntityManager, services: Services, accountId: string, id: string, input: { until?: Date | null; minutes?: number | null }, globalId = id): Promise<Reminder> {
  const reminder = await lockReminder(em, accountId, id, globalId);
  if (reminder.status === 'CANCELLED') throw ValidationError.field(['input', 'id'], 'the reminder is cancelled');
  const until = parseSnooze(input, validationContext(services));
  if (reminder.recurrence && !reminder.snoozed && reminder.jobId && reminder.remindAt.getTime() <= until.getTime()) {
    reminder.seriesAt = reminder.remindAt;
  }
  reminder.snoozed = reminder.recurrence !== null;
  reminder.remindAt = until;
  reminder.status = 'SCHEDULED';
  await scheduleFire(em, services, reminder, until);
  await em.flush();
  await publishReminders(em, services, 'reminder:updated', [accountId, [reminder.id]]);
  return reminder;
}

// ─── For the calendar: reminders that belong to an event ──────────────────────────────────────

export type EventReminderArgs = {
  accountId: string;
  eventId: string;
  startsAt: Date;
  timeZone: string;
  reminders: { minutesBefore: number; channels?: Channel[] | null }[];
  /** The reminders' message; defaults to one naming the start time. */
  message?: string;
};

/**
 * Creates the event's reminders, each `minutesBefore` its start. One whose time has already passed
 * is not created (it is not fired late either). Validation errors name
 * ['input', 'reminders', i, …].
 */
export async function scheduleEventReminders(em: EntityManager, services: Services, args: EventReminderArgs): Promise<Reminder[]> {
  const specs = parseEventReminders(args.reminders, validationContext(services), ['input', 'reminders']);
  await checkWebhookTargets(services.outbound, specs.map((spec, i) => ({ path: ['input', 'reminders', i, 'channels'], channels: spec.channels })));
  const now = services.now().getTime();
  const created: Reminder[] = [];
  for (const spec of specs) {
    const remindAt = new Date(args.startsAt.getTime() - spec.minutesBefore * 60_000);
    if (remindAt.getTime() < now) continue;
    const reminder = em.create(Reminder, {
      account: args.accountId,
      message: args.message ?? eventMessage(args.startsAt, spec.minutesBefore),
      remindAt,
      timeZone: args.timeZone,
      status: 'SCHEDULED',
      channels: spec.channels,
      eventId: args.eventId,
      minutesBefore: spec.minutesBefore,
    });
    await em.flush();
    await scheduleFire(em, services, reminder, remindAt);
    created.push(reminder);
  }
  await em.flush();
  if (created.length) await publishReminders(em, services, 'reminder:created', [args.accountId, created.map((r) => r.id)]);
  return created;
}

/**
 * Moves the event's pending reminders with it, keeping each one's minutesBefore. One whose new time
 * has passed fires at once if the event is still ahead, and is cancelled if the event has started.
 */
export async function rescheduleEventReminders(em: EntityManager, services: Services, args: { accountId: string; eventId: string; startsAt: Date }): Promise<void> {
  const reminders = await lockEventReminders(em, args.accountId, args.eventId);
  const now = services.now();
  const moved: string[] = [];
  for (const reminder of reminders) {
    if (reminder.minutesBefore == null || reminder.status === 'CANCELLED') continue;
    if (args.startsAt.getTime() <= now.getTime()) {
      await cancelLocked(em, services, reminder);
    } else {
      const remindAt = new Date(Math.max(now.getTime(), args.startsAt.getTime() - reminder.minutesBefore * 60_000));
      reminder.remindAt = remindAt;
      reminder.status = 'SCHEDULED';
      reminder.snoozed = false;
      await scheduleFire(em, services, reminder, remindAt);
    }
    moved.push(reminder.id);
  }
  await em.flush();
  if (moved.length) await publishReminders(em, services, 'reminder:updated', [args.accountId, moved]);
}

/** Cancels every reminder of the event (their pending deliveries too). */
export async function cancelEventReminders(em: EntityManager, services: Services, args: { accountId: string; eventId: string }): Promise<void> {
  const reminders = await lockEventReminders(em, args.accountId, args.eventId);
  const cancelled: string[] = [];
  for (const reminder of reminders) {
    if (reminder.status === 'CANCELLED') continue;
    await cancelLocked(em, services, reminder);
    cancelled.push(reminder.id);
  }
  await em.flush();
  if (cancelled.length) await publishReminders(em, services, 'reminder:updated', [args.accountId, cancelled]);
}

function lockEventReminders(em: EntityManager, accountId: string, eventId: string): Promise<Reminder[]> {
  return em.find(Reminder, { account: accountId, eventId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { id: 'asc' } });
}

function eventMessage(startsAt: Date, minutesBefore: number): string {
  return `Event starting at ${startsAt.toISOString()} (in ${minutesBefore} minute${minutesBefore === 1 ? '' : 's'})`;
}
