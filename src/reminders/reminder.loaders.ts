/**
 * Batched loads of a reminder's history for the GraphQL fields (occurrences → deliveries → attempts,
 * nextAttemptAt): a page of 5,000 reminders costs one query per level, not one per row. Rows are
 * read-only snapshots with the entity fields the GraphQL types read (as in reminder.rows.ts).
 */
import type { Context } from '../graphql/context.ts';
import { groupedBy, loaderOf } from '../graphql/loaders.ts';
import type { DeliveryAttempt, ReminderDelivery, ReminderOccurrence } from './occurrence.entity.ts';
import { pgArray, query, toDate } from '../platform/sql.ts';
import { jobsInStateSql } from '../platform/pgboss-seam.ts';

/** The reminder's newest `first` occurrences, newest first. */
export function loadOccurrences(ctx: Context, reminderId: string, first: number): Promise<ReminderOccurrence[]> {
  return loaderOf(ctx, `occurrences:${first}`, async (ids) => {
    const rows = await query<{ id: string; reminder_id: string; due_at: unknown; fired_at: unknown; lateness_ms: number; status: string }>(ctx.em, `
      select o.id, o.reminder_id, o.due_at, o.fired_at, o.lateness_ms, o.status
        from unnest($1::uuid[]) as r(id)
        cross join lateral (select * from reminder_occurrence where reminder_id = r.id order by id desc limit $2) o`, [pgArray(ids), first]);
    const snapshots = rows.map((row) => ({
      id: String(row.id), reminderId: row.reminder_id, dueAt: toDate(row.due_at), firedAt: toDate(row.fired_at), latenessMs: row.lateness_ms, status: row.status,
    }));
    return groupedBy(ids, snapshots, (o) => o.reminderId) as unknown as ReminderOccurrence[][];
  }).load(reminderId);
}

/** The occurrence's deliveries, by channel. */
export function loadDeliveries(ctx: Context, occurrenceId: string): Promise<ReminderDelivery[]> {
  return loaderOf(ctx, 'deliveries', async (ids) => {
    const rows = await query<{ id: string; occurrence_id: string; channel_index: number; kind: string; target: string; status: string; attempts: number }>(ctx.em, `
      select id, occurrence_id, channel_index, kind, target, status, attempts from reminder_delivery
       where occurrence_id = any($1::bigint[]) order by occurrence_id, channel_index`, [pgArray(ids)]);
    const snapshots = rows.map((row) => ({ ...row, occurrenceId: String(row.occurrence_id), channelIndex: row.channel_index }));
    return groupedBy(ids, snapshots, (d) => d.occurrenceId) as unknown as ReminderDelivery[][];
  }).load(String(occurrenceId));
}

/** The delivery's attempts, first first. */
export function loadAttempts(ctx: Context, deliveryId: string): Promise<DeliveryAttempt[]> {
  return loaderOf(ctx, 'attempts', async (ids) => {
    const rows = await query<{ delivery_id: string; attempt: number; attempted_at: unknown; duration_ms: number; outcome: string; error: string | null }>(ctx.em, `
      select delivery_id, attempt, attempted_at, duration_ms, outcome, error from delivery_attempt
       where delivery_id = any($1::uuid[]) order by delivery_id, attempt`, [pgArray(ids)]);
    const snapshots = rows.map((row) => ({
      deliveryId: row.delivery_id, attempt: row.attempt, attemptedAt: toDate(row.attempted_at), durationMs: row.duration_ms, outcome: row.outcome, error: row.error,
    }));
    return groupedBy(ids, snapshots, (a) => a.deliveryId) as unknown as DeliveryAttempt[][];
  }).load(deliveryId);
}

/** When pg-boss will try the delivery again, while its job waits to be retried. */
export function loadNextAttemptAt(ctx: Context, deliveryId: string): Promise<Date | null> {
  return loaderOf(ctx, 'nextAttemptAt', async (ids) => {
    const rows = await query<{ id: string; start_after: unknown }>(ctx.em, jobsInStateSql('reminder.deliver', 'retry'), [pgArray(ids)]);
    const byId = new Map(rows.map((row) => [row.id, toDate(row.start_after)]));
    return ids.map((id) => byId.get(id) ?? null);
  }).load(deliveryId);
}
