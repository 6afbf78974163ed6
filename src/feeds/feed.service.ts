/**
 * Feed subscriptions: subscribe (fetched and checked before anything is written, so a bad URL is a
 * ValidationError and leaves nothing behind), change, refresh now, unsubscribe; and the export token.
 */
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Services } from '../platform/services.ts';
import { Account } from '../accounts/account.entity.ts';
import { Calendar } from '../calendar/calendar.entity.ts';
import { NotFoundError, QuotaExceededError, ValidationError } from '../shared/errors.ts';
import { armLimits, refusingOverLimits, usageOf } from '../accounts/usage.ts';
import { nameSchema, parseInput } from '../shared/validation.ts';
import { CalendarFeed } from './feed.entity.ts';
import { fetchFeed, FeedFetchError, normaliseFeedUrl } from './feed-fetch.ts';
import { DEFAULT_REFRESH_MINUTES, MAX_REFRESH_MINUTES, MIN_REFRESH_MINUTES, syncWindow } from './feed-schedule.ts';
import { applyFetched, scheduleNext, syncFeed, type SyncOutcome } from './feed-sync.service.ts';
import { FeedParseError, parseFeed } from './ics-parse.ts';

const refreshSchema = z.number().int().min(MIN_REFRESH_MINUTES, `must be at least ${MIN_REFRESH_MINUTES}`).max(MAX_REFRESH_MINUTES, `must be at most ${MAX_REFRESH_MINUTES}`);
const urlSchema = z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters')
  .transform(normaliseFeedUrl)
  .refine((url) => URL.canParse(url) && ['http:', 'https:'].includes(new URL(url).protocol), 'must be an http(s):// or webcal:// URL');
const subscribeInput = z.object({ url: urlSchema, name: nameSchema.nullish(), refreshMinutes: refreshSchema.nullish() });
const updateInput = z.object({ url: urlSchema.nullish(), name: nameSchema.nullish(), refreshMinutes: refreshSchema.nullish() });

/**
 * Creates a feed calendar and mirrors the feed into it; the first fetch must succeed. An account at
 * LIMIT_CALENDAR_FEEDS is refused before anything is fetched (QuotaExceededError).
 */
export async function subscribeFeed(em: EntityManager, services: Services, accountId: string, raw: unknown): Promise<Calendar> {
  const input = parseInput(subscribeInput, raw);
  const { limits } = services.config;
  if ((await usageOf(em, accountId)).calendarFeeds >= limits.calendarFeeds) throw new QuotaExceededError('calendarFeeds', limits.calendarFeeds);
  const refused = await services.outbound.check(input.url);
  if (refused) throw ValidationError.field(['input', 'url'], refused);
  const account = await em.findOneOrFail(Account, accountId);
  const [{ max }] = await em.execute<{ max: number }[]>('select coalesce(max(horizon_days), 90)::int as max from calendar where account_id = ?', [accountId]) as [{ max: number }];
  const { config } = services;
  let fetched;
  let instances;
  try {
    fetched = await fetchFeed(services.outbound, input.url, { etag: null, lastModified: null }, { maxBytes: config.feedMaxBytes, timeoutMs: config.feedTimeoutSeconds * 1000 });
    if (fetched.kind !== 'body') throw new FeedFetchError('The server answered 304 Not Modified to a plain request');
    instances = parseFeed(fetched.text, { window: syncWindow(services.now().getTime(), max), defaultZone: account.timeZone, maxInstances: config.feedMaxEvents });
  } catch (error) {
    if (error instanceof FeedFetchError || error instanceof FeedParseError) throw ValidationError.field(['input', 'url'], error.message);
    throw error;
  }
  const body = fetched;
  // Checked again at the insert, under the counter's lock: concurrent subscriptions cannot overshoot.
  return refusingOverLimits(limits, () => em.transactional(async (tx) => {
    await armLimits(tx, limits, ['calendarFeeds']);
    const calendar = tx.create(Calendar, {
      account, name: input.name ?? feedName(body.text) ?? new URL(input.url).hostname, timeZone: account.timeZone, isDefault: false,
      workingHours: [], bufferMinutes: 0, slotIntervalMinutes: 15, horizonDays: 90, isFeed: true, busyCalendarIds: [],
    });
    tx.create(CalendarFeed, { calendar, account, url: input.url, refreshMinutes: input.refreshMinutes ?? DEFAULT_REFRESH_MINUTES });
    await tx.flush();
    await applyFetched(tx, services, calendar.id, {
      account_id: accountId, url: input.url, etag: null, last_modified: null, body_sha256: null,
      refresh_minutes: input.refreshMinutes ?? DEFAULT_REFRESH_MINUTES, failures: 0, time_zone: account.timeZone, max_horizon: max, name: calendar.name,
    }, body, instances);
    return calendar;
  }));
}

