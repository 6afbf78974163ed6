/**
 * Every call that puts something in a chat goes through this queue: one FIFO per chat (so a chat
 * reads its messages in order), sent no faster than rate-limits.ts allows, retried after a 429's
 * retry_after instead of dropped. grammY has no such queue built in (its auto-retry and throttler
 * plugins are separate packages, and the throttler's Bottleneck queue knows nothing of our
 * "replayable" expiries), so this small scheduler holds the policy and rate-limits.ts the arithmetic.
 */
import { emptyLedger, pickNext, recordRetryAfter, recordSend, TELEGRAM_LIMITS, type Limits } from './rate-limits.ts';

export type Clock = {
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
};

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** Thrown to the callers of jobs that were still waiting when the queue stopped. */
export class QueueStoppedError extends Error {
  override name = 'QueueStoppedError';
}

type Job = {
  chatId: number;
  seq: number;
  /** A replayable job (an expiry, resumed from its cursor) is dropped on stop instead of drained. */
  replayable: boolean;
  run: () => Promise<unknown>;
  attempts: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
};

export type SendQueueOptions = {
  clock?: Clock;
  limits?: Limits;
  /** Whether (and after how long) a failed call is tried again; null: the caller gets the error. */
  retryOf?: (error: unknown, attempt: number) => Retry | null;
  /** Called as each call starts, with the time the limits counted it at (for logs and tests). */
  onStart?: (chatId: number, at: number) => void;
  /** Called when a call is to be tried again (for logs). */
  onRetry?: (chatId: number, retry: Retry, error: unknown) => void;
};

