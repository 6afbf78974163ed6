/**
 * Per-account usage and the limits that refuse writes over them (README "Limits and fairness").
 *
 * The counters live in `account_usage`, kept exact by statement-level triggers on the counted tables
 * (Migration20261203120000_account_usage). A write that may go over a limit *arms* it for its
 * transaction (a transaction-local setting); the trigger then refuses, with SQLSTATE TQ001, the
 * statement that would take the counter above it. The refusal is checked where the counter is
 * written, under its row lock, so concurrent writers of one account cannot overshoot, and a refused
 * statement leaves nothing behind (its rows, jobs and notices roll back with it).
 *
 * Counted: active reminders (status SCHEDULED, PROCESSING or RETRIED: not yet ended), calendar
 * feeds, API tokens not revoked, attachment bytes, and history rows (occurrences + deliveries +
 * attempts; no limit). Only mutations that create or revive what is counted arm a limit; firing,
 * deliveries and redeliveries are counted but never refused.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Limits } from '../platform/config.ts';
import { QuotaExceededError } from '../shared/errors.ts';

/** The limits a trigger can enforce, by their AccountLimits name, and the setting that arms each. */
const ARMED = {
  activeReminders: 'tickler.limit_active_reminders',
  calendarFeeds: 'tickler.limit_calendar_feeds',
  apiTokens: 'tickler.limit_api_tokens',
  attachmentBytes: 'tickler.limit_attachment_bytes',
} as const;
export type CountedLimit = keyof typeof ARMED;

/** The SQLSTATE the usage triggers raise; the error's `constraint` field is the limit's name. */
const QUOTA_SQLSTATE = 'TQ001';

/**
 * A SQL expression arming `names` for the current transaction (its value is ignored): put it in the
 * statement that writes, e.g. a CTE the insert selects from, to spend no round trip on it. Its
 * parameters are `?` placeholders, or `$firstParam`, `$firstParam+1`… when given.
 */
export function armSql(names: readonly CountedLimit[], firstParam?: number): string {
  return names.map((name, i) => `set_config('${ARMED[name]}', ${firstParam === undefined ? '?' : `$${firstParam + i}::text`}, true)`).join(', ');
}

export function armParams(limits: Limits, names: readonly CountedLimit[]): string[] {
  return names.map((name) => String(limits[name]));
}

/** Arms `names` for the rest of `em`'s transaction (one round trip; `em` must be in a transaction). */
export async function armLimits(em: EntityManager, limits: Limits, names: readonly CountedLimit[]): Promise<void> {
  if (!em.isInTransaction()) throw new Error('armLimits needs a transaction: a setting outside one lasts one statement');
  await em.execute(`select ${armSql(names)}`, armParams(limits, names));
}

/** The QuotaExceededError a usage trigger's refusal stands for; null for any other error. */
export function quotaExceededOf(error: unknown, limits: Limits): QuotaExceededError | null {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  if (!e || e.code !== QUOTA_SQLSTATE) return null;
  const name = (Object.keys(ARMED) as CountedLimit[]).find((n) => n === e.constraint);
  if (!name) return null;
  return new QuotaExceededError(name, limits[name]);
}

/** Runs `write`, turning a usage trigger's refusal into QuotaExceededError. */
export async function refusingOverLimits<T>(limits: Limits, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw quotaExceededOf(error, limits) ?? error;
  }
}

export type Usage = {
  activeReminders: number;
  calendarFeeds: number;
  apiTokens: number;
  attachmentBytes: number;
  historyRows: number;
};

const ZERO: Usage = { activeReminders: 0, calendarFeeds: 0, apiTokens: 0, attachmentBytes: 0, historyRows: 0 };

/** The account's counters: one primary-key read, whatever the size of its history. */
export async function usageOf(em: EntityManager, accountId: string): Promise<Usage> {
  const [row] = await em.execute<Record<string, string>[]>(`
    select active_reminders, calendar_feeds, api_tokens, attachment_bytes, history_rows
      from account_usage where account_id = ?`, [accountId]);
  if (!row) return ZERO; // an account that has never written anything counted
  return {
    activeReminders: Number(row.active_reminders),
    calendarFeeds: Number(row.calendar_feeds),
    apiTokens: Number(row.api_tokens),
    attachmentBytes: Number(row.attachment_bytes),
    historyRows: Number(row.history_rows),
  };
}
