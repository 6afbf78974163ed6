import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { PubSub } from './pubsub.ts';
import type { Jobs } from './jobs.ts';
import type { Metrics } from './metrics.ts';
import type { TokenCache } from './token-cache.ts';
import type { OutboundGuard } from './outbound.ts';
import type { LiveConnections } from './live-connections.ts';
import type { NoticeAcks } from './notice-acks.ts';
import type { AccountCache } from '../accounts/account-cache.ts';
import type { AutoPlacement } from '../calendar/auto-placement.service.ts';
import type { FeedMemos } from '../feeds/feed-sync.service.ts';

/**
 * What resolvers, job handlers and workers may use; built once by createApp and shared by every
 * request and job. It lives here, below both the GraphQL layer and the features, so the workers
 * need nothing from graphql/.
 */
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
  /** Answers from every api process that it has acted on a cache notice (a revocation, an account change). */
  acks: NoticeAcks;
  /** The one way to fetch a URL an account chose: refuses the server's own network (SSRF). */
  outbound: OutboundGuard;
  /** The server's clock; tests and pure code get `now` passed in instead. */
  now: () => Date;
  /** This process's graphql-ws sockets and SSE streams (revocation, subscription limits). */
  live: LiveConnections;
  /** Automatic placement's batches in flight: this app's own, created with it. */
  placement: AutoPlacement;
  /** The last parse of recently synced feeds, for incremental resyncs: this app's own. */
  feedMemos: FeedMemos;
}>;
