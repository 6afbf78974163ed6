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
import type { Viewer } from '../graphql/context.ts';

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

/**
 * The viewer of an HTTP request to the GraphQL endpoint (`endpoint` or `endpoint/`), for the plugins
 * that decide before Yoga parses anything (the rate limit, the per-account gate). Null for another
 * path, without credentials or with refused ones (UNAUTHENTICATED later), and when the lookup fails:
 * the operation itself then reports the database being unavailable.
 */
export async function viewerOfRequest(identify: Identify, request: Request, url: URL, endpoint: string): Promise<Viewer | null> {
  if (url.pathname !== endpoint && url.pathname !== `${endpoint}/`) return null;
  const header = request.headers.get('authorization');
  if (!header) return null;
  try {
    return (await identify(header)).viewer;
  } catch {
    return null;
  }
}