/** Changes a subscription; a new URL is checked and fetched from scratch at once. */
export async function updateFeed(em: EntityManager, services: Services, accountId: string, calendarId: string, raw: unknown): Promise<Calendar> {
  const input = parseInput(updateInput, raw);
  if (input.url) {
    const refused = await services.outbound.check(input.url);
    if (refused) throw ValidationError.field(['input', 'url'], refused);
  }
  return em.transactional(async (tx) => {
    const feed = await tx.findOne(CalendarFeed, { calendar: calendarId, account: accountId }, { populate: ['calendar'] });
    if (!feed) throw new NotFoundError('feed calendar', calendarId);
    const calendar = feed.calendar as unknown as Calendar;
    if (input.name) calendar.name = input.name;
    let nextAt: Date | null = null;
    if (input.url && input.url !== feed.url) {
      Object.assign(feed, { url: input.url, etag: null, lastModified: null, bodySha256: null, failures: 0 });
      nextAt = services.now();
    }
    if (input.refreshMinutes && input.refreshMinutes !== feed.refreshMinutes) {
      feed.refreshMinutes = input.refreshMinutes;
      const from = feed.lastAttemptAt?.getTime() ?? services.now().getTime();
      nextAt ??= new Date(Math.max(services.now().getTime(), from + input.refreshMinutes * 60_000));
    }
    if (nextAt) {
      feed.nextSyncAt = nextAt;
      await scheduleNext(tx, services, calendarId, nextAt, accountId);
    }
    await tx.flush();
    return calendar;
  });
}

export type RefreshOutcome = { calendar: Calendar; created: number; updated: number; deleted: number };

/** Syncs now and says what changed (a failed sync changes nothing; feed.lastError says why). */
export async function refreshFeed(em: EntityManager, services: Services, accountId: string, calendarId: string): Promise<RefreshOutcome> {
  const owned = await em.findOne(CalendarFeed, { calendar: calendarId, account: accountId });
  if (!owned) throw new NotFoundError('feed calendar', calendarId);
  const outcome: SyncOutcome = await syncFeed(em, services, calendarId);
  if (outcome.status === 'busy') throw ValidationError.field(['calendarId'], 'a sync of this feed is running; try again in a moment');
  if (outcome.status === 'gone') throw new NotFoundError('feed calendar', calendarId);
  const calendar = await em.fork().findOneOrFail(Calendar, calendarId);
  return outcome.status === 'synced' ? { calendar, ...pick(outcome) } : { calendar, created: 0, updated: 0, deleted: 0 };
}

/** Deletes the feed calendar with its events; calendars that planned around it stop doing so. */
export async function unsubscribeFeed(em: EntityManager, accountId: string, calendarId: string): Promise<void> {
  await em.transactional(async (tx) => {
    const feed = await tx.findOne(CalendarFeed, { calendar: calendarId, account: accountId });
    if (!feed) throw new NotFoundError('feed calendar', calendarId);
    await tx.execute('update calendar set busy_calendar_ids = array_remove(busy_calendar_ids, ?) where account_id = ? and ? = any(busy_calendar_ids)', [calendarId, accountId, calendarId]);
    await tx.execute('delete from calendar where id = ?', [calendarId]);
  });
}

/** A new secret for the calendar's export URL; the old URL stops working at once. */
export async function rotateFeedToken(em: EntityManager, accountId: string, calendarId: string): Promise<Calendar> {
  return em.transactional(async (tx) => {
    const calendar = await tx.findOne(Calendar, { id: calendarId, account: accountId });
    if (!calendar) throw new NotFoundError('calendar', calendarId);
    calendar.feedToken = randomBytes(32).toString('hex');
    await tx.flush();
    return calendar;
  });
}

/** The calendar's own feed URL: absolute with PUBLIC_URL, else a path on this server. */
export function feedUrlOf(calendar: Pick<Calendar, 'id' | 'feedToken'>, publicUrl: string | undefined): string {
  return `${publicUrl ?? ''}/calendars/${calendar.id}.ics?token=${calendar.feedToken}`;
}

function pick(outcome: { created: number; updated: number; deleted: number }) {
  return { created: outcome.created, updated: outcome.updated, deleted: outcome.deleted };
}

function feedName(text: string): string | null {
  const match = /^X-WR-CALNAME:(.+)$/im.exec(text.slice(0, 20_000));
  const name = match?.[1]?.replace(/\\([,;\\])/g, '$1').trim().slice(0, 200);
  return name || null;
}
