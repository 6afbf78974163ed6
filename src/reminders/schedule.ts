/** Fire jobs and notifications, always inside the caller's transaction. */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobInsert } from 'pg-boss';
import type { Services } from '../platform/services.ts';
import type { Notice } from '../platform/pubsub.ts';
import { jsonJobs } from '../platform/jobs.ts';
import type { Reminder } from './reminder.entity.ts';

/** Reminders due within this horizon are announced to the workers' wake-up timers at once. */
export const WAKE_HORIZON_MS = 60_000;

/** Fire jobs retry quickly: a failure here is a database hiccup, not a user's problem. */
export const FIRE_JOB_OPTIONS = { retryLimit: 10, retryDelay: 1, retryBackoff: true, retryDelayMax: 30, expireInSeconds: 300 } as const;

export type FireJob = Omit<JobInsert, 'data'> & { data: { reminderId: string; version: number; forcedAt?: string } };

/** A fire job for the reminder's current version, due at `dueAt`. */
export function fireJob(reminderId: string, version: number, dueAt: Date, forcedAt?: Date): FireJob {
  return {
    id: randomUUID(),
    data: forcedAt ? { reminderId, version, forcedAt: forcedAt.toISOString() } : { reminderId, version },
    startAfter: dueAt,
    ...FIRE_JOB_OPTIONS,
  };
}

/**
 * (Re)schedules the reminder's next firing at `dueAt`: cancels the pending job, bumps the version (so
 * the old job would do nothing even if it ran) and inserts the new job — all in the caller's
 * transaction, in one statement with the wake-up notice and the caller's own `notices`.
 */
export async function scheduleFire(em: EntityManager, services: Services, reminder: Reminder, dueAt: Date, options: { forcedAt?: Date; notices?: Notice[] } = {}): Promise<void> {
  const previous = reminder.jobId;
  reminder.scheduleVersion += 1;
  const job = fireJob(reminder.id, reminder.scheduleVersion, dueAt, options.forcedAt);
  reminder.jobId = job.id!;
  const notices = [...dueNotices(services, [dueAt]), ...(options.notices ?? [])];
  const notify = notices.length ? services.pubsub.notices(notices) : { sql: 'select 1', params: [] };
  const cancel = previous ? `, cancelled as (${await services.jobs.cancelSql(em, 'reminder.fire')})` : '';
  await em.execute(`with job as (${await services.jobs.insertSql(em, 'reminder.fire')})${cancel} ${notify.sql}`, [
    jsonJobs([job]),
    ...(previous ? [[previous]] : []),
    ...notify.params,
  ]);
}

/** Cancels the pending fire job, if any; the reminder will not fire until scheduled again. */
export async function unscheduleFire(em: EntityManager, services: Services, reminder: Reminder): Promise<void> {
  if (reminder.jobId) await services.jobs.cancel(em, 'reminder.fire', [reminder.jobId]);
  reminder.jobId = null;
}

/** The notice that tells the workers' wake-up timers (on every process) of due times that are close, if any. */
export function dueNotices(services: Services, times: Date[]): Notice[] {
  const horizon = services.now().getTime() + WAKE_HORIZON_MS;
  const soon = times.filter((t) => t.getTime() <= horizon);
  if (soon.length === 0) return [];
  const earliest = new Date(Math.min(...soon.map((t) => t.getTime())));
  return [['reminder:due', 'workers', { at: earliest.toISOString() }]];
}

type IdTopic = 'reminder:created' | 'reminder:updated';
const IDS_PER_NOTIFICATION = 150; // 150 uuids ≈ 6 KB: under NOTIFY's 8000 bytes

/** Publishes reminder ids, grouped per account and chunked to fit NOTIFY, delivered at COMMIT. */
export async function publishReminders(em: EntityManager, services: Services, topic: IdTopic, byAccount: Map<string, string[]> | [string, string[]]) {
  await sendNotices(em, services, reminderNotices(topic, byAccount));
}

/** publishReminders' notices, to send with others. */
export function reminderNotices(topic: IdTopic, byAccount: Map<string, string[]> | [string, string[]]): Notice[] {
  const entries = byAccount instanceof Map ? [...byAccount] : [byAccount];
  return entries.flatMap(([accountId, ids]) => chunks(ids, IDS_PER_NOTIFICATION).map((chunk): Notice => [topic, accountId, { ids: chunk }]));
}

/** Notices in the caller's transaction, a few thousand per statement (one round trip for all accounts). */
export async function sendNotices(em: EntityManager, services: Services, notices: Notice[]): Promise<void> {
  for (const part of chunks(notices, 2000)) {
    const { sql, params } = services.pubsub.notices(part);
    await em.execute(sql, params);
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

export function groupBy<T>(items: T[], key: (item: T) => string, value: (item: T) => string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(value(item));
    else map.set(k, [value(item)]);
  }
  return map;
}
