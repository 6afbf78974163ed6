import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { createWsClient, type ConnectionEvent, type WsClient } from '../../client/ws.ts';
import { graphqlUrl } from './session.ts';

export type LinkState = 'connecting' | 'live' | 'down';

/** Observable state of the WebSocket link, for the live indicator and for catching up after a gap. */
export class LiveLink {
  state: LinkState = 'connecting';
  /** Increments on every reconnect after a drop (and after a lag with no cursor): views refetch what they show when it changes. */
  generation = 0;
  lastDownAt: number | null = null;
  private everConnected = false;
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  set(state: LinkState) {
    if (state === this.state) return;
    if (state === 'live') {
      if (this.everConnected && this.state !== 'live') this.generation += 1;
      this.everConnected = true;
    }
    if (state === 'down') this.lastDownAt = Date.now();
    this.state = state;
    this.notify();
  }

  /** Events may have been missed without a drop (a subscription without a cursor fell behind). */
  resync() {
    this.generation += 1;
    this.notify();
  }

  private notify() {
    for (const l of this.listeners) l();
  }
}

export type Session = { client: Client; ws: WsClient; link: LiveLink; dispose(): void };

/** The shared client's connection events as the console's link state. */
export function linkReporter(link: LiveLink, onUnauthorized: () => void): (event: ConnectionEvent) => void {
  return (event) => {
    if (event.state === 'connecting') link.set(event.attempt > 1 ? 'down' : 'connecting');
    else if (event.state === 'connected') link.set('live');
    else if (event.state === 'lagged') {
      if (event.cursor === null) link.resync();
    } else {
      link.set('down');
      if (event.state === 'closed' && event.code === 4401) onUnauthorized();
    }
  };
}

/**
 * One urql client per signed-in token: urql is the cache and the React binding, queries and
 * mutations go over HTTP, and subscriptions are forwarded to the shared client (src/client/ws.ts),
 * the same connection, heartbeat, backoff and resume-from-cursor as the CLI and the bot.
 */
export function createSession(token: string, onUnauthorized: () => void): Session {
  const link = new LiveLink();
  const ws = createWsClient({
    url: graphqlUrl(),
    token,
    webSocketImpl: WebSocket,
    eager: true,
    heartbeatMs: 10_000,
    // Quick first retries (a restart takes a second or two), then at most every 5 s.
    backoff: { baseMs: 300, maxMs: 5000 },
    onConnection: linkReporter(link, onUnauthorized),
  });
  const client = new Client({
    url: graphqlUrl(),
    requestPolicy: 'cache-and-network',
    preferGetMethod: false,
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request, operation) {
          // `client.subscription(doc, vars, { onSubscribed })` hears when the server listens (ws.ts).
          const onSubscribed = operation.context.onSubscribed as (() => void) | undefined;
          return {
            subscribe: (sink) => ({
              unsubscribe: ws.subscribe(operation.query, request.variables ?? {}, {
                next: (data) => sink.next({ data: data as Record<string, unknown> }),
                error: (error) => sink.error(error),
                complete: () => sink.complete(),
                ...(onSubscribed ? { subscribed: onSubscribed } : {}),
              }),
            }),
          };
        },
      }),
    ],
  });
  return { client, ws, link, dispose: () => void ws.dispose() };
}

/** A client for the first-run screen, which speaks with the admin token over HTTP only. */
export function createAdminClient(adminToken: string): Client {
  return new Client({
    url: graphqlUrl(),
    requestPolicy: 'network-only',
    preferGetMethod: false,
    fetchOptions: () => ({ headers: { authorization: `Bearer ${adminToken}` } }),
    exchanges: [fetchExchange],
  });
}
