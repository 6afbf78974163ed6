import { createServer, type Server } from 'node:http';
import { maskUnavailable } from './unavailable.ts';
import type { AddressInfo } from 'node:net';
import { createYoga, useReadinessCheck, type YogaInitialContext, type Plugin } from 'graphql-yoga';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { getOperationAST, type DocumentNode, type GraphQLError, type GraphQLSchema, type ValidationContext } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../graphql/context.ts';
import type { Services } from './services.ts';
import { identify, useAuthGate, type Identity } from './auth.ts';
import { CloseCode } from './close-codes.ts';
import { useGraphqlWs } from './graphql-ws-server.ts';
import { useCompressedGraphiQL } from './graphiql.ts';
import { useGraphqlMetrics } from './graphql-metrics.ts';
import { createSubscriptionHub, sharingKey } from './shared-subscriptions.ts';
import { acknowledgeSubscribed } from './subscribed-ack.ts';
import { coalescedIdentify } from './connection-auth.ts';
import { quotaExceeded, type LiveConnection, type LiveRegistry } from './live-connections.ts';
import { useLiveStreams } from './live-streams.ts';
import { useApolloMultipart } from './apollo-multipart.ts';
import { useAccountGate } from './account-gate.ts';
import { rateLimitedError, unlimited, useRateLimit, type RateLimiter } from './rate-limit.ts';

export type HttpServer = {
  listen(): Promise<string>;
  close(): Promise<void>;
  /**
   * Closes every WebSocket with 1012 and ends every SSE stream after the pub/sub link was down: their
   * subscriptions may have missed events (or a revocation), and a client that reconnects and resumes
   * with `after:` misses none.
   */
  resetSubscribers(): void;
  readonly url: string;
};

export type HttpServerOptions = {
  schema: GraphQLSchema;
  services: Services;
  /** A fresh entity manager for each operation. */
  forkEm: () => EntityManager;
  /** Throws (→ 503) when the process cannot serve. */
  readiness: () => Promise<void>;
  extraPlugins?: Plugin[];
  /** This process's sockets and streams by token and account: revocation and subscription limits. */
  live: LiveRegistry;
  /** Per-token request rate (rate-limit.ts); none when absent. */
  rateLimiter?: RateLimiter;
  /** See GraphqlWsOptions.sendQueueLimitBytes (tests only). */
  sendQueueLimitBytes?: () => number;
  /** Bind PORT with SO_REUSEPORT beside other api processes (supervisor.ts): the kernel spreads connections. */
  reusePort?: boolean;
};

/**
 * Armor throws its rejections out of validation by default, which Yoga answers with HTTP 200; reported
 * as ordinary validation errors they get 400 and the GRAPHQL_VALIDATION_FAILED code like any other.
 */
const reportAsValidationError = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/**
 * The `authorization` connection parameter, in any letter case, also when a client (GraphiQL, for one)
 * sends its HTTP headers as `connectionParams.headers`.
 */
function authorizationParam(params: Record<string, unknown> | undefined): string | null {
  if (!params) return null;
  for (const [key, value] of Object.entries(params)) {
    if (key.toLowerCase() === 'authorization' && typeof value === 'string') return value;
  }
  const headers = params.headers;
  return headers && typeof headers === 'object' ? authorizationParam(headers as Record<string, unknown>) : null;
}

type WsExtra = { identity?: Identity; live?: LiveConnection };

const LISTEN_BACKLOG = 8192;
type InitialContext = YogaInitialContext & { connectionParams?: Record<string, unknown>; extra?: WsExtra };

