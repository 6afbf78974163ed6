/**
 * The SQL of the no-overlap guarantee: advisory locks per calendar, busy ranges read through the
 * exclusion constraint's GiST index, and occupancy rows written and removed. Every function runs in the
 * caller's transaction (`em` is the transactional entity manager).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TimeRange } from '../shared/time-range.ts';
import { NotFoundError } from '../shared/errors.ts';
import { Calendar } from './calendar.entity.ts';

/** Distinguishes these advisory locks from any other user of pg_advisory_*_lock(bigint). */
const LOCK_SEED = 4_108_151;

/**
 * Serialises placements on these calendars until the transaction ends. Locks are taken in one stable
 * order (sorted ids, left to right in one statement), so two transactions can never wait on each other.
 */
export async function lockCalendars(em: EntityManager, calendarIds: readonly string[]): Promise<void> {
  const sorted = [...new Set(calendarIds)].sort();
  const calls = sorted.map(() => `pg_advisory_xact_lock(hashtextextended(?, ${LOCK_SEED}))`).join(', ');
  await em.execute(`select ${calls}`, sorted);
}

/**
 * lockCalendars and loading the account's calendars in one round trip (placement's hot path). The
 * locks are taken before the rows are returned; the settings read need not be newer than the locks.
 */
export async function lockAndLoadCalendars(em: EntityManager, lockIds: readonly string[], accountId: string, calendarIds: readonly string[]): Promise<Calendar[]> {
  const sorted = [...new Set(lockIds)].sort();
  const calls = sorted.map(() => `pg_advisory_xact_lock(hashtextextended(?, ${LOCK_SEED}))`).join(', ');
  const rows = await em.execute<Record<string, unknown>[]>(
    `with locks as materialized (select ${calls})
     select c.* from locks, calendar c where c.id = any(array[?]::uuid[]) and c.account_id = ?`,
    [...sorted, calendarIds, accountId],
  );
  const byId = new Map(rows.map((row) => [row.id as string, em.map(Calendar, row)]));
  return calendarIds.map((id) => {
    const calendar = byId.get(id);
    if (!calendar) throw new NotFoundError('calendar', id);
    return calendar;
  });
}

export type BusyRange = TimeRange & { calendarId: string; eventId: string };

/**
 * Occupied ranges on these calendars that touch any of the windows; cost follows the windows, not the
 * calendar. One index probe per calendar (`calendar_id = c.id and during && …` on the GiST index): GiST
 * takes no `= any(array)`, so the array is joined rather than compared.
 */
export async function busyRanges(em: EntityManager, calendarIds: readonly string[], windows: TimeRange | readonly TimeRange[]): Promise<BusyRange[]> {
  const list = Array.isArray(windows) ? windows : [windows as TimeRange];
  const overlapsAny = list.map(() => 'during && tstzrange(?::timestamptz, ?::timestamptz)').join(' or ');
  const rows = await em.execute<{ calendar_id: string; event_id: string; s: string; e: string }[]>(
    `select calendar_id, event_id,
            (extract(epoch from lower(during)) * 1000)::bigint as s, (extract(epoch from upper(during)) * 1000)::bigint as e
       from unnest(array[?]::uuid[]) as c(id) join event_occupancy on calendar_id = c.id
      where ${overlapsAny}`,
    [calendarIds, ...list.flatMap((w) => [iso(w.start), iso(w.end)])],
  );
  return rows.map((r) => ({ calendarId: r.calendar_id, eventId: r.event_id, start: Number(r.s), end: Number(r.e) }));
}

/** Records that an event holds `range` on each calendar; throws the 23P01 exclusion violation on overlap. */
export async function occupy(em: EntityManager, eventId: string, calendarIds: readonly string[], range: TimeRange): Promise<void> {
  const values = calendarIds.map(() => '(?::uuid, ?::uuid, tstzrange(?::timestamptz, ?::timestamptz))').join(', ');
  const params = calendarIds.flatMap((calendarId) => [eventId, calendarId, iso(range.start), iso(range.end)]);
  await em.execute(`insert into event_occupancy (event_id, calendar_id, during) values ${values}`, params);
}

export type NewEventRow = {
  id: string; accountId: string; calendarId: string; title: string; startsAt: Date; endsAt: Date; durationMinutes: number;
  placement: string; attendees: string[]; attendeeCalendarIds: string[]; location: string | null;
  notBefore: Date | null; notAfter: Date | null; idempotencyKey: string | null; createdAt: Date;
  /** Whole local days: such an event holds no time (see README, Calendar), so it gets no occupancy rows. */
  allDay?: boolean;
};

/**
 * Inserts events and their occupancy rows in one statement: the fewer round trips while the calendar
 * locks are held, the more placements per second one calendar takes.
 */
export async function insertEventsWithOccupancy(em: EntityManager, rows: readonly NewEventRow[], calendarIds: readonly string[]): Promise<void> {
  if (rows.length === 0) return;
  const events = rows.map(() => '(?, ?, ?, ?, ?::timestamptz, ?::timestamptz, ?, ?, array[?]::text[], array[?]::text[], ?, ?::timestamptz, ?::timestamptz, ?, ?::timestamptz, ?::timestamptz, ?::boolean)').join(', ');
  const holding = rows.filter((row) => !row.allDay);
  const during = (row: NewEventRow) => [iso(row.startsAt.getTime()), iso(row.endsAt.getTime())];
  const insertEvents = `insert into event (id, account_id, calendar_id, title, starts_at, ends_at, duration_minutes, placement, attendees,
                          attendee_calendar_ids, location, not_before, not_after, idempotency_key, created_at, updated_at, all_day)
       values ${events}`;
  const eventParams = rows.flatMap((row) => [
    row.id, row.accountId, row.calendarId, row.title, ...during(row), row.durationMinutes, row.placement, row.attendees,
    row.attendeeCalendarIds, row.location, isoOrNull(row.notBefore), isoOrNull(row.notAfter), row.idempotencyKey,
    iso(row.createdAt.getTime()), iso(row.createdAt.getTime()), row.allDay ?? false,
  ]);
  if (holding.length === 0) {
    await em.execute(insertEvents, eventParams);
    return;
  }
  const occupancy = holding.flatMap(() => calendarIds.map(() => '(?::uuid, ?::uuid, tstzrange(?::timestamptz, ?::timestamptz))')).join(', ');
  await em.execute(
    `with e as (
       ${insertEvents}
       returning id)
     insert into event_occupancy (event_id, calendar_id, during) select * from (values ${occupancy}) v where exists (select 1 from e)`,
    [...eventParams, ...holding.flatMap((row) => calendarIds.flatMap((calendarId) => [row.id, calendarId, ...during(row)]))],
  );
}

/** Frees every calendar an event holds. */
export async function vacate(em: EntityManager, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await em.execute('delete from event_occupancy where event_id = any(array[?]::uuid[])', [eventIds]);
}

/** True for PostgreSQL's exclusion-constraint violation, i.e. an overlap the locks did not prevent. */
export function isOverlapViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23P01';
}

/** True for a unique violation (e.g. two requests racing with one idempotency key). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isoOrNull(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
