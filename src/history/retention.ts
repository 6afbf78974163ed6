/**
 * History retention (README "History and retention"): what is deleted, in small batches of single
 * statements. Each batch commits on its own (autocommit), locks only the rows it deletes, skips rows
 * another transaction holds (FOR UPDATE SKIP LOCKED: a firing or a redelivery in progress keeps its
 * rows), and deletes rather than rewrites, so a pass never holds a long lock and never rewrites a table.
 *
 * Kept whatever their age: each reminder's most recent occurrence (reminder.last_occurrence_id: its
 * status and deliveries are the reminder's), an occurrence with a delivery still in flight (PENDING,
 * RETRYING), and one with a FAILED delivery attempted within the retention period — redeliver and
 * redeliverFailed take FAILED deliveries of any age, so their window is the retention period itself.
 *
 * `history_rows` in account_usage goes down in the statement that deletes: the usage triggers count
 * inserts only (Migration20261203120000_account_usage), and deliveries and attempts go by the foreign
 * keys' cascade, which no trigger of ours sees.
 */
import { syncWindow } from '../feeds/feed-schedule.ts';

/** Runs one parameterised statement ($1…) on its own (autocommit) and returns its rows. */
export type Query = <T>(text: string, values: unknown[]) => Promise<T[]>;

export type RetentionSettings = { retentionDays: number; batchSize?: number };

export type RetentionOutcome = {
  occurrences: number;
  /** Deliveries and attempts deleted with those occurrences (history_rows also counts them). */
  historyRows: number;
  cancelledReminders: number;
  feedEvents: number;
  batches: number;
  ms: number;
  /** The longest batch: the longest any row lock of the pass was held. */
  maxBatchMs: number;
};

const DAY_MS = 86_400_000;
/** Rows per statement: a batch takes milliseconds, so its locks are short. */
export const RETENTION_BATCH = 1000;

/**
 * One window of occurrence ids after `$1` (by primary key: a batch reads at most `$2` of them, kept or
 * not), the deletable ones among them locked and deleted, and their accounts' history_rows reduced by
 * the occurrences, deliveries and attempts they take with them.
 */
const OCCURRENCE_BATCH = `
  with win as (
    select id, fired_at from reminder_occurrence where id > $1 order by id limit $2),
  doomed as (
    select o.id, o.account_id from reminder_occurrence o join reminder r on r.id = o.reminder_id
     where o.id in (select id from win) and o.fired_at < $3
       and r.last_occurrence_id is distinct from o.id
       and not exists (select 1 from reminder_delivery d where d.occurrence_id = o.id and d.status in ('PENDING', 'RETRYING'))
       and not exists (select 1 from reminder_delivery d join delivery_attempt a on a.delivery_id = d.id
                        where d.occurrence_id = o.id and d.status = 'FAILED' and a.attempted_at >= $3)
     order by o.id for update of o skip locked),
  counted as (
    select account_id, sum(n)::bigint as n from (
      select account_id, count(*) as n from doomed group by account_id
      union all
      select x.account_id, count(*) from reminder_delivery d join doomed x on x.id = d.occurrence_id group by x.account_id
      union all
      select x.account_id, count(*) from delivery_attempt a join reminder_delivery d on d.id = a.delivery_id
        join doomed x on x.id = d.occurrence_id group by x.account_id) c
    group by account_id),
  gone as (
    delete from reminder_occurrence o using doomed x where o.id = x.id returning o.id),
  usage as (
    update account_usage u set history_rows = u.history_rows - c.n from counted c where u.account_id = c.account_id returning 1)
  select (select max(id) from win)::text as last, (select min(fired_at) from win) as "oldest",
         (select count(*) from gone)::int as deleted, (select coalesce(sum(n), 0) from counted)::int as rows,
         (select count(*) from usage)::int as accounts`;

/** Cancelled one-shot reminders, cancelled before `$1`; the reminder cascade takes (and counts) their history. */
const CANCELLED_BATCH = `
  delete from reminder where id in (
    select id from reminder where status = 'CANCELLED' and recurrence is null and updated_at < $1
     order by updated_at limit $2 for update skip locked)
  returning 1`;

/**
 * Feed events that ended before the sync window (the feed no longer mirrors them, so no sync brings
 * them back); an event an event reminder points at stays with it. Their occupancy and attachments go
 * by cascade (the attachment counter's delete trigger counts them).
 */
const FEED_EVENT_BATCH = `
  delete from event where id in (
    select e.id from event e
     where e.calendar_id in (select id from calendar where is_feed) and e.starts_at < $1 and e.ends_at < $1
       and not exists (select 1 from reminder r where r.event_id = e.id)
     limit $2 for update of e skip locked)
  returning 1`;

/** Deletes what has outlived its retention as of `now`, batch by batch. */
export async function runRetention(query: Query, now: Date, settings: RetentionSettings): Promise<RetentionOutcome> {
  const started = performance.now();
  const batch = settings.batchSize ?? RETENTION_BATCH;
  const cutoff = new Date(now.getTime() - settings.retentionDays * DAY_MS);
  const outcome: RetentionOutcome = { occurrences: 0, historyRows: 0, cancelledReminders: 0, feedEvents: 0, batches: 0, ms: 0, maxBatchMs: 0 };

  let after = '0';
  for (;;) {
    const [row] = await timed(outcome, () => query<{ last: string | null; oldest: Date | null; deleted: number; rows: number }>(OCCURRENCE_BATCH, [after, batch, cutoff]));
    outcome.occurrences += row!.deleted;
    outcome.historyRows += row!.rows;
    // Ids follow firing order: a window that begins inside the retention period ends the pass.
    if (row!.last === null || (row!.oldest && new Date(row!.oldest).getTime() >= cutoff.getTime())) break;
    after = row!.last;
  }
  outcome.cancelledReminders = await drain(query, CANCELLED_BATCH, [cutoff, batch], batch, outcome);
  outcome.feedEvents = await drain(query, FEED_EVENT_BATCH, [new Date(syncWindow(now.getTime(), 1).start), batch], batch, outcome);
  outcome.ms = Math.round(performance.now() - started);
  return outcome;
}

async function drain(query: Query, statement: string, values: unknown[], batch: number, outcome: RetentionOutcome): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await timed(outcome, () => query(statement, values));
    total += rows.length;
    if (rows.length < batch) return total;
  }
}

/** Runs one batch (again after a deadlock), counting it and its time. */
async function timed<T>(outcome: RetentionOutcome, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await retryingDeadlocks(run);
  outcome.batches += 1;
  outcome.maxBatchMs = Math.max(outcome.maxBatchMs, Math.round(performance.now() - started));
  return result;
}

/**
 * A batch meets firings and deliveries on account_usage rows, which they lock in another order; the
 * loser of a deadlock is rolled back whole, so the batch is simply run again.
 */
async function retryingDeadlocks<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt >= 5) throw error;
    }
  }
}
