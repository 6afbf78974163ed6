import { createHash, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Plugin } from 'graphql-yoga';
import { identify } from '../platform/auth.ts';
import { decodeId } from '../graphql/ids.ts';
import { writeIcs, type ExportEvent } from './ics-export.ts';

const PATH = /^\/calendars\/([^/]+)\.ics$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How long subscribers are asked to wait between refreshes (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
const REFRESH_MINUTES = 15;
/** Events that ended longer ago than this are left out of the feed; and at most this many events. */
const HISTORY_DAYS = 90;
const MAX_EVENTS = 20_000;

/**
 * GET /calendars/<id>.ics?token=<secret> (what calendar apps subscribe to), or with
 * `Authorization: Bearer <account token>` for scripts. A wrong token and another account's calendar
 * are both 404, like an absent calendar. ETag / If-None-Match answer 304 when nothing changed.
 */
export function useCalendarFeedExport(options: { forkEm: () => EntityManager; adminToken: string | undefined; now: () => Date }): Plugin {
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      const match = PATH.exec(url.pathname);
      if (!match) return;
      const text = (status: number, message: string, headers: Record<string, string> = {}) =>
        endResponse(new fetchAPI.Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } }));
      if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Use GET', { allow: 'GET, HEAD' });
      const raw = decodeURIComponent(match[1]!);
      const calendarId = UUID.test(raw) ? raw.toLowerCase() : decodeId('Calendar', raw);
      const em = options.forkEm();
      const token = url.searchParams.get('token');
      let accountId: string | null = null;
      if (!token) {
        const identity = await identify(em, request.headers.get('authorization'), options.adminToken);
        if (!identity.viewer) return text(401, 'Add ?token=<the calendar\'s feed token> (see Calendar.feedUrl) or send Authorization: Bearer <token>', { 'www-authenticate': 'Bearer' });
        accountId = identity.viewer.accountId;
      }
      const [calendar] = calendarId
        ? await em.execute<{ id: string; account_id: string; name: string; time_zone: string; feed_token: string }[]>(
          'select id, account_id, name, time_zone, feed_token from calendar where id = ?', [calendarId])
        : [];
      const allowed = calendar && (token ? sameSecret(token, calendar.feed_token) : calendar.account_id === accountId);
      if (!calendar || !allowed) return text(404, 'No such calendar feed');
      const body = writeIcs(
        { id: calendar.id, name: calendar.name, timeZone: calendar.time_zone, refreshMinutes: REFRESH_MINUTES },
        await loadEvents(em, calendar.id, options.now()),
      );
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
      const headers = {
        'content-type': 'text/calendar; charset=utf-8',
        'content-disposition': `inline; filename="calendar.ics"`,
        'cache-control': 'private, max-age=0, must-revalidate',
        etag,
      };
      if (request.headers.get('if-none-match')?.split(',').some((t) => t.trim() === etag)) {
        return endResponse(new fetchAPI.Response(null, { status: 304, headers: { etag, 'cache-control': headers['cache-control'] } }));
      }
      endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : body, { status: 200, headers }));
    },
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function loadEvents(em: EntityManager, calendarId: string, now: Date): Promise<ExportEvent[]> {
  const rows = await em.execute<{
    id: string; title: string; starts_at: string; ends_at: string; location: string | null; attendees: string[]; cancelled_at: string | null;
    transparent: boolean; all_day: boolean; description: string | null; sequence: number; created_at: string; updated_at: string; alarms: number[] | null;
  }[]>(
    `select e.id, e.title, e.starts_at, e.ends_at, e.location, e.attendees, e.cancelled_at, e.transparent, e.all_day, e.description, e.sequence, e.created_at, e.updated_at,
            (select array_agg(r.minutes_before order by r.minutes_before) from reminder r
              where r.event_id = e.id and r.minutes_before is not null and r.status <> 'CANCELLED') as alarms
       from event e
      -- @> rather than = any(…): only containment is served by the GIN index on attendee_calendar_ids.
      where (e.calendar_id = ? or e.attendee_calendar_ids @> array[?]::text[]) and e.ends_at > ?
      order by e.starts_at, e.id limit ?`,
    [calendarId, calendarId, new Date(now.getTime() - HISTORY_DAYS * 86_400_000), MAX_EVENTS],
  );
  return rows.map((r) => ({
    id: r.id, title: r.title, startsAt: new Date(r.starts_at), endsAt: new Date(r.ends_at), location: r.location, attendees: r.attendees ?? [],
    cancelled: r.cancelled_at !== null, transparent: r.transparent, allDay: r.all_day, description: r.description, sequence: r.sequence, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at),
    alarmsMinutesBefore: (r.alarms ?? []).map(Number),
  }));
}
