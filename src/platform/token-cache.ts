/**
 * A per-process cache of API tokens (by hash) for authentication, so that an authenticated request or
 * WebSocket connection costs no query. Revocation still takes effect at once on every process: the
 * revoking transaction publishes 'api-token:revoked' (NOTIFY, delivered at its commit to every process
 * listening), and each process drops the token on hearing it. A deleted account's tokens go with its row
 * (on delete cascade); the trigger that announces the deletion ('account:deleted') drops them here too.
 *
 * Exactness: an entry is used only while the LISTEN connection that would have told us of a
 * revocation has been up without a break since the entry was added (`listeningEpoch`); and a lookup
 * that raced with a revocation notice is not cached (`invalidations`).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { createNoticeWaiters } from './notice-waiters.ts';
import type { PubSub } from './pubsub.ts';

export type CachedToken = { accountId: string; tokenId: string };

type Entry = CachedToken & { epoch: number; addedAt: number; lastUsedWrittenAt: number };

export type TokenCache = {
  /** The live (not revoked) token with this SHA-256 hash, or null; keeps `lastUsedAt` to the minute. */
  lookup(em: EntityManager, tokenHash: string): Promise<CachedToken | null>;
  /** Drops a token now (the revoking process does so without waiting for its own notice). */
  forget(tokenId: string): void;
  /** Resolves once this process has heard the revocation notice of the token (or after `timeoutMs`). */
  heard(tokenId: string, timeoutMs: number): Promise<void>;
  start(): void;
  stop(): Promise<void>;
};

export type TokenCacheOptions = {
  pubsub: PubSub;
  /** The LISTEN connection's state: up, and how many times it has (re)connected. */
  listening: () => { up: boolean; epoch: number };
  now?: () => number;
  maxEntries?: number;
  /** A safety net only: revocations arrive as notices. */
  ttlMs?: number;
};

/** How often `lastUsedAt` is written: per-request writes would turn every read into a write. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 50_000;
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const byHash = new Map<string, Entry>();
  const hashById = new Map<string, string>();
  const waiters = createNoticeWaiters();
  let invalidations = 0;
  const notices: AsyncIterator<unknown>[] = [];

  const forget = (tokenId: string) => {
    invalidations++;
    const hash = hashById.get(tokenId);
    if (hash !== undefined) byHash.delete(hash);
    hashById.delete(tokenId);
  };

  // Rare (an account deleted), so a scan rather than an index kept up on every lookup.
  const forgetAccount = (accountId: string) => {
    for (const entry of [...byHash.values()]) if (entry.accountId === accountId) forget(entry.tokenId);
  };

  const add = (hash: string, token: CachedToken, epoch: number, usedAt: number) => {
    if (byHash.size >= maxEntries) {
      const oldest = byHash.keys().next().value!;
      hashById.delete(byHash.get(oldest)!.tokenId);
      byHash.delete(oldest);
    }
    byHash.set(hash, { ...token, epoch, addedAt: now(), lastUsedWrittenAt: usedAt });
    hashById.set(token.tokenId, hash);
  };

  const touch = (em: EntityManager, tokenId: string) => {
    // Not awaited: bookkeeping must not slow the request down.
    void em.getConnection().execute('update api_token set last_used_at = now() where id = ?', [tokenId]).catch(() => undefined);
  };

  return {
    async lookup(em, hash) {
      const listening = options.listening();
      const entry = byHash.get(hash);
      if (entry && listening.up && entry.epoch === listening.epoch && now() - entry.addedAt < ttlMs) {
        if (now() - entry.lastUsedWrittenAt >= LAST_USED_RESOLUTION_MS) {
          entry.lastUsedWrittenAt = now();
          touch(em, entry.tokenId);
        }
        return { accountId: entry.accountId, tokenId: entry.tokenId };
      }
      if (entry) forget(entry.tokenId);
      const seen = invalidations;
      const rows = await em.getConnection().execute<{ id: string; account_id: string; used_ms: number | null }[]>(
        `select id, account_id, (extract(epoch from now() - last_used_at) * 1000)::float8 as used_ms
           from api_token where token_hash = ? and revoked_at is null`,
        [hash],
      );
      const row = rows[0];
      if (!row) return null;
      const token = { accountId: row.account_id, tokenId: row.id };
      let usedAt = row.used_ms === null ? -Infinity : now() - Number(row.used_ms);
      if (now() - usedAt >= LAST_USED_RESOLUTION_MS) {
        usedAt = now();
        touch(em, row.id);
      }
      // Cached only if no revocation notice came meanwhile and the LISTEN connection did not break.
      const after = options.listening();
      if (seen === invalidations && after.up && after.epoch === listening.epoch) add(hash, token, after.epoch, usedAt);
      return token;
    },
    forget,
    heard: (tokenId, timeoutMs) => waiters.wait(tokenId, timeoutMs),
    start() {
      const revoked = options.pubsub.subscribe('api-token:revoked', 'tokens')[Symbol.asyncIterator]();
      const deleted = options.pubsub.subscribe('account:deleted', 'accounts')[Symbol.asyncIterator]();
      notices.push(revoked, deleted);
      void (async () => {
        for (let next = await revoked.next(); !next.done; next = await revoked.next()) {
          forget(next.value.tokenId);
          waiters.heard(next.value.tokenId);
        }
      })();
      void (async () => {
        for (let next = await deleted.next(); !next.done; next = await deleted.next()) forgetAccount(next.value.accountId);
      })();
    },
    async stop() {
      await Promise.all(notices.splice(0).map((iterator) => iterator.return?.()));
      byHash.clear();
      hashById.clear();
    },
  };
}
