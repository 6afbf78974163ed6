import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { PgBoss, fromKysely, type SendOptions, type WorkOptions, type Job, type JobInsert, type Queue } from 'pg-boss';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from './logger.ts';
import * as seam from './pgboss-seam.ts';

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
  /** Daily: deletes history older than HISTORY_RETENTION_DAYS (src/history/). */
  'history.retention': Record<string, never>;
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
  /**
   * `lanes` workers of a queue, one job at a time each, started a polling interval / lanes apart so
   * that their polls stay spread over the interval (see Lanes). `ids` fills as they start.
   */
  workLanes<Q extends QueueName>(name: Q, lanes: number, options: WorkOptions, handler: (jobs: Job<JobPayloads[Q]>[]) => Promise<unknown>): Lanes;
  /**
   * Inserts many jobs in one statement, inside the caller's transaction: with insertSql's statement
   * when it writes all they ask for (the common case, 2.5× cheaper for the database), else pg-boss's.
   */
  insert<Q extends QueueName>(em: EntityManager, name: Q, jobs: (Omit<JobInsert, 'data'> & { data: JobPayloads[Q] })[]): Promise<void>;
  /**
   * An INSERT of jobs into the queue's table that writes each row as pg-boss's own insert would (the
   * queue's settings fill in what a job leaves out), for embedding in a larger statement — a row and
   * its job in one round trip, `with job as (<this>) …`. Its one placeholder (`?`) takes the jobs as
   * a JSON array of `{ id, data, startAfter, retryLimit, retryDelay, retryBackoff, retryDelayMax,
   * expireInSeconds, groupId, groupTier }` (see jsonJobs). It writes what pg-boss 12's insert writes, column for column
   * (test/integration/jobs.test.ts compares the two); pg-boss's generic statement cost 1 ms of
   * database CPU a job, this one about 0.4 ms.
   */
  insertSql(em: EntityManager, name: QueueName, placeholder?: string): Promise<string>;
  /**
   * A DELETE of the queue's jobs by id (what remove runs, for jobs not yet finished), to embed beside
   * insertSql; its one placeholder (`?` unless given) takes a uuid[] array.
   */
  removeSql(em: EntityManager, name: QueueName, placeholder?: string): Promise<string>;
  /**
   * The UPDATE that pg-boss 12's cancel runs, for embedding beside insertSql in a larger statement;
   * its one placeholder (`?` unless given) takes an array of job ids.
   */
  cancelSql(em: EntityManager, name: QueueName, placeholder?: string): Promise<string>;
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
   * `claimedAt` is the database's clock as it took each one (after its due time, by the claim's condition).
   */
  claimDue<Q extends QueueName>(em: EntityManager, name: Q, limit: number): Promise<{ id: string; data: JobPayloads[Q]; claimedAt: Date }[]>;
  /**
   * claimDue's statement (columns id, data, claimed_at), for embedding in a larger one; `limit` is its
   * placeholder, and `ids` (a uuid[] placeholder), when given, keeps the claim to those jobs.
   */
  claimDueSql(em: EntityManager, name: QueueName, limit: string, ids?: string): Promise<string>;
  /**
   * Locks one job that is still queued and due (waiting for a transaction that holds it, unlike
   * claimDue), in the caller's transaction; its `retryCount` counts the failures recorded so far.
   */
  lockDue<Q extends QueueName>(em: EntityManager, name: Q, id: string): Promise<{ data: JobPayloads[Q]; retryCount: number } | null>;
  /**
   * Records a failure of a queued job as pg-boss's fetch and fail() would have left it (state 'retry',
   * the error as output, retry_count as pg-boss counts: see seam.retryLaterSql) and makes it due again
   * after `delayMs`; returns that time.
   */
  retryLater(em: EntityManager, name: QueueName, id: string, delayMs: number, error: string): Promise<Date>;
};

/**
 * Workers of one queue started apart. pg-boss's localConcurrency starts its workers in the same tick,
 * and they then poll in step: their fetches run at the same instant, and each fetch's count of a
 * group's active jobs (groupConcurrency) misses the claims the others are making, so one group gets
 * several times its limit. Spread over the polling interval, each fetch sees the claims before it.
 */
export type Lanes = {
  readonly ids: readonly string[];
  /** Stops starting lanes and stops those started (waiting for their handlers). */
  stop(): Promise<void>;
};

export type JobsOptions = {
  connectionString: string;
  log: Logger;
  /** Only worker processes supervise queues (maintenance, expiry); api processes just insert. */
  supervise: boolean;
  poolMax?: number;
};

// Any 64-bit constant that no other code uses: one process at a time builds the index.
const DUE_INDEX_LOCK = 7_216_530_903;

