import type { Plugin } from 'graphql-yoga';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { assetResponse, compressedLazily, type Asset } from './static-assets.ts';

/** What a newcomer sees in GraphiQL: the first steps, runnable. */
export const GRAPHIQL_DEFAULT_QUERY = `# Welcome to Tickler.
#
# 1. With the admin token (printed when the server started) in the Headers tab,
#    create an account; the answer holds the account's API token:
#
#    mutation {
#      createAccount(input: { name: "Ada", timeZone: "Europe/Paris" }) {
#        ... on CreateAccountPayload { token account { id name } }
#        ... on ValidationError { message fieldErrors { path message } }
#      }
#    }
#
# 2. Put that token in the Headers tab ({"Authorization": "Bearer tk_..."}) and run:

query Me {
  me {
    id
    name
    timeZone
    defaultCalendar { id name workingHours { weekday start end } }
  }
}
`;

/** GraphiQL's options: its page is rendered from them once per process. */
export const GRAPHIQL_OPTIONS = {
  title: 'Tickler',
  // Over SSE the headers tab's Authorization travels with each request, as for queries; GraphiQL
  // would send it over WebSocket only inside each operation, after our token check at connect.
  subscriptionsProtocol: 'SSE' as const,
  defaultQuery: GRAPHIQL_DEFAULT_QUERY,
  headers: JSON.stringify({ Authorization: 'Bearer <paste your token here>' }, null, 2),
};

/**
 * Serves GraphiQL at GET /graphql (Accept: text/html) in place of Yoga's own handler, which sends its
 * 9 MB page uncompressed on every visit: here the page is rendered once, compressed on first demand
 * (≈1.9 MB brotli) and revalidated by ETag (a 304 without a body on later visits).
 */
export function useCompressedGraphiQL(endpoint = '/graphql'): Plugin {
  let page: Asset | undefined;
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (request.method !== 'GET' || (url.pathname !== endpoint && url.pathname !== `${endpoint}/`)) return;
      if (!request.headers.get('accept')?.includes('text/html')) return;
      page ??= compressedLazily(renderGraphiQL(GRAPHIQL_OPTIONS), 'text/html; charset=utf-8', 'no-cache');
      endResponse(assetResponse(request, page, fetchAPI.Response));
    },
  };
}
