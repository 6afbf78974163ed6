/**
 * Read-only snapshots of reminders for subscription streams, loaded with one plain SQL query per
 * batch. A burst of thousands of expiries reaches every subscriber of the account, so the ORM's
 * hydration and identity map (tens of microseconds an entity) would dominate the worker's time.
 * The snapshots carry the entity's fields that the GraphQL types read; nothing writes them back.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Channel, Reminder, ReminderStatus } from './reminder.entity.ts';
import { pgArray, query, toDate, toDateOrNull } from '../platform/sql.ts';

export type ReminderRow = {
  id: string; account_id: string; message: string; remind_at: unknown; time_zone: string; recurrence: string | null;
  status: ReminderStatus; fired_at: unknown; grace_seconds: number | null; channels: Channel[] | string; event_id: string | null;
  minutes_before: number | null; created_at: unknown; updated_at: unknown; failure_reason: string | null;
};
type OccurrenceRow = ReminderRow & { occurrence_id: string; due_at: unknown; occurrence_fired_at: unknown; lateness_ms: number };

export type ExpiredSnapshot = { id: string; occurrenceAt: Date; firedAt: Date; latenessMs: number; reminder: Reminder };

/**
 * An expiry as a notice carries it (JSON: times as ISO strings), written by the firing transaction
 * from the rows it writes: what loadExpiredSnapshotsById would read back after its commit. Its
 * occurrence id is the notice's occurrenceIds at the same position (drawn by the same statement).
 */
export type ExpiredRow = {
  occurrenceAt: string; firedAt: string; latenessMs: number;
  reminder: {
    id: string; accountId: string; message: string; remindAt: string; timeZone: string; recurrence: string | null; status: ReminderStatus;
    firedAt: string | null; graceSeconds: number | null; channels: Channel[]; eventId: string | null; minutesBefore: number | null;
    createdAt: string; updatedAt: string;
  };
};

/** An ExpiredSnapshot from a notice's row and its occurrence id, as loadExpiredSnapshotsById would give it. */
export function expiredFromRow(row: ExpiredRow, id: string): ExpiredSnapshot {
  const r = row.reminder;
  const reminder = {
    id: r.id, account: { id: r.accountId }, message: r.message, remindAt: new Date(r.remindAt), timeZone: r.timeZone, recurrence: r.recurrence,
    status: r.status, firedAt: r.firedAt === null ? null : new Date(r.firedAt), graceSeconds: r.graceSeconds, channels: r.channels, eventId: r.eventId,
    minutesBefore: r.minutesBefore, failureReason: null, createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt),
  };
  return { id, occurrenceAt: new Date(row.occurrenceAt), firedAt: new Date(row.firedAt), latenessMs: row.latenessMs, reminder: reminder as unknown as Reminder };
}

/** The columns of a reminder snapshot, of `reminder r`. */
export const REMINDER_COLUMNS = `r.id, r.account_id, r.message, r.remind_at, r.time_zone, r.recurrence, r.status, r.fired_at,
  r.grace_seconds, r.channels, r.event_id, r.minutes_before, r.created_at, r.updated_at, r.failure_reason`;

/** The account's reminders with these ids, in the order of `ids` (absent ones left out). */
export async function loadReminderSnapshots(em: EntityManager, accountId: string, ids: string[]): Promise<Reminder[]> {
  const rows = await query<ReminderRow>(em, `select ${REMINDER_COLUMNS} from reminder r where r.id = any($1::uuid[]) and r.account_id = $2`, [pgArray(ids), accountId]);
  const byId = new Map(rows.map((row) => [row.id, toSnapshot(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The account's occurrences with these ids (or, with `afterId`, the next `limit` after it), by id. */
export async function loadExpiredSnapshots(em: EntityManager, accountId: string, selection: { ids: string[] } | { afterId: bigint; limit: number }): Promise<ExpiredSnapshot[]> {
  const byIds = 'ids' in selection;
  const rows = await query<OccurrenceRow>(em, `
    select o.id as occurrence_id, o.due_at, o.fired_at as occurrence_fired_at, o.lateness_ms, ${REMINDER_COLUMNS}
      from reminder_occurrence o join reminder r on r.id = o.reminder_id
     where o.account_id = $1 and ${byIds ? 'o.id = any($2::bigint[])' : `o.id > $2 and o.status <> 'MISSED'`}
     order by o.id ${byIds ? '' : 'limit $3'}`, byIds ? [accountId, pgArray(selection.ids)] : [accountId, String(selection.afterId), selection.limit]);
  return rows.map(toExpired);
}

/**
 * Occurrences by id, whatever their account (each snapshot's `reminder.account.id` says whose):
 * for one process-wide load of the expiries that many accounts' notifications name at once. The
 * caller hands each account only its own.
 */
export async function loadExpiredSnapshotsById(em: EntityManager, ids: readonly string[]): Promise<ExpiredSnapshot[]> {
  const rows = await query<OccurrenceRow>(em, `
    select o.id as occurrence_id, o.due_at, o.fired_at as occurrence_fired_at, o.lateness_ms, ${REMINDER_COLUMNS}
      from reminder_occurrence o join reminder r on r.id = o.reminder_id
     where o.id = any($1::bigint[])`, [pgArray([...ids])]);
  return rows.map(toExpired);
}

/** A reminder row (REMINDER_COLUMNS, snake_case) as a read-only snapshot. */
export function toSnapshot(row: ReminderRow): Reminder {
  const snapshot = {
    id: row.id,
    account: { id: row.account_id },
    message: row.message,
    remindAt: toDate(row.remind_at),
    timeZone: row.time_zone,
    recurrence: row.recurrence,
    status: row.status,
    firedAt: toDateOrNull(row.fired_at),
    graceSeconds: row.grace_seconds,
    channels: typeof row.channels === 'string' ? (JSON.parse(row.channels) as Channel[]) : row.channels,
    eventId: row.event_id,
    minutesBefore: row.minutes_before,
    failureReason: row.failure_reason,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
  return snapshot as unknown as Reminder;
}

function toExpired(row: OccurrenceRow): ExpiredSnapshot {
  return {
    id: String(row.occurrence_id),
    occurrenceAt: toDate(row.due_at),
    firedAt: toDate(row.occurrence_fired_at),
    latenessMs: row.lateness_ms,
    reminder: toSnapshot(row),
  };
}
