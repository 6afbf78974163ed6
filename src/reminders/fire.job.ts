/**
 * The firing worker's handler: one transaction per batch of due fire jobs, whatever their number.
 * The transaction claims the due jobs itself (locked, not marked active), locks their reminders,
 * decides each firing (firing.ts), records the occurrences, moves recurring reminders to their next
 * occurrence with a new job, queues the channel deliveries, publishes one notification per account
 * and deletes the jobs it settled — all committed together. A crash or a rollback therefore leaves
 * every claimed job due, unlocked the moment its connection ends: nothing waits for an expiry.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobInsert } from 'pg-boss';
import type { Services } from '../platform/services.ts';
import { jsonJobs, type JobPayloads } from '../platform/jobs.ts';
import type { Channel, ReminderStatus } from './reminder.entity.ts';
import { decideFiring, type Firing, type FiringRow } from './firing.ts';
import { fireJob, groupBy, reminderNotices, sendNotices, type FireJob } from './schedule.ts';
import type { ExpiredRow } from './reminder.rows.ts';
import { pgArray, query, toDate, toDateOrNull } from '../platform/sql.ts';
import type { DeliveryRetryPolicy } from './delivery-retry.ts';

// Serialises the last step of firing transactions across workers until they commit, so occurrence
// ids (the replay cursor) are allocated in commit order: a client never sees id n+1 before n exists.
// It is taken after every row lock of the transaction, and firing transactions never wait for a row
// lock (jobs and reminders are taken SKIP LOCKED), so no firing transaction can wait for another
// that waits for it: no deadlock, not even over a stale duplicate job of one reminder.
const OCCURRENCE_ORDER_LOCK = 7_216_530_902;

export type FireOutcome = {
  /** Jobs claimed by this batch (settled, or left due because their reminder was busy). */
  claimed: number;
  /** Jobs whose firing threw on its own, found by splitting the batch: backed off or ended FAILED. */
  failed?: number;
  fired: number;
  missed: number;
  skipped: number;
  /** Jobs left due because another transaction held their reminder: try again at once. */
  deferred: number;
  next: Date[];
  deliveries: number;
  /** Lateness of each fired occurrence, for the metrics. */
  latenessMs: number[];
};

/** The claimed reminder: what the firing decides on, and what an expiry's notice carries besides. */
type Row = FiringRow & { id: string; accountId: string; channels: Channel[]; message: string; eventId: string | null; minutesBefore: number | null; createdAt: Date };
type FireJobRow = { id: string; data: JobPayloads['reminder.fire']; claimedAt: Date };

const NOTHING: FireOutcome = { claimed: 0, fired: 0, missed: 0, skipped: 0, deferred: 0, next: [], deliveries: 0, latenessMs: [] };

/** A reminder whose firing failed this many times on its own ends FAILED. */
export const FIRE_FAILURE_LIMIT = 5;

/** The wait before trying a reminder whose firing failed `failures` times: 1, 2, 4, 8 s. */
export function fireRetryDelayMs(failures: number): number {
  return 1000 * 2 ** Math.min(Math.max(failures - 1, 0), 20);
}

/**
 * Claims and fires up to `limit` due reminders in one transaction (`ids`: only those jobs). If the
 * batch throws for a reason other than the database being unreachable or busy, one of its reminders
 * may be the cause (a value the code chokes on, a constraint): the batch is split in halves fired at
 * once, each in its own transaction, and so on, so that every other reminder fires now and the one
 * that fails alone is backed off (isolate). A batch that succeeds costs nothing more.
 */
export async function fireDue(forkEm: () => EntityManager, services: Services, limit: number, delivery: DeliveryRetryPolicy, ids?: string[]): Promise<FireOutcome> {
  let claimed: string[] = [];
  try {
    return await forkEm().transactional(async (tx) => {
      const { jobs, rows } = await claimAndLock(tx, services, limit, ids);
      claimed = jobs.map((job) => job.id);
      if (jobs.length === 0) return NOTHING;
      return fireClaimed(tx, services, jobs, rows, delivery);
    });
  } catch (error) {
    if (claimed.length === 0 || isTransient(error)) throw error;
    return isolate(forkEm, services, delivery, claimed, error);
  }
}

