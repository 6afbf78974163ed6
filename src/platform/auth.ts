import type { EntityManager } from '@mikro-orm/postgresql';
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { bearerToken, hashToken, safeEqual } from '../accounts/token.ts';
import type { Viewer } from '../graphql/context.ts';
import { unauthenticated, forbidden } from '../graphql/auth-errors.ts';
import { findToken, type TokenCache } from './token-cache.ts';

export type Identity = { viewer: Viewer | null; isAdmin: boolean; failure: string | null };

const ANONYMOUS = { viewer: null, isAdmin: false };

/**
 * Resolves an `Authorization` header value to the account (or admin) it stands for; with `tokens`,
 * through the process's token cache (no query for a token seen before), else with the same lookup.
 */
export async function identify(em: EntityManager, header: string | null | undefined, adminToken: string | undefined, tokens?: TokenCache): Promise<Identity> {
  if (!header) return { ...ANONYMOUS, failure: null };
  const token = bearerToken(header);
  if (!token) return { ...ANONYMOUS, failure: 'The Authorization header must be "Bearer <token>"' };
  if (adminToken && safeEqual(token, adminToken)) return { viewer: null, isAdmin: true, failure: null };
  const hash = hashToken(token);
  const found = tokens ? await tokens.lookup(em, hash) : await findToken(em, hash);
  if (!found) return { ...ANONYMOUS, failure: 'The token is unknown or has been revoked' };
  return { viewer: { accountId: found.accountId, tokenId: found.tokenId }, isAdmin: false, failure: null };
}

const INTROSPECTION = new Set(['__schema', '__type', '__typename']);
const ADMIN_FIELDS = new Set(['createAccount']);

/**
 * Deny by default: an operation without an account token may only introspect, and the admin token may
 * only create accounts. Checked once per operation, before any resolver runs.
 */
export function useAuthGate(): Plugin<Identity> {
  const check = (document: DocumentNode, operationName: string | null | undefined, identity: Identity) => {
    if (identity.viewer) return null;
    const fields = rootFields(document, operationName);
    // createAccount checks the admin token itself (scope-auth), with its own error.
    if (fields.every((f) => INTROSPECTION.has(f) || ADMIN_FIELDS.has(f))) return null;
    if (identity.isAdmin) return forbidden('The admin token may only create accounts; use an account token');
    return unauthenticated(identity.failure ?? undefined);
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args.document, args.operationName, args.contextValue);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args.document, args.operationName, args.contextValue);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}

function rootFields(document: DocumentNode, operationName: string | null | undefined): string[] {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return [];
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const names: string[] = [];
  const visit = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) names.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment, seen);
      }
    }
  };
  visit(operation.selectionSet, new Set());
  return names;
}
