import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
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
  /** Syncs one calendar feed (src/feeds/); a job finding the feed's next_sync_at later than now does nothing. */
  'calendar.feed.sync': { calendarId: string };
  /** Every 5 minutes: re-sends the sync job of any feed whose schedule was lost (a safety net). */
  'calendar.feed.sweep': Record<string, never>;
  /**
   * Delivers one occurrence on one channel; the job id is the reminder_delivery id. `firstAttempt`:
   * the attempt number this round of retries began with (a redelivery continues the history).
   */
  'reminder.deliver': { deliveryId: string; firstAttempt?: number };
};
export type QueueName = keyof JobPayloads & string;

export type Jobs = {
  readonly boss: PgBoss;
  readonly running: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Creates (or updates the options of) a queue; idempotent. */
  ensureQueue(name: QueueName, options?: Omit<Queue, 'name'>): Promise<void>;
  /** Gives a queue of jobs scheduled far ahead an index by due time (see DUE_INDEX); idempotent. */
  ensureDueIndex(name: QueueName): Promise<void>;
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
  /**
   * Claims up to `limit` due jobs of a queue inside the caller's transaction, locking their rows
   * (FOR UPDATE SKIP LOCKED) instead of marking them active. The claim is the transaction: the
   * caller removes the jobs it settles before committing, and if it rolls back or its process dies,
   * the lock goes with the connection and the jobs are due again at once — no expiry to wait for.
   */
  claimDue<Q extends QueueName>(em: EntityManager, name: Q, limit: number): Promise<{ id: string; data: JobPayloads[Q] }[]>;
};

export type JobsOptions = {
  connectionString: string;
  log: Logger;
  /** Only worker processes supervise queues (maintenance, expiry); api processes just insert. */
  supervise: boolean;
  poolMax?: number;
};

const SCHEMA = 'pgboss';
// Any 64-bit constant that no other code uses: one process at a time builds the index.
const DUE_INDEX_LOCK = 7_216_530_903;

/**
 * pg-boss fetches in (priority, created_on) order and filters on start_after, along an index in that
 * order. A queue of reminders holds mostly jobs due days or months later, created before the ones
 * due now, so every fetch — an empty poll too — walked all of them: 45 ms a poll with 200,000
 * pending, growing with every reminder scheduled. With this index PostgreSQL reads only the due
 * jobs and sorts those (0.2 ms for an empty poll, 21 ms to claim 1,000 of 201,000). It is ours,
 * added beside pg-boss's own on the queue's table, and built CONCURRENTLY so that writers go on.
 */
function dueIndexSql(table: string, index: string): string {
  return `create index concurrently ${index} on ${SCHEMA}.${table} (name, start_after) where state < 'active' and not blocked`;
}

/** The job table of a queue (pg-boss gives `partition: true` queues their own). */
async function jobTableOf(em: EntityManager, name: string): Promise<string> {
  const { rows: [queue] } = await fromKysely(em.getKysely()).executeSql(`select table_name from ${SCHEMA}.queue where name = $1`, [name]);
  const table = (queue as { table_name?: string } | undefined)?.table_name;
  if (!table || !/^[a-z0-9_]+$/.test(table)) throw new Error(`pg-boss queue ${name} has no job table we recognise`);
  return `${SCHEMA}.${table}`;
}

export function createJobs(options: JobsOptions): Jobs {
  const { log } = options;
  const tables = new Map<string, Promise<string>>();
  const boss = new PgBoss({
    schema: SCHEMA,
    connectionString: options.connectionString,
    max: options.poolMax ?? 10,
    supervise: options.supervise,
    // Expiry and lost heartbeats are found by the supervisor's monitor pass, every 60 s by default:
    // a delivery whose worker was killed would wait up to a minute after its heartbeat lapsed. Every
    // 10 s it runs again within seconds (README: a crash mid-delivery). Measured on a loaded 2-core
    // machine, a pass takes 0.15 s, 0.3 s with 100,000 fire jobs pending (it counts them): about 3 %
    // of a core in each supervising process instead of 0.5 %.
    superviseIntervalSeconds: 10,
    monitorIntervalSeconds: 10,
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
      if (!existing) return void (await boss.createQueue(name, queueOptions));
      const { partition: _fixedAtCreation, ...updatable } = queueOptions ?? {};
      await boss.updateQueue(name, updatable);
    },
    async ensureDueIndex(name) {
      // Its own session: CONCURRENTLY cannot run in a transaction, and the lock is held by the session.
      const client = new pg.Client({ connectionString: options.connectionString });
      await client.connect();
      try {
        // Polled, not waited for: a session waiting for the lock would be a transaction that the
        // other process's CREATE INDEX CONCURRENTLY in turn waits for.
        while (!(await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [DUE_INDEX_LOCK])).rows[0]!.locked) {
          await delay(100);
        }
        const { rows: [queue] } = await client.query<{ table_name: string }>(`select table_name from ${SCHEMA}.queue where name = $1`, [name]);
        if (!queue || !/^[a-z0-9_]+$/.test(queue.table_name)) throw new Error(`pg-boss queue ${name} has no job table we recognise`);
        const index = `tickler_due_${queue.table_name}`.slice(0, 63); // PostgreSQL's limit for a name
        const { rows: [existing] } = await client.query<{ valid: boolean }>(`
          select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = $1 and c.relname = $2`, [SCHEMA, index]);
        if (existing?.valid) return;
        // An interrupted CONCURRENTLY build leaves an invalid index behind: drop it and build again.
        if (existing) await client.query(`drop index concurrently ${SCHEMA}.${index}`);
        log.info({ queue: name, index }, 'building the due-time index on the queue\'s job table');
        await client.query(dueIndexSql(queue.table_name, index));
      } finally {
        await client.end().catch(() => undefined); // ending the session releases the lock
      }
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
    async claimDue(em, name, limit) {
      let table = tables.get(name);
      if (!table) {
        table = jobTableOf(em, name);
        tables.set(name, table);
        table.catch(() => tables.delete(name));
      }
      // The same rows pg-boss's fetch would take (queued, not blocked, due), along the due index.
      const { rows } = await fromKysely(em.getKysely()).executeSql(`
        select id, data from ${await table}
         where name = $1 and state < 'active' and not blocked and start_after <= now()
         order by start_after, id limit $2 for update skip locked`, [name, limit]);
      return rows as { id: string; data: JobPayloads[typeof name] }[];
    },
  };
}