async function isolate(forkEm: () => EntityManager, services: Services, delivery: DeliveryRetryPolicy, ids: string[], error: unknown): Promise<FireOutcome> {
  if (ids.length === 1) return backOff(forkEm(), services, ids[0]!, error);
  const half = Math.ceil(ids.length / 2);
  const parts = await Promise.allSettled([ids.slice(0, half), ids.slice(half)].map((part) => fireDue(forkEm, services, part.length, delivery, part)));
  const rejected = parts.find((part) => part.status === 'rejected');
  if (rejected) throw rejected.reason;
  return sumOutcomes(parts.map((part) => (part as PromiseFulfilledResult<FireOutcome>).value));
}

function sumOutcomes(outcomes: FireOutcome[]): FireOutcome {
  return outcomes.reduce((a, b) => ({
    claimed: a.claimed + b.claimed, failed: (a.failed ?? 0) + (b.failed ?? 0), fired: a.fired + b.fired, missed: a.missed + b.missed,
    skipped: a.skipped + b.skipped, deferred: a.deferred + b.deferred, next: [...a.next, ...b.next],
    deliveries: a.deliveries + b.deliveries, latenessMs: [...a.latenessMs, ...b.latenessMs],
  }), NOTHING);
}

/**
 * A job whose firing failed alone: its failure is recorded on the job (pg-boss's retry_count and
 * output) and it is due again after fireRetryDelayMs; at FIRE_FAILURE_LIMIT its reminder ends FAILED
 * with the error as failureReason, and nothing more is scheduled for it. Waits for the job's lock:
 * another lane that claimed it too finishes first, and a job it fired or backed off is left alone.
 */
async function backOff(em: EntityManager, services: Services, jobId: string, error: unknown): Promise<FireOutcome> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  const log = services.log.child({ component: 'reminders' });
  return em.transactional(async (tx) => {
    const job = await services.jobs.lockDue(tx, 'reminder.fire', jobId);
    if (!job) return NOTHING;
    const failures = job.retryCount + 1;
    const { reminderId } = job.data;
    if (failures < FIRE_FAILURE_LIMIT) {
      const at = await services.jobs.retryLater(tx, 'reminder.fire', jobId, fireRetryDelayMs(failures), message);
      services.metrics.fireFailure('retry');
      log.warn({ reminderId, jobId, failures, retryAt: at, error: message }, 'firing a reminder failed; its neighbours fired, it is tried again later');
      return { ...NOTHING, claimed: 1, failed: 1, next: [at] };
    }
    await services.jobs.remove(tx, 'reminder.fire', [jobId]);
    const [failed] = await query<{ accountId: string }>(tx, `
      update reminder set status = 'FAILED', failure_reason = $3, job_id = null, schedule_version = schedule_version + 1, updated_at = now()
       where id = $1 and job_id = $2 returning account_id as "accountId"`,
    [reminderId, jobId, `Firing failed ${failures} times; last error: ${message}`]);
    if (failed) await sendNotices(tx, services, reminderNotices('reminder:updated', groupBy([failed], (r) => r.accountId, () => reminderId)));
    services.metrics.fireFailure('failed');
    log.error({ reminderId, jobId, failures, error: message }, 'firing a reminder failed too often; the reminder is FAILED');
    return { ...NOTHING, claimed: 1, failed: 1 };
  });
}

// SQLSTATE classes that say nothing about the batch's data: connection, transaction rollback
// (serialization, deadlock), insufficient resources, operator intervention, system error.
const TRANSIENT_SQLSTATE = new Set(['08', '40', '53', '57', '58']);

