/**
 * The delivery worker's handler: one job per channel of an occurrence, retried by pg-boss with
 * backoff. Each attempt is recorded; the occurrence's and the reminder's status follow the
 * deliveries. A slow receiver holds up only its own job.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobWithMetadata } from 'pg-boss';
import type { Services } from '../graphql/context.ts';
import type { JobPayloads } from '../platform/jobs.ts';
import { encodeId } from '../graphql/ids.ts';
import type { ChannelKind, ReminderStatus } from './reminder.entity.ts';
import type { AttemptOutcome, DeliveryStatus, OccurrenceStatus } from './occurrence.entity.ts';
import { occurrenceStatusOf, reminderStatusAfterDelivery } from './firing.ts';
import { postWebhook, type AttemptResult } from './delivery/webhook.ts';
import type { Mailer } from './delivery/email.ts';
import { publishReminders } from './schedule.ts';
import { query, toDate } from './sql.ts';

type Target = {
  id: string; kind: ChannelKind; target: string; status: DeliveryStatus; attempts: number;
  occurrenceId: string; dueAt: Date; firedAt: Date; reminderId: string; accountId: string;
  message: string; reminderStatus: ReminderStatus; secret: string;
};

/** Thrown to make pg-boss retry (or dead-letter) the job after the attempt was recorded. */
export class DeliveryFailed extends Error {
  override name = 'DeliveryFailed';
}

export async function deliver(em: EntityManager, services: Services, mailer: Mailer | undefined, job: JobWithMetadata<JobPayloads['reminder.deliver']>): Promise<void> {
  const [target] = await query<Target>(em, `
    select d.id, d.kind, d.target, d.status, d.attempts, o.id as "occurrenceId", o.due_at as "dueAt", o.fired_at as "firedAt",
           r.id as "reminderId", r.account_id as "accountId", r.message, r.status as "reminderStatus", a.webhook_secret as secret
      from reminder_delivery d join reminder_occurrence o on o.id = d.occurrence_id
      join reminder r on r.id = o.reminder_id join account a on a.id = r.account_id
     where d.id = $1`, [job.data.deliveryId]);
  if (!target || !['PENDING', 'RETRYING'].includes(target.status) || target.reminderStatus === 'CANCELLED') return;

  const attempt = target.attempts + 1;
  const started = performance.now();
  const attemptedAt = new Date();
  const result = await attemptDelivery(services, target, attempt, mailer);
  const durationMs = Math.round(performance.now() - started);
  const lastTry = job.retryCount >= job.retryLimit;
  const outcome: AttemptOutcome = result.ok ? 'SUCCEEDED' : result.retryable && !lastTry ? 'RETRYING' : 'FAILED';
  services.metrics.deliveryAttempt(target.kind, outcome, attempt);

  const recorded = await record(em, services, target, { attempt, attemptedAt, durationMs, outcome, error: result.ok ? null : result.error });
  if (!recorded || result.ok) return;
  if (outcome === 'FAILED' && !result.retryable) {
    // Refused for good: no retry, but the dead-letter queue hears of it like of an exhausted one.
    await services.jobs.boss.send('reminder.deliver.dead', { deliveryId: target.id });
    return;
  }
  throw new DeliveryFailed(result.error);
}

function attemptDelivery(services: Services, target: Target, attempt: number, mailer: Mailer | undefined): Promise<AttemptResult> {
  const occurrenceAt = toDate(target.dueAt).toISOString();
  if (target.kind === 'EMAIL') {
    if (!mailer) return Promise.resolve({ ok: false, retryable: true, error: 'SMTP_URL is not configured on the worker' });
    const text = `${target.message}\n\nDue at ${occurrenceAt}.\n-- Tickler`;
    return mailer.send(target.target, `Reminder: ${target.message.slice(0, 120)}`, text);
  }
  const body = JSON.stringify({
    reminderId: encodeId('Reminder', target.reminderId),
    message: target.message,
    occurrenceAt,
    firedAt: toDate(target.firedAt).toISOString(),
    attempt,
    deliveryId: target.id,
  });
  return postWebhook(services.outbound, target.target, body, target.secret, target.id);
}

type Attempt = { attempt: number; attemptedAt: Date; durationMs: number; outcome: AttemptOutcome; error: string | null };

/** Records the attempt and recomputes the statuses; false when the delivery was cancelled meanwhile. */
async function record(em: EntityManager, services: Services, target: Target, attempt: Attempt): Promise<boolean> {
  return em.transactional(async (tx) => {
    // Locks in the order every writer uses (reminder, then its occurrence): the occurrence lock
    // serialises the status updates of its deliveries.
    const [reminder] = await query<{ status: ReminderStatus; lastOccurrenceId: string | null; jobId: string | null }>(tx,
      'select status, last_occurrence_id as "lastOccurrenceId", job_id as "jobId" from reminder where id = $1 for update', [target.reminderId]);
    await query(tx, 'select 1 from reminder_occurrence where id = $1 for update', [target.occurrenceId]);
    const [delivery] = await query<{ status: DeliveryStatus }>(tx, 'select status from reminder_delivery where id = $1', [target.id]);
    if (!delivery || delivery.status === 'CANCELLED') return false;
    await query(tx, `insert into delivery_attempt (delivery_id, attempt, attempted_at, duration_ms, outcome, error) values ($1, $2, $3, $4, $5, $6)`,
      [target.id, attempt.attempt, attempt.attemptedAt, attempt.durationMs, attempt.outcome, attempt.error?.slice(0, 2000) ?? null]);
    const status: DeliveryStatus = attempt.outcome === 'SUCCEEDED' ? 'SUCCEEDED' : attempt.outcome === 'FAILED' ? 'FAILED' : 'RETRYING';
    await query(tx, 'update reminder_delivery set status = $2, attempts = $3 where id = $1', [target.id, status, attempt.attempt]);
    const siblings = await query<{ status: DeliveryStatus }>(tx, 'select status from reminder_delivery where occurrence_id = $1', [target.occurrenceId]);
    const occurrenceStatus: OccurrenceStatus = occurrenceStatusOf(siblings.map((s) => s.status));
    await query(tx, 'update reminder_occurrence set status = $2 where id = $1', [target.occurrenceId, occurrenceStatus]);
    if (reminder && reminder.status !== 'CANCELLED' && String(reminder.lastOccurrenceId) === String(target.occurrenceId)) {
      const next = reminderStatusAfterDelivery(occurrenceStatus, reminder.jobId !== null);
      if (next !== reminder.status) {
        await query(tx, 'update reminder set status = $2, updated_at = now() where id = $1', [target.reminderId, next]);
        await publishReminders(tx, services, 'reminder:updated', [target.accountId, [target.reminderId]]);
      }
    }
    return true;
  });
}