/** GraphQL over HTTP, SSE and graphql-ws on one port and path, with GraphiQL served from this process. */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { services } = options;
  const { config, log } = services;
  // Token lookups only run raw statements (no identity map), so one entity manager serves them all;
  // concurrent requests with one token wait for its lookup instead of each missing the cache.
  const authEm = options.forkEm();
  const identifyRequest = coalescedIdentify((header) => identify(authEm, header, config.adminToken, services.tokens));
  const rateLimiter = options.rateLimiter ?? unlimited({ perSecond: 0, burst: 0 });
  // Each graphql-ws `subscribe` counts as one request of the socket's token; over the limit that
  // operation gets an error and the socket stays open.
  const refuseOverRate = async (tokenId: string | undefined) => {
    if (!tokenId) return null;
    const decision = await rateLimiter.take(tokenId);
    if (decision.ok) return null;
    services.metrics.rateLimited('graphql-ws');
    return rateLimitedError(rateLimiter.settings, decision.retryAfterSeconds);
  };
  const yoga = createYoga<InitialContext, Context>({
    schema: options.schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    logging: log.child({ component: 'yoga' }),
    maskedErrors: { isDev: config.isDev, maskError: maskUnavailable },
    maxRequestBodySize: config.maxRequestBytes,
    // GraphiQL is served compressed and cacheable by useCompressedGraphiQL (graphiql.ts) instead.
    graphiql: false,
    context: async (initial): Promise<Context> => {
      const em = options.forkEm();
      const identity = initial.extra?.identity ?? await identifyRequest(initial.request?.headers.get('authorization'));
      return { em, ...identity, services };
    },
    plugins: [
      useCompressedGraphiQL(),
      // Before anything parses: a token over its limit gets 429 for the price of a map lookup.
      useRateLimit(rateLimiter, identifyRequest, { onRefused: () => services.metrics.rateLimited('http') }),
      // Then a fair share: one account's flood waits in its own line instead of filling the pool.
      useAccountGate(config.accountConcurrency, identifyRequest),
      EnvelopArmorPlugin({
        // Relay connections (edges → node → …) nest deeply; these limits let ordinary frontends
        // through and stop documents built to exhaust the server.
        maxDepth: { n: 12, ...reportAsValidationError },
        maxAliases: { n: 15, ...reportAsValidationError },
        maxTokens: { n: 2000 },
        maxDirectives: { n: 50, ...reportAsValidationError },
        // Armor multiplies by `first`: a full page (5,000 rows of a few dozen fields) must pass,
        // a connection nested in a connection must not.
        costLimit: { maxCost: 1_000_000, ...reportAsValidationError },
        blockFieldSuggestion: { enabled: !config.isDev },
      }),
      // Before the metrics: a stream it refuses (LIMIT_SUBSCRIPTIONS) is then not counted as open.
      useLiveStreams(options.live),
      // Apollo Client's HttpLink subscriptions (multipart/mixed;subscriptionSpec=1.0), beside SSE and graphql-ws.
      useApolloMultipart(),
      // Before the gate, so that operations it refuses are counted too.
      useGraphqlMetrics(services.metrics),
      useAuthGate(),
      useReadinessCheck({ endpoint: '/ready', check: options.readiness }),
      ...(options.extraPlugins ?? []),
    ],
  });

  const server: Server = createServer(yoga);
  // Slow or stuck clients must not hold sockets forever.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  const hub = createSubscriptionHub({
    onLagged: () => services.metrics.subscriberLagged(),
    onError: (error) => log.warn({ err: error }, 'ending a shared subscription failed'),
  });
  services.metrics.observe({ sharedExecutions: () => hub.size });
  const openSubscriptions = subscriptionGauge();
  const validDocuments = documentCache();
  const wsServer = useGraphqlWs<Record<string, unknown>, WsExtra>(
    {
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      // graphql-ws's default is 3 s: in a reconnect storm of thousands the loop can lag behind that,
      // and sockets closed with 4408 only come back and add to the storm.
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        const identity = await identifyRequest(authorizationParam(ctx.connectionParams));
        if (!identity.viewer) {
          // 4401 tells a client its credentials are missing or wrong (graphql-ws reserves 4403 for "forbidden").
          ctx.extra.socket.close(CloseCode.Unauthorized, identity.failure ?? 'Unauthorized: send connectionParams { authorization: "Bearer <token>" }');
          return false;
        }
        ctx.extra.identity = identity;
        // Its token revoked or its account deleted, the socket is closed with 4403 (at once if already heard).
        const { socket } = ctx.extra;
        const live = options.live.open(identity.viewer, 'socket', (reason) => socket.close(CloseCode.Forbidden, reason));
        if (live.ended) return false;
        if (socket.readyState !== socket.OPEN) {
          live.close(); // closed while its token was looked up: onClose has been and gone
          return false;
        }
        ctx.extra.live = live;
        return true;
      },
      onClose: (ctx) => ctx.extra.live?.close(),
      onOperation: (ctx, id, params, _args, result) => {
        if (result && typeof result === 'object' && Symbol.asyncIterator in result) openSubscriptions.set(`${id}`, ctx, services.metrics.subscriptionOpened('graphql-ws'));
        acknowledgeSubscribed(`${id}`, params, result, `${id}` in ctx.subscriptions, ctx.extra.offer);
      },
      onComplete: (ctx, id) => {
        openSubscriptions.close(`${id}`, ctx);
        ctx.extra.live?.release(`${id}`);
      },
      onSubscribe: async (ctx, id, params) => {
        const rateRefusal = await refuseOverRate(ctx.extra.identity?.viewer?.tokenId);
        if (rateRefusal) return [rateRefusal];
        // Yoga's envelope (plugins, context) is built only when needed: a socket joining a shared
        // execution that is already running with a document already validated needs none of it.
        let enveloped: ReturnType<typeof yoga.getEnveloped> | undefined;
        const envelope = () => (enveloped ??= yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params }));
        let document = validDocuments.get(params.query);
        if (!document) {
          const { schema, parse, validate } = envelope();
          let parsed: DocumentNode;
          try {
            parsed = parse(params.query);
          } catch (error) {
            return [error as never];
          }
          const errors = validate(schema, parsed);
          if (errors.length) return errors;
          validDocuments.set(params.query, parsed);
          document = parsed;
        }
        // A slot of the socket's and the account's subscription limits, freed by onComplete or the socket's
        // close; over a limit only this operation is refused (4429 is graphql-ws's own close code for something else).
        const { live } = ctx.extra;
        if (live && getOperationAST(document, params.operationName)?.operation === 'subscription') {
          const refusal = live.acquire(`${id}`);
          if (refusal) return [quotaExceeded(refusal)];
        }
        const accountId = ctx.extra.identity?.viewer?.accountId;
        const key = accountId ? sharingKey(accountId, document, params.query, params.operationName, params.variables) : null;
        if (key) {
          // One execution per (account, document, variables) in this process, its results written to every member.
          const shared = document;
          const member = await hub.join(key, id, ctx.extra.offer, async () => {
            const { schema, subscribe, contextFactory } = envelope();
            const contextValue = await contextFactory();
            const results = await subscribe({ schema, document: shared, operationName: params.operationName, variableValues: params.variables, contextValue });
            return Symbol.asyncIterator in results ? { results: results as AsyncIterable<never>, context: contextValue } : { result: results };
          });
          return { schema: options.schema, document, operationName: params.operationName, variableValues: params.variables, rootValue: { subscribe: () => member } };
        }
        const { schema, execute, subscribe, contextFactory } = envelope();
        const args = {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        return args;
      },
    },
    { server, path: yoga.graphqlEndpoint, maxPayload: 1024 * 1024, log, metrics: services.metrics, sendQueueLimitBytes: options.sendQueueLimitBytes },
  );

  let url = '';
  let closing: Promise<void> | undefined;
  return {
    get url() {
      return url;
    },
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        // A reconnect storm (every client of a restarted server at once) arrives faster than one
        // process accepts: with Node's default backlog of 511 the kernel drops the rest, and those
        // clients retry their SYN only after 1, 3, 7… seconds. The kernel caps this at somaxconn.
        // exclusive: a node:cluster child binds its own socket instead of asking the primary to share one.
        const sharing = options.reusePort ? { reusePort: true, exclusive: true } : {};
        server.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG, ...sharing }, () => {
          const { port } = server.address() as AddressInfo;
          const host = config.host.includes(':') ? `[${config.host}]` : config.host;
          url = `http://${host}:${port}/graphql`;
          resolve(url);
        });
      }),
    resetSubscribers() {
      wsServer.closeAll(CloseCode.ServiceRestart, 'The event stream was interrupted: reconnect and resume with after:');
      options.live.endStreams('The event stream was interrupted: subscribe again and resume with after:');
    },
    close() {
      closing ??= (async () => {
        // Stop accepting first, then say goodbye to every WebSocket (1001 Going Away), then let
        // in-flight HTTP requests finish.
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await wsServer.dispose();
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), 10_000);
        await stopped;
        clearTimeout(force);
      })();
      return closing;
    },
  };
}

/**
 * Documents that parsed and passed validation (armor's limits included), by their text: a reconnect
 * storm subscribes with the same few documents thousands of times. Validation depends on the schema
 * and the document only; authorisation is checked when an execution starts. Bounded in entries and
 * in the length of a document kept.
 */
function documentCache(maxEntries = 1000, maxLength = 16_384) {
  const documents = new Map<string, DocumentNode>();
  return {
    get: (query: string) => documents.get(query),
    set(query: string, document: DocumentNode) {
      if (query.length > maxLength) return;
      if (documents.size >= maxEntries) documents.delete(documents.keys().next().value!);
      documents.set(query, document);
    },
  };
}

/** Closes the metrics' count of each graphql-ws subscription when graphql-ws completes it. */
function subscriptionGauge() {
  const open = new WeakMap<object, Map<string, () => void>>();
  return {
    set(id: string, ctx: object, close: () => void) {
      let byId = open.get(ctx);
      if (!byId) open.set(ctx, (byId = new Map()));
      byId.set(id, close);
    },
    close(id: string, ctx: object) {
      const byId = open.get(ctx);
      byId?.get(id)?.();
      byId?.delete(id);
    },
  };
}
