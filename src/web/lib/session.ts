/** The API token lives in localStorage, so a reload keeps you signed in; signing out forgets it. */
const KEY = 'tickler.token';

export function loadToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string | null): void {
  if (token) localStorage.setItem(KEY, token);
  else localStorage.removeItem(KEY);
}

/** Where the GraphQL endpoint is: the console is served by Tickler itself, so the same origin. */
export function graphqlUrl(): string {
  return new URL('/graphql', location.href).toString();
}
