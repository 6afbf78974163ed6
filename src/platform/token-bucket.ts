/**
 * The arithmetic of Tickler's per-token rate limit, pure and with time passed in. The shared bucket
 * lives in PostgreSQL (rate-limit.ts runs the same refill and grant in one statement); each process
 * holds a small *lease* of tokens taken from it, so that most requests cost no round trip.
 */

export type RateSettings = Readonly<{ perSecond: number; burst: number }>;

/** A bucket: `tokens` available at instant `at` (ms). */
export type Bucket = Readonly<{ tokens: number; at: number }>;

/** The longest a lease is kept: tokens granted but not spent by then are dropped, not hoarded. */
export const LEASE_TTL_MS = 1000;

/** Whether the setting limits anything (0 in either turns the limit off). */
export function limits(settings: RateSettings): boolean {
  return settings.perSecond > 0 && settings.burst > 0;
}

/**
 * A full bucket after `now - at`: refilled at `perSecond`, capped at `burst`. Time never runs
 * backwards: a `now` older than `at` (another process's clock, a transaction that started earlier)
 * refills nothing and keeps `at`.
 */
export function refill(bucket: Bucket, now: number, settings: RateSettings): Bucket {
  const elapsed = Math.max(0, now - bucket.at) / 1000;
  return { tokens: Math.min(settings.burst, bucket.tokens + elapsed * settings.perSecond), at: Math.max(bucket.at, now) };
}

/** Takes up to `want` whole tokens from a (refilled) bucket: what is there, never more. */
export function grant(bucket: Bucket, want: number): { granted: number; bucket: Bucket } {
  const granted = Math.max(0, Math.min(want, Math.floor(bucket.tokens)));
  return { granted, bucket: { tokens: bucket.tokens - granted, at: bucket.at } };
}

/** A bucket seen for the first time is full. */
export function newBucket(now: number, settings: RateSettings): Bucket {
  return { tokens: settings.burst, at: now };
}

/**
 * The most tokens a process asks for at once: a tenth of the burst, at most 20, at least 1. Large
 * enough that a hot token costs a handful of statements a second, small enough that what processes
 * hold unspent stays a small part of the burst.
 */
export function leaseSize(settings: RateSettings): number {
  return Math.max(1, Math.min(20, Math.floor(settings.burst / 10)));
}

/** Milliseconds until a bucket holding `tokens` has `need` again (0 if it already has). */
export function msUntil(tokens: number, need: number, settings: RateSettings): number {
  return tokens >= need ? 0 : ((need - tokens) / settings.perSecond) * 1000;
}

/** `Retry-After`: whole seconds, at least 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * What one process holds for one token: tokens leased and not yet spent (until `expiresAt`), or a
 * refusal that stands until `refusedUntil` (the shared bucket was empty when last asked), and the size
 * of the last lease asked for.
 */
export type Lease = { remaining: number; expiresAt: number; refusedUntil: number; size: number };

export const NO_LEASE: Readonly<Lease> = Object.freeze({ remaining: 0, expiresAt: 0, refusedUntil: 0, size: 0 });

/** What the lease says about one more request now, without asking the database. */
export function decide(lease: Lease, now: number): 'allow' | 'refuse' | 'ask' {
  if (lease.remaining > 0 && now < lease.expiresAt) return 'allow';
  if (now < lease.refusedUntil) return 'refuse';
  return 'ask';
}

/**
 * How many tokens to ask for now: what this process spent of its last lease in one LEASE_TTL_MS.
 * A lease spent before it expired doubles the next (a hot token reaches `max` in a few round trips);
 * one that expired with tokens unspent shrinks to what was used. Tokens leased and not spent are lost
 * to every process, so a token used a little on each of many processes must not lease much on each.
 */
export function wantNow(lease: Lease, now: number, max: number): number {
  if (lease.size === 0) return 1;
  if (now < lease.expiresAt) return Math.min(max, lease.size * 2);
  return Math.max(1, Math.min(max, lease.size - lease.remaining));
}

/**
 * The lease after the database answered a request for `want` tokens with `granted` and `left` in the
 * shared bucket. Unspent tokens of an expired lease are gone. With nothing granted, the process does
 * not ask again before the bucket holds `max` tokens, and then asks for that many: an over-limit token
 * costs a few statements a second, not one per request.
 */
export function afterGrant(lease: Lease, now: number, want: number, granted: number, left: number, max: number, settings: RateSettings): Lease {
  const kept = now < lease.expiresAt ? lease.remaining : 0;
  if (granted > 0) return { remaining: kept + granted, expiresAt: now + LEASE_TTL_MS, refusedUntil: 0, size: want };
  return { remaining: kept, expiresAt: lease.expiresAt, refusedUntil: now + Math.max(1, msUntil(left, Math.min(max, settings.burst), settings)), size: max };
}

/** Whether an entry can be forgotten: nothing leased and no refusal standing. */
export function idle(lease: Lease, now: number): boolean {
  return now >= lease.expiresAt && now >= lease.refusedUntil;
}
