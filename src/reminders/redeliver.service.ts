/**
 * Sending failed deliveries again. A FAILED reminder_delivery is the record of a delivery that gave
 * up; redelivering turns it back to RETRYING and queues its job again, in the caller's transaction,
 * so the status change and the job commit together. The new attempts append to the same history
 * (attempt numbers go on), the delivery id stays the same (receivers deduplicate on it), and the
 * statuses then move on exactly as for a first delivery (deliver.job.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../platform/services.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import type { DeliveryStatus } from './occurrence.entity.ts';
import { recomputeStatuses, type LockedReminder } from './deliver.job.ts';
import { deliveryRetryPolicy } from './delivery-retry.ts';
import { publishReminders } from './schedule.ts';
import { pgArray, query } from '../platform/sql.ts';
import { jobsInStateSql } from '../platform/pgboss-seam.ts';

/** The most deliveries one redeliverFailed call takes on; call again for the rest. */
export const REDELIVER_BATCH = 1000;

type FailedDelivery = { id: string; status: DeliveryStatus; attempts: number; occurrenceId: string; reminderId: string; kind: string; target: string };

/**
 * Redelivers one delivery of the account. NotFoundError for an unknown id or another account's;
 * ValidationError (on `path`) when it is not FAILED or its reminder was cancelled.
 */
export async function redeliver(em: EntityManager, services: Services, accountId: string, deliveryId: string, label = deliveryId, path = ['deliveryId']): Promise<{ deliveryId: string; reminderId: string }> {
  const [found] = await query<{ reminderId: string; kind: string; target: string; status: DeliveryStatus }>(em, `
    select o.reminder_id as "reminderId", d.kind, d.target, d.status from reminder_delivery d join reminder_occurrence o on o.id = d.occurrence_id
     where d.id = $1 and o.account_id = $2`, [deliveryId, accountId]);
  if (!found) throw new NotFoundError('delivery', label);
  if (found.kind === 'WEBHOOK' && found.status === 'FAILED') {
    // A target the guard refuses (one that resolves inside now) would only fail again at once.
    // Checked before any lock is taken: the guard resolves the host name (DNS).
    const refusal = await services.outbound.check(found.target);
    if (refusal) throw ValidationError.field(path, `its target ${found.target} ${refusal}`);
  }
  // Locks in the order every writer uses: the reminder, then its occurrence.
  const [reminder] = await lockReminders(em, [found.reminderId]);
  const [delivery] = await query<FailedDelivery>(em, `
    select d.id, d.status, d.attempts, d.occurrence_id as "occurrenceId", o.reminder_id as "reminderId", d.kind, d.target
      from reminder_delivery d join reminder_occurrence o on o.id = d.occurrence_id where d.id = $1`, [deliveryId]);
  if (!delivery || !reminder) throw new NotFoundError('delivery', label);
  if (reminder.status === 'CANCELLED') throw ValidationError.field(path, 'its reminder is cancelled: nothing is delivered for it any more');
  if (delivery.status !== 'FAILED') {
    throw ValidationError.field(path, `only a FAILED delivery can be sent again; this one is ${delivery.status}${delivery.status === 'SUCCEEDED' ? '' : ' and still being delivered'}`);
  }
  await query(em, 'select 1 from reminder_occurrence where id = $1 for update', [delivery.occurrenceId]);
  if ((await settling(em, [delivery.id])).size > 0) {
    throw ValidationError.field(path, 'its last attempt is still being recorded: try again in a few seconds');
  }
  await requeue(em, services, accountId, [delivery]);
  await recomputeStatuses(em, reminder, reminder.id, delivery.occurrenceId);
  // Always published: even when the reminder's status stays (a recurring one is SCHEDULED), its
  // occurrence's deliveries changed.
  await publishReminders(em, services, 'reminder:updated', [accountId, [reminder.id]]);
  return { deliveryId, reminderId: reminder.id };
}

/** `reminderLabel`: the reminder id as the client gave it, for NotFoundError. */
export type RedeliverFilter = { reminderId?: string | null; reminderLabel?: string; since?: Date | null };

/**
 * Redelivers the account's FAILED deliveries (of one reminder, and/or whose last attempt was at or
 * after `since`), at most REDELIVER_BATCH, oldest first; returns how many.
 */
