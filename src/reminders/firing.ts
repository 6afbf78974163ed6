/**
 * What firing a due reminder does: a pure function of the reminder's row, the job that asked and the
 * database's now, so the rules (idempotency, grace, recurrence, status) are tested without a database.
 */
import { nextOccurrence, parseRecurrence } from './recurrence.ts';
import type { ReminderStatus } from './reminder.entity.ts';
import type { OccurrenceStatus } from './occurrence.entity.ts';

export type FiringRow = {
  status: ReminderStatus;
  scheduleVersion: number;
  remindAt: Date;
  timeZone: string;
  recurrence: string | null;
  seriesStart: Date | null;
  seriesAt: Date | null;
  snoozed: boolean;
  graceSeconds: number | null;
  channelCount: number;
};

/** The fire job's payload: the version it was sent for; `forcedAt` when expireReminder asked. */
export type FireRequest = { version: number; forcedAt?: Date };

export type Firing =
  | { kind: 'skip'; reason: 'cancelled' | 'stale' }
  | {
    kind: 'fire' | 'miss';
    dueAt: Date;
    latenessMs: number;
    occurrenceStatus: OccurrenceStatus;
    reminderStatus: ReminderStatus;
    /** The next occurrence of a recurring reminder, or null when the series has ended (or none). */
    next: Date | null;
    seriesAt: Date | null;
  };

/**
 * Decides one firing.
 * - A job whose version is not the row's is stale (the reminder was rescheduled, snoozed, expired
 *   or already fired since): it does nothing, so duplicated or retried jobs never fire twice.
 * - A reminder fired later than its `graceSeconds` is MISSED (never for an explicit expireReminder).
 * - A recurring reminder moves on to its first occurrence after both the instant just consumed and
 *   now: after downtime the series resumes in the future rather than replaying every missed instant.
 * - Status: MISSED or SENT at once without channels, PROCESSING while channels deliver; a recurring
 *   reminder with a next occurrence is SCHEDULED unless deliveries are in flight.
 */
export function decideFiring(row: FiringRow, request: FireRequest, now: Date): Firing {
  if (row.status === 'CANCELLED') return { kind: 'skip', reason: 'cancelled' };
  if (row.scheduleVersion !== request.version) return { kind: 'skip', reason: 'stale' };
  const dueAt = request.forcedAt ?? row.remindAt;
  const latenessMs = Math.max(0, now.getTime() - dueAt.getTime());
  const missed = !request.forcedAt && row.graceSeconds !== null && latenessMs > row.graceSeconds * 1000;
  const seriesAt = row.snoozed ? row.seriesAt : row.remindAt;
  const next = nextInSeries(row, seriesAt, now);
  const occurrenceStatus: OccurrenceStatus = missed ? 'MISSED' : row.channelCount > 0 ? 'PROCESSING' : 'SENT';
  let reminderStatus: ReminderStatus = occurrenceStatus;
  if (next && occurrenceStatus !== 'PROCESSING') reminderStatus = 'SCHEDULED';
  return { kind: missed ? 'miss' : 'fire', dueAt, latenessMs, occurrenceStatus, reminderStatus, next, seriesAt };
}

function nextInSeries(row: FiringRow, consumed: Date | null, now: Date): Date | null {
  if (!row.recurrence || !row.seriesStart) return null;
  const parsed = parseRecurrence(row.recurrence);
  if (!parsed.ok) return null;
  const after = new Date(Math.max(consumed?.getTime() ?? row.seriesStart.getTime(), now.getTime()));
  return nextOccurrence(parsed.rule, row.seriesStart, row.timeZone, after);
}

/**
 * The status of an occurrence from its deliveries: FAILED once one gave up, SENT when all succeeded,
 * RETRIED while any is retrying, PROCESSING otherwise. Cancelled deliveries do not count.
 */
export function occurrenceStatusOf(deliveries: readonly string[]): OccurrenceStatus {
  const live = deliveries.filter((status) => status !== 'CANCELLED');
  if (live.includes('FAILED')) return 'FAILED';
  if (live.every((status) => status === 'SUCCEEDED')) return 'SENT';
  if (live.includes('RETRYING')) return 'RETRIED';
  return 'PROCESSING';
}

/**
 * The reminder's status after a change to its latest occurrence: the delivery status while it is in
 * flight; once final, SCHEDULED again if another occurrence is pending.
 */
export function reminderStatusAfterDelivery(occurrence: OccurrenceStatus, nextPending: boolean): ReminderStatus {
  const final = occurrence === 'SENT' || occurrence === 'FAILED' || occurrence === 'MISSED';
  return final && nextPending ? 'SCHEDULED' : occurrence;
}