/**
 * pg-boss fetches in (priority, created_on) order and filters on start_after, along an index in that
 * order. A queue of reminders holds mostly jobs due days or months later, created before the ones
 * due now, so every fetch — an empty poll too — walked all of them: 45 ms a poll with 200,000
 * pending, growing with every reminder scheduled. With this index PostgreSQL reads only the due
 * jobs and sorts those (0.2 ms for an empty poll, 21 ms to claim 1,000 of 201,000). It is ours,
 * added beside pg-boss's own on the queue's table, and built CONCURRENTLY so that writers go on.
 * None of pg-boss 12's indexes serves the claim's condition and order (seam.claimDueSql): with
 * 1,000,000 pending jobs created over a year, the claim's empty poll takes 0.03 ms along this index
 * and 293 ms without it, a sequential scan of the queue's table (`npm run bench history`, dueIndex;
 * only jobs all created at one instant let PostgreSQL 18 skip through pg-boss's (name, priority,
 * created_on, start_after) index instead).
 */
// dueIndexSql: in pgboss-seam.ts.

/** The job table of a queue (pg-boss gives `partition: true` queues their own). */
async function jobTableOf(em: EntityManager, name: string): Promise<string> {
  const { rows: [queue] } = await fromKysely(em.getKysely()).executeSql(seam.QUEUE_TABLE_SQL, [name]);
  return seam.qualifiedJobTable((queue as { table_name?: string } | undefined)?.table_name, name);
}

const PLAIN_JOB_KEYS = new Set(['id', 'data', 'startAfter', 'retryLimit', 'retryDelay', 'retryBackoff', 'retryDelayMax', 'expireInSeconds', 'group']);

/** Whether insertSql writes everything the job asks for (a date, not pg-boss's relative or zone-less startAfter). */
function isPlainJob(job: object): boolean {
  const { startAfter } = job as JobInsert;
  return Object.keys(job).every((key) => PLAIN_JOB_KEYS.has(key)) && (startAfter === undefined || startAfter instanceof Date);
}

/** Jobs as the JSON that insertSql's placeholder takes. */
export function jsonJobs(jobs: (Omit<JobInsert, 'data'> & { data: unknown })[]): string {
  return JSON.stringify(jobs.map((job) => ({
    id: job.id,
    data: job.data,
    startAfter: job.startAfter instanceof Date ? job.startAfter.toISOString() : job.startAfter,
    retryLimit: job.retryLimit,
    retryDelay: job.retryDelay,
    retryBackoff: job.retryBackoff,
    retryDelayMax: job.retryDelayMax,
    expireInSeconds: job.expireInSeconds,
    // pg-boss's insert flattens `group` to these two (manager.js insert), and so do we.
    groupId: job.group?.id,
    groupTier: job.group?.tier,
  })));
}

/**
 * Creates or migrates pg-boss's schema to the installed package's version: only where Tickler's own
 * migrations run (`npm run migrate`, or a starting process right after migrateWithLock), never in
 * every process (they start pg-boss with `migrate: false`). Refuses first, without touching the
 * database, a pg-boss package the seam was not written for, and a schema newer than it (a newer
 * Tickler migrated it). pg-boss serialises its own migrations with an advisory lock; its background
 * index builds (its `bam` table) of a migration are waited for before returning.
 */
