/**
 * The SQL of a sync: reading a feed calendar's mirrored instances and writing a diff in a few set-based
 * statements (a 5,000-event first sync is a handful of round trips, not 10,000). Every function runs in
 * the caller's transaction.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { contentKeyOf, instanceHash, type FeedDiff, type StoredInstance } from './feed-diff.ts';
import type { FeedInstance } from './ics-parse.ts';

/** Rows per INSERT/UPDATE statement: keeps the parameter count under PostgreSQL's 65,535. */
const CHUNK = 1000;

export async function storedInstances(em: EntityManager, calendarId: string): Promise<StoredInstance[]> {
  const rows = await em.execute<{ id: string; external_key: string; external_hash: string | null; s: string; e: string; title: string }[]>(
    `select id, external_key, external_hash, title,
            (extract(epoch from starts_at) * 1000)::bigint as s, (extract(epoch from ends_at) * 1000)::bigint as e
       from event where calendar_id = ? and external_key is not null`,
    [calendarId],
  );
  return rows.map((r) => ({ eventId: r.id, key: r.external_key, hash: r.external_hash ?? '', contentKey: contentKeyOf(Number(r.s), Number(r.e), r.title) }));
}

export type Written = {
  created: string[];
  updated: string[];
  /** Updated instances that became cancelled (published as CANCELLED rather than UPDATED). */
  cancelled: string[];
  /** Snapshots of the deleted rows, for DELETED notices (the rows are gone when subscribers read). */
  deleted: Record<string, unknown>[];
  /** Event ids whose busy time is new or moved: candidates for clashes with Tickler's own events. */
  newBusy: string[];
};

