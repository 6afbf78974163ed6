/** Validation of reminder inputs: every rule, each failure naming its field; pure (now is passed in). */
import { z } from 'zod';
import { QuotaExceededError, ValidationError, type FieldError } from '../shared/errors.ts';
import { isValidTimeZone } from '../shared/time-zone.ts';
import { timeZoneSchema } from '../shared/validation.ts';
import { gapShorterThan, validateRecurrence } from './recurrence.ts';
import type { RecurrenceRule } from './rrule.ts';
import { CHANNEL_KINDS, type Channel } from './reminder.entity.ts';
import type { OutboundGuard } from '../platform/outbound.ts';

export const MAX_MESSAGE = 2000;
const MAX_GRACE_SECONDS = 366 * 86_400;
const MAX_SNOOZE_MINUTES = 366 * 1440;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** The per-account limits that input alone can break (config `limits`); the defaults when left out. */
export type InputLimits = { channelsPerReminder: number; minRecurrenceSeconds: number };
const DEFAULT_INPUT_LIMITS: InputLimits = { channelsPerReminder: 10, minRecurrenceSeconds: 60 };

export type ValidationContext = { now: Date; smtpConfigured: boolean; limits?: InputLimits };

const messageSchema = z.string().trim().min(1, 'must not be empty').max(MAX_MESSAGE, `must be at most ${MAX_MESSAGE} characters`);
const dateSchema = z.date({ error: 'must be a date-time' });
const recurrenceSchema = z.string().trim().max(500, 'must be at most 500 characters');
const graceSchema = z.number().int().min(0, 'must not be negative').max(MAX_GRACE_SECONDS, 'must be at most a year');
const channelSchema = z.object({ kind: z.enum(CHANNEL_KINDS), target: z.string().trim().max(2000, 'must be at most 2000 characters') });

const createSchema = z.object({
  message: messageSchema,
  remindAt: dateSchema,
  timeZone: timeZoneSchema.nullish(),
  recurrence: recurrenceSchema.nullish(),
  channels: z.array(channelSchema).nullish(), // counted before parsing: checkChannelCount
  eventId: z.string().nullish(),
  idempotencyKey: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').nullish(),
  graceSeconds: graceSchema.nullish(),
});

export type CreateReminder = {
  message: string;
  remindAt: Date;
  timeZone: string;
  recurrence: string | null;
  channels: Channel[];
  eventId: string | null;
  idempotencyKey: string | null;
  graceSeconds: number | null;
};

/** Collects field errors from several checks and throws them together, so a client sees all at once. */
class Problems {
  readonly list: FieldError[] = [];
  add(path: (string | number)[], message: string) {
    this.list.push({ path: path.map(String), message });
  }
  zod(error: z.ZodError, root: string[]) {
    for (const issue of error.issues) this.add([...root, ...issue.path.map(String)], issue.message);
  }
  throwIfAny() {
    if (this.list.length > 0) throw new ValidationError(this.list);
  }
}

export function parseCreateReminder(input: unknown, defaultTimeZone: string, ctx: ValidationContext, root = ['input']): CreateReminder {
  checkChannelCount((input as { channels?: unknown } | null)?.channels, ctx);
  const problems = new Problems();
  const parsed = createSchema.safeParse(input);
  if (!parsed.success) {
    problems.zod(parsed.error, root);
    problems.throwIfAny();
  }
  const data = parsed.data!;
  const timeZone = data.timeZone ?? defaultTimeZone;
  checkNotPast(problems, [...root, 'remindAt'], data.remindAt, ctx.now);
  const recurrence = data.recurrence || null;
  if (recurrence) checkRecurrence(problems, [...root, 'recurrence'], recurrence, data.remindAt, timeZone, ctx);
  const channels = data.channels ?? [];
  checkChannels(problems, [...root, 'channels'], channels, ctx);
  problems.throwIfAny();
  return {
    message: data.message,
    remindAt: data.remindAt,
    timeZone,
    recurrence,
    channels,
    eventId: data.eventId ?? null,
    idempotencyKey: data.idempotencyKey ?? null,
    graceSeconds: data.graceSeconds ?? null,
  };
}

