import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { PubSub } from '../platform/pubsub.ts';
import type { Jobs } from '../platform/jobs.ts';
import type { Metrics } from '../platform/metrics.ts';
import type { TokenCache } from '../platform/token-cache.ts';
import type { OutboundGuard } from '../platform/outbound.ts';
import type { AccountCache } from '../accounts/account-cache.ts';
import type { LiveConnections } from '../platform/live-connections.ts';

/** Who is calling: an account, through one of its API tokens. */
export type Viewer = Readonly<{ accountId: string; tokenId: string }>;

/** What resolvers may use; built by createApp, shared by every request. */
export type Services = Readonly<{
  config: Config;
  log: Logger;
  pubsub: PubSub;
  jobs: Jobs;
  /** Prometheus metrics of this process (GET /metrics on METRICS_PORT). */
  metrics: Metrics;
  /** API tokens seen by this process; revocations reach every process through the pub/sub. */
  tokens: TokenCache;
  /** Accounts seen by this process (row and default calendar id); changes reach every process through the pub/sub. */
  accounts: AccountCache;
  /** The one way to fetch a URL an account chose: refuses the server's own network (SSRF). */
  outbound: OutboundGuard;
  /** The server's clock; tests and pure code get `now` passed in instead. */
  now: () => Date;
  /** This process's graphql-ws sockets and SSE streams (revocation, subscription limits). */
  live: LiveConnections;
}>;

export type Context = {
  /** A fork of the ORM's entity manager, one per request or subscription operation. */
  em: EntityManager;
  viewer: Viewer | null;
  isAdmin: boolean;
  /** Why the credentials sent were refused, for the UNAUTHENTICATED error. */
  failure: string | null;
  services: Services;
};

/** The viewer of an operation that the authentication plugin has already let through. */
export function viewerOf(ctx: Context): Viewer {
  if (!ctx.viewer) throw new Error('viewerOf called on an unauthenticated context');
  return ctx.viewer;
}
