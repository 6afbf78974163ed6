import type { Config } from './platform/config.ts';
import { describeUnavailable } from './platform/unavailable.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './platform/embedded-postgres.ts';
import { connectOrm, type Orm } from './platform/database.ts';
import { migrateWithLock } from './platform/migrator.ts';
import { createJobs, migratePgBoss, type Jobs } from './platform/jobs.ts';
import { createPgEventTarget, createPubSubOver, LISTEN_RESTORED, type PgEventTarget } from './platform/pubsub.ts';
import { createHttpServer, type HttpServer } from './platform/http-server.ts';
import { loadOrCreateSecret } from './platform/secrets.ts';
import { announceAdminToken, resolveAdminToken, type AdminToken } from './platform/admin-token.ts';
import { createMetrics, observeDatabase, startMetricsServer, type MetricsServer } from './platform/metrics.ts';
import { createNoticeAcks, type NoticeAcks } from './platform/notice-acks.ts';
import { createTokenCache, type TokenCache } from './platform/token-cache.ts';
import { createAccountCache, type AccountCache } from './accounts/account-cache.ts';
import { createOutboundGuard, type OutboundGuard } from './platform/outbound.ts';
import { NO_LIVE_CONNECTIONS, type LiveRegistry } from './platform/live-connections.ts';
import { createSharedLiveRegistry } from './platform/shared-subscription-counts.ts';
import { rateLimiterFor, type RateLimiter } from './platform/rate-limit.ts';
import { getSchema } from './graphql/schema.ts';
import { createReminderWorker, ensureReminderQueues, type ReminderWorker } from './reminders/worker.ts';
import type { Services } from './platform/services.ts';
import { useAttachmentDownloads } from './calendar/attachment.http.ts';
import { createAutoPlacement } from './calendar/auto-placement.service.ts';
import { useWebConsole } from './platform/static-assets.ts';
import { useCalendarFeedExport } from './feeds/feed-export.http.ts';
import { createFeedWorker, ensureFeedQueues, type FeedWorker } from './feeds/feed-sync.job.ts';
import { createFeedMemos } from './feeds/feed-sync.service.ts';
import { createRetentionWorker, ensureRetentionQueue, type RetentionWorker } from './history/retention.job.ts';

export type App = {
  /** Starts every part this process's role needs; resolves once it serves. */
  start(): Promise<void>;
  /** Stops in order; safe to call twice, and after a failed start. */
  stop(): Promise<void>;
  /** The GraphQL URL (api and all roles), once started. */
  readonly url: string | undefined;
  /** GET /metrics, when METRICS_PORT is set, once started. */
  readonly metricsUrl: string | undefined;
  readonly services: Services | undefined;
  readonly orm: Orm | undefined;
  readonly log: Logger;
};

export type AppOptions = {
  log?: Logger;
  now?: () => Date;
  /** Replaces the guard built from OUTBOUND_ALLOW (tests resolve names their own way to play DNS rebinding). */
  outbound?: OutboundGuard;
  /** Where the first-run admin token is shown; default: stderr when it is a terminal, else nowhere (it is in its file). */
  terminal?: { write(text: string): unknown };
  /** Each WebSocket's send-queue limit for shared subscriptions, asked at each message: tests lower it to make a subscriber lag (LAGGED). */
  sendQueueLimitBytes?: () => number;
  /**
   * Set when this is one of several processes a primary started (supervisor.ts): its name for the
   * logs, and whether it binds PORT itself with SO_REUSEPORT (else node:cluster's primary shares it).
   */
  process?: { name: string; reusePort: boolean };
};

