/**
 * Tickler's one seam onto pg-boss's private schema. pg-boss is the job system (queues, workers,
 * retries, schedules, supervision) and Tickler goes through its public API wherever the measured
 * speed allows: queue settings, workers, `send` and `cancel`/`deleteJob` inside the caller's
 * transaction (its `db` option), jobs with options beyond what insertJobsSql writes.
 *
 * Written for pg-boss 12.38.0, schema version 46. Every identifier of pg-boss's schema that Tickler
 * names — the schema, its `queue`, `job` and per-queue tables, their columns, the job states and
 * their order, `job_now()` — and every statement Tickler runs against it is in this file, and only
 * here. At start, checkPgBossSchema refuses a pg-boss (package or installed schema) other than the
 * one written for, and a job table missing a column written here. test/integration/pgboss-contract.test.ts
 * runs each statement beside pg-boss's own operation and compares the rows and what a pg-boss worker
 * does with them next: run it after upgrading pg-boss, then raise PGBOSS_SCHEMA_VERSION.
 *
 * Why each statement is hand-written rather than pg-boss's API (figures from `npm run bench fire`
 * and `writes` on the 2-core bench machine):
 * - insertJobsSql: pg-boss's generic insert cost 1 ms of database CPU a job, this one about 0.4 ms;
 *   and it embeds in the statement that writes the reminder (`with job as (…)`), one round trip. Jobs
 *   asking for more than it writes go through pg-boss's `insert`.
 * - claimDueSql: firing claims the due jobs and locks their reminders in one statement, in the firing
 *   transaction, FOR UPDATE SKIP LOCKED without marking them active: a crash or a rollback leaves
 *   them due at once, with no expiry to wait for. pg-boss's `fetch` (with the caller's `db`) would do
 *   the same inside the transaction at the cost of one more UPDATE a job, but it takes jobs in
 *   (priority, created_on) order, along an index in that order, filtering on start_after: with
 *   reminders due months ahead created before the ones due now, every poll walked all pending jobs
 *   (45 ms a poll with 200,000 pending; 0.2 ms along the due index, see jobs.ts DUE_INDEX), and it
 *   cannot share a statement with the lock of the reminders.
 * - removeSql: the settled fire jobs are deleted in the same statement that inserts the next ones
 *   and takes the occurrence-order lock; `deleteJob` is the same DELETE (compared in the contract test).
 * - cancelSql: embedded in the statement that cancels a reminder; `cancel` is the same UPDATE.
 * - lockDueSql/retryLaterSql: a fire job whose firing failed alone is backed off in the firing worker's
 *   transaction, locked while its reminder is marked; pg-boss's `fail` needs the job active.
 * - jobsInStateSql, dueCountSql: reads (the next attempt of a delivery, the settling check of a
 *   redelivery, the due backlog gauge) over many ids in one statement; `getJobById` takes one id a
 *   round trip and `getQueueStats` counts every queued job, due or not.
 */
import { createRequire } from 'node:module';

/** The pg-boss release this seam was written for, and the schema version it installs. */
export const PGBOSS_VERSION = '12.38.0';
export const PGBOSS_SCHEMA_VERSION = 46;
/** The schema pg-boss is installed in (its `schema` option). */
export const PGBOSS_SCHEMA = 'pgboss';
/** pg-boss's `job_state` enum, in its declared order: `state < 'active'` means still queued. */
export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** The columns of pg-boss's job table that the statements here read or write. */
export const JOB_COLUMNS = [
  'id', 'name', 'data', 'priority', 'state', 'start_after', 'created_on', 'completed_on', 'group_id', 'group_tier',
  'expire_seconds', 'deletion_seconds', 'keep_until', 'retry_limit', 'retry_count', 'retry_delay', 'retry_backoff',
  'retry_delay_max', 'policy', 'dead_letter', 'heartbeat_seconds', 'blocked', 'blocking', 'pending_dependencies', 'output',
] as const;

const S = PGBOSS_SCHEMA;
const JOB_NOW = `${S}.job_now()`;

/** The installed pg-boss package's version and schema version (its package.json). */
export function installedPgBoss(): { version: string; schemaVersion: number } {
  const pkg = createRequire(import.meta.url)('pg-boss/package.json') as { version: string; pgboss: { schema: number } };
  return { version: pkg.version, schemaVersion: pkg.pgboss.schema };
}

export class PgBossContractError extends Error {
  override name = 'PgBossContractError';
}

