/**
 * The graphql-ws transport every client shares (CLI, bot, console): token in connectionParams,
 * reconnect with exponential backoff and jitter, a heartbeat, and subscriptions that resume from
 * their cursor. graphql-ws answers the server's pings, but a connection that died silently (a laptop
 * that slept, a NAT that forgot us) stays "open" for ever: the client pings too and terminates the
 * socket when no pong comes back in time, which makes graphql-ws reconnect.
 *
 * Nothing here imports Node: the WebSocket implementation is a parameter (the browser's own
 * `WebSocket`, or `ws` in Node), so the console bundles this same module.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import type { DocumentNode } from 'graphql';
import { TicklerClientError } from './errors.ts';
import { endpointUrl, queryText } from './http.ts';

export type ConnectionEvent =
  | { state: 'connecting'; attempt: number }
  | { state: 'connected'; attempt: number }
  | { state: 'closed'; code: number; reason: string }
  | { state: 'heartbeat-timeout' }
  /** The server ended a subscription that fell behind; `cursor` null means events may have been missed. */
  | { state: 'lagged'; cursor: string | null };

export type WsClientOptions = {
  url: string;
  token?: string | null;
  /** The WebSocket constructor: `globalThis.WebSocket` in a browser, `ws`'s default export in Node. */
  webSocketImpl: unknown;
  /** Connect at once rather than on the first subscription (the console shows a live indicator). */
  eager?: boolean;
  /** Ping every this many ms (default 15 s); 0 disables the heartbeat. */
  heartbeatMs?: number;
  /** No pong within this many ms after a ping: the connection is dead (default 5 s). */
  pongTimeoutMs?: number;
  /** Backoff between reconnections: base and cap in ms (default 500 ms … 30 s). */
  backoff?: { baseMs: number; maxMs: number };
  onConnection?: (event: ConnectionEvent) => void;
};

export type Sink<R> = {
  next(data: R): void;
  error(error: TicklerClientError): void;
  complete?(): void;
  /**
   * With this, the server is asked to say when it listens for the subscription's events (again after
   * every reconnection): from then on nothing is missed, so a snapshot read afterwards plus the events
   * delivered since is the whole story (platform/subscribed-ack.ts).
   */
  subscribed?(): void;
};

export type WsClient = {
  readonly client: Client;
  /**
   * Subscribes, and stays subscribed across reconnections and LAGGED ends. A subscription that
   * declares `$after` resumes after the last `cursor` its root field delivered (or the cursor a
   * LAGGED error names), so the caller sees neither a gap nor a duplicate. Returns the unsubscribe function.
   */
  subscribe<R, V>(document: TypedDocumentNode<R, V> | DocumentNode, variables: V, sink: Sink<R>): () => void;
  dispose(): Promise<void>;
};

/** Delay before reconnection attempt `retries` (0-based): exponential, capped, with full jitter on top half. */
export function backoffDelay(retries: number, base: number, max: number, random = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** Math.min(retries, 16));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

export function wsUrlOf(httpUrl: string): string {
  return endpointUrl(httpUrl).replace(/^http/, 'ws');
}

