/**
 * The pg-boss side of retention: one scheduled job a day. pg-boss's cron sends it once per schedule
 * whatever the number of workers, and the queue holds one job at a time (singleton), so passes never
 * overlap; a pass that dies is simply run by the next one. Its payload is empty, so it goes through
 * pg-boss's own API rather than the typed catalogue of jobs.ts.
 */
import type { Services } from '../platform/services.ts';
import { runRetention, type Query, type RetentionOutcome } from './retention.ts';

export const RETENTION_QUEUE = 'history.retention';
/** Daily, at a quiet minute of the night (UTC). */
const RETENTION_CRON = '17 3 * * *';

export async function ensureRetentionQueue(services: Services): Promise<void> {
  // createQueue leaves an existing queue as it is.
  await services.jobs.boss.createQueue(RETENTION_QUEUE, { policy: 'singleton', retryLimit: 1, retryDelay: 600, expireInSeconds: 6 * 60 * 60 });
}

export type RetentionWorker = { start(): Promise<void>; stop(): Promise<void> };

export function createRetentionWorker(options: { services: Services; query: Query; onPass?: (outcome: RetentionOutcome) => void }): RetentionWorker {
  const { services, query } = options;
  let workerId: string | undefined;
  return {
    async start() {
      await services.jobs.boss.schedule(RETENTION_QUEUE, RETENTION_CRON, {});
      workerId = await services.jobs.boss.work(RETENTION_QUEUE, { pollingIntervalSeconds: 2 }, async () => {
        const outcome = await runRetention(query, services.now(), { retentionDays: services.config.historyRetentionDays });
        services.log.info({ ...outcome, retentionDays: services.config.historyRetentionDays }, 'history retention pass');
        options.onPass?.(outcome);
      });
    },
    async stop() {
      if (workerId) await services.jobs.boss.offWork(RETENTION_QUEUE, { id: workerId }).catch(() => undefined);
    },
  };
}
