/**
 * The delivery worker's handler: one job per channel of an occurrence, retried by pg-boss with
 * backoff. Each attempt is recorded; the occurrence's and the reminder's status follow the
 * deliveries. A slow receiver holds up only its own job.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobWithMetadata } from 'pg-boss';
import type { Services } from '../platform/services.ts';
import type { JobPayloads } from '../platform/jobs.ts';
import { encodeId } from '../graphql/ids.ts';
import type { ChannelKind, ReminderStatus } from './reminder.entity.ts';
import type { AttemptOutcome, DeliveryStatus, OccurrenceStatus } from './occurrence.entity.ts';
import { occurrenceStatusOf, reminderStatusAfterDelivery } from './firing.ts';
import { postWebhook, WEBHOOK_TIMEOUT_MS, type AttemptResult } from './delivery/webhook.ts';
import type { Mailer } from './delivery/email.ts';
import { publishReminders } from './schedule.ts';
import { query, toDate } from '../platform/sql.ts';
import { deliveryRetryPolicy, isLastAttempt } from './delivery-retry.ts';

type Target = {
  id: string; kind: ChannelKind; target: string; status: DeliveryStatus; attempts: number;
  occurrenceId: string; dueAt: Date; firedAt: Date; reminderId: string; accountId: string;
  message: string; reminderStatus: ReminderStatus; secret: string;
};

/** Thrown to make pg-boss retry the job after the attempt was recorded. */
export class DeliveryFailed extends Error {
  override name = 'DeliveryFailed';
}

/** How long an attempt's lease lasts beyond its own bound (webhook timeout, SMTP timeouts). */
const LEASE_MARGIN_MS = 20_000;
/** How often a handler that found another's attempt in flight looks whether it was recorded. */
const LEASE_POLL_MS = 250;

export async function deliver(em: EntityManager, services: Services, mailer: Mailer | undefined, job: JobWithMetadata<JobPayloads['reminder.deliver']>): Promise<void> {
  const [target] = await query<Target>(em, `
    select d.id, d.kind, d.target, d.status, d.attempts, o.id as "occurrenceId", o.due_at as "dueAt", o.fired_at as "firedAt",
           r.id as "reminderId", r.account_id as "accountId", r.message, r.status as "reminderStatus", a.webhook_secret as secret
      from reminder_delivery d join reminder_occurrence o on o.id = d.occurrence_id
      join reminder r on r.id = o.reminder_id join account a on a.id = r.account_id
     where d.id = $1`, [job.data.deliveryId]);
  if (!target || !['PENDING', 'RETRYING'].includes(target.status) || target.reminderStatus === 'CANCELLED') return;

  const leaseMs = (target.kind === 'EMAIL' && mailer ? mailer.attemptBoundMs : WEBHOOK_TIMEOUT_MS) + LEASE_MARGIN_MS;
  const attempts = await claimAttempt(em, target.id, leaseMs);
  if (attempts === null) return;
  const attempt = attempts + 1;
  const started = performance.now();
  const attemptedAt = new Date();
  const result = await attemptDelivery(services, target, attempt, mailer);
  const durationMs = Math.round(performance.now() - started);
  const lastTry = isLastAttempt(deliveryRetryPolicy(services.config), attempt, { firstAttempt: job.data.firstAttempt, retryCount: job.retryCount, retryLimit: job.retryLimit });
  const outcome: AttemptOutcome = result.ok ? 'SUCCEEDED' : result.retryable && !lastTry ? 'RETRYING' : 'FAILED';
  services.metrics.deliveryAttempt(target.kind, outcome, attempt);

  const recorded = await record(em, services, target, { attempt, attemptedAt, durationMs, outcome, error: result.ok ? null : result.error });
  // A FAILED delivery row is the record of a delivery that gave up, and redeliver() its way out:
  // the job just completes (no dead-letter queue that nothing would read).
  if (!recorded || outcome !== 'RETRYING') return;
  throw new DeliveryFailed(result.ok ? 'retrying' : result.error);
}

/**
 * Claims the next attempt of a delivery: a lease on it, taken in one UPDATE before anything is sent,
 * so that (delivery id, attempt) is sent by one handler only. Returns the attempts recorded so far,
 * or null when there is nothing to send. A live lease means the job was handed out twice (an expiry,
 * a lapsed heartbeat) while another handler's attempt is in flight: this one sends nothing and waits
 * for that attempt's record (at most the lease). Done or given up: nothing to do. Recorded RETRYING:
 * this job, the live one, carries the retry (pg-boss's fail of the other one's stale claim is fenced
 * out), after its backoff. Lapsed with no record (its worker was killed): this one sends.
 */
