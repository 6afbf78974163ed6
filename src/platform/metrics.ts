/**
 * Prometheus metrics (prom-client), one registry per process, served by `startMetricsServer` on its
 * own port (METRICS_PORT): operators scrape it from inside their network, and nothing of it is reachable
 * through the public GraphQL port. Features report through the small helpers below, never through
 * prom-client directly, so that names and labels stay one vocabulary.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MikroORM } from '@mikro-orm/postgresql';
import { dueCountSql } from './pgboss-seam.ts';

export type Transport = 'graphql-ws' | 'sse';

/** What a fire batch reports (fire.job.ts's FireOutcome fits it); `latenessMs` is each fired occurrence's. */
export type FireBatchReport = { fired: number; missed: number; skipped: number; latenessMs?: readonly number[] };

export type PoolUse = { total: number; idle: number; waiting: number };

type Sources = { dueBacklog?: () => Promise<number>; pool?: () => PoolUse | Promise<PoolUse>; sharedExecutions?: () => number };

export type Metrics = {
  readonly registry: Registry;
  /** One fire batch: its outcome and how long it took, start to commit. */
  fireBatch(outcome: FireBatchReport, seconds: number): void;
  /** A reminder whose firing threw, alone (fire.job.ts): 'retry' (backed off) or 'failed' (ended FAILED). */
  fireFailure(outcome: 'retry' | 'failed'): void;
  /** Lateness of fired occurrences when they are reported apart from their batch. */
  fireLateness(latenessMs: readonly number[]): void;
  /** One delivery attempt; `attempt` > 1 counts as a retry. */
  deliveryAttempt(channel: string, outcome: string, attempt: number): void;
  /** A subscription operation started; call the result when it ends. */
  subscriptionOpened(transport: Transport): () => void;
  /** A WebSocket connection was accepted; call the result when it closes. */
  socketOpened(): () => void;
  /** A subscriber could not keep up and was told to resume from its cursor. */
  subscriberLagged(): void;
  /** A subscription refused by a limit: 'subscriptions' (the account's) or 'subscriptionsPerSocket'. */
  subscriptionRefused(limit: 'subscriptions' | 'subscriptionsPerSocket'): void;
  /** A request (HTTP, SSE) or graphql-ws subscribe refused by its token's rate limit. */
  rateLimited(transport: 'http' | 'graphql-ws'): void;
  /** One GraphQL operation (query or mutation) and the error codes of its result, if any. */
  operation(type: string, field: string, seconds: number, errorCodes: readonly string[]): void;
  /** Gauges read when scraped: the due-job backlog and the ORM's connection pool. */
  observe(sources: Sources): void;
};