const updateSchema = z.object({
  message: messageSchema.nullish(),
  remindAt: dateSchema.nullish(),
  timeZone: timeZoneSchema.nullish(),
  recurrence: recurrenceSchema.nullish(),
  graceSeconds: graceSchema.nullish(),
});

export type ReminderChanges = {
  message?: string;
  remindAt?: Date;
  timeZone?: string;
  /** null removes the recurrence. */
  recurrence?: string | null;
  graceSeconds?: number | null;
};

/**
 * Validates an update against the reminder as it is. An explicit `recurrence: null` (or "") removes
 * the rule; a field left out stays as it is.
 */
export function parseUpdateReminder(
  input: Record<string, unknown>,
  current: { remindAt: Date; timeZone: string; recurrence?: string | null },
  ctx: ValidationContext,
): ReminderChanges {
  const problems = new Problems();
  const parsed = updateSchema.safeParse(input);
  if (!parsed.success) {
    problems.zod(parsed.error, ['input']);
    problems.throwIfAny();
  }
  const data = parsed.data!;
  const changes: ReminderChanges = {};
  if (data.message != null) changes.message = data.message;
  if (data.remindAt != null) changes.remindAt = data.remindAt;
  if (data.timeZone != null) changes.timeZone = data.timeZone;
  if ('recurrence' in input) changes.recurrence = data.recurrence || null;
  if ('graceSeconds' in input) changes.graceSeconds = data.graceSeconds ?? null;
  const reschedules = changes.remindAt !== undefined || changes.timeZone !== undefined || changes.recurrence !== undefined;
  if (reschedules) {
    const remindAt = changes.remindAt ?? current.remindAt;
    const path = ['input', 'remindAt'];
    if (remindAt.getTime() < ctx.now.getTime()) {
      problems.add(path, changes.remindAt ? 'must not be in the past' : 'the current remindAt has passed: give a new remindAt to reschedule');
    }
    const recurrence = changes.recurrence !== undefined ? changes.recurrence : current.recurrence ?? null;
    if (recurrence) checkRecurrence(problems, ['input', 'recurrence'], recurrence, remindAt, changes.timeZone ?? current.timeZone, ctx);
  }
  problems.throwIfAny();
  return changes;
}

/** `until` or `minutes` (exactly one) → the instant the reminder fires again. */
export function parseSnooze(input: { until?: Date | null; minutes?: number | null }, ctx: ValidationContext): Date {
  const problems = new Problems();
  const { until, minutes } = input;
  if ((until == null) === (minutes == null)) {
    problems.add(['input', until == null ? 'until' : 'minutes'], 'give exactly one of until and minutes');
  } else if (minutes != null) {
    if (!Number.isInteger(minutes) || minutes <= 0) problems.add(['input', 'minutes'], 'must be a whole number greater than 0');
    else if (minutes > MAX_SNOOZE_MINUTES) problems.add(['input', 'minutes'], 'must be at most a year');
  } else if (until && until.getTime() <= ctx.now.getTime()) {
    problems.add(['input', 'until'], 'must be in the future');
  }
  problems.throwIfAny();
  return until ?? new Date(ctx.now.getTime() + minutes! * 60_000);
}

export type EventReminderSpec = { minutesBefore: number; channels?: Channel[] | null };

/** Validates the reminders of a calendar event (paths under `root`, e.g. ['input', 'reminders']). */
export function parseEventReminders(specs: EventReminderSpec[], ctx: ValidationContext, root: (string | number)[]): { minutesBefore: number; channels: Channel[] }[] {
  for (const spec of specs) checkChannelCount(spec.channels, ctx);
  const problems = new Problems();
  const result = specs.map((spec, i) => {
    if (!Number.isInteger(spec.minutesBefore) || spec.minutesBefore <= 0) {
      problems.add([...root, i, 'minutesBefore'], 'must be a whole number greater than 0');
    } else if (spec.minutesBefore > MAX_SNOOZE_MINUTES) {
      problems.add([...root, i, 'minutesBefore'], 'must be at most a year');
    }
    const channels = (spec.channels ?? []).map((c) => ({ kind: c.kind, target: String(c.target ?? '').trim() }));
    checkChannels(problems, [...root, i, 'channels'], channels, ctx);
    return { minutesBefore: spec.minutesBefore, channels };
  });
  problems.throwIfAny();
  return result;
}

