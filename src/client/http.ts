/**
 * The HTTP transport: typed operations (generated documents) POSTed with the account's token.
 * GraphQL errors and HTTP failures become TicklerClientErrors with a kind, never raw bodies.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DocumentNode } from 'graphql';
// urql's own printer: the console bundles it already, and graphql-js's would add 16 kB to it.
import { print } from '@0no-co/graphql.web';
import { TicklerClientError } from './errors.ts';

export type HttpClientOptions = {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql (a bare origin gets /graphql). */
  url: string;
  token?: string | null;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  userAgent?: string;
};

export type HttpClient = {
  readonly url: string;
  request<R, V>(document: TypedDocumentNode<R, V>, variables?: V): Promise<R>;
};

type Body = { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };

const printed = new WeakMap<DocumentNode, string>();

/** Prints each document once; generated documents are shared objects. */
export function queryText(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

/** Accepts "http://host:4000", "http://host:4000/" or the full "/graphql" URL. */
export function endpointUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TicklerClientError('usage', `Not a URL: '${url}' (expected e.g. http://127.0.0.1:4000)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TicklerClientError('usage', `Not an http(s) URL: '${url}'`);
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/graphql';
  return parsed.toString();
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const url = endpointUrl(options.url);
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    url,
    async request(document, variables) {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          signal: AbortSignal.timeout(timeoutMs),
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json, application/json',
            ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          },
          body: JSON.stringify({ query: queryText(document), variables: variables ?? {} }),
        });
      } catch (error) {
        throw networkError(url, error);
      }
      let body: Body;
      try {
        body = (await response.json()) as Body;
      } catch (error) {
        throw new TicklerClientError('server', `Tickler at ${url} answered HTTP ${response.status} without a GraphQL body`, { cause: error });
      }
      const errors = body.errors ?? [];
      const codes = errors.map((e) => e.extensions?.code);
      if (response.status === 401 || codes.includes('UNAUTHENTICATED')) {
        throw new TicklerClientError('auth', `Not authenticated: ${errors[0]?.message ?? 'the token was refused'}`);
      }
      if (codes.includes('FORBIDDEN')) throw new TicklerClientError('forbidden', errors[0]?.message ?? 'Forbidden');
      if (errors.length || body.data == null) {
        const message = errors.map((e) => e.message).join('; ') || `HTTP ${response.status} without data`;
        throw new TicklerClientError('server', message);
      }
      return body.data as never;
    },
  };
}

function networkError(url: string, error: unknown): TicklerClientError {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new TicklerClientError('network', `Tickler at ${url} did not answer in time`, { cause: error });
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
  return new TicklerClientError('network', `Cannot reach Tickler at ${url}: ${cause}`, { cause: error });
}
