/**
 * A per-process cache of API tokens (by hash) for authentication, so that an authenticated request or
 * WebSocket connection costs no query. Revocation still takes effect at once on every process: the
 * revoking transaction publishes 'api-token:revoked' (NOTIFY, delivered at its commit to every process
 * listening), and each process drops the token on hearing it. A deleted account's tokens go with its row
 * (on delete cascade); the trigger that announces the deletion ('account:deleted') drops them here too.
 * Exactness (entries used only while LISTEN stayed up, loads that raced with a notice not kept) is
 * the notice cache's (notice-cache.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { createNoticeCache, type NoticeCached, type NoticeCacheSettings } from './notice-cache.ts';
import type { PubSub } from './pubsub.ts';

export type CachedToken = { accountId: string; tokenId: string };

/** A token as found in the database, with when its `lastUsedAt` was last written (this process's clock). */
export type FoundToken = CachedToken & { lastUsedWrittenAt: number };

/** Rows by token id: forget takes the token's id. */
export type TokenCache = NoticeCached & {
  /** The live (not revoked) token with this SHA-256 hash, or null; keeps `lastUsedAt` to the minute. */
  lookup(em: EntityManager, tokenHash: string): Promise<CachedToken | null>;
};

export type TokenCacheOptions = NoticeCacheSettings & { pubsub: PubSub };

/** How often `lastUsedAt` is written: per-request writes would turn every read into a write. */
export const LAST_USED_RESOLUTION_MS = 60_000;

function touch(em: EntityManager, tokenId: string): void {
  // Not awaited: bookkeeping must not slow the request down.
  void em.getConnection().execute('update api_token set last_used_at = now() where id = ?', [tokenId]).catch(() => undefined);
}

/**
 * The token lookup, the one query for it: the live (not revoked) token with this SHA-256 hash, or
 * null; writes its `lastUsedAt` if that is a minute old. The cache loads through it, and so does
 * authentication without a cache.
 */
export async function findToken(em: EntityManager, tokenHash: string, now: () => number = Date.now): Promise<FoundToken | null> {
  const [row] = await em.getConnection().execute<{ id: string; account_id: string; used_ms: number | null }[]>(
    `select id, account_id, (extract(epoch from now() - last_used_at) * 1000)::float8 as used_ms
       from api_token where token_hash = ? and revoked_at is null`,
    [tokenHash],
  );
  if (!row) return null;
  let usedAt = row.used_ms === null ? -Infinity : now() - Number(row.used_ms);
  if (now() - usedAt >= LAST_USED_RESOLUTION_MS) {
    usedAt = now();
    touch(em, row.id);
  }
  return { accountId: row.account_id, tokenId: row.id, lastUsedWrittenAt: usedAt };
}

export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const now = options.now ?? Date.now;
  const cache = createNoticeCache<FoundToken>({ ...options, now, idOf: (token) => token.tokenId });
  return {
    async lookup(em, hash) {
      const found = await cache.get(hash, () => findToken(em, hash, now));
      if (!found) return null;
      if (now() - found.lastUsedWrittenAt >= LAST_USED_RESOLUTION_MS) {
        found.lastUsedWrittenAt = now();
        touch(em, found.tokenId);
      }
      return { accountId: found.accountId, tokenId: found.tokenId };
    },
    forget: cache.forget,
    start() {
      cache.follow(options.pubsub.subscribe('api-token:revoked', 'tokens'), ({ tokenId }) => cache.noticed(tokenId));
      cache.follow(options.pubsub.subscribe('account:deleted', 'accounts'), ({ accountId }) => cache.forgetWhere((token) => token.accountId === accountId));
    },
    stop: cache.stop,
  };
}
