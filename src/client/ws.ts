/**
 * The graphql-ws transport: token in connectionParams, reconnect with exponential backoff and
 * jitter, and a heartbeat. graphql-ws answers the server's pings, but a connection that died
 * silently (a laptop that slept, a NAT that forgot us) stays "open" for ever: the client pings too
 * and terminates the socket when no pong comes back in time, which makes graphql-ws reconnect.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { TicklerClientError } from './errors.ts';
import { endpointUrl, queryText } from './http.ts';

export type ConnectionEvent =
  | { state: 'connecting'; attempt: number }
  | { state: 'connected'; attempt: number }
  | { state: 'closed'; code: number; reason: string }
  | { state: 'heartbeat-timeout' };

export type WsClientOptions = {
  url: string;
  token?: string | null;
  /** Ping every this many ms (default 15 s); 0 disables the heartbeat. */
  heartbeatMs?: number;
  /** No pong within this many ms after a ping: the connection is dead (default 5 s). */
  pongTimeoutMs?: number;
  /** Backoff between reconnections: base and cap in ms (default 500 ms … 30 s). */
  backoff?: { baseMs: number; maxMs: number };
  onConnection?: (event: ConnectionEvent) => void;
};

export type Sink<R> = { next(data: R): void; error(error: TicklerClientError): void; complete?(): void };

export type WsClient = {
  readonly client: Client;
  /**
   * Subscribes; after a reconnection graphql-ws subscribes again with the same variables object,
   * so give it getters for values that move (a resume cursor). Returns the unsubscribe function.
   */
  subscribe<R, V>(document: TypedDocumentNode<R, V>, variables: V, sink: Sink<R>): () => void;
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
  let pongTimer: NodeJS.Timeout | undefined;
  let attempt = 0;
  const client: Client = createClient({
    url: wsUrlOf(options.url),
    webSocketImpl: WebSocket,
    lazy: true,
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
        pongTimer.unref?.();
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
      return client.subscribe<any>(
        { query: queryText(document), variables: variables as Record<string, unknown> },
        {
          next: (value) => {
            if (value.errors?.length) sink.error(graphqlErrors(value.errors));
            else if (value.data) sink.next(value.data);
          },
          error: (error) => sink.error(toClientError(error)),
          complete: () => sink.complete?.(),
        },
      );
    },
    async dispose() {
      clearTimeout(pongTimer);
      await client.dispose();
    },
  };
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