export function createWsClient(options: WsClientOptions): WsClient {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const pongTimeoutMs = options.pongTimeoutMs ?? 5_000;
  const backoff = options.backoff ?? { baseMs: 500, maxMs: 30_000 };
  const report = options.onConnection ?? (() => undefined);
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  const client: Client = createClient({
    url: wsUrlOf(options.url),
    webSocketImpl: options.webSocketImpl,
    lazy: !options.eager,
    keepAlive: heartbeatMs,
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : {},
    retryAttempts: Number.POSITIVE_INFINITY,
    // A referenced timer: while the server is down, this wait is all that keeps a listener's process alive.
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, backoffDelay(retries, backoff.baseMs, backoff.maxMs))),
    // graphql-ws already gives up on 4400/4401/4500…; a 4403 (admin token on a socket) will not heal either.
    shouldRetry: (event) => !(isCloseEvent(event) && (event.code === 4401 || event.code === 4403)),
    on: {
      connecting: () => report({ state: 'connecting', attempt: ++attempt }),
      connected: () => report({ state: 'connected', attempt }),
      ping: (received) => {
        if (received || !(pongTimeoutMs > 0)) return;
        clearTimeout(pongTimer);
        pongTimer = setTimeout(() => {
          report({ state: 'heartbeat-timeout' });
          client.terminate();
        }, pongTimeoutMs);
        (pongTimer as { unref?: () => void }).unref?.();
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
      closed: (event) => {
        clearTimeout(pongTimer);
        if (isCloseEvent(event)) report({ state: 'closed', code: event.code, reason: event.reason });
      },
    },
  });
  return {
    client,
    subscribe(document, variables, sink) {
      const resumable = declaresAfter(document);
      const query = queryText(document);
      const given = (variables ?? {}) as Record<string, unknown>;
      let after = resumable ? ((given.after as string | null | undefined) ?? null) : null;
      // graphql-ws sends this same object again on every reconnection: the getter makes it resume
      // after the last event delivered, never from where the caller first started.
      const sent = resumable
        ? Object.defineProperty({ ...given }, 'after', { enumerable: true, get: () => after })
        : given;
      const extensions = sink.subscribed ? { subscribedAck: true } : undefined;
      let stopped = false;
      let cancel = () => undefined as void;
      const start = () => {
        cancel = client.subscribe<any>(
          { query, variables: sent, extensions },
          {
            next: (value) => {
              if (value.errors?.length) return sink.error(graphqlErrors(value.errors));
              if (!value.data) {
                if ((value.extensions as { subscribed?: unknown } | undefined)?.subscribed === true) sink.subscribed?.();
                return;
              }
              if (resumable) after = rootCursor(value.data) ?? after;
              sink.next(value.data);
            },
            error: (error) => {
              const lagged = laggedCursor(error);
              if (lagged === undefined || stopped) return sink.error(toClientError(error));
              // The server dropped us for falling behind and says where to pick up: the one place
              // every client resumes, so none of them sees a gap or a duplicate.
              if (resumable && lagged !== null) after = lagged;
              report({ state: 'lagged', cursor: resumable ? lagged : null });
              start();
            },
            complete: () => sink.complete?.(),
          },
        );
      };
      start();
      return () => {
        stopped = true;
        cancel();
      };
    },
    async dispose() {
      clearTimeout(pongTimer);
      await client.dispose();
    },
  };
}

/** Whether the (first) operation declares `$after`: a subscription that can resume from a cursor. */
function declaresAfter(document: DocumentNode): boolean {
  return document.definitions.some((d) => d.kind === 'OperationDefinition' && (d.variableDefinitions ?? []).some((v) => v.variable.name.value === 'after'));
}

/** The `cursor` of the subscription's root field, when it has one. */
function rootCursor(data: Record<string, unknown>): string | undefined {
  for (const value of Object.values(data)) {
    const cursor = (value as { cursor?: unknown } | null)?.cursor;
    if (typeof cursor === 'string') return cursor;
  }
  return undefined;
}

/** For a LAGGED error: the cursor it names (null when it names none); undefined for any other error. */
export function laggedCursor(error: unknown): string | null | undefined {
  if (!Array.isArray(error)) return undefined;
  const lagged = error.find((e) => e?.extensions?.code === 'LAGGED');
  if (!lagged) return undefined;
  return typeof lagged.extensions.cursor === 'string' ? lagged.extensions.cursor : null;
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'number';
}

function graphqlErrors(errors: readonly { message: string; extensions?: Record<string, unknown> }[]): TicklerClientError {
  const auth = errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
  return new TicklerClientError(auth ? 'auth' : 'server', errors.map((e) => e.message).join('; '));
}

/** What the sink's error gets: a close event, an array of GraphQL errors, or an Error. */
export function toClientError(error: unknown): TicklerClientError {
  if (error instanceof TicklerClientError) return error;
  if (Array.isArray(error)) return graphqlErrors(error);
  if (isCloseEvent(error)) {
    if (error.code === 4401) return new TicklerClientError('auth', `Not authenticated: ${error.reason || 'the token was refused'}`);
    if (error.code === 4403) return new TicklerClientError('forbidden', error.reason || 'Forbidden');
    return new TicklerClientError('network', `The connection closed (${error.code}${error.reason ? ` ${error.reason}` : ''})`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TicklerClientError('network', `WebSocket error: ${message}`, { cause: error });
}
