import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Reminder, type ChannelKind } from './reminder.entity.ts';

export const OCCURRENCE_STATUSES = ['PROCESSING', 'RETRIED', 'SENT', 'FAILED', 'MISSED'] as const;
export type OccurrenceStatus = (typeof OCCURRENCE_STATUSES)[number];
export const DELIVERY_STATUSES = ['PENDING', 'RETRYING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const ATTEMPT_OUTCOMES = ['SUCCEEDED', 'RETRYING', 'FAILED'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/**
 * One expiry (or miss) of a reminder: the history behind `occurrences` and the replay log of
 * `reminderExpired(after:)`. The id is allocated in commit order (see fire.job.ts), so it is a
 * monotonic cursor.
 */
export const ReminderOccurrence = defineEntity({
  name: 'ReminderOccurrence',
  tableName: 'reminder_occurrence',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    // No foreign key: its check was 60% of the cost of recording a burst's occurrences, and only the
    // firing transaction writes them, holding the reminder's row locked. Deleting a reminder (with
    // its account) still deletes its occurrences: a statement trigger on reminder does it (migration
    // Migration20261123050000_occurrence_cascade_trigger).
    reminder: () => p.manyToOne(Reminder).createForeignKeyConstraint(false),
    accountId: p.uuid(),
    dueAt: p.datetime(),
    firedAt: p.datetime(),
    latenessMs: p.integer(),
    status: p.string().length(16).$type<OccurrenceStatus>(),
  },
  indexes: [
    { name: 'reminder_occurrence_account_id_index', properties: ['accountId', 'id'] },
    // The newest occurrences of a reminder (Migration20261203150000_history_indexes).
    { name: 'reminder_occurrence_reminder_id_id_index', properties: ['reminder', 'id'] },
  ],
});
export type ReminderOccurrence = InferEntity<typeof ReminderOccurrence>;

/** One channel's delivery of one occurrence; its id is also the id of its pg-boss job. */
export const ReminderDelivery = defineEntity({
  name: 'ReminderDelivery',
  tableName: 'reminder_delivery',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    occurrence: () => p.manyToOne(ReminderOccurrence).deleteRule('cascade').index(),
    channelIndex: p.integer(),
    kind: p.string().length(16).$type<ChannelKind>(),
    target: p.string().length(2000),
    status: p.string().length(16).$type<DeliveryStatus>(),
    attempts: p.integer().default(0),
    /** When the attempt in flight (or the last one) was claimed; its lease ends at `leaseUntil` (deliver.job.ts). */
    attemptStartedAt: p.datetime().nullable(),
    leaseUntil: p.datetime().nullable(),
  },
});
export type ReminderDelivery = InferEntity<typeof ReminderDelivery>;

/** Every attempt at a delivery, with its outcome. */
export const DeliveryAttempt = defineEntity({
  name: 'DeliveryAttempt',
  tableName: 'delivery_attempt',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    delivery: () => p.manyToOne(ReminderDelivery).deleteRule('cascade').index(),
    attempt: p.integer(),
    attemptedAt: p.datetime(),
    durationMs: p.integer(),
    outcome: p.string().length(16).$type<AttemptOutcome>(),
    error: p.text().nullable(),
  },
});
export type DeliveryAttempt = InferEntity<typeof DeliveryAttempt>;
