/**
 * Reminder use cases. Every function takes the caller's transaction (`em`): the row, its pg-boss job
 * and its notifications commit or roll back together.
 */
import { createHash, randomUUID } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../platform/services.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { Reminder, type Channel } from './reminder.entity.ts';
import { ReminderDelivery } from './occurrence.entity.ts';
import { checkWebhookTargets, parseCreateReminder, parseEventReminders, parseSnooze, parseUpdateReminder, type ValidationContext } from './reminder.input.ts';
import { dueNotices, fireJob, publishReminders, reminderNotices, scheduleFire, unscheduleFire, type FireJob } from './schedule.ts';
import { REMINDER_COLUMNS, toSnapshot, type ReminderRow } from './reminder.rows.ts';
import { jsonJobs } from '../platform/jobs.ts';
import type { Notice } from '../platform/pubsub.ts';
import { nextOccurrence, parseRecurrence } from './recurrence.ts';
import { eventMessage } from './event-message.ts';
import { armLimits, armParams, armSql, quotaExceededOf } from '../accounts/usage.ts';
import { pgArray, query } from '../platform/sql.ts';

function validationContext(services: Services): ValidationContext {
  return { now: services.now(), smtpConfigured: services.config.smtpUrl !== undefined, limits: services.config.limits };
}

/** Reminders in these statuses count against LIMIT_ACTIVE_REMINDERS (the usage trigger's list too). */
const ACTIVE_STATUSES: readonly string[] = ['SCHEDULED', 'PROCESSING', 'RETRIED'];

/**
 * Arms the active-reminder limit for the rest of the transaction when `reviving` reminders that do
 * not count now will count after it (a rescheduled SENT one, new ones): the usage trigger then refuses
 * the write that would go over. Nothing to arm, no round trip.
 */
async function armActiveReminders(em: EntityManager, services: Services, reviving: number): Promise<void> {
  if (reviving > 0) await armLimits(em, services.config.limits, ['activeReminders']);
}

/**
 * Creates a reminder and its fire job. `input.eventId`, if any, is the event's database id (the
 * resolver decodes the global id). With an idempotencyKey already used by the account, returns
 * the first reminder instead (also when two requests race: the loser reads the winner's row).
 *
 * The reminder, its job and its notices are written by one statement (insertReminder): atomic on its
 * own, so the resolver opens no transaction for it; given a transaction's `em`, it is part of that.
 */
export async function createReminder(em: EntityManager, services: Services, accountId: string, input: Record<string, unknown>): Promise<Reminder> {
  const key = typeof input.idempotencyKey === 'string' ? input.idempotencyKey.trim() : '';
  if (key) {
    const existing = await em.findOne(Reminder, { account: accountId, idempotencyKey: key });
    if (existing) return existing;
  }
  const account = await services.accounts.get(em, accountId);
  if (!account) throw new NotFoundError('account', accountId);
  const data = parseCreateReminder(input, account.timeZone, validationContext(services));
  await checkWebhookTargets(services.outbound, [{ path: ['input', 'channels'], channels: data.channels }]);
  const eventId = data.eventId === null ? null : await ownEventId(em, accountId, data.eventId);
  const id = randomUUID();
  const job = fireJob(id, 1, data.remindAt);
  const now = new Date();
  const values = {
    id,
    account: accountId,
    message: data.message,
    remindAt: data.remindAt,
    timeZone: data.timeZone,
    recurrence: data.recurrence,
    seriesStart: data.recurrence ? data.remindAt : null,
    seriesAt: null,
    snoozed: false,
    status: 'SCHEDULED' as const,
    firedAt: null,
    graceSeconds: data.graceSeconds,
    channels: data.channels,
    eventId,
    minutesBefore: null,
    idempotencyKey: data.idempotencyKey,
    scheduleVersion: 1,
    jobId: job.id!,
    lastOccurrenceId: null,
    createdAt: now,
    updatedAt: now,
  };
  const notices: Notice[] = [...dueNotices(services, [data.remindAt]), ['reminder:created', accountId, { ids: [id] }]];
  try {
    // Inside a caller's transaction, a savepoint: a lost idempotency race must not abort the caller's work.
    if (data.idempotencyKey && em.isInTransaction()) await em.transactional((tx) => insertReminder(tx, services, values, job, notices));
    else await insertReminder(em, services, values, job, notices);
  } catch (error) {
    const quota = quotaExceededOf(error, services.config.limits);
    if (quota) throw quota;
    if (!(data.idempotencyKey && isUniqueViolation(error))) throw error;
    return em.findOneOrFail(Reminder, { account: accountId, idempotencyKey: data.idempotencyKey });
  }
  // Known as written: handed to GraphQL as it is, like the subscriptions' snapshots (reminder.rows.ts);
  // nothing writes it back, so it is not put in the entity manager (its merge cost more than the insert's Node time).
  return { ...values, account: { id: accountId } } as unknown as Reminder;
}

