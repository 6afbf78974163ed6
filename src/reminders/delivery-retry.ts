/**
 * The delivery retry policy, written once: how many attempts a round of delivery makes, the backoff
 * between them, and the limits pg-boss holds a delivery job to. Firing (a round's first job),
 * redelivery (a later round's job) and the delivery worker (its queue, and the handler's decision
 * that an attempt was the last) all take it from here.
 */
import type { Config } from '../platform/config.ts';

/**
 * A delivery job's claim lapses this long after its worker stopped refreshing it (killed): pg-boss's
 * supervisor then retries it. 10 s is pg-boss's minimum; the handler refreshes every 5 s.
 */
export const DELIVER_HEARTBEAT_SECONDS = 10;

/** A delivery job's pg-boss expiry: an attempt (webhook 10 s, e-mail see SMTP_TIMEOUTS) ends well before. */
export const DELIVER_EXPIRE_SECONDS = 120;

/** Room in a delivery job's retry limit for retries that crashes cost without recording an attempt. */
const CRASH_RETRIES = 3;

/** The longest wait between two attempts, however far the backoff has doubled. */
const MAX_RETRY_DELAY_SECONDS = 3600;

/** pg-boss's options of a delivery job: retried with exponential backoff and jitter (pg-boss's own). */
export type DeliveryJobOptions = Readonly<{
  retryLimit: number;
  retryDelay: number;
  retryBackoff: true;
  retryDelayMax: number;
  expireInSeconds: number;
}>;

export type DeliveryRetryPolicy = Readonly<{
  /** Retries after a round's first attempt (WEBHOOK_RETRIES): the handler's own count ends a round. */
  retries: number;
  /** What every delivery job is inserted with. */
  job: DeliveryJobOptions;
}>;

export function deliveryRetryPolicy(config: Pick<Config, 'webhookRetries' | 'webhookRetryDelaySeconds'>): DeliveryRetryPolicy {
  const retryDelay = config.webhookRetryDelaySeconds;
  return {
    retries: config.webhookRetries,
    job: {
      // The handler's attempt count ends a round first; the job's limit only ends one that crashes used up.
      retryLimit: config.webhookRetries + CRASH_RETRIES,
      retryDelay,
      retryBackoff: true,
      retryDelayMax: Math.max(retryDelay, MAX_RETRY_DELAY_SECONDS),
      expireInSeconds: DELIVER_EXPIRE_SECONDS,
    },
  };
}

/** The delivery queue's options: the policy's retries, and the heartbeat that frees a killed worker's claim. */
export function deliveryQueueOptions(policy: DeliveryRetryPolicy) {
  const { retryLimit, retryDelay, retryBackoff } = policy.job;
  return { retryLimit, retryDelay, retryBackoff, heartbeatSeconds: DELIVER_HEARTBEAT_SECONDS };
}

/**
 * Whether an attempt is a round's last: our own count decides, from the attempt the round began with
 * (1, or where a redelivery took over). A worker killed mid-attempt costs pg-boss a retry (heartbeat)
 * but records no attempt, so the job's retry limit has room for that and only ends the round if
 * crashes used it all up.
 */
export function isLastAttempt(policy: DeliveryRetryPolicy, attempt: number, job: { firstAttempt?: number; retryCount: number; retryLimit: number }): boolean {
  return attempt - (job.firstAttempt ?? 1) >= policy.retries || job.retryCount >= job.retryLimit;
}