function checkNotPast(problems: Problems, path: string[], at: Date, now: Date) {
  if (at.getTime() < now.getTime()) problems.add(path, `must not be in the past (the server's time is ${now.toISOString()})`);
}

function checkRecurrence(problems: Problems, path: string[], text: string, start: Date, timeZone: string, ctx: ValidationContext) {
  if (!isValidTimeZone(timeZone)) return; // reported on timeZone already
  const result = validateRecurrence(text, start, timeZone);
  if (!result.ok) problems.add(path, result.message);
  else {
    const tooFrequent = recurrenceTooFrequent(result.rule, start, timeZone, (ctx.limits ?? DEFAULT_INPUT_LIMITS).minRecurrenceSeconds);
    if (tooFrequent) problems.add(path, tooFrequent);
  }
}

/**
 * Why a rule fires more often than `minSeconds` (MIN_RECURRENCE_SECONDS) apart, or null when it does
 * not; recurrencePreview gives the same message.
 */
export function recurrenceTooFrequent(rule: RecurrenceRule, start: Date, timeZone: string, minSeconds: number): string | null {
  const gap = gapShorterThan(rule, start, timeZone, minSeconds * 1000);
  if (gap === null) return null;
  return `fires ${formatSeconds(gap / 1000)} apart at the shortest; occurrences must be at least ${formatSeconds(minSeconds)} apart (MIN_RECURRENCE_SECONDS)`;
}

function formatSeconds(seconds: number): string {
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(3)} second${seconds === 1 ? '' : 's'}`;
}

/**
 * More channels than LIMIT_CHANNELS_PER_REMINDER is a QuotaExceededError, checked before any channel
 * is parsed or resolved: a list of thousands costs nothing.
 */
function checkChannelCount(channels: unknown, ctx: ValidationContext) {
  const limit = (ctx.limits ?? DEFAULT_INPUT_LIMITS).channelsPerReminder;
  if (Array.isArray(channels) && channels.length > limit) {
    throw new QuotaExceededError('channelsPerReminder', limit, `A reminder may have at most ${limit} channels (LIMIT_CHANNELS_PER_REMINDER); ${channels.length} were given`);
  }
}

function checkChannels(problems: Problems, path: (string | number)[], channels: Channel[], ctx: ValidationContext) {
  channels.forEach((channel, i) => {
    if (channel.kind === 'WEBHOOK' && !isHttpUrl(channel.target)) {
      problems.add([...path, i, 'target'], 'must be an http:// or https:// URL');
    }
    if (channel.kind === 'EMAIL') {
      if (!EMAIL.test(channel.target) || channel.target.length > 254) problems.add([...path, i, 'target'], 'must be an e-mail address');
      else if (!ctx.smtpConfigured) problems.add([...path, i, 'kind'], 'EMAIL delivery is not available: the server has no SMTP_URL');
    }
  });
}

/**
 * Refuses webhook targets that the outbound guard would not call (the server's own network,
 * credentials in the URL), each error naming its field. Asynchronous because the guard resolves
 * host names; run it after the synchronous parse.
 */
export async function checkWebhookTargets(guard: Pick<OutboundGuard, 'checkAll'>, groups: { path: (string | number)[]; channels: Channel[] }[]): Promise<void> {
  const problems = new Problems();
  // One call for the whole request: the guard resolves its names together, under one deadline.
  const webhooks = groups.flatMap(({ path, channels }) => channels.flatMap((channel, i) => (channel.kind === 'WEBHOOK' ? [{ path: [...path, i, 'target'], target: channel.target }] : [])));
  const refusals = await guard.checkAll(webhooks.map((w) => w.target));
  webhooks.forEach((webhook, i) => {
    if (refusals[i]) problems.add(webhook.path, refusals[i]);
  });
  problems.list.sort((a, b) => a.path.join('.').localeCompare(b.path.join('.'), 'en', { numeric: true }));
  problems.throwIfAny();
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