/** Whether an error is the database being away or busy (every batch would fail) rather than this batch's content. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_SQLSTATE.has(code.slice(0, 2)) || code === '55P03';
  if (typeof code === 'string') return true; // a Node network error: ECONNREFUSED, ECONNRESET, ETIMEDOUT…
  return error instanceof Error && /connection|terminat|timeout|pool/i.test(error.message);
}

async function fireClaimed(tx: EntityManager, services: Services, jobs: FireJobRow[], rows: Map<string, Row | 'busy'>, delivery: DeliveryRetryPolicy): Promise<FireOutcome> {
  // The database's clock at the claim, one round trip fewer than asking it again.
  const now = new Date(Math.max(...jobs.map((job) => job.claimedAt.getTime())));
  const decided: { row: Row; firing: Exclude<Firing, { kind: 'skip' }> }[] = [];
  const settled: string[] = [];
  let skipped = 0;
  for (const job of jobs) {
    const row = rows.get(job.data.reminderId);
    if (row === 'busy') continue; // another transaction has it: the job stays due, unsettled
    settled.push(job.id);
    const firing = row ? decideFiring(row, { version: job.data.version, forcedAt: job.data.forcedAt ? new Date(job.data.forcedAt) : undefined }, now) : null;
    if (!row || !firing || firing.kind === 'skip') {
      skipped++;
      continue;
    }
    row.scheduleVersion += 1; // a second job for the same version in this batch is now stale
    decided.push({ row, firing });
  }
  const deferred = jobs.length - settled.length;
  // The settled jobs end with this commit: the occurrences are their record.
  if (decided.length === 0) {
    await services.jobs.remove(tx, 'reminder.fire', settled);
    return { ...NOTHING, claimed: jobs.length, skipped, deferred };
  }
  const nextJobs = decided.filter((d) => d.firing.next).map((d) => fireJob(d.row.id, d.row.scheduleVersion, d.firing.next!));
  const fired = decided.filter((d) => d.firing.kind === 'fire');
  const occurrenceIds = await recordFirings(tx, services, { settled, nextJobs, decided, fired }, now);
  const deliveries = await queueDeliveries(tx, services, decided, occurrenceIds, delivery);
  return {
    claimed: jobs.length,
    fired: fired.length,
    missed: decided.length - fired.length,
    skipped,
    deferred,
    next: nextJobs.map((job) => job.startAfter as Date),
    deliveries,
    latenessMs: fired.map((d) => d.firing.latenessMs),
  };
}

const REMINDER_COLUMNS = `id, account_id as "accountId", status, schedule_version as "scheduleVersion", remind_at as "remindAt",
  time_zone as "timeZone", recurrence, series_start as "seriesStart", series_at as "seriesAt", snoozed,
  grace_seconds as "graceSeconds", channels, jsonb_array_length(channels) as "channelCount",
  message, event_id as "eventId", minutes_before as "minutesBefore", created_at as "createdAt"`;

/**
 * Claims up to `limit` due fire jobs and locks their reminders that are free, in one statement. A
 * reminder held by another transaction (a mutation, or a batch with a duplicate job) is 'busy' rather
 * than waited for, and its job is tried again after that commits.
 */
async function claimAndLock(em: EntityManager, services: Services, limit: number, only?: string[]): Promise<{ jobs: FireJobRow[]; rows: Map<string, Row | 'busy'> }> {
  const result = await query<{ job: { id: string; data: FireJobRow['data']; claimed_at: string } | null; reminder: Row | null }>(em, `
    with claimed as (${await services.jobs.claimDueSql(em, 'reminder.fire', '$1', only ? '$2' : undefined)}),
    locked as (
      select ${REMINDER_COLUMNS} from reminder
       where id in (select (data->>'reminderId')::uuid from claimed)
       order by id for update skip locked)
    select row_to_json(c) as job, null::json as reminder from claimed c
    union all
    select null, row_to_json(l) from locked l`, only ? [limit, pgArray(only)] : [limit]);
  const jobs = result.flatMap(({ job }) => (job ? [{ id: job.id, data: job.data, claimedAt: new Date(job.claimed_at) }] : []));
  const locked = new Map<string, Row | 'busy'>(result.flatMap(({ reminder: row }) => (row ? [[row.id, {
    ...row,
    remindAt: toDate(row.remindAt),
    seriesStart: toDateOrNull(row.seriesStart),
    seriesAt: toDateOrNull(row.seriesAt),
    createdAt: toDate(row.createdAt),
    channelCount: Number(row.channelCount),
    channels: typeof row.channels === 'string' ? JSON.parse(row.channels) : row.channels,
  }] as const] : [])));
  const ids = [...new Set(jobs.map((job) => job.data.reminderId))];
  if (locked.size < ids.length) {
    // Missing: deleted (its job is stale and settled) or locked by someone else (busy).
    const existing = await query<{ id: string }>(em, 'select id from reminder where id = any($1::uuid[])', [pgArray(ids.filter((id) => !locked.has(id)))]);
    for (const { id } of existing) locked.set(id, 'busy');
  }
  return { jobs, rows: locked };
}

type Decided = { row: Row; firing: Exclude<Firing, { kind: 'skip' }> };

/**
 * Records the firings in one statement: the settled jobs are deleted and the next ones inserted, the
 * order lock is taken, then the occurrences are inserted (their ids, the replay cursors, drawn in
 * this order under the lock: the insert reads its rows joined with the lock's CTE), each reminder is
 * updated to point at its own, and every account's notices are sent (expiryNotices: the occurrence
 * ids are filled in by the statement that draws them). One round trip where the jobs and the lock,
 * the occurrences, and the notices took one each. Returns the occurrence id of each reminder.
 */