export class SendQueue {
  private readonly clock: Clock;
  private readonly limits: Limits;
  private readonly retryOf: (error: unknown, attempt: number) => Retry | null;
  private readonly onRetry: (chatId: number, retry: Retry, error: unknown) => void;
  private readonly onStart: (chatId: number, at: number) => void;
  private readonly ledger = emptyLedger();
  private readonly waiting = new Map<number, Job[]>();
  private readonly busy = new Set<number>();
  private readonly inFlight = new Set<Promise<void>>();
  private cancelTimer: (() => void) | null = null;
  private timerAt = Infinity;
  private seq = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: SendQueueOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.limits = options.limits ?? TELEGRAM_LIMITS;
    this.retryOf = options.retryOf ?? telegramRetry;
    this.onRetry = options.onRetry ?? (() => undefined);
    this.onStart = options.onStart ?? (() => undefined);
  }

  /** Runs `run` when `chatId` may receive a message; resolves with its result. */
  enqueue<T>(chatId: number, run: () => Promise<T>, options: { replayable?: boolean } = {}): Promise<T> {
    if (this.stopped) return Promise.reject(new QueueStoppedError('the send queue has stopped'));
    return new Promise<T>((resolve, reject) => {
      const job: Job = { chatId, seq: this.seq++, replayable: options.replayable ?? false, run, attempts: 0, resolve: resolve as (v: unknown) => void, reject };
      const list = this.waiting.get(chatId) ?? [];
      list.push(job);
      this.waiting.set(chatId, list);
      this.pump();
    });
  }

  /** Jobs waiting or in flight. */
  get size(): number {
    let n = this.busy.size;
    for (const list of this.waiting.values()) n += list.length;
    return n;
  }

  /**
   * Drops waiting replayable jobs (their expiries come back from the cursor on the next start),
   * lets the others finish for up to `drainMs`, and waits for calls in flight.
   */
  async stop(drainMs = 3000): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      for (const [chatId, list] of this.waiting) {
        const kept = list.filter((job) => {
          if (job.replayable) job.reject(new QueueStoppedError('the send queue has stopped'));
          return !job.replayable;
        });
        if (kept.length) this.waiting.set(chatId, kept);
        else this.waiting.delete(chatId);
      }
      this.pump();
    }
    if (this.size > 0) {
      let cancel = () => undefined as void;
      await Promise.race([new Promise<void>((resolve) => this.idleWaiters.push(resolve)), new Promise<void>((resolve) => (cancel = this.clock.setTimer(resolve, drainMs)))]);
      cancel();
    }
    for (const list of this.waiting.values()) for (const job of list) job.reject(new QueueStoppedError('the send queue has stopped'));
    this.waiting.clear();
    this.cancelTimer?.();
    this.cancelTimer = null;
    await Promise.all(this.inFlight);
  }

  private pump(): void {
    for (;;) {
      const heads = [...this.waiting]
        .filter(([chatId, list]) => list.length > 0 && !this.busy.has(chatId))
        .map(([chatId, list]) => ({ chatId, seq: list[0]!.seq }));
      const now = this.clock.now();
      const next = pickNext(this.ledger, heads, now, this.limits);
      if (!next) {
        if (this.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        return;
      }
      if (next.at > now) return this.wakeAt(next.at);
      this.start(next.chatId, now);
    }
  }

  private start(chatId: number, now: number): void {
    const list = this.waiting.get(chatId)!;
    const job = list.shift()!;
    if (!list.length) this.waiting.delete(chatId);
    this.busy.add(chatId);
    recordSend(this.ledger, chatId, now, this.limits);
    job.attempts += 1;
    this.onStart(chatId, now);
    const done = job
      .run()
      .then(job.resolve, (error: unknown) => {
        const retry = this.retryOf(error, job.attempts);
        // An expiry waits out any outage (it holds its chat's place); a reply gives up after a few tries.
        const givesUp = retry?.reason === 'transient' && !job.replayable && job.attempts >= MAX_REPLY_ATTEMPTS;
        if (!retry || givesUp || (this.stopped && job.replayable)) return job.reject(error);
        recordRetryAfter(this.ledger, chatId, this.clock.now(), retry.seconds);
        this.onRetry(chatId, retry, error);
        // Back at the head of its chat: the chat's order is kept.
        const again = this.waiting.get(chatId) ?? [];
        again.unshift(job);
        this.waiting.set(chatId, again);
      })
      .finally(() => {
        this.busy.delete(chatId);
        this.inFlight.delete(done);
        this.pump();
      });
    this.inFlight.add(done);
  }

  private wakeAt(at: number): void {
    if (this.cancelTimer && this.timerAt <= at) return;
    this.cancelTimer?.();
    this.timerAt = at;
    this.cancelTimer = this.clock.setTimer(() => {
      this.cancelTimer = null;
      this.timerAt = Infinity;
      this.pump();
    }, at - this.clock.now());
  }
}

export type Retry = { seconds: number; reason: 'rate-limit' | 'transient' };

const MAX_REPLY_ATTEMPTS = 5;

/**
 * A 429 is retried after its retry_after; a call that failed on the way (grammY's HttpError:
 * connection reset, timeout) or with a 5xx is retried with exponential backoff up to a minute, since
 * the message may never have arrived (it may also have, in which case it arrives twice: Telegram
 * has no idempotency key). Anything else (400, 403 blocked by the user…) will not get better.
 */
export function telegramRetry(error: unknown, attempt: number): Retry | null {
  const retryAfter = telegramRetryAfter(error);
  if (retryAfter !== null) return { seconds: retryAfter, reason: 'rate-limit' };
  const e = error as { name?: unknown; error_code?: unknown } | null;
  const transient = e?.name === 'HttpError' || (typeof e?.error_code === 'number' && e.error_code >= 500);
  return transient ? { seconds: Math.min(60, 2 ** (attempt - 1)), reason: 'transient' } : null;
}

/** retry_after of a Bot API 429 (grammY's GrammyError carries the answer's fields), else null. */
export function telegramRetryAfter(error: unknown): number | null {
  const e = error as { error_code?: unknown; parameters?: { retry_after?: unknown } } | null;
  if (!e || e.error_code !== 429) return null;
  const seconds = Number(e.parameters?.retry_after);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : 1;
}
