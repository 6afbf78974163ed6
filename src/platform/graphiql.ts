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
      page ??= compressedLazily(graphiqlPage(), 'text/html; charset=utf-8', 'no-cache');
      endResponse(assetResponse(request, page, fetchAPI.Response));
    },
  };
}

const VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />';

// GraphiQL lays its panes side by side at any width: on a phone the response was squeezed to a sliver
// beside the query, and an open plugin (the docs) pushed the page 476 px wide. Below 768 px the editors
// and the response are stacked, each half the height, and an open plugin takes the whole width until
// its sidebar button closes it again; the title beside the tabs gives way to them. (GraphiQL 5's
// session element has no class of its own: it is the one holding a drag bar; the main element holds
// one only while a plugin is open.)
const NARROW_CSS = `@media (max-width: 767px) {
  .graphiql-sessions { margin: 8px 8px 8px 0; }
  .graphiql-sessions > div:has(> .graphiql-horizontal-drag-bar) { flex-direction: column; min-height: 0; }
  .graphiql-sessions .graphiql-horizontal-drag-bar { display: none; }
  .graphiql-sessions .graphiql-editors, .graphiql-sessions .graphiql-response { flex: 1 1 0 !important; min-width: 0; min-height: 0; display: flex !important; }
  .graphiql-main:has(> .graphiql-horizontal-drag-bar) > .graphiql-plugin { flex: 1 1 0 !important; min-width: 0 !important; }
  .graphiql-main:has(> .graphiql-horizontal-drag-bar) > :is(.graphiql-horizontal-drag-bar, .graphiql-sessions) { display: none; }
  .graphiql-container .graphiql-logo { display: none; }
}
/* The title beside the logo was grey at 76 % on grey, and Monaco draws an editor's last, empty line's
   number at 40 % (axe: color-contrast). */
.graphiql-container .graphiql-logo, .graphiql-container .graphiql-logo .graphiql-logo-link { color: hsl(var(--color-neutral)); }
.graphiql-container .monaco-editor .line-numbers.dimmed-line-number { color: var(--vscode-editorLineNumber-foreground); }`;

// GraphiQL's tab strip is a role="tablist" <ul> whose <li>s carry role="tab" and aria-selected around a
// button (and, with two tabs or more, a close button): controls inside a control and a tablist holding
// more than tabs, which screen readers announce badly (axe: nested-interactive, aria-required-children,
// aria-allowed-attr). No arrangement of roles fits that markup, so it is made a plain list of buttons,
// the active one marked aria-current. React writes the <li>'s aria-selected again whenever the active
// tab changes, hence the observer; it writes only what differs, so its own writes end there.
const TAB_REPAIR = `new MutationObserver(() => {
  for (const list of document.querySelectorAll('ul.graphiql-tabs')) {
    if (list.hasAttribute('role')) list.removeAttribute('role');
    for (const li of list.children) {
      if (li.hasAttribute('role')) li.removeAttribute('role');
      const selected = li.getAttribute('aria-selected');
      if (selected === null) continue;
      li.removeAttribute('aria-selected');
      const button = li.querySelector('button[aria-controls]');
      if (selected === 'true') button?.setAttribute('aria-current', 'true');
      else button?.removeAttribute('aria-current');
    }
  }
}).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['role', 'aria-selected'] });`;

/**
 * Yoga's GraphiQL page, made for phones too: its template has no viewport tag (a phone laid it out
 * 980 px wide and shrank it), and the repairs above.
 */
export function graphiqlPage(): string {
  let html = renderGraphiQL(GRAPHIQL_OPTIONS);
  // Replacer functions: a replacement string would read any `$&` in the inserted text as a pattern.
  if (!/<meta name="viewport"/.test(html)) html = html.replace('<head>', () => `<head>\n    ${VIEWPORT}`);
  return html.replace('</head>', () => `<style>${NARROW_CSS}</style>\n<script>${TAB_REPAIR}</script>\n</head>`);
}
