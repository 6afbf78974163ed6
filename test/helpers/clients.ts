import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export type GraphQLResponse<T> = { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
export type Request = { query: string; variables?: Record<string, unknown>; token?: string; operationName?: string };

/** POSTs one operation and returns the parsed body (and the HTTP status, for auth tests). */
export async function graphqlWithStatus<T = Record<string, any>>(url: string, request: Request): Promise<{ status: number; body: GraphQLResponse<T> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
    },
    body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<T> };
}

export async function graphql<T = Record<string, any>>(url: string, request: Request): Promise<GraphQLResponse<T>> {
  return (await graphqlWithStatus<T>(url, request)).body;
}

/** Like `graphql`, but fails on any GraphQL error and returns `data`. */
export async function graphqlData<T = Record<string, any>>(url: string, request: Request): Promise<T> {
  const body = await graphql<T>(url, request);
  if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

export function wsUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws');
}

/** A graphql-ws client authenticated with `token`; `closed` records how the server closed it. */
export function wsClient(httpUrl: string, token: string | null, options: { lazy?: boolean; connectionParams?: Record<string, unknown> } = {}) {
  const closes: { code: number; reason: string }[] = [];
  const client: Client = createClient({
    url: wsUrl(httpUrl),
    webSocketImpl: WebSocket,
    lazy: options.lazy ?? true,
    retryAttempts: 0,
    connectionParams: options.connectionParams ?? (token ? { authorization: `Bearer ${token}` } : {}),
    on: { closed: (event) => closes.push({ code: (event as CloseEvent).code, reason: (event as CloseEvent).reason }) },
  });
  return { client, closes };
}

/**
 * A subscription whose messages are awaited one at a time with a deadline, so tests wait for
 * events instead of sleeping.
 */
export class Subscription<T = Record<string, any>> {
  private readonly buffer: GraphQLResponse<T>[] = [];
  private readonly waiters: ((value: GraphQLResponse<T> | Error) => void)[] = [];
  private ended: Error | null = null;
  private readonly dispose: () => void;

  constructor(client: Client, request: { query: string; variables?: Record<string, unknown> }) {
    this.dispose = client.subscribe<T>(request, {
      next: (value) => this.push(value as GraphQLResponse<T>),
      error: (error) => this.finish(error instanceof Error ? error : new Error(JSON.stringify(error))),
      complete: () => this.finish(new Error('subscription completed')),
    });
  }

  /** The next message; rejects after `timeoutMs` or when the subscription ends first. */
  next(timeoutMs = 5000): Promise<GraphQLResponse<T>> {
    const queued = this.buffer.shift();
    if (queued) return Promise.resolve(queued);
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no subscription message within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (value: GraphQLResponse<T> | Error) => {
        clearTimeout(timer);
        if (value instanceof Error) reject(value);
        else resolve(value);
      };
      this.waiters.push(waiter);
    });
  }

  /** Messages received but not yet taken with next(). */
  get pending(): number {
    return this.buffer.length;
  }

  close(): void {
    this.dispose();
  }

  private push(value: GraphQLResponse<T>) {
    const waiter = this.waiters.shift();
    if (waiter) waiter(value);
    else this.buffer.push(value);
  }

  private finish(error: Error) {
    this.ended = error;
    for (const waiter of this.waiters.splice(0)) waiter(error);
  }
}

/**
 * Subscribes over SSE (GraphQL over HTTP, `Accept: text/event-stream`) and yields each `next` event's data.
 */
export async function sseSubscribe(url: string, request: Request, signal: AbortSignal) {
  const response = await fetch(url, {
    method: 'POST',
    signal,
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
    },
    body: JSON.stringify({ query: request.query, variables: request.variables }),
  });
  return { response, events: response.ok && response.body ? parseSse(response.body) : null };
}

async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string; data: any }> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of body) {
    text += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trim());
      }
      if (data.length) yield { event, data: JSON.parse(data.join('\n')) };
    }
  }
}

/** Rejects when `promise` takes longer than `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    }),
  ]);
}