export async function redeliverFailed(em: EntityManager, services: Services, accountId: string, filter: RedeliverFilter): Promise<number> {
  if (filter.since && filter.since.getTime() > services.now().getTime()) {
    throw ValidationError.field(['input', 'since'], 'must not be in the future');
  }
  if (filter.reminderId) {
    const [own] = await query(em, 'select 1 from reminder where id = $1 and account_id = $2', [filter.reminderId, accountId]);
    if (!own) throw new NotFoundError('reminder', filter.reminderLabel ?? filter.reminderId);
  }
  const candidates = await failedDeliveries(em, accountId, filter);
  if (candidates.length === 0) return 0;
  const reminders = await lockReminders(em, [...new Set(candidates.map((c) => c.reminderId))]);
  const live = new Map(reminders.filter((r) => r.status !== 'CANCELLED').map((r) => [r.id, r]));
  const occurrenceIds = [...new Set(candidates.filter((c) => live.has(c.reminderId)).map((c) => c.occurrenceId))].sort();
  await query(em, 'select 1 from reminder_occurrence where id = any($1::bigint[]) order by id for update', [pgArray(occurrenceIds)]);
  // Read again under the locks: a delivery may have been redelivered by a concurrent call meanwhile.
  const busy = await settling(em, candidates.map((c) => c.id));
  const deliveries = (await query<FailedDelivery>(em, `
    select d.id, d.status, d.attempts, d.occurrence_id as "occurrenceId", o.reminder_id as "reminderId", d.kind, d.target
      from reminder_delivery d join reminder_occurrence o on o.id = d.occurrence_id
     where d.id = any($1::uuid[]) and d.status = 'FAILED'`, [pgArray(candidates.map((c) => c.id))]))
    .filter((d) => live.has(d.reminderId) && !busy.has(d.id));
  if (deliveries.length === 0) return 0;
  await requeue(em, services, accountId, deliveries);
  const seen = new Set<string>();
  for (const d of deliveries) {
    if (seen.has(d.occurrenceId)) continue;
    seen.add(d.occurrenceId);
    await recomputeStatuses(em, live.get(d.reminderId), d.reminderId, d.occurrenceId);
  }
  await publishReminders(em, services, 'reminder:updated', [accountId, [...new Set(deliveries.map((d) => d.reminderId))]]);
  return deliveries.length;
}

async function failedDeliveries(em: EntityManager, accountId: string, filter: RedeliverFilter): Promise<FailedDelivery[]> {
  const values: unknown[] = [accountId];
  let where = `o.account_id = $1 and d.status = 'FAILED'`;
  if (filter.reminderId) {
    values.push(filter.reminderId);
    where += ` and o.reminder_id = $${values.length}`;
  }
  if (filter.since) {
    values.push(filter.since);
    where += ` and (select max(a.attempted_at) from delivery_attempt a where a.delivery_id = d.id) >= $${values.length}`;
  }
  values.push(REDELIVER_BATCH);
  return query<FailedDelivery>(em, `
    select d.id, d.status, d.attempts, d.occurrence_id as "occurrenceId", o.reminder_id as "reminderId", d.kind, d.target
      from reminder_delivery d join reminder_occurrence o on o.id = d.occurrence_id
     where ${where} order by o.id, d.channel_index limit $${values.length}`, values);
}

async function lockReminders(em: EntityManager, ids: string[]): Promise<(LockedReminder & { id: string })[]> {
  return query(em, `
    select id, status, last_occurrence_id as "lastOccurrenceId", job_id as "jobId"
      from reminder where id = any($1::uuid[]) order by id for update`, [pgArray(ids)]);
}

/**
 * Deliveries whose job is still active: the worker recorded FAILED and is about to settle the job.
 * Replacing that job now would let pg-boss's settling land on the new one, so they wait.
 */
async function settling(em: EntityManager, ids: string[]): Promise<Set<string>> {
  const rows = await query<{ id: string }>(em, jobsInStateSql('reminder.deliver', 'active'), [pgArray(ids)]);
  return new Set(rows.map((r) => r.id));
}

/**
 * RETRYING again, and a fresh job under the delivery's own id (X-Tickler-Delivery stays the same).
 * The finished job of the last round still holds that id in pg-boss's table (pg-boss would skip an
 * insert of a known id), so it is deleted first, in the same transaction.
 */
async function requeue(em: EntityManager, services: Services, accountId: string, deliveries: FailedDelivery[]): Promise<void> {
  const ids = deliveries.map((d) => d.id);
  const { jobs } = services;
  const { job } = deliveryRetryPolicy(services.config);
  await jobs.remove(em, 'reminder.deliver', ids);
  await query(em, `update reminder_delivery set status = 'RETRYING' where id = any($1::uuid[])`, [pgArray(ids)]);
  await jobs.insert(em, 'reminder.deliver', deliveries.map((d) => ({
    id: d.id,
    data: { deliveryId: d.id, firstAttempt: d.attempts + 1 },
    ...job,
    group: { id: accountId }, // as in firing: a few of one account's deliveries at a time
  })));
}
