/**
 * Per API token request rate (RATE_LIMIT_PER_SECOND sustained, RATE_LIMIT_BURST at once), one token
 * bucket per token shared by every process through PostgreSQL (`rate_limit_bucket`).
 *
 * A process does not ask the database per request: it leases tokens with one upsert that refills the
 * bucket by the time elapsed and grants what is there, and spends them locally for at most
 * LEASE_TTL_MS. A lease is sized to what the process spent of its last one, up to `leaseSize` (20 by
 * default), so a hot token costs a few statements a second and a token used a little on many processes
 * wastes little. Requests are only accepted from granted tokens, so all processes together never accept
 * more than burst + rate × t; in any window they may exceed burst + rate × window by what they leased
 * just before it (at most one lease per process). When the bucket is empty the process refuses
 * locally, without a round trip, until a whole lease has refilled.
 *
 * Exempt: the admin token and unauthenticated requests (refused as UNAUTHENTICATED anyway), and
 * everything but GraphQL operations (health, readiness, the console's and GraphiQL's assets).
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { viewerOfRequest, type Identify } from './connection-auth.ts';
import type { Logger } from './logger.ts';
import {
  NO_LEASE, afterGrant, decide, idle, leaseSize, limits, retryAfterSeconds, wantNow,
  type Lease, type RateSettings,
} from './token-bucket.ts';

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export type RateLimiter = {
  readonly settings: RateSettings;
  /** One request of the API token `tokenId`; answers without a round trip while a lease lasts. */
  take(tokenId: string): RateDecision | Promise<RateDecision>;
  /** Forgets idle local entries and deletes idle bucket rows; runs every few minutes once started. */
  sweep(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
};

/** Runs one parameterised statement ($1, $2 …); the ORM's pg pool in production. */
export type Query = (text: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

export type RateLimiterOptions = {
  settings: RateSettings;
  query: Query;
  log: Logger;
  /** A monotonic clock in ms for the local leases (the shared bucket runs on the database's clock). */
  now?: () => number;
  /** Bucket rows idle longer than this are deleted (they would be full again anyway). */
  idleSeconds?: number;
  sweepIntervalMs?: number;
};

const ALLOW: RateDecision = Object.freeze({ ok: true });

// The refill of token-bucket.ts `refill` and `grant`, in one statement on the database's clock: with
// a conflict the SET expressions see the row as it was, so the refilled amount is spelt out where used.
// `refilled_at` never moves back (a statement that started before another's commit has an older now()).
const AVAILABLE = `least($3::float8, b.tokens + greatest(0, extract(epoch from now() - b.refilled_at)) * $2::float8)`;
export const LEASE_SQL = `insert into rate_limit_bucket as b (token_id, tokens, granted, refilled_at)
  values ($1, $3::float8 - least($4::float8, $3::float8), least($4::float8, $3::float8), now())
  on conflict (token_id) do update set
    granted = least($4::float8, floor(${AVAILABLE})),
    tokens = ${AVAILABLE} - least($4::float8, floor(${AVAILABLE})),
    refilled_at = greatest(b.refilled_at, now())
  returning granted, tokens`;

const SWEEP_SQL = `delete from rate_limit_bucket where refilled_at < now() - make_interval(secs => $1)`;

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { settings, query, log } = options;
  const now = options.now ?? (() => performance.now());
  const max = leaseSize(settings);
  // A row idle for burst / rate seconds is full again: deleting it forgets nothing.
  const idleSeconds = options.idleSeconds ?? Math.max(600, Math.ceil(settings.burst / Math.max(settings.perSecond, 1e-9)));
  const leases = new Map<string, Lease>();
  const asking = new Map<string, Promise<void>>();
  let sweeper: ReturnType<typeof setInterval> | undefined;
  let warnedAt = -Infinity;

  const lease = async (tokenId: string) => {
    const held = leases.get(tokenId) ?? { ...NO_LEASE };
    const want = wantNow(held, now(), max);
    let granted: number;
    let left: number;
    try {
      const { rows } = await query(LEASE_SQL, [tokenId, settings.perSecond, settings.burst, want]);
      granted = Number(rows[0]!.granted);
      left = Number(rows[0]!.tokens);
    } catch (error) {
      // The database is unreachable: the request itself will say so (SERVICE_UNAVAILABLE). Let one
      // lease's worth through per LEASE_TTL_MS rather than refuse every account.
      if (now() - warnedAt > 10_000) {
        warnedAt = now();
        log.warn({ err: error }, 'rate limit: leasing tokens failed; allowing a lease without the shared bucket');
      }
      granted = want;
      left = 0;
    }
    leases.set(tokenId, afterGrant(held, now(), want, granted, left, max, settings));
  };

  const take = (tokenId: string): RateDecision | Promise<RateDecision> => {
    const current = leases.get(tokenId);
    const at = now();
    const decision = current ? decide(current, at) : 'ask';
    if (decision === 'allow') {
      current!.remaining--;
      return ALLOW;
    }
    if (decision === 'refuse') return { ok: false, retryAfterSeconds: retryAfterSeconds(current!.refusedUntil - at) };
    return (async () => {
      // One lease at a time per token: concurrent requests wait for it and then look again.
      let pending = asking.get(tokenId);
      if (!pending) {
        pending = lease(tokenId).finally(() => asking.delete(tokenId));
        asking.set(tokenId, pending);
      }
      await pending;
      const after = leases.get(tokenId) ?? { ...NO_LEASE };
      const next = decide(after, now());
      if (next === 'allow') {
        after.remaining--;
        return ALLOW;
      }
      if (next === 'refuse') return { ok: false, retryAfterSeconds: retryAfterSeconds(after.refusedUntil - now()) };
      return take(tokenId); // others spent the lease first
    })();
  };

  const sweep = async () => {
    const at = now();
    for (const [tokenId, held] of leases) if (idle(held, at) && !asking.has(tokenId)) leases.delete(tokenId);
    try {
      await query(SWEEP_SQL, [idleSeconds]);
    } catch (error) {
      log.warn({ err: error }, 'rate limit: deleting idle buckets failed');
    }
  };

  return {
    settings,
    take,
    sweep,
    start() {
      // Each process sweeps; the statement is idempotent, and the table holds only recently active tokens.
      sweeper = setInterval(() => void sweep(), options.sweepIntervalMs ?? 5 * 60_000);
      sweeper.unref();
    },
    async stop() {
      if (sweeper) clearInterval(sweeper);
      sweeper = undefined;
      await Promise.allSettled(asking.values());
      leases.clear();
    },
  };
}

