import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../platform/services.ts';

export type { Services };

/** Who is calling: an account, through one of its API tokens. */
export type Viewer = Readonly<{ accountId: string; tokenId: string }>;

export type Context = {
  /** A fork of the ORM's entity manager, one per request or subscription operation. */
  em: EntityManager;
  viewer: Viewer | null;
  isAdmin: boolean;
  /** Why the credentials sent were refused, for the UNAUTHENTICATED error. */
  failure: string | null;
  services: Services;
};

/** The viewer of an operation that the authentication plugin has already let through. */
export function viewerOf(ctx: Context): Viewer {
  if (!ctx.viewer) throw new Error('viewerOf called on an unauthenticated context');
  return ctx.viewer;
}