// Lateness and durations: from a millisecond to a minute, denser where the targets are (10–250 ms).
const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tickler_process_' });
  const reg = [registry];
  const lateness = new Histogram({ name: 'tickler_fire_lateness_seconds', help: 'Fired time minus due time of each fired occurrence', buckets: SECONDS_BUCKETS, registers: reg });
  const fired = new Counter({ name: 'tickler_fire_occurrences_total', help: 'Fire jobs handled, by result (fired, missed, skipped)', labelNames: ['result'], registers: reg });
  const batch = new Histogram({ name: 'tickler_fire_batch_duration_seconds', help: 'Duration of one fire batch, fetch to commit', buckets: SECONDS_BUCKETS, registers: reg });
  const attempts = new Counter({ name: 'tickler_delivery_attempts_total', help: 'Delivery attempts by channel and outcome', labelNames: ['channel', 'outcome'], registers: reg });
  const retries = new Counter({ name: 'tickler_delivery_retries_total', help: 'Delivery attempts after the first', labelNames: ['channel'], registers: reg });
  const fireFailures = new Counter({ name: 'tickler_fire_failures_total', help: 'Reminders whose firing failed on its own, by outcome (retry: backed off; failed: ended FAILED)', labelNames: ['outcome'], registers: reg });
  const subscribers = new Gauge({ name: 'tickler_subscriptions_open', help: 'Open subscription operations by transport', labelNames: ['transport'], registers: reg });
  const sockets = new Gauge({ name: 'tickler_websockets_open', help: 'Open graphql-ws connections', registers: reg });
  const lagged = new Counter({ name: 'tickler_subscribers_lagged_total', help: 'Subscriptions ended because the client did not keep up', registers: reg });
  const refusedSubscriptions = new Counter({ name: 'tickler_subscriptions_refused_total', help: 'Subscriptions refused by a limit (LIMIT_SUBSCRIPTIONS, LIMIT_SUBSCRIPTIONS_PER_SOCKET)', labelNames: ['limit'], registers: reg });
  for (const limit of ['subscriptions', 'subscriptionsPerSocket'] as const) refusedSubscriptions.inc({ limit }, 0);
  const rateLimited = new Counter({ name: 'tickler_rate_limited_total', help: 'Requests refused by their API token\'s rate limit, by transport (http includes SSE)', labelNames: ['transport'], registers: reg });
  const operations = new Histogram({ name: 'tickler_graphql_operation_duration_seconds', help: 'GraphQL queries and mutations, by type and root field', labelNames: ['type', 'field'], buckets: SECONDS_BUCKETS, registers: reg });
  const errors = new Counter({ name: 'tickler_graphql_errors_total', help: 'Errors in GraphQL results, by type, root field and code', labelNames: ['type', 'field', 'code'], registers: reg });
  for (const transport of ['graphql-ws', 'sse'] as const) subscribers.set({ transport }, 0);
  for (const transport of ['http', 'graphql-ws'] as const) rateLimited.inc({ transport }, 0);

  let sources: Sources = {};
  new Gauge({
    name: 'tickler_subscription_executions',
    help: 'Shared graphql-ws subscription executions running (one per account, document and variables)',
    registers: reg,
    collect() {
      if (sources.sharedExecutions) this.set(sources.sharedExecutions());
    },
  });
  new Gauge({
    name: 'tickler_fire_due_backlog',
    help: 'Fire jobs due now and not yet taken by a worker',
    registers: reg,
    async collect() {
      if (sources.dueBacklog) this.set(await sources.dueBacklog().catch(() => Number.NaN));
    },
  });
  new Gauge({
    name: 'tickler_db_pool_connections',
    help: 'The ORM connection pool: total, idle, and requests waiting for a connection',
    labelNames: ['state'],
    registers: reg,
    async collect() {
      if (!sources.pool) return;
      const use = await sources.pool();
      this.set({ state: 'total' }, use.total);
      this.set({ state: 'idle' }, use.idle);
      this.set({ state: 'waiting' }, use.waiting);
    },
  });

  const observeLateness = (values: readonly number[]) => {
    for (const ms of values) lateness.observe(Math.max(0, ms) / 1000);
  };

  return {
    registry,
    fireBatch(outcome, seconds) {
      if (outcome.fired) fired.inc({ result: 'fired' }, outcome.fired);
      if (outcome.missed) fired.inc({ result: 'missed' }, outcome.missed);
      if (outcome.skipped) fired.inc({ result: 'skipped' }, outcome.skipped);
      batch.observe(seconds);
      if (outcome.latenessMs) observeLateness(outcome.latenessMs);
    },
    fireLateness: observeLateness,
    fireFailure: (outcome) => fireFailures.inc({ outcome }),
    deliveryAttempt(channel, outcome, attempt) {
      attempts.inc({ channel, outcome });
      if (attempt > 1) retries.inc({ channel });
    },
    subscriptionOpened(transport) {
      subscribers.inc({ transport });
      let open = true;
      return () => {
        if (open) subscribers.dec({ transport });
        open = false;
      };
    },
    socketOpened() {
      sockets.inc();
      let open = true;
      return () => {
        if (open) sockets.dec();
        open = false;
      };
    },
    subscriberLagged: () => lagged.inc(),
    subscriptionRefused: (limit) => refusedSubscriptions.inc({ limit }),
    rateLimited: (transport) => rateLimited.inc({ transport }),
    operation(type, field, seconds, codes) {
      operations.observe({ type, field }, seconds);
      for (const code of codes) errors.inc({ type, field, code });
    },
    observe(next) {
      sources = { ...sources, ...next };
    },
  };
}

export type MetricsServer = { readonly url: string; close(): Promise<void> };

/** Serves GET /metrics on its own port; anything else is 404. */
export async function startMetricsServer(metrics: Metrics, host: string, port: number): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || (request.url ?? '').split('?', 1)[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    metrics.registry.metrics().then(
      (body) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // exclusive: each of several api processes (a node:cluster child) serves its own metrics on its own port.
    server.listen({ port, host, exclusive: true }, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostPart}:${address.port}/metrics`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** Points the scrape-time gauges at the database: the due fire jobs and the ORM's pool. */
export function observeDatabase(metrics: Metrics, orm: MikroORM): void {
  metrics.observe({
    dueBacklog: async () => {
      const [row] = await orm.em.getConnection().execute<{ due: string }[]>(dueCountSql('reminder.fire'));
      return Number(row?.due ?? 0);
    },
    pool: async () => {
      const pool = await orm.em.getConnection().getNativeClient();
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    },
  });
}
