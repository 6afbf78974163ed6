import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { graphqlUrl, graphqlWsUrl } from './session.ts';

export type LinkState = 'connecting' | 'live' | 'down';

/** Observable state of the WebSocket link, for the live indicator and for catching up after a gap. */
export class LiveLink {
  state: LinkState = 'connecting';
  /** Increments on every reconnect after a drop: views refetch what they show when it changes. */
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
    for (const l of this.listeners) l();
  }
}

export type Session = { client: Client; ws: WsClient; link: LiveLink; dispose(): void };

/**
 * One urql client per signed-in token: queries and mutations over HTTP, subscriptions over one
 * graphql-ws socket that reconnects forever with backoff (a 4401 means the token is no longer valid).
 */
export function createSession(token: string, onUnauthorized: () => void): Session {
  const link = new LiveLink();
  const ws = createWsClient({
    url: graphqlWsUrl(),
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    // Quick first retries (a restart takes a second or two), then at most every 5 s.
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(5000, 300 * 2 ** retries) + Math.random() * 300)),
    shouldRetry: () => true,
    connectionParams: () => ({ authorization: `Bearer ${token}` }),
    on: {
      connecting: (isRetry) => link.set(isRetry ? 'down' : 'connecting'),
      connected: () => link.set('live'),
      closed: (event) => {
        link.set('down');
        if ((event as CloseEvent | undefined)?.code === 4401) onUnauthorized();
      },
    },
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
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
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