async function claimAttempt(em: EntityManager, deliveryId: string, leaseMs: number): Promise<number | null> {
  // Once another's attempt was seen in flight, only a lapsed lease with no new record is claimed.
  for (let seen: number | null = null; ;) {
    const [claimed] = await query<{ attempts: number }>(em, `
      update reminder_delivery set attempt_started_at = now(), lease_until = now() + $2 * interval '1 millisecond'
       where id = $1 and status in ('PENDING', 'RETRYING') and (lease_until is null or lease_until < now())
         and ($3::int is null or attempts = $3)
       returning attempts`, [deliveryId, leaseMs, seen]);
    if (claimed) return claimed.attempts;
    const [row] = await query<{ status: DeliveryStatus; attempts: number; live: boolean; waitMs: number }>(em, `
      select status, attempts, coalesce(lease_until >= now(), false) as live,
             greatest(0, extract(epoch from lease_until - now()) * 1000)::int as "waitMs"
        from reminder_delivery where id = $1`, [deliveryId]);
    if (!row || !['PENDING', 'RETRYING'].includes(row.status)) return null;
    if (!row.live && seen !== null) throw new DeliveryFailed('retrying after the attempt another handler recorded');
    if (!row.live) continue;
    seen ??= row.attempts;
    await delay(Math.min(LEASE_POLL_MS, (row.waitMs ?? 0) + 1));
  }
}

function attemptDelivery(services: Services, target: Target, attempt: number, mailer: Mailer | undefined): Promise<AttemptResult> {
  const occurrenceAt = toDate(target.dueAt).toISOString();
  if (target.kind === 'EMAIL') {
    if (!mailer) return Promise.resolve({ ok: false, retryable: true, error: 'SMTP_URL is not configured on the worker' });
    const text = `${target.message}\n\nDue at ${occurrenceAt}.\n-- Tickler`;
    return mailer.send(target.target, `Reminder: ${target.message.slice(0, 120)}`, text, { deliveryId: target.id, attempt });
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
    const [reminder] = await query<LockedReminder>(tx,
      'select status, last_occurrence_id as "lastOccurrenceId", job_id as "jobId" from reminder where id = $1 for update', [target.reminderId]);
    await query(tx, 'select 1 from reminder_occurrence where id = $1 for update', [target.occurrenceId]);
    const [delivery] = await query<{ status: DeliveryStatus }>(tx, 'select status from reminder_delivery where id = $1', [target.id]);
    if (!delivery || delivery.status === 'CANCELLED') return false;
    await query(tx, `insert into delivery_attempt (delivery_id, attempt, attempted_at, duration_ms, outcome, error) values ($1, $2, $3, $4, $5, $6)`,
      [target.id, attempt.attempt, attempt.attemptedAt, attempt.durationMs, attempt.outcome, attempt.error?.slice(0, 2000) ?? null]);
    const status: DeliveryStatus = attempt.outcome === 'SUCCEEDED' ? 'SUCCEEDED' : attempt.outcome === 'FAILED' ? 'FAILED' : 'RETRYING';
    await query(tx, 'update reminder_delivery set status = $2, attempts = $3, lease_until = null where id = $1', [target.id, status, attempt.attempt]);
    await recomputeStatuses(tx, reminder, target.reminderId, target.occurrenceId);
    // Every attempt is news to a client showing the reminder (its delivery's status and attempts),
    // not only a change of the reminder's own status: RETRYING, then SUCCEEDED, are heard live.
    await publishReminders(tx, services, 'reminder:updated', [target.accountId, [target.reminderId]]);
    return true;
  });
}

export type LockedReminder = { status: ReminderStatus; lastOccurrenceId: string | null; jobId: string | null };

/**
 * After a delivery's status changed: the occurrence's status from its deliveries, and the reminder's
 * when it is the latest occurrence. The caller holds the reminder's and the occurrence's locks (in
 * that order) and passes the reminder row it locked. True when the reminder's status changed.
 */
export async function recomputeStatuses(tx: EntityManager, reminder: LockedReminder | undefined, reminderId: string, occurrenceId: string): Promise<boolean> {
  const siblings = await query<{ status: DeliveryStatus }>(tx, 'select status from reminder_delivery where occurrence_id = $1', [occurrenceId]);
  const occurrenceStatus: OccurrenceStatus = occurrenceStatusOf(siblings.map((s) => s.status));
  await query(tx, 'update reminder_occurrence set status = $2 where id = $1', [occurrenceId, occurrenceStatus]);
  if (!reminder || reminder.status === 'CANCELLED' || String(reminder.lastOccurrenceId) !== String(occurrenceId)) return false;
  const next = reminderStatusAfterDelivery(occurrenceStatus, reminder.jobId !== null);
  if (next === reminder.status) return false;
  await query(tx, 'update reminder set status = $2, updated_at = now() where id = $1', [reminderId, next]);
  return true;
}
