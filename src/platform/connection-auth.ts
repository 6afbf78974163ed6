/**
 * Authentication of WebSocket connections in a reconnect storm: thousands of sockets arrive within a
 * second, many with the same token (a client's tabs, a fleet of listeners). Looked up independently,
 * each one misses the token cache (the first lookup has not returned yet), and each runs the lookup
 * query and the `lastUsedAt` write: a thousand round trips and commits for what is one token.
 *
 * Here a lookup for a header waits for any lookup of the same header already under way, then runs
 * its own, which then finds the token in the cache. It does not take the other lookup's answer:
 * each connection is decided by its own lookup, so a revocation heard in between is never missed.
 */
import type { Identity } from './auth.ts';

export type Identify = (header: string | null | undefined) => Promise<Identity>;

export function coalescedIdentify(identify: Identify): Identify {
  const underWay = new Map<string, Promise<unknown>>();
  return async (header) => {
    if (!header) return identify(header);
    // A loop, not one wait: an unknown token is not cached, so those that waited take turns.
    for (let pending = underWay.get(header); pending; pending = underWay.get(header)) await pending;
    const lookup = identify(header);
    const settled = lookup.then(() => undefined, () => undefined);
    underWay.set(header, settled);
    void settled.then(() => {
      if (underWay.get(header) === settled) underWay.delete(header);
    });
    return lookup;
  };
}