async function recordFirings(em: EntityManager, services: Services, batch: { settled: string[]; nextJobs: FireJob[]; decided: Decided[]; fired: Decided[] }, now: Date): Promise<Map<string, string>> {
  const { settled, nextJobs, decided, fired } = batch;
  const jobIds = new Map(nextJobs.map((job) => [job.data.reminderId, job.id!]));
  const insert = nextJobs.length ? `job as (${await services.jobs.insertSql(em, 'reminder.fire', '$20')}),` : '';
  const expiries = expiryNotices(fired, now);
  const updated = services.pubsub.encoded(reminderNotices('reminder:updated', groupBy(decided, (d) => d.row.accountId, (d) => d.row.id)));
  const inserted = await query<{ id: string; reminder_id: string }>(em, `
    with lk as (select pg_advisory_xact_lock($13)),
    removed as (${await services.jobs.removeSql(em, 'reminder.fire', '$14')}),
    ${insert}
    u as (
      select * from unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::int[], $5::text[], $6::text[], $7::boolean[],
                           $8::timestamptz[], $9::timestamptz[], $10::int[], $11::uuid[])
        with ordinality as u(id, account_id, due_at, lateness_ms, occurrence_status, status, fired, next, series_at, version, job_id, n)),
    o as (
      insert into reminder_occurrence (reminder_id, account_id, due_at, fired_at, lateness_ms, status)
      select u.id, u.account_id, u.due_at, $12, u.lateness_ms, u.occurrence_status from u cross join lk order by u.n
      returning id, reminder_id),
    updated as (
      update reminder r set
        status = u.status, fired_at = case when u.fired then $12 else r.fired_at end, remind_at = coalesce(u.next, r.remind_at),
        series_at = u.series_at, snoozed = false, schedule_version = u.version, job_id = u.job_id,
        last_occurrence_id = o.id, updated_at = $12, failure_reason = null
      from u join o on o.reminder_id = u.id
      where r.id = u.id),
    heads as (select * from unnest($15::text[]) with ordinality as h(head, k)),
    members as (select * from unnest($16::int[], $17::uuid[]) with ordinality as m(k, reminder_id, pos)),
    texts as (
      select h.k, h.head || coalesce((select json_agg(o.id::text order by m.pos) from members m join o on o.reminder_id = m.reminder_id where m.k = h.k)::text, '[]') || '}}' as p
        from heads h
      union all
      select cardinality($15::text[]) + t.k, t.p from unnest($18::text[]) with ordinality as t(p, k)),
    notified as (select pg_notify($19::text, x.p) from (select p from texts order by k) x)
    select id, reminder_id, (select count(*) from notified) as notices from o`, [
    pgArray(decided.map((d) => d.row.id)),
    pgArray(decided.map((d) => d.row.accountId)),
    pgArray(decided.map((d) => d.firing.dueAt)),
    pgArray(decided.map((d) => Math.min(d.firing.latenessMs, 2 ** 31 - 1))),
    pgArray(decided.map((d) => d.firing.occurrenceStatus)),
    pgArray(decided.map((d) => d.firing.reminderStatus satisfies ReminderStatus)),
    pgArray(decided.map((d) => (d.firing.kind === 'fire' ? 't' : 'f'))),
    pgArray(decided.map((d) => d.firing.next)),
    pgArray(decided.map((d) => d.firing.seriesAt)),
    pgArray(decided.map((d) => d.row.scheduleVersion)),
    pgArray(decided.map((d) => jobIds.get(d.row.id) ?? null)),
    now,
    OCCURRENCE_ORDER_LOCK,
    pgArray(settled),
    expiries.heads,
    pgArray(expiries.members.map((m) => m.notice)),
    pgArray(expiries.members.map((m) => m.reminderId)),
    updated.texts,
    updated.channel,
    ...(nextJobs.length ? [jsonJobs(nextJobs)] : []),
  ]);
  return new Map(inserted.map((row) => [row.reminder_id, String(row.id)]));
}

/** Expiries per notice (their ids: about 5 KB of NOTIFY's 8,000 bytes). */
const OCCURRENCES_PER_NOTICE = 400;
/** Expiries a notice carries whole, at most (and only while they stay under INLINE_BYTES). */
const INLINE_EXPIRIES = 10;
const INLINE_BYTES = 6000;

