import { PgBoss, fromKysely, type SendOptions, type WorkOptions, type Job, type JobInsert, type Queue } from 'pg-boss';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from './logger.ts';

/**
 * The job catalogue: queue name → payload. Features add their queues here so that every
 * `send` and `work` is checked against one definition.
 */
export type JobPayloads = {
  'tickler.noop': { reason: string };
  /** Fires one occurrence of a reminder; `version` is the reminder's scheduleVersion when sent. */
  'reminder.fire': { reminderId: string; version: number; forcedAt?: string };
  /** Delivers one occurrence on one channel; the job id is the reminder_delivery id. */
  'reminder.deliver': { deliveryId: string };
  /** Deliveries that gave up (retries exhausted or refused for good). */
  'reminder.deliver.dead': { deliveryId: string };
};
export type QueueName = keyof JobPayloads & string;

export type Jobs = {
  readonly boss: PgBoss;
  readonly running: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Creates (or updates the options of) a queue; idempotent. */
  ensureQueue(name: QueueName, options?: Omit<Queue, 'name'>): Promise<void>;
  /** Inserts a job inside the caller's transaction: a rollback removes it with the rows it belongs to. */
  send<Q extends QueueName>(em: EntityManager, name: Q, data: JobPayloads[Q], options?: Omit<SendOptions, 'db'>): Promise<string | null>;
  work<Q extends QueueName>(name: Q, options: WorkOptions, handler: (jobs: Job<JobPayloads[Q]>[]) => Promise<unknown>): Promise<string>;
  /** Inserts many jobs in one statement, inside the caller's transaction. */
  insert<Q extends QueueName>(em: EntityManager, name: Q, jobs: (Omit<JobInsert, 'data'> & { data: JobPayloads[Q] })[]): Promise<void>;
  /** Cancels jobs inside the caller's transaction (a rollback keeps them). */
  cancel(em: EntityManager, name: QueueName, ids: string[]): Promise<void>;
  /**
   * Deletes jobs inside the caller's transaction: a handler that records their outcome itself settles
   * them in the same commit (pg-boss's own completion afterwards then finds nothing to do).
   */
  remove(em: EntityManager, name: QueueName, ids: string[]): Promise<void>;
};

export type JobsOptions = {
  connectionString: string;
  log: Logger;
  /** Only worker processes supervise queues (maintenance, expiry); api processes just insert. */
  supervise: boolean;
  poolMax?: number;
};

export function createJobs(options: JobsOptions): Jobs {
  const { log } = options;
  const boss = new PgBoss({
    connectionString: options.connectionString,
    max: options.poolMax ?? 10,
    supervise: options.supervise,
    schedule: options.supervise,
    migrate: true,
  });
  boss.on('error', (error) => log.error({ err: error }, 'pg-boss error'));
  let running = false;
  let stopping: Promise<void> | undefined;

  return {
    boss,
    get running() {
      return running;
    },
    async start() {
      await boss.start();
      running = true;
    },
    stop() {
      stopping ??= (async () => {
        if (!running) return;
        running = false;
        // Graceful: waits for active handlers, then closes the pool.
        await boss.stop({ graceful: true, close: true, timeout: 20_000 });
      })();
      return stopping;
    },
    async ensureQueue(name, queueOptions) {
      const existing = await boss.getQueue(name);
      if (existing) await boss.updateQueue(name, queueOptions ?? {});
      else await boss.createQueue(name, queueOptions);
    },
    send(em, name, data, sendOptions) {
      return boss.send(name, data as object, { ...sendOptions, db: fromKysely(em.getKysely()) });
    },
    work(name, workOptions, handler) {
      return boss.work<JobPayloads[typeof name]>(name, workOptions, handler as never);
    },
    async insert(em, name, list) {
      if (list.length > 0) await boss.insert(name, list, { db: fromKysely(em.getKysely()) });
    },
    async cancel(em, name, ids) {
      if (ids.length > 0) await boss.cancel(name, ids, { db: fromKysely(em.getKysely()) });
    },
    async remove(em, name, ids) {
      if (ids.length > 0) await boss.deleteJob(name, ids, { db: fromKysely(em.getKysely()) });
    },
  };
}
