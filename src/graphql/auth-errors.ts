import { GraphQLError } from 'graphql';

/** Missing or unknown credentials: HTTP 401, WebSocket close 4401. */
export function unauthenticated(message = 'Authentication required: send "Authorization: Bearer <token>"'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** Valid credentials without the right to do this: HTTP 403. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

export function authError(ctx: { viewer: unknown; isAdmin: boolean; failure?: string | null }): GraphQLError {
  // The auth gate lets an operation without an account through only for createAccount (and
  // introspection, which no scope guards), so a token refused here was offered as the admin token.
  if (ctx.viewer === null && !ctx.isAdmin) return unauthenticated(ctx.failure ? 'That is not the admin token' : undefined);
  return forbidden(ctx.isAdmin ? 'The admin token may only create accounts; use an account token' : 'This operation needs the admin token');
}
