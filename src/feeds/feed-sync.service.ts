/**
 * One sync of one feed: claim it (a lease, so one sync per feed at a time across every process), fetch
 * outside any transaction, parse, then write the diff, move clashing AUTO events, record the status and
 * schedule the next sync in ONE transaction. A failure of any kind before that transaction writes
 * nothing but the status: the last good events stay.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../platform/services.ts';
import { lockCalendars } from '../calendar/occupancy.repository.ts';
import { diffFeed, isEmptyDiff } from './feed-diff.ts';
import { fetchFeed, FeedFetchError, type FetchOutcome } from './feed-fetch.ts';
import { storedInstances, writeDiff, type Written } from './feed.repository.ts';
import { nextSyncDelayMs, syncWindow } from './feed-schedule.ts';
import { FeedParseError, type FeedInstance } from './ics-parse.ts';
import { parseFeedIncremental, type ParseMemo } from './ics-incremental.ts';
import { readLeniently } from './ics-lenient.ts';
import { moveClashingEvents } from './busy-displacement.ts';

export type SyncOutcome =
  | { status: 'synced'; created: number; updated: number; deleted: number }
  | { status: 'unchanged' }
  | { status: 'failed'; error: string }
  /** Another process holds the feed's lease (a sync is running). */
  | { status: 'busy' }
  | { status: 'gone' };

export type Claimed = {
  account_id: string; url: string; etag: string | null; last_modified: string | null; body_sha256: string | null;
  refresh_minutes: number; failures: number; time_zone: string; max_horizon: number; name: string;
};

/** Feeds whose last parse an app keeps, so that a resync re-parses only the events that changed. */
const MEMO_FEEDS = 50;

/**
 * The last parse of the feeds synced most recently, least recently used first. One is created with
 * each app (createApp, on Services): two apps in one process share nothing.
 */
export type FeedMemos = {
  get(calendarId: string): ParseMemo | null;
  /** Keeps the feed's latest parse (null: none worth keeping) as the most recently used. */
  keep(calendarId: string, memo: ParseMemo | null): void;
};

export function createFeedMemos(limit = MEMO_FEEDS): FeedMemos {
  const memos = new Map<string, ParseMemo>();
  return {
    get: (calendarId) => memos.get(calendarId) ?? null,
    keep(calendarId, memo) {
      memos.delete(calendarId); // re-inserted last: the map's order is least recently used first
      if (memo) memos.set(calendarId, memo);
      if (memos.size > limit) memos.delete(memos.keys().next().value!);
    },
  };
}

/** Syncs a feed now. Never throws for the feed's own faults: those are recorded and returned. */
export async function syncFeed(root: EntityManager, services: Services, calendarId: string): Promise<SyncOutcome> {
  const claimed = await claim(root.fork(), services, calendarId);
  if (!claimed || claimed === 'busy') return claimed === 'busy' ? { status: 'busy' } : { status: 'gone' };
  const { config } = services;
  let fetched: FetchOutcome;
  let instances: FeedInstance[] | null = null;
  try {
    fetched = await fetchFeed(services.outbound, claimed.url, { etag: claimed.etag, lastModified: claimed.last_modified },
      { maxBytes: config.feedMaxBytes, timeoutMs: config.feedTimeoutSeconds * 1000 });
    if (fetched.kind === 'body' && fetched.sha256 !== claimed.body_sha256) {
      const window = syncWindow(services.now().getTime(), claimed.max_horizon);
      const parsed = parseFeedIncremental(fetched.text, { window, defaultZone: claimed.time_zone, maxInstances: config.feedMaxEvents }, services.feedMemos.get(calendarId));
      instances = parsed.instances;
      services.feedMemos.keep(calendarId, parsed.memo);
    }
  } catch (error) {
    if (!(error instanceof FeedFetchError || error instanceof FeedParseError)) {
      services.log.error({ err: error, calendarId }, 'feed sync failed unexpectedly');
    }
    const message = error instanceof FeedFetchError || error instanceof FeedParseError ? error.message : 'Unexpected error while reading the feed';
    await recordFailure(root.fork(), services, calendarId, claimed, message);
    return { status: 'failed', error: message };
  }
  try {
    return await root.fork().transactional((tx) => applyFetched(tx, services, calendarId, claimed, fetched, instances));
  } catch (error) {
    services.log.error({ err: error, calendarId }, 'writing a feed sync failed');
    await recordFailure(root.fork(), services, calendarId, claimed, 'Unexpected error while saving the feed');
    return { status: 'failed', error: 'Unexpected error while saving the feed' };
  }
}

async function claim(em: EntityManager, services: Services, calendarId: string): Promise<Claimed | 'busy' | null> {
  const leaseSeconds = services.config.feedTimeoutSeconds + 60;
  const [row] = await em.execute<Claimed[]>(
    `update calendar_feed f set lease_until = now() + ? * interval '1 second'
       from calendar c
      where f.calendar_id = ? and c.id = f.calendar_id and (f.lease_until is null or f.lease_until < now())
      returning f.account_id, f.url, f.etag, f.last_modified, f.body_sha256, f.refresh_minutes, f.failures, c.time_zone, c.name,
                (select max(horizon_days) from calendar a where a.account_id = f.account_id)::int as max_horizon`,
    [leaseSeconds, calendarId],
  );
  if (row) return row;
  const [exists] = await em.execute<{ one: number }[]>('select 1 as one from calendar_feed where calendar_id = ?', [calendarId]);
  return exists ? 'busy' : null;
}