type Execute = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Refuses (PgBossContractError) a pg-boss this seam was not written for: the package installed
 * beside Tickler, the schema version in the database, or a job table without a column used here.
 * `installed: false` when pg-boss has not created its schema yet (a fresh database, before migratePgBoss).
 */
export function checkPgBossPackage(): void {
  const pkg = installedPgBoss();
  if (pkg.schemaVersion !== PGBOSS_SCHEMA_VERSION) {
    throw new PgBossContractError(`pg-boss ${pkg.version} (schema version ${pkg.schemaVersion}) is installed, but Tickler's statements against pg-boss's tables `
      + `(src/platform/pgboss-seam.ts) were written for pg-boss ${PGBOSS_VERSION} (schema version ${PGBOSS_SCHEMA_VERSION}): `
      + 'install that version, or check the seam against the new one (test/integration/pgboss-contract.test.ts) and update it');
  }
}

/** The schema version pg-boss installed in the database, or null when it has not yet. */
export async function installedSchemaVersion(execute: Execute): Promise<number | null> {
  const [exists] = await execute(`select to_regclass('${S}.version') is not null as installed`);
  if (!exists?.installed) return null;
  const [row] = await execute(`select version from ${S}.version`);
  return row ? Number(row.version) : null;
}

/** Whether commands that pg-boss's migrations left to its background runner (its bam table) are still to run. */
export async function backgroundMigrationsPending(execute: Execute): Promise<boolean> {
  const [row] = await execute(`select to_regclass('${S}.bam') is not null and exists (select 1 from ${S}.bam where status in ('pending', 'in_progress')) as pending`);
  return Boolean(row?.pending);
}

export async function checkPgBossSchema(execute: Execute): Promise<void> {
  checkPgBossPackage();
  const version = await installedSchemaVersion(execute);
  if (version === null) throw new PgBossContractError(`pg-boss's schema "${S}" is not installed in this database: run \`npm run migrate\``);
  if (version !== PGBOSS_SCHEMA_VERSION) {
    throw new PgBossContractError(`the database's pg-boss schema is version ${version}, but this Tickler's statements against it `
      + `(src/platform/pgboss-seam.ts) were written for schema version ${PGBOSS_SCHEMA_VERSION} (pg-boss ${PGBOSS_VERSION}); `
      + (version > PGBOSS_SCHEMA_VERSION ? 'a newer Tickler has migrated it: run that version' : 'run `npm run migrate` with this version first'));
  }
  const columns = new Set((await execute(`
    select column_name from information_schema.columns where table_schema = '${S}' and table_name = 'job'`)).map((r) => r.column_name as string));
  const missing = JOB_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length) throw new PgBossContractError(`pg-boss's job table has no column ${missing.join(', ')}, which Tickler's statements use (src/platform/pgboss-seam.ts)`);
}

function checkName(name: string): string {
  if (!/^[a-z0-9._-]+$/.test(name)) throw new Error(`unexpected queue name ${name}`);
  return name;
}

function checkTable(table: string | undefined, name: string): string {
  if (!table || !/^[a-z0-9_]+$/.test(table)) throw new Error(`pg-boss queue ${name} has no job table we recognise`);
  return table;
}

/** The job table of a queue, qualified (pg-boss gives `partition: true` queues their own); `$1` is the queue name. */
export const QUEUE_TABLE_SQL = `select table_name from ${S}.queue where name = $1`;
export function qualifiedJobTable(tableName: string | undefined, name: string): string {
  return `${S}.${checkTable(tableName, name)}`;
}

/**
 * An INSERT of jobs into the queue's table that writes each row as pg-boss's own insert would (the
 * queue's settings fill in what a job leaves out; the defaults are pg-boss 12's, plans.js insertJobs,
 * for a queue without settings). Its one placeholder takes the jobs as a JSON array (see jsonJobs).
 */
