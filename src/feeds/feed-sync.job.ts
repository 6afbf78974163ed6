/**
 * The pg-boss side of feed sync: one queue, a job per feed at its next sync time. Jobs survive restarts
 * in PostgreSQL; the feed's lease makes one sync per feed at a time across any number of workers.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../platform/services.ts';
import type { Jobs, Lanes } from '../platform/jobs.ts';
import { scheduleNext, syncFeed } from './feed-sync.service.ts';

/** A job this much early still syncs (pg-boss polling and clocks differ slightly). */
const EARLY_MS = 5000;

/** A feed this late for its sync has lost its job (a crash between retries, a restored database…). */
const OVERDUE = "interval '10 minutes'";

/**
 * Feed sync lanes per worker process, and how many of them one account's feeds may take (groups: the
 * job's account, see scheduleNext). An account whose feeds all hang holds 2 lanes for up to the feed
 * timeout each; it takes 4 such accounts at once to fill a process.
 */
export const FEED_LANES = 8;
export const FEED_GROUP_LIMIT = 2;

export async function ensureFeedQueues(jobs: Jobs): Promise<void> {
  await jobs.ensureQueue('calendar.feed.sync', { retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 15 * 60 });
  await jobs.ensureQueue('calendar.feed.sweep', { retryLimit: 0, expireInSeconds: 5 * 60 });
}

export type FeedWorker = { start(): Promise<void>; stop(): Promise<void> };

export function createFeedWorker(options: { services: Services; forkEm: () => EntityManager }): FeedWorker {
  const { services, forkEm } = options;
  let lanes: Lanes | undefined;
  let sweepId: string | undefined;
  return {
    async start() {
      // A sync mostly waits for the network (up to FEED_TIMEOUT_SECONDS for a feed that hangs): several
      // at a time per process, and at most FEED_GROUP_LIMIT of one account's across all workers, so
      // that an account's slow feeds leave the other lanes to everyone else.
      lanes = services.jobs.workLanes('calendar.feed.sync', FEED_LANES, {
        batchSize: 1,
        groupConcurrency: FEED_GROUP_LIMIT,
        pollingIntervalSeconds: 2,
      }, async ([job]) => {
        if (!job) return;
        const em = forkEm();
        const [feed] = await em.execute<{ next_sync_at: Date | null }[]>('select next_sync_at from calendar_feed where calendar_id = ?', [job.data.calendarId]);
        // Gone, or superseded by a later schedule (a refresh or a changed interval sent a newer job).
        if (!feed || (feed.next_sync_at && new Date(feed.next_sync_at).getTime() > services.now().getTime() + EARLY_MS)) return;
        const outcome = await syncFeed(em, services, job.data.calendarId);
        services.log.debug({ calendarId: job.data.calendarId, ...outcome }, 'feed sync');
      });
      // pg-boss's cron runs it on one worker at a time (every 5 minutes; workers only schedule).
      await services.jobs.boss.schedule('calendar.feed.sweep', '*/5 * * * *', {});
      sweepId = await services.jobs.work('calendar.feed.sweep', { pollingIntervalSeconds: 30 }, async () => {
        const em = forkEm();
        await em.transactional(async (tx) => {
          const overdue = await tx.execute<{ calendar_id: string; account_id: string }[]>(
            `select calendar_id, account_id from calendar_feed where next_sync_at < now() - ${OVERDUE} and (lease_until is null or lease_until < now()) limit 500`);
          for (const { calendar_id: calendarId, account_id: accountId } of overdue) await scheduleNext(tx, services, calendarId, services.now(), accountId);
          if (overdue.length > 0) services.log.warn({ feeds: overdue.length }, 'feed syncs were overdue; rescheduled');
        });
      });
    },
    async stop() {
      await lanes?.stop().catch(() => undefined);
      if (sweepId) await services.jobs.boss.offWork('calendar.feed.sweep', { id: sweepId } as never).catch(() => undefined);
    },
  };
}