/** A unique violation, as MikroORM reports it or as pg does (the prepared statement's path). */
function isUniqueViolation(error: unknown): boolean {
  return error instanceof UniqueConstraintViolationException || (error as { code?: unknown } | null)?.code === '23505';
}

type NewReminder = {
  id: string; account: string; message: string; remindAt: Date; timeZone: string; recurrence: string | null; seriesStart: Date | null;
  graceSeconds: number | null; channels: Channel[]; eventId: string | null; idempotencyKey: string | null; jobId: string; createdAt: Date; updatedAt: Date;
};

/**
 * The statement's text by job table (one per database: a constant), and its prepared statement's
 * name, which must name one text on every connection.
 */
const insertStatements = new Map<string, { name: string; text: string }>();

/**
 * One statement for the reminder row, its first fire job and its notices (delivered at its commit): a
 * single round trip where the ORM's flush, pg-boss's insert and each notice took one each, and a
 * transaction around them two more. (The commits of notifying transactions take turns on a lock
 * of PostgreSQL's, where 32 clients' createReminders now queue (README "Performance"); sending the
 * notices after the commit, batched across requests, would leave that queue, at the price of a notice
 * lost when the process dies between the commit and the send.)
 * The insert selects from `armed`, which arms the active-reminder limit first: the usage trigger,
 * at the end of the statement, refuses it (and so the job and notices too) over the limit.
 *
 * Outside a transaction it is a prepared statement run straight on the pool (atomic on its own):
 * PostgreSQL plans it once per connection instead of parsing and planning the CTEs for every
 * reminder, and the values travel as parameters rather than being quoted into the text by the ORM.
 */