export async function writeDiff(em: EntityManager, accountId: string, calendarId: string, diff: FeedDiff, now: Date): Promise<Written> {
  const written: Written = { created: [], updated: [], cancelled: [], deleted: [], newBusy: [] };
  if (diff.delete.length > 0) {
    const rows = await em.execute<Record<string, unknown>[]>(`delete from event where id = any(array[?]::uuid[]) returning *`, [diff.delete]);
    written.deleted = rows.map(snapshotOfRow);
  }
  for (let i = 0; i < diff.rekey.length; i += CHUNK) {
    const part = diff.rekey.slice(i, i + CHUNK);
    await em.execute(
      `update event e set external_key = v.k from (values ${part.map(() => '(?::uuid, ?)').join(', ')}) v(id, k) where e.id = v.id`,
      part.flatMap((r) => [r.eventId, r.key]),
    );
  }
  for (let i = 0; i < diff.update.length; i += CHUNK) {
    const part = diff.update.slice(i, i + CHUNK);
    const rows = await em.execute<{ id: string; was_cancelled: boolean }[]>(
      `with v(id, k, h, title, s, e, d, loc, att, transp, cancelled, allday, descr) as (values ${part.map(() => VALUES_ROW).join(', ')}),
            old as (select e.id, e.cancelled_at is not null as was_cancelled from event e join v on v.id = e.id)
       update event e set external_key = v.k, external_hash = v.h, title = v.title, starts_at = v.s, ends_at = v.e,
              duration_minutes = v.d, location = v.loc, attendees = v.att, transparent = v.transp, all_day = v.allday, description = v.descr,
              cancelled_at = case when v.cancelled then coalesce(e.cancelled_at, ?::timestamptz) end, updated_at = ?::timestamptz
         from v, old where e.id = v.id and old.id = v.id
       returning e.id, old.was_cancelled`,
      [...part.flatMap((u) => rowValues(u.eventId, u.instance)), now.toISOString(), now.toISOString()],
    );
    const wasCancelled = new Map(rows.map((r) => [r.id, r.was_cancelled]));
    for (const { eventId, instance } of part) {
      if (instance.cancelled && !wasCancelled.get(eventId)) written.cancelled.push(eventId);
      else written.updated.push(eventId);
    }
  }
  const ids = diff.create.map(() => crypto.randomUUID());
  for (let i = 0; i < diff.create.length; i += CHUNK) {
    const part = diff.create.slice(i, i + CHUNK);
    await em.execute(
      `insert into event (id, external_key, external_hash, title, starts_at, ends_at, duration_minutes, location, attendees, transparent, all_day, description,
                          cancelled_at, account_id, calendar_id, placement, attendee_calendar_ids, created_at, updated_at)
       select v.id, v.k, v.h, v.title, v.s, v.e, v.d, v.loc, v.att, v.transp, v.allday, v.descr, case when v.cancelled then ?::timestamptz end,
              ?::uuid, ?::uuid, 'EXACT', '{}', ?::timestamptz, ?::timestamptz
         from (values ${part.map(() => VALUES_ROW).join(', ')}) v(id, k, h, title, s, e, d, loc, att, transp, cancelled, allday, descr)`,
      [now.toISOString(), accountId, calendarId, now.toISOString(), now.toISOString(), ...part.flatMap((instance, n) => rowValues(ids[i + n]!, instance))],
    );
  }
  written.created = ids;
  // Busy time: replaced for every updated instance, added for every created one. Overlaps are allowed
  // (exclusive = false): external calendars have them.
  const touched = [...diff.update.map((u) => ({ id: u.eventId, instance: u.instance })), ...diff.create.map((instance, n) => ({ id: ids[n]!, instance }))];
  if (diff.update.length > 0) await em.execute('delete from event_occupancy where event_id = any(array[?]::uuid[])', [diff.update.map((u) => u.eventId)]);
  const busy = touched.filter(({ instance }) => isBusy(instance));
  for (let i = 0; i < busy.length; i += CHUNK) {
    const part = busy.slice(i, i + CHUNK);
    await em.execute(
      `insert into event_occupancy (event_id, calendar_id, during, exclusive)
       select v.id, ?::uuid, tstzrange(v.s, v.e), false from (values ${part.map(() => '(?::uuid, ?::timestamptz, ?::timestamptz)').join(', ')}) v(id, s, e)`,
      [calendarId, ...part.flatMap(({ id, instance }) => [id, new Date(instance.start).toISOString(), new Date(instance.end).toISOString()])],
    );
  }
  written.newBusy = busy.map((b) => b.id);
  return written;
}

/** Opaque, not cancelled, and of some length: what counts as busy time. */
export function isBusy(instance: FeedInstance): boolean {
  return !instance.transparent && !instance.cancelled && instance.end > instance.start;
}

const VALUES_ROW = '(?::uuid, ?, ?, ?, ?::timestamptz, ?::timestamptz, ?::int, ?, array[?]::text[], ?::boolean, ?::boolean, ?::boolean, ?::text)';

function rowValues(id: string, instance: FeedInstance): unknown[] {
  const durationMinutes = Math.max(0, Math.round((instance.end - instance.start) / 60_000));
  return [
    id, instance.key, instanceHash(instance), instance.title, new Date(instance.start).toISOString(), new Date(instance.end).toISOString(),
    durationMinutes, instance.location, instance.attendees, instance.transparent, instance.cancelled, instance.allDay, instance.description ?? null,
  ];
}

/** The shape event.queries.ts fromSnapshot() reads, from a raw row. */
function snapshotOfRow(row: Record<string, unknown>): Record<string, unknown> {
  const iso = (value: unknown) => (value == null ? null : new Date(value as string).toISOString());
  return {
    id: row.id, accountId: row.account_id, calendarId: row.calendar_id, title: row.title,
    startsAt: iso(row.starts_at), endsAt: iso(row.ends_at), durationMinutes: row.duration_minutes, placement: row.placement,
    attendees: [], attendeeCalendarIds: [], location: row.location ?? null, allDay: row.all_day ?? false, cancelledAt: iso(row.cancelled_at),
    createdAt: iso(row.created_at), updatedAt: iso(row.updated_at),
  };
}