/** Writes what a fetch brought (a diff when `instances` is set), the feed's status and its next sync. */
export async function applyFetched(
  tx: EntityManager, services: Services, calendarId: string, claimed: Claimed, fetched: FetchOutcome, instances: FeedInstance[] | null,
): Promise<SyncOutcome> {
  const now = services.now();
  const validators = fetched.kind === 'body'
    ? { etag: fetched.etag, lastModified: fetched.lastModified, sha: fetched.sha256 }
    : { etag: claimed.etag, lastModified: claimed.last_modified, sha: claimed.body_sha256 };
  let outcome: SyncOutcome = { status: 'unchanged' };
  // Warnings belong to the body they were read from: recomputed (a cheap line scan) whenever a body was
  // parsed, kept as they are when it was not (304, or the same bytes).
  const warnings = instances && fetched.kind === 'body' ? JSON.stringify(readLeniently(fetched.text).warnings) : null;
  if (instances) {
    // The calendars planning around this feed are locked too: placements on them read its busy time.
    const listing = await tx.execute<{ id: string }[]>('select id from calendar where account_id = ? and ? = any(busy_calendar_ids)', [claimed.account_id, calendarId]);
    await lockCalendars(tx, [calendarId, ...listing.map((r) => r.id)]);
    const diff = diffFeed(await storedInstances(tx, calendarId), instances);
    if (!isEmptyDiff(diff)) {
      const written = await writeDiff(tx, claimed.account_id, calendarId, diff, now);
      await publishChanges(tx, services, claimed.account_id, calendarId, written);
      await moveClashingEvents(tx, services, {
        accountId: claimed.account_id, feedCalendarId: calendarId, feedName: claimed.name,
        calendarIds: listing.map((r) => r.id), feedEventIds: written.newBusy,
      });
      outcome = { status: 'synced', created: written.created.length, updated: written.updated.length + written.cancelled.length, deleted: written.deleted.length };
    }
  }
  const next = new Date(now.getTime() + nextSyncDelayMs(claimed.refresh_minutes, 0));
  await tx.execute(
    `update calendar_feed set last_synced_at = ?, last_attempt_at = ?, last_error = null, failures = 0, etag = ?, last_modified = ?,
            body_sha256 = ?, next_sync_at = ?, lease_until = null,
            warnings = case when ?::jsonb is null then warnings else array(select jsonb_array_elements_text(?::jsonb)) end,
            event_count = case when ? then (select count(*) from event where calendar_id = ?) else event_count end
      where calendar_id = ?`,
    [now, now, validators.etag, validators.lastModified, validators.sha, next, warnings, warnings, outcome.status === 'synced', calendarId, calendarId],
  );
  await scheduleNext(tx, services, calendarId, next, claimed.account_id);
  await services.pubsub.publishInTransaction(tx, 'calendar:feed-synced', claimed.account_id, { calendarId });
  return outcome;
}

async function recordFailure(em: EntityManager, services: Services, calendarId: string, claimed: Claimed, message: string): Promise<void> {
  const now = services.now();
  const next = new Date(now.getTime() + nextSyncDelayMs(claimed.refresh_minutes, claimed.failures + 1));
  await em.transactional(async (tx) => {
    const rows = await tx.execute<{ calendar_id: string }[]>(
      `update calendar_feed set last_attempt_at = ?, last_error = ?, failures = failures + 1, next_sync_at = ?, lease_until = null
        where calendar_id = ? returning calendar_id`,
      [now, message.slice(0, 1000), next, calendarId],
    );
    if (rows.length === 0) return; // unsubscribed meanwhile
    await scheduleNext(tx, services, calendarId, next, claimed.account_id);
    await services.pubsub.publishInTransaction(tx, 'calendar:feed-synced', claimed.account_id, { calendarId });
  });
}

/**
 * The next sync as a pg-boss job, in the caller's transaction; a job finding a later next_sync_at does
 * nothing. The account is the job's group: the feed worker syncs only a few of one account's feeds at
 * a time (feed-sync.job.ts), so its slow feeds never hold up another account's.
 */
export async function scheduleNext(tx: EntityManager, services: Services, calendarId: string, at: Date, accountId: string): Promise<void> {
  await services.jobs.send(tx, 'calendar.feed.sync', { calendarId }, { startAfter: at, group: { id: accountId } });
}

async function publishChanges(tx: EntityManager, services: Services, accountId: string, calendarId: string, written: Written): Promise<void> {
  const calendarIds = [calendarId];
  await services.pubsub.publishManyInTransaction(tx, 'event:changed', accountId, [
    ...written.deleted.map((snapshot) => ({ eventId: snapshot.id as string, calendarIds, kind: 'DELETED' as const, snapshot })),
    ...written.updated.map((eventId) => ({ eventId, calendarIds, kind: 'UPDATED' as const })),
    ...written.cancelled.map((eventId) => ({ eventId, calendarIds, kind: 'CANCELLED' as const })),
    ...written.created.map((eventId) => ({ eventId, calendarIds, kind: 'CREATED' as const })),
  ]);
}