/** No limit: RATE_LIMIT_PER_SECOND or RATE_LIMIT_BURST is 0. */
export function unlimited(settings: RateSettings): RateLimiter {
  return { settings, take: () => ALLOW, async sweep() {}, start() {}, async stop() {} };
}

/** The limiter the settings ask for. */
export function rateLimiterFor(options: RateLimiterOptions): RateLimiter {
  return limits(options.settings) ? createRateLimiter(options) : unlimited(options.settings);
}

function message(settings: RateSettings, seconds: number): string {
  return `Too many requests with this API token (at most ${settings.perSecond} a second, bursts of ${settings.burst}); retry in ${seconds} s.`;
}

/** The error of a graphql-ws operation over the limit (the socket stays open). */
export function rateLimitedError(settings: RateSettings, retryAfter: number): GraphQLError {
  return new GraphQLError(message(settings, retryAfter), { extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } });
}

/** A request refused before Yoga parses it: HTTP 429, RATE_LIMITED, and when to come back. */
export function tooManyRequests(message: string, retryAfterSeconds: number): { body: string; init: ResponseInit } {
  const body = { errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds } }] };
  return {
    body: JSON.stringify(body),
    init: { status: 429, headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfterSeconds) } },
  };
}

/**
 * Refuses GraphQL requests (POST/GET, SSE included) of a token over its limit with HTTP 429 and
 * Retry-After, before Yoga parses anything; `identify` is the token cache, so this costs no query.
 */
export function useRateLimit(limiter: RateLimiter, identify: Identify, options: { endpoint?: string; onRefused?: () => void } = {}): Plugin {
  const endpoint = options.endpoint ?? '/graphql';
  if (!limits(limiter.settings)) return {};
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      const viewer = await viewerOfRequest(identify, request, url, endpoint);
      if (!viewer) return;
      const decision = await limiter.take(viewer.tokenId);
      if (decision.ok) return;
      options.onRefused?.();
      const refusal = tooManyRequests(message(limiter.settings, decision.retryAfterSeconds), decision.retryAfterSeconds);
      endResponse(new fetchAPI.Response(refusal.body, refusal.init));
    },
  };
}