export function insertJobsSql(table: string, name: string, placeholder = '?'): string {
  checkName(name);
  return `
    insert into ${table} (id, name, data, priority, start_after, created_on, group_id, group_tier, expire_seconds, deletion_seconds, keep_until,
                          retry_limit, retry_delay, retry_backoff, retry_delay_max, policy, dead_letter, heartbeat_seconds,
                          blocked, blocking, pending_dependencies)
    select coalesce(j.id, gen_random_uuid()), '${name}', j.data, 0, coalesce(j."startAfter", ${JOB_NOW}), ${JOB_NOW},
           j."groupId", j."groupTier",
           coalesce(j."expireInSeconds", q.expire_seconds, 900), coalesce(q.deletion_seconds, 604800),
           coalesce(j."startAfter", ${JOB_NOW}) + coalesce(q.retention_seconds, 1209600) * interval '1s',
           coalesce(j."retryLimit", q.retry_limit, 2), coalesce(j."retryDelay", q.retry_delay, 0),
           coalesce(j."retryBackoff", q.retry_backoff, false), coalesce(j."retryDelayMax", q.retry_delay_max),
           q.policy, q.dead_letter, q.heartbeat_seconds, false, false, 0
      from json_to_recordset(${placeholder}::json) as j (id uuid, data jsonb, "startAfter" timestamptz, "expireInSeconds" integer,
                                            "retryLimit" integer, "retryDelay" integer, "retryBackoff" boolean, "retryDelayMax" integer,
                                            "groupId" text, "groupTier" text)
      left join ${S}.queue q on q.name = '${name}'`;
}

/**
 * The rows pg-boss's fetch would take (queued, not blocked, due), in due order, locked SKIP LOCKED
 * rather than marked active; columns id, data, claimed_at (the database's clock as it took each).
 */
export function claimDueSql(table: string, name: string, limit: string, ids?: string): string {
  return `select id, data, clock_timestamp() as claimed_at from ${table}
      where name = '${checkName(name)}' and state < 'active' and not blocked and start_after <= now()${ids ? ` and id = any(${ids}::uuid[])` : ''}
      order by start_after, id limit ${limit} for update skip locked`;
}

/** What deleteJob runs; its placeholder takes a uuid[] array. */
export function removeSql(table: string, name: string, placeholder = 'array[?]'): string {
  return `delete from ${table} where name = '${checkName(name)}' and id = any(${placeholder}::uuid[])`;
}

/** What cancel runs; its placeholder takes a uuid[] array. */
export function cancelSql(table: string, name: string, placeholder = 'array[?]'): string {
  return `update ${table} set completed_on = ${JOB_NOW}, state = 'cancelled'
               where name = '${checkName(name)}' and id = any(${placeholder}::uuid[]) and state < 'completed'`;
}

/**
 * Locks one queued, due job ($1 its id), waiting for a transaction that holds it; columns data and
 * retry_count, the failures recorded so far (pg-boss counts a failure at the next claim: a job in
 * 'retry' has failed once more than its retry_count).
 */
export function lockDueSql(table: string, name: string): string {
  return `select data, retry_count + (state = 'retry')::int as retry_count from ${table}
         where name = '${checkName(name)}' and id = $1 and state < 'active' and start_after <= now() for update`;
}

/**
 * A failure of a queued job that Tickler holds (never marked active), recorded as pg-boss's fetch
 * then fail() would have left it: started_on set, retry_count one more if it had started before (the
 * fetch's count), state 'retry', the error as output; due again after $2 ms ($1 the job id, $3 the
 * message); returns start_after. A pg-boss worker then counts its attempts on from there.
 */
export function retryLaterSql(table: string, name: string): string {
  return `update ${table} set state = 'retry', retry_count = case when started_on is not null then retry_count + 1 else retry_count end,
               started_on = coalesce(started_on, ${JOB_NOW}),
               start_after = ${JOB_NOW} + $2 * interval '1 millisecond', output = jsonb_build_object('message', $3::text)
         where name = '${checkName(name)}' and id = $1 returning start_after`;
}

/** A queue's jobs in one state among ids ($1, uuid[]); columns id, start_after (the next attempt, for 'retry'). */
export function jobsInStateSql(name: string, state: JobState, placeholder = '$1'): string {
  if (!JOB_STATES.includes(state)) throw new Error(`unknown job state ${state}`);
  return `select id, start_after from ${S}.job where name = '${checkName(name)}' and state = '${state}' and id = any(${placeholder}::uuid[])`;
}

/** The count of a queue's jobs that are due and not yet taken (column due). */
export function dueCountSql(name: string): string {
  return `select count(*) as due from ${S}.job where name = '${checkName(name)}' and state < 'active' and not blocked and start_after <= now()`;
}

/**
 * Tickler's due-time index on a queue's job table (jobs.ts ensureDueIndex, which says why): whether
 * the index named $1 exists and is valid, dropping an invalid one, building it.
 */
export function indexStateSql(): string {
  return `select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = '${S}' and c.relname = $1`;
}
export function dropIndexSql(index: string): string {
  return `drop index concurrently ${S}.${index}`;
}
export function dueIndexSql(table: string, index: string): string {
  return `create index concurrently ${index} on ${S}.${checkTable(table, index)} (name, start_after) where state < 'active' and not blocked`;
}
