import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from '../accounts/account.entity.ts';

export const REMINDER_STATUSES = ['SCHEDULED', 'PROCESSING', 'SENT', 'RETRIED', 'FAILED', 'CANCELLED', 'MISSED'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];
export const CHANNEL_KINDS = ['WEBHOOK', 'EMAIL'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export type Channel = { kind: ChannelKind; target: string };

/**
 * A reminder and its schedule. `remindAt` is always the next occurrence; `scheduleVersion` grows at
 * every (re)schedule and firing, and each fire job carries the version it was sent for, so a job for
 * a time that was moved, cancelled or already fired finds a newer version and does nothing.
 */
export const Reminder = defineEntity({
  name: 'Reminder',
  tableName: 'reminder',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    account: () => p.manyToOne(Account).deleteRule('cascade'),
    message: p.text(),
    remindAt: p.datetime(),
    timeZone: p.string().length(64),
    /** RRULE body; its DTSTART is `seriesStart`. */
    recurrence: p.string().length(500).nullable(),
    seriesStart: p.datetime().nullable(),
    /** The latest instant of the series already consumed (fired or missed). */
    seriesAt: p.datetime().nullable(),
    /** Whether `remindAt` is a snoozed time rather than an instant of the series. */
    snoozed: p.boolean().default(false),
    status: p.string().length(16).$type<ReminderStatus>(),
    firedAt: p.datetime().nullable(),
    graceSeconds: p.integer().nullable(),
    channels: p.json<Channel[]>(),
    /** The calendar event this reminder belongs to (no foreign key: the calendar owns that table). */
    eventId: p.uuid().nullable(),
    minutesBefore: p.integer().nullable(),
    idempotencyKey: p.string().length(200).nullable(),
    scheduleVersion: p.integer().default(0),
    /** The pending pg-boss fire job; null when nothing is scheduled. */
    jobId: p.uuid().nullable(),
    /** The latest occurrence (its id is also its replay cursor). */
    lastOccurrenceId: p.bigint('string').nullable(),
    /** Why firing failed for good (status FAILED with no occurrence to show it; fire.job.ts). */
    failureReason: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  // Firing rewrites thousands of reminder rows a second, and each new row version is entered in
  // every index whose condition it meets: the optional columns are therefore indexed only where set,
  // so a fired one-shot reminder costs two index entries (primary key, account) instead of five.
  indexes: [
    { name: 'reminder_account_remind_at_index', properties: ['account', 'remindAt', 'id'] },
    // The wake-up timer's question: which pending reminders fall due soon?
    { name: 'reminder_pending_index', expression: 'create index "reminder_pending_index" on "reminder" ("remind_at") where "job_id" is not null' },
    { name: 'reminder_event_id_index', expression: 'create index "reminder_event_id_index" on "reminder" ("event_id") where "event_id" is not null' },
  ],
  // Deleting reminders (with their account) deletes their occurrences: reminder_occurrence has no
  // foreign key (see occurrence.entity.ts). The function is created by the migration.
  triggers: [{
    name: 'reminder_occurrence_cascade',
    timing: 'after',
    events: ['delete'],
    forEach: 'statement',
    expression: 'create trigger "reminder_occurrence_cascade" after delete on "reminder" referencing old table as "deleted_reminder" for each statement execute function "reminder_occurrence_cascade"()',
  }],
  uniques: [{
    name: 'reminder_account_idempotency_key_unique',
    expression: 'create unique index "reminder_account_idempotency_key_unique" on "reminder" ("account_id", "idempotency_key") where "idempotency_key" is not null',
  }],
});
export type Reminder = InferEntity<typeof Reminder>;