/**
 * The expiry notices of fired occurrences, per account and in chunks, as each notice's text up to its
 * `occurrenceIds` (`heads`, 1-based in `members[].notice`) and the reminders whose occurrence ids
 * complete it, in order: recordFirings draws the ids and closes each text. A notice of a few carries
 * the expiries themselves (ExpiredRow: the occurrence and its reminder as this transaction leaves them),
 * so the api processes hand them over without a load query; a larger one carries ids only, and each
 * process loads them once.
 */
function expiryNotices(fired: Decided[], now: Date): { heads: string[]; members: { notice: number; reminderId: string }[] } {
  const heads: string[] = [];
  const members: { notice: number; reminderId: string }[] = [];
  const byReminder = new Map(fired.map((d) => [d.row.id, d]));
  for (const [accountId, ids] of groupBy(fired, (d) => d.row.accountId, (d) => d.row.id)) {
    for (let i = 0; i < ids.length; i += OCCURRENCES_PER_NOTICE) {
      const chunk = ids.slice(i, i + OCCURRENCES_PER_NOTICE);
      let d: { rows?: ExpiredRow[] } = {};
      if (chunk.length <= INLINE_EXPIRIES) {
        const rows = chunk.map((id) => expiredRow(byReminder.get(id)!, now));
        if (Buffer.byteLength(JSON.stringify(rows)) <= INLINE_BYTES) d = { rows };
      }
      // The wire form of pubsub.ts ({ t, d }), cut before its closing braces: the statement appends
      // "occurrenceIds": [...] and closes it.
      const json = JSON.stringify({ t: `reminder:expired:${accountId}`, d });
      heads.push(`${json.slice(0, -2)}${d.rows ? ',' : ''}"occurrenceIds":`);
      for (const reminderId of chunk) members.push({ notice: heads.length, reminderId });
    }
  }
  return { heads, members };
}

function expiredRow({ row, firing }: Decided, now: Date): ExpiredRow {
  const at = now.toISOString();
  return {
    occurrenceAt: firing.dueAt.toISOString(),
    firedAt: at,
    latenessMs: Math.min(firing.latenessMs, 2 ** 31 - 1),
    reminder: {
      id: row.id, accountId: row.accountId, message: row.message, remindAt: (firing.next ?? row.remindAt).toISOString(), timeZone: row.timeZone,
      recurrence: row.recurrence, status: firing.reminderStatus, firedAt: at, graceSeconds: row.graceSeconds, channels: row.channels,
      eventId: row.eventId, minutesBefore: row.minutesBefore, createdAt: row.createdAt.toISOString(), updatedAt: at,
    },
  };
}

/** One reminder_delivery row and one pg-boss job (same id) per channel of each fired occurrence. */
async function queueDeliveries(em: EntityManager, services: Services, decided: Decided[], occurrenceIds: Map<string, string>, delivery: DeliveryRetryPolicy): Promise<number> {
  const rows: { id: string; accountId: string; occurrenceId: string; index: number; channel: Channel }[] = [];
  for (const { row, firing } of decided) {
    if (firing.kind !== 'fire') continue;
    row.channels.forEach((channel, index) => rows.push({ id: randomUUID(), accountId: row.accountId, occurrenceId: occurrenceIds.get(row.id)!, index, channel }));
  }
  if (rows.length === 0) return 0;
  await query(em, `
    insert into reminder_delivery (id, occurrence_id, channel_index, kind, target, status, attempts)
    select id, occurrence_id, channel_index, kind, target, 'PENDING', 0
      from unnest($1::uuid[], $2::bigint[], $3::int[], $4::text[], $5::text[]) as u(id, occurrence_id, channel_index, kind, target)`, [
    rows.map((r) => r.id), rows.map((r) => r.occurrenceId), rows.map((r) => r.index), rows.map((r) => r.channel.kind), rows.map((r) => r.channel.target),
  ]);
  const jobs: (Omit<JobInsert, 'data'> & { data: JobPayloads['reminder.deliver'] })[] = rows.map((r) => ({
    id: r.id,
    data: { deliveryId: r.id },
    ...delivery.job,
    // The account is the job's group: the delivery worker runs only a few of one account's at a time.
    group: { id: r.accountId },
  }));
  await services.jobs.insert(em, 'reminder.deliver', jobs);
  return rows.length;
}
