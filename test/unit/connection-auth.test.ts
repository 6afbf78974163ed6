import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { coalescedIdentify } from '../../src/platform/connection-auth.ts';
import type { Identity } from '../../src/platform/auth.ts';

/** A lookup behind a cache, like identify with the token cache: it counts the misses (queries). */
function cachedLookup(known: Set<string>) {
  const cache = new Map<string, Identity>();
  let queries = 0;
  let revokeAfterQuery: string | undefined;
  const identify = async (header: string | null | undefined): Promise<Identity> => {
    const hit = cache.get(header!);
    if (hit) return hit;
    queries++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const identity: Identity = known.has(header!)
      ? { viewer: { accountId: `account of ${header}`, tokenId: header! }, isAdmin: false, failure: null }
      : { viewer: null, isAdmin: false, failure: 'unknown' };
    if (identity.viewer) cache.set(header!, identity);
    if (revokeAfterQuery === header) {
      // The revocation notice arrives just after the query read the token as live: the cache drops it.
      known.delete(header!);
      cache.delete(header!);
    }
    return identity;
  };
  return { identify, get queries() { return queries; }, revokeAfterQuery: (header: string) => (revokeAfterQuery = header) };
}

describe('coalescedIdentify', () => {
  test('sockets arriving together with one token cost one lookup query, and each gets its identity', async () => {
    const lookup = cachedLookup(new Set(['a', 'b']));
    const identify = coalescedIdentify(lookup.identify);
    const results = await Promise.all([...Array(50).fill('a'), ...Array(50).fill('b')].map((header) => identify(header)));
    assert.equal(lookup.queries, 2);
    assert.equal(results.filter((r) => r.viewer?.accountId === 'account of a').length, 50);
    assert.equal(results.filter((r) => r.viewer?.accountId === 'account of b').length, 50);
  });

  test('each socket is decided by its own lookup: an unknown token is refused to every one of them', async () => {
    const lookup = cachedLookup(new Set());
    const identify = coalescedIdentify(lookup.identify);
    const results = await Promise.all(Array.from({ length: 5 }, () => identify('x')));
    assert.ok(results.every((r) => r.viewer === null));
    assert.equal(lookup.queries, 5, 'not cached, so each one asks; they take turns instead of all at once');
  });

  test('sockets that waited for a lookup do not take its answer: a revocation heard meanwhile refuses them', async () => {
    const lookup = cachedLookup(new Set(['a']));
    lookup.revokeAfterQuery('a');
    const identify = coalescedIdentify(lookup.identify);
    const [first, ...waited] = await Promise.all(Array.from({ length: 3 }, () => identify('a')));
    assert.equal(first!.viewer?.accountId, 'account of a', 'its query read the token before the revocation');
    assert.ok(waited.every((r) => r.viewer === null));
  });

  test('a connection without credentials is passed through without waiting', async () => {
    const lookup = cachedLookup(new Set());
    const identify = coalescedIdentify(lookup.identify);
    assert.equal((await identify(undefined)).viewer, null);
  });
});