/** Wires Tickler together for one process; main.ts only reads the environment and handles signals. */
export function createApp(config: Config, options: AppOptions = {}): App {
  const log = options.log ?? createLogger(config);
  const startedAt = performance.now();
  let embedded: EmbeddedPostgres | undefined;
  let orm: Orm | undefined;
  let jobs: Jobs | undefined;
  let events: PgEventTarget | undefined;
  let http: HttpServer | undefined;
  let reminderWorker: ReminderWorker | undefined;
  let feedWorker: FeedWorker | undefined;
  let retentionWorker: RetentionWorker | undefined;
  let services: Services | undefined;
  let metricsServer: MetricsServer | undefined;
  let tokens: TokenCache | undefined;
  let accounts: AccountCache | undefined;
  let acks: NoticeAcks | undefined;
  let live: LiveRegistry | undefined;
  let rateLimiter: RateLimiter | undefined;
  const metrics = createMetrics();
  let migrated = false;
  let stopping: Promise<void> | undefined;

  const databaseUrl = async (): Promise<string> => {
    if (config.databaseUrl) return config.databaseUrl;
    const password = await loadOrCreateSecret(config.dataDir, 'postgres-password');
    embedded = await startEmbeddedPostgres(config.dataDir, log, { password: password.value });
    return embedded.url;
  };

  const readiness = async () => {
    if (!orm || !migrated) throw new Error('database not migrated yet');
    await orm.em.getConnection().execute('select 1').catch((error: unknown) => {
      throw describeUnavailable('database unreachable', error);
    });
    if (!jobs?.running) throw new Error('pg-boss is not running');
    if (!events?.isListening()) throw new Error('pub/sub is not listening');
  };

  const start = async () => {
    const url = await databaseUrl();
    const admin = await resolveAdminToken(config);
    orm = await connectOrm(url, log, config.role === 'worker' ? 10 : 20);
    const applied = await migrateWithLock(orm, url);
    if (applied.length > 0) log.info({ migrations: applied }, 'applied database migrations');
    // pg-boss's schema too, here only: every process starts pg-boss with migrate: false (jobs.ts).
    await migratePgBoss(url, log.child({ component: 'jobs' }));
    migrated = true;
    events = createPgEventTarget(url, log.child({ component: 'pubsub' }));
    await events.start();
    jobs = createJobs({ connectionString: url, log: log.child({ component: 'jobs' }), supervise: config.role !== 'api' });
    await jobs.start();
    const pubsub = createPubSubOver(events);
    const listening = events;
    const processId = crypto.randomUUID();
    const serves = config.role !== 'worker';
    let liveRegistry: ReturnType<typeof createSharedLiveRegistry> | undefined;
    // Only api processes answer: mutations wait for those, and only those serve cached tokens.
    acks = createNoticeAcks({ pubsub, processId, processes: async () => (await liveRegistry?.liveProcesses()) ?? [] });
    acks.start();
    const onNoticed = serves ? (id: string) => acks!.ack(id) : undefined;
    tokens = createTokenCache({ pubsub, onNoticed, listening: () => ({ up: listening.isListening(), epoch: listening.listeningEpoch() }) });
    tokens.start();
    accounts = createAccountCache({ pubsub, onNoticed, listening: () => ({ up: listening.isListening(), epoch: listening.listeningEpoch() }) });
    accounts.start();
    if (serves) {
      // The api's sockets and streams, for revocation and the subscription limits: services and the HTTP server share it.
      const ormForLive = orm;
      live = liveRegistry = createSharedLiveRegistry({
        processId,
        pubsub,
        limits: config.limits,
        execute: (sql, params) => ormForLive.em.getConnection().execute(sql, params) as never,
        log: log.child({ component: 'live' }),
        onRefused: (refusal) => metrics.subscriptionRefused(refusal.limit),
      });
      await live.start();
    }
    const now = options.now ?? (() => new Date());
    const ormForPlacement = orm;
    services = Object.freeze({
      config: Object.freeze({ ...config, adminToken: admin.token }),
      log,
      pubsub,
      tokens,
      accounts,
      acks,
      jobs,
      metrics,
      outbound: options.outbound ?? createOutboundGuard(config.outboundAllow, { dnsServers: config.dnsServers }),
      now,
      live: live ?? NO_LIVE_CONNECTIONS,
      placement: createAutoPlacement({ forkEm: () => ormForPlacement.em.fork(), pubsub, now }),
      feedMemos: createFeedMemos(),
    });
    await ensureReminderQueues(jobs, config);
    await ensureFeedQueues(jobs);
    observeDatabase(metrics, orm);
    if (config.metricsPort !== undefined) {
      metricsServer = await startMetricsServer(metrics, config.host, config.metricsPort);
      log.info({ metricsUrl: metricsServer.url }, `Prometheus metrics at ${metricsServer.url}`);
    }
    if (config.role !== 'api') {
      const ormForWorker = orm;
      reminderWorker = createReminderWorker({ services, forkEm: () => ormForWorker.em.fork() });
      await reminderWorker.start();
      feedWorker = createFeedWorker({ services, forkEm: () => ormForWorker.em.fork() });
      await feedWorker.start();
      await ensureRetentionQueue(services);
      retentionWorker = createRetentionWorker({
        services,
        // Straight to the pg pool: each batch is one statement that commits on its own.
        query: async (text, values) => (await ormForWorker.em.getConnection().getNativeClient()).query(text, values).then((r) => r.rows),
      });
      await retentionWorker.start();
    }
    if (config.role !== 'worker') {
      const ormForHttp = orm;
      const forkEm = () => ormForHttp.em.fork();
      rateLimiter = rateLimiterFor({
        settings: config.rateLimit,
        // Straight to the pg pool: the lease is one parameterised statement on a hot path.
        query: async (text, values) => (await ormForHttp.em.getConnection().getNativeClient()).query(text, values),
        log: log.child({ component: 'rate-limit' }),
      });
      rateLimiter.start();
      http = createHttpServer({
        live: live!,
        schema: getSchema(),
        services,
        forkEm,
        readiness,
        rateLimiter,
        sendQueueLimitBytes: options.sendQueueLimitBytes,
        reusePort: options.process?.reusePort,
        extraPlugins: [await useWebConsole({ log }), useAttachmentDownloads({ forkEm, adminToken: admin.token }), useCalendarFeedExport({ forkEm, adminToken: admin.token, now: services.now })],
      });
      await http.listen();
      const httpForEvents = http;
      events.addEventListener(LISTEN_RESTORED, () => {
        log.warn('pub/sub was disconnected: closing WebSockets (1012) so that clients resume what they missed');
        httpForEvents.resetSubscribers();
      });
    }
    announce(admin);
  };

  const announce = (admin: AdminToken) => {
    const startMs = Math.round(performance.now() - startedAt);
    const details = { role: config.role, startMs, database: config.databaseUrl ? 'external' : 'embedded' };
    // One of several processes (supervisor.ts): the primary announces the server once all are up, so the
    // first line with a `url` still means "ready" to whoever waits for it.
    if (options.process) log.info({ role: config.role, startMs, processUrl: http?.url }, `${options.process.name} is ready`);
    else if (http) log.info({ ...details, url: http.url }, `Tickler is ready: console at ${http.url.replace(/graphql$/, '')} · GraphiQL at ${http.url}`);
    else log.info(details, 'Tickler worker is running');
    announceAdminToken(admin, log, options.terminal);
  };

  const stop = () => {
    stopping ??= (async () => {
      const step = async (name: string, fn: (() => Promise<unknown>) | undefined) => {
        if (!fn) return;
        try {
          await fn();
        } catch (error) {
          log.error({ err: error }, `error while stopping ${name}`);
        }
      };
      await step('the HTTP server', http && (() => http!.close()));
      await step('the live connections', live && (() => live!.stop()));
      await step('the rate limiter', rateLimiter && (() => rateLimiter!.stop()));
      await step('the metrics server', metricsServer && (() => metricsServer!.close()));
      await step('the reminder worker', reminderWorker && (() => reminderWorker!.stop()));
      await step('the feed worker', feedWorker && (() => feedWorker!.stop()));
      await step('the retention worker', retentionWorker && (() => retentionWorker!.stop()));
      await step('pg-boss', jobs && (() => jobs!.stop()));
      await step('the token cache', tokens && (() => tokens!.stop()));
      await step('the account cache', accounts && (() => accounts!.stop()));
      await step('the notice answers', acks && (() => acks!.stop()));
      await step('pub/sub', events && (() => events!.stop()));
      await step('the ORM', orm && (() => orm!.close(true)));
      await step('embedded PostgreSQL', embedded && (() => embedded!.stop()));
      log.info('Tickler stopped');
    })();
    return stopping;
  };

  return {
    start,
    stop,
    log,
    get url() {
      return http?.url;
    },
    get metricsUrl() {
      return metricsServer?.url;
    },
    get services() {
      return services;
    },
    get orm() {
      return orm;
    },
  };
}