async function insertReminder(em: EntityManager, services: Services, r: NewReminder, job: FireJob, notices: Notice[]): Promise<void> {
  const jobsSql = await services.jobs.insertSql(em, 'reminder.fire', '$16');
  let statement = insertStatements.get(jobsSql);
  const notify = services.pubsub.notices(notices, 17);
  if (!statement) {
    const text = `
    with armed as (select ${armSql(['activeReminders'], 1)}),
    reminder as (
      insert into reminder (id, account_id, message, remind_at, time_zone, recurrence, series_start, snoozed, status, grace_seconds,
                            channels, event_id, idempotency_key, schedule_version, job_id, created_at, updated_at)
      select $2::uuid, $3::uuid, $4::text, $5::timestamptz, $6::text, $7::text, $8::timestamptz, false, 'SCHEDULED', $9::int,
             $10::jsonb, $11::uuid, $12::text, 1, $13::uuid, $14::timestamptz, $15::timestamptz from armed),
    job as (${jobsSql})
    ${notify.sql}`;
    statement = { name: `tickler_create_reminder_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
    insertStatements.set(jobsSql, statement);
  }
  const values = [
    ...armParams(services.config.limits, ['activeReminders']),
    r.id, r.account, r.message, r.remindAt, r.timeZone, r.recurrence, r.seriesStart, r.graceSeconds,
    JSON.stringify(r.channels), r.eventId, r.idempotencyKey, r.jobId, r.createdAt, r.updatedAt,
    jsonJobs([job]),
    ...notify.params,
  ];
  if (em.isInTransaction()) {
    await query(em, statement.text, values);
    return;
  }
  const pool = await em.getConnection().getNativeClient();
  await pool.query({ name: statement.name, text: statement.text, values });
}

/** The event's id when it exists and belongs to the account (the calendar owns that table). */
async function ownEventId(em: EntityManager, accountId: string, id: string): Promise<string> {
  const globalId = id;
  const [{ exists } = { exists: null }] = await em.execute<{ exists: string | null }[]>(
    `select to_regclass('public.event')::text as exists`,
  );
  if (!exists) throw new NotFoundError('event', globalId);
  const rows = await em.execute('select 1 from event where id = ? and account_id = ?', [id, accountId]);
  if (rows.length === 0) throw new NotFoundError('event', globalId);
  return id;
}

/** The account's reminder, locked for the rest of the transaction; another account's is "not found". */
export async function lockReminder(em: EntityManager, accountId: string, id: string, globalId = id): Promise<Reminder> {
  const reminder = await em.findOne(Reminder, { id, account: accountId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!reminder) throw new NotFoundError('reminder', globalId);
  return reminder;
}

/**
 * Updates the reminder in the caller's transaction; a new time, zone or rule reschedules it (a new
 * series at remindAt, the old time's job cancelled). Raw statements rather than the unit of work: the
 * row is locked and read (one round trip), then written with its new job, the old job's cancel, the
 * notices and, when it becomes active again, the armed limit (one more): the ORM took four or five
 * and most of the request's CPU for hydrating and diffing one entity.
 */
export async function updateReminder(em: EntityManager, services: Services, accountId: string, id: string, input: Record<string, unknown>, globalId = id): Promise<Reminder> {
  const [row] = await query<ReminderRow & { job_id: string | null; schedule_version: number }>(em,
    `select ${REMINDER_COLUMNS}, r.job_id, r.schedule_version from reminder r where r.id = $1 and r.account_id = $2 for update`, [id, accountId]);
  if (!row) throw new NotFoundError('reminder', globalId);
  const reminder = toSnapshot(row);
  if (reminder.status === 'CANCELLED') throw ValidationError.field(['input', 'id'], 'the reminder is cancelled');
  const changes = parseUpdateReminder(input, reminder, validationContext(services));
  const notice: Notice = ['reminder:updated', accountId, { ids: [id] }];
  const now = new Date();
  const reschedules = changes.remindAt !== undefined || changes.timeZone !== undefined || changes.recurrence !== undefined;
  if (!reschedules) {
    // Like the unit of work's flush: a field given as it already is writes nothing (nor updatedAt).
    const message = changes.message !== undefined && changes.message !== reminder.message ? changes.message : undefined;
    const grace = changes.graceSeconds !== undefined && changes.graceSeconds !== reminder.graceSeconds ? changes.graceSeconds : undefined;
    const notify = services.pubsub.notices([notice], 1);
    if (message === undefined && grace === undefined) {
      await query(em, notify.sql, notify.params);
      return reminder;
    }
    const [updated] = await query<ReminderRow>(em, `
      with updated as (
        update reminder r set message = coalesce($3::text, r.message), grace_seconds = case when $4::boolean then $5::int else r.grace_seconds end, updated_at = $6::timestamptz
         where r.id = $7::uuid returning ${REMINDER_COLUMNS}),
      notified as (${notify.sql})
      select *, (select count(*) from notified) as notified from updated`,
    [...notify.params, message ?? null, grace !== undefined, grace ?? null, now, id]);
    return toSnapshot(updated!);
  }
  const remindAt = changes.remindAt ?? reminder.remindAt;
  const recurrence = changes.recurrence !== undefined ? changes.recurrence : reminder.recurrence;
  const version = Number(row.schedule_version) + 1;
  const job = fireJob(id, version, remindAt);
  const notify = services.pubsub.notices([...dueNotices(services, [remindAt]), notice], 1);
  // A reminder that had ended (SENT, MISSED…) is scheduled again: it counts once more, within the limit.
  const reviving = !ACTIVE_STATUSES.includes(reminder.status);
  // Parameters after the fixed ones ($1-$13): the armed limit's, then the old job's id.
  const cancel = row.job_id ? `cancelled as (${await services.jobs.cancelSql(em, 'reminder.fire', `$${reviving ? 15 : 14}`)}),` : '';
  const [updated] = await query<ReminderRow>(em, `
    with armed as (select ${reviving ? armSql(['activeReminders'], 14) : 'null::text'}),
    updated as (
      update reminder r set message = $3::text, grace_seconds = $4::int, remind_at = $5::timestamptz, time_zone = $6::text, recurrence = $7::text,
             series_start = $8::timestamptz, series_at = null, snoozed = false, status = 'SCHEDULED', schedule_version = $9::int, job_id = $10::uuid,
             updated_at = $11::timestamptz
        from armed where r.id = $12::uuid returning ${REMINDER_COLUMNS}),
    job as (${await services.jobs.insertSql(em, 'reminder.fire', '$13')}),
    ${cancel}
    notified as (${notify.sql})
    select *, (select count(*) from notified) as notified from updated`, [
    ...notify.params,
    changes.message ?? reminder.message, changes.graceSeconds !== undefined ? changes.graceSeconds : reminder.graceSeconds,
    remindAt, changes.timeZone ?? reminder.timeZone, recurrence, recurrence ? remindAt : null, version, job.id, now, id,
    jsonJobs([job]), ...(reviving ? armParams(services.config.limits, ['activeReminders']) : []),
    ...(row.job_id ? [pgArray([row.job_id])] : []),
  ]);
  return toSnapshot(updated!);
}

/**
 * Cancels the reminder: its job and its pending deliveries (and their jobs) are cancelled with it, and
 * every client hears reminder:updated. Idempotent: a cancelled reminder is returned as it is.
 *
 * One prepared statement on the pool, atomic on its own: it locks the row, and only if the reminder
 * was not cancelled yet writes the rest and the notice. It did the same as six round trips through
 * the ORM's unit of work (begin, lock, pg-boss's cancel, flush, notice, commit).
 */
export async function cancelReminder(em: EntityManager, services: Services, accountId: string, id: string, globalId = id): Promise<Reminder> {
  const fireJobs = await services.jobs.cancelSql(em, 'reminder.fire', '(select array_agg(job_id) from live where job_id is not null)');
  const deliveryJobs = await services.jobs.cancelSql(em, 'reminder.deliver', '(select coalesce(array_agg(id), \'{}\') from deliveries)');
  let statement = cancelStatements.get(fireJobs + deliveryJobs);
  const notify = services.pubsub.notices(reminderNotices('reminder:updated', [accountId, [id]]), 4);
  if (!statement) {
    const text = `
    with r as (select ${REMINDER_COLUMNS}, r.job_id, r.last_occurrence_id from reminder r where r.id = $1::uuid and r.account_id = $2::uuid for update),
    live as (select * from r where r.status <> 'CANCELLED'),
    updated as (
      update reminder t set status = 'CANCELLED', schedule_version = t.schedule_version + 1, job_id = null, updated_at = $3::timestamptz
        from live where t.id = live.id
      returning ${REMINDER_COLUMNS.replace(/\br\./g, 't.')}),
    fire_job as (${fireJobs}),
    deliveries as (
      -- Deliveries exist only for occurrences, and every firing records its occurrence on the reminder.
      update reminder_delivery d set status = 'CANCELLED'
        from reminder_occurrence o, live
       where live.last_occurrence_id is not null and o.reminder_id = live.id and d.occurrence_id = o.id and d.status in ('PENDING', 'RETRYING')
      returning d.id),
    delivery_jobs as (${deliveryJobs}),
    notified as (select 1 from live, lateral (${notify.sql}) n)
    select *, (select count(*) from notified) as notified from updated
    union all
    select ${REMINDER_COLUMNS.replace(/\br\./g, '')}, 0 from r where r.status = 'CANCELLED'`;
    statement = { name: `tickler_cancel_reminder_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
    cancelStatements.set(fireJobs + deliveryJobs, statement);
  }
  const pool = await em.getConnection().getNativeClient();
  const { rows: [row] } = await pool.query<ReminderRow>({ name: statement.name, text: statement.text, values: [id, accountId, new Date(), ...notify.params] });
  if (!row) throw new NotFoundError('reminder', globalId);
  return toSnapshot(row);
}

/** cancelReminder's statement by its job tables (constant per database). */
const cancelStatements = new Map<string, { name: string; text: string }>();

async function cancelLocked(em: EntityManager, services: Services, reminder: Reminder): Promise<void> {
  await unscheduleFire(em, services, reminder);
  reminder.scheduleVersion += 1;
  reminder.status = 'CANCELLED';
  // Deliveries exist only for occurrences, and every firing records its occurrence on the reminder:
  // one that never fired has none to cancel, and is spared the query.
  if (reminder.lastOccurrenceId == null) return;
  const pending = await em.find(ReminderDelivery, {
    occurrence: { reminder: reminder.id },
    status: { $in: ['PENDING', 'RETRYING'] },
  });
  for (const delivery of pending) delivery.status = 'CANCELLED';
  await services.jobs.cancel(em, 'reminder.deliver', pending.map((d) => d.id));
}

/**
 * Expires the reminder now through the same path as a due one: a fire job due now, which the worker
 * handles like any other (the workers are woken by the 'reminder:due' notification). The occurrence
 * is recorded as due at the moment of the request.
 */
export async function expireReminder(em: EntityManager, services: Services, accountId: string, id: string, globalId = id): Promise<Reminder> {
  const reminder = await lockReminder(em, accountId, id, globalId);
  if (reminder.status === 'CANCELLED') throw ValidationError.field(['id'], 'the reminder is cancelled');
  if (!reminder.jobId) throw ValidationError.field(['id'], 'the reminder has no pending occurrence: it has already fired');
  const now = services.now();
  await scheduleFire(em, services, reminder, now, { forcedAt: now });
  await em.flush();
  return reminder;
}

/**
 * Snoozes one occurrence to `until` (or now + minutes); the rest of the series is unchanged.
 * - While the occurrence that fired last is current (see FIRED_CURRENT_MS), the snooze postpones
 *   *that* occurrence: it fires again at `until`, and the series' next instant stays where it was.
 *   A one-shot that has fired is always its own current occurrence.
 * - Otherwise (nothing fired since the series was (re)scheduled, or what fired is no longer current)
 *   it applies to the next occurrence and only ever moves it later: it fires at the later of that
 *   occurrence and `until`. A snooze never fires an occurrence early nor drops the one after it (it
 *   once fired a Monday reminder on Thursday and lost Monday), and never repeats a stale one (a
 *   weekly reminder snoozed on Thursday repeated Monday's message).
 * - A snoozed firing that passes over the series' next instant delivers that instant too (late, once).
 */
export async function snoozeReminder(em: EntityManager, services: Services, accountId: string, id: string, input: { until?: Date | null; minutes?: number | null }, globalId = id): Promise<Reminder> {
  const reminder = await lockReminder(em, accountId, id, globalId);
  if (reminder.status === 'CANCELLED') throw ValidationError.field(['input', 'id'], 'the reminder is cancelled');
  const until = parseSnooze(input, validationContext(services));
  const target = snoozeTarget(reminder, until, services.now());
  await armActiveReminders(em, services, ACTIVE_STATUSES.includes(reminder.status) ? 0 : 1);
  reminder.seriesAt = target.seriesAt;
  reminder.snoozed = reminder.recurrence !== null;
  reminder.remindAt = target.at;
  reminder.status = 'SCHEDULED';
  await scheduleFire(em, services, reminder, target.at, { notices: [['reminder:updated', accountId, { ids: [reminder.id] }]] });
  await em.flush();
  return reminder;
}

/**
 * How long a series' fired occurrence stays the one a snooze repeats: 24 hours from the later of its
 * due time and when it fired, and never past the due time of the series' next occurrence. A snooze is
 * an answer to a reminder that just went off; days later, "again in 10 minutes" means the next one.
 */
const FIRED_CURRENT_MS = 24 * 3600_000;

/**
 * Which occurrence a snooze postpones and when it fires: the occurrence (a series instant: the one a
 * pending snoozed firing stands for, the latest fired one while current, or the next pending one)
 * fires at the later of itself and `until` (one that has fired, at `until`); `seriesAt` records the
 * instant that firing consumes, the series' next one when `at` reaches it.
 */
function snoozeTarget(reminder: Reminder, until: Date, now: Date): { at: Date; seriesAt: Date | null } {
  // A series' seriesAt is the instant its latest firing consumed (or a pending snoozed firing will);
  // without one, the series has not fired since it was (re)scheduled. A one-shot's remindAt is its
  // only occurrence; it has fired once it has no job.
  // An expireReminder consumes its instant early, so a fired one may lie ahead: it fires at `until`;
  // a pending snoozed firing before its own instant is such a one (an unfired one is never earlier).
  // A fired occurrence that is no longer current is left alone: the snooze is the next one's.
  const stale = reminder.recurrence !== null && !reminder.snoozed && reminder.seriesAt != null && !firedIsCurrent(reminder, reminder.seriesAt, now);
  const occurrence = reminder.recurrence && reminder.seriesAt && !stale ? reminder.seriesAt : reminder.remindAt;
  const firedLast = !reminder.recurrence ? reminder.jobId == null
    : reminder.snoozed ? reminder.seriesAt != null && reminder.remindAt.getTime() < reminder.seriesAt.getTime()
    : reminder.seriesAt != null && !stale;
  const at = !firedLast && occurrence.getTime() > until.getTime() ? occurrence : until;
  if (!reminder.recurrence || !reminder.seriesStart) return { at, seriesAt: reminder.seriesAt ?? null };
  const parsed = parseRecurrence(reminder.recurrence);
  const following = parsed.ok ? nextOccurrence(parsed.rule, reminder.seriesStart, reminder.timeZone, occurrence) : null;
  return { at, seriesAt: following && following.getTime() <= at.getTime() ? following : occurrence };
}

/** Whether a series' fired occurrence (due at `dueAt`) is still the one a snooze repeats at `now`. */
function firedIsCurrent(reminder: Reminder, dueAt: Date, now: Date): boolean {
  const firedAt = Math.max(dueAt.getTime(), reminder.firedAt?.getTime() ?? 0);
  return now.getTime() < firedAt + FIRED_CURRENT_MS && now.getTime() < reminder.remindAt.getTime();
}

// ─── For the calendar: reminders that belong to an event ──────────────────────────────────────

export type EventReminderArgs = {
  accountId: string;
  eventId: string;
  startsAt: Date;
  timeZone: string;
  reminders: { minutesBefore: number; channels?: Channel[] | null }[];
  /** The event's title: the reminders' message names it and the start in `timeZone` (eventMessage). */
  title?: string;
  /** An all-day event: the message names its day, not an hour. */
  allDay?: boolean;
  /** A fixed message instead; moving the event renders the title's message over it. */
  message?: string;
  /** `reminders` as checkEventReminders returned them, before the caller's transaction. */
  checked?: CheckedEventReminders;
};

export type CheckedEventReminders = { minutesBefore: number; channels: Channel[] }[];

/**
 * Parses an event's reminders and checks their webhook targets with the outbound guard, which
 * resolves host names (DNS, seconds at worst): call it before opening a transaction that locks
 * calendars or events, and hand the result to scheduleEventReminders as `checked`.
 */
export async function checkEventReminders(services: Services, reminders: EventReminderArgs['reminders']): Promise<CheckedEventReminders> {
  const specs = parseEventReminders(reminders, validationContext(services), ['input', 'reminders']);
  await checkWebhookTargets(services.outbound, specs.map((spec, i) => ({ path: ['input', 'reminders', i, 'channels'], channels: spec.channels })));
  return specs;
}

/**
 * Creates the event's reminders, each `minutesBefore` its start. One whose time has already passed
 * is not created (it is not fired late either). Validation errors name
 * ['input', 'reminders', i, …].
 */
export async function scheduleEventReminders(em: EntityManager, services: Services, args: EventReminderArgs): Promise<Reminder[]> {
  const specs = args.checked ?? await checkEventReminders(services, args.reminders);
  const now = services.now().getTime();
  const created: Reminder[] = [];
  await armActiveReminders(em, services, specs.filter((spec) => args.startsAt.getTime() - spec.minutesBefore * 60_000 >= now).length);
  for (const spec of specs) {
    const remindAt = new Date(args.startsAt.getTime() - spec.minutesBefore * 60_000);
    if (remindAt.getTime() < now) continue;
    const reminder = em.create(Reminder, {
      account: args.accountId,
      message: args.message ?? eventMessage(args.title ?? 'Event', args.startsAt, args.timeZone, args.allDay),
      remindAt,
      timeZone: args.timeZone,
      status: 'SCHEDULED',
      channels: spec.channels,
      eventId: args.eventId,
      minutesBefore: spec.minutesBefore,
    });
    await em.flush();
    await scheduleFire(em, services, reminder, remindAt);
    created.push(reminder);
  }
  await em.flush();
  if (created.length) await publishReminders(em, services, 'reminder:created', [args.accountId, created.map((r) => r.id)]);
  return created;
}

/**
 * Moves the event's pending reminders with it, keeping each one's minutesBefore, and renders their
 * message again from the event (in the same transaction: it never names the old time). One whose new
 * time has passed fires at once if the event is still ahead, and is cancelled if the event has started.
 */
export async function rescheduleEventReminders(em: EntityManager, services: Services, args: { accountId: string; eventId: string; startsAt: Date }): Promise<void> {
  const reminders = await lockEventReminders(em, args.accountId, args.eventId);
  const now = services.now();
  const moved: string[] = [];
  // A moved reminder that had ended (SENT, MISSED…) is scheduled again: it counts once more.
  const reviving = args.startsAt.getTime() > now.getTime()
    ? reminders.filter((r) => r.minutesBefore != null && r.status !== 'CANCELLED' && !ACTIVE_STATUSES.includes(r.status)).length
    : 0;
  await armActiveReminders(em, services, reviving);
  const event = reminders.length ? await eventTitle(em, args.eventId) : null;
  const title = event?.title ?? null;
  for (const reminder of reminders) {
    if (reminder.minutesBefore == null || reminder.status === 'CANCELLED') continue;
    if (args.startsAt.getTime() <= now.getTime()) {
      await cancelLocked(em, services, reminder);
    } else {
      const remindAt = new Date(Math.max(now.getTime(), args.startsAt.getTime() - reminder.minutesBefore * 60_000));
      reminder.remindAt = remindAt;
      if (title !== null) reminder.message = eventMessage(title, args.startsAt, reminder.timeZone, event?.allDay);
      reminder.status = 'SCHEDULED';
      reminder.snoozed = false;
      await scheduleFire(em, services, reminder, remindAt);
    }
    moved.push(reminder.id);
  }
  await em.flush();
  if (moved.length) await publishReminders(em, services, 'reminder:updated', [args.accountId, moved]);
}

/**
 * Renders the message of the event's pending reminders again (a rename, or a change between timed and
 * all-day that kept the start), without touching their times, statuses or snoozes.
 */
export async function retitleEventReminders(em: EntityManager, services: Services, args: { accountId: string; eventId: string; startsAt: Date }): Promise<void> {
  const reminders = await lockEventReminders(em, args.accountId, args.eventId);
  const event = reminders.length ? await eventTitle(em, args.eventId) : null;
  if (!event) return;
  const changed: string[] = [];
  for (const reminder of reminders) {
    if (reminder.minutesBefore == null || reminder.status !== 'SCHEDULED') continue;
    const message = eventMessage(event.title, args.startsAt, reminder.timeZone, event.allDay);
    if (message === reminder.message) continue;
    reminder.message = message;
    changed.push(reminder.id);
  }
  await em.flush();
  if (changed.length) await publishReminders(em, services, 'reminder:updated', [args.accountId, changed]);
}

/** Cancels every reminder of the event (their pending deliveries too). */
export async function cancelEventReminders(em: EntityManager, services: Services, args: { accountId: string; eventId: string }): Promise<void> {
  const reminders = await lockEventReminders(em, args.accountId, args.eventId);
  const cancelled: string[] = [];
  for (const reminder of reminders) {
    if (reminder.status === 'CANCELLED') continue;
    await cancelLocked(em, services, reminder);
    cancelled.push(reminder.id);
  }
  await em.flush();
  if (cancelled.length) await publishReminders(em, services, 'reminder:updated', [args.accountId, cancelled]);
}

function lockEventReminders(em: EntityManager, accountId: string, eventId: string): Promise<Reminder[]> {
  return em.find(Reminder, { account: accountId, eventId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { id: 'asc' } });
}

/** The event's title, as flushed in this transaction (the calendar owns that table). */
async function eventTitle(em: EntityManager, eventId: string): Promise<{ title: string; allDay: boolean } | null> {
  const [row] = await em.execute<{ title: string; all_day: boolean }[]>('select title, all_day from event where id = ?', [eventId]);
  return row ? { title: row.title, allDay: row.all_day } : null;
}