export async function migratePgBoss(connectionString: string, log: Logger): Promise<void> {
  seam.checkPgBossPackage();
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const execute = async (sql: string) => (await client.query(sql)).rows as Record<string, unknown>[];
    const version = await seam.installedSchemaVersion(execute);
    if (version === seam.PGBOSS_SCHEMA_VERSION) return;
    if (version !== null && version > seam.PGBOSS_SCHEMA_VERSION) await seam.checkPgBossSchema(execute); // throws, saying why
    log.info({ from: version, to: seam.PGBOSS_SCHEMA_VERSION }, version === null ? 'installing pg-boss\'s schema' : 'migrating pg-boss\'s schema');
    const boss = new PgBoss({ schema: seam.PGBOSS_SCHEMA, connectionString, max: 2, supervise: false, schedule: false, migrate: true });
    boss.on('error', (error) => log.error({ err: error }, 'pg-boss error while migrating'));
    await boss.start();
    try {
      while (await seam.backgroundMigrationsPending(execute)) await delay(500);
    } finally {
      await boss.stop({ graceful: false, close: true });
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function createJobs(options: JobsOptions): Jobs {
  const { log } = options;
  const tables = new Map<string, Promise<string>>();
  // The same rows pg-boss's fetch would take (queued, not blocked, due), along the due index.
  const claimDueSql = async (em: EntityManager, name: QueueName, limit: string, ids?: string): Promise<string> =>
    seam.claimDueSql(await tableOf(em, name), name, limit, ids);
  const tableOf = (em: EntityManager, name: string): Promise<string> => {
    let table = tables.get(name);
    if (!table) {
      table = jobTableOf(em, name);
      tables.set(name, table);
      table.catch(() => tables.delete(name));
    }
    return table;
  };
  const boss = new PgBoss({
    schema: seam.PGBOSS_SCHEMA,
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
    // Only migratePgBoss (where Tickler's migrations run) changes pg-boss's schema: a process of an
    // older version must never find it migrated under itself by a newer one starting beside it.
    // With migrate: false, start() also refuses a schema version other than the package's.
    migrate: false,
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
      const connection = new pg.Client({ connectionString: options.connectionString });
      await connection.connect();
      try {
        await seam.checkPgBossSchema(async (sql, params) => (await connection.query(sql, params)).rows);
      } finally {
        await connection.end().catch(() => undefined);
      }
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
        const { rows: [queue] } = await client.query<{ table_name: string }>(seam.QUEUE_TABLE_SQL, [name]);
        seam.qualifiedJobTable(queue?.table_name, name);
        const index = `tickler_due_${queue!.table_name}`.slice(0, 63); // PostgreSQL's limit for a name
        const { rows: [existing] } = await client.query<{ valid: boolean }>(seam.indexStateSql(), [index]);
        if (existing?.valid) return;
        // An interrupted CONCURRENTLY build leaves an invalid index behind: drop it and build again.
        if (existing) await client.query(seam.dropIndexSql(index));
        log.info({ queue: name, index }, 'building the due-time index on the queue\'s job table');
        await client.query(seam.dueIndexSql(queue!.table_name, index));
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
    workLanes(name, lanes, workOptions, handler) {
      const ids: string[] = [];
      let stopped = false;
      const spacingMs = ((workOptions.pollingIntervalSeconds ?? 2) * 1000) / lanes;
      const starting = (async () => {
        for (let i = 0; i < lanes && !stopped; i++) {
          if (i > 0) await delay(spacingMs);
          if (!stopped) ids.push(await boss.work<JobPayloads[typeof name]>(name, { ...workOptions, localConcurrency: 1 }, handler as never));
        }
      })().catch((error) => {
        if (!stopped) log.error({ err: error, queue: name }, 'starting a worker lane failed');
      });
      return {
        ids,
        async stop() {
          stopped = true;
          await starting;
          if (ids.length > 0) await boss.offWork(name, { wait: true });
        },
      };
    },
    async insert(em, name, list) {
      if (list.length === 0) return;
      // pg-boss's own insert for options beyond what insertSql writes.
      if (!list.every(isPlainJob)) return void await boss.insert(name, list, { db: fromKysely(em.getKysely()) });
      await fromKysely(em.getKysely()).executeSql(seam.insertJobsSql(await tableOf(em, name), name, '$1'), [jsonJobs(list)]);
    },
    async cancel(em, name, ids) {
      if (ids.length > 0) await boss.cancel(name, ids, { db: fromKysely(em.getKysely()) });
    },
    async remove(em, name, ids) {
      if (ids.length > 0) await boss.deleteJob(name, ids, { db: fromKysely(em.getKysely()) });
    },
    async insertSql(em, name, placeholder) {
      return seam.insertJobsSql(await tableOf(em, name), name, placeholder);
    },
    async removeSql(em, name, placeholder) {
      return seam.removeSql(await tableOf(em, name), name, placeholder);
    },
    async cancelSql(em, name, placeholder) {
      return seam.cancelSql(await tableOf(em, name), name, placeholder);
    },
    claimDueSql,
    async lockDue(em, name, id) {
      const { rows: [row] } = await fromKysely(em.getKysely()).executeSql(seam.lockDueSql(await tableOf(em, name), name), [id]);
      const job = row as { data: JobPayloads[typeof name]; retry_count: number } | undefined;
      return job ? { data: job.data, retryCount: job.retry_count } : null;
    },
    async retryLater(em, name, id, delayMs, error) {
      const { rows: [row] } = await fromKysely(em.getKysely()).executeSql(seam.retryLaterSql(await tableOf(em, name), name), [id, delayMs, error]);
      return new Date((row as { start_after: Date | string }).start_after);
    },
    async claimDue(em, name, limit) {
      const { rows } = await fromKysely(em.getKysely()).executeSql(await claimDueSql(em, name, '$1'), [limit]);
      return (rows as { id: string; data: JobPayloads[typeof name]; claimed_at: Date | string }[])
        .map((row) => ({ id: row.id, data: row.data, claimedAt: new Date(row.claimed_at) }));
    },
  };
}
