import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import type { Context } from './context.ts';
import { authError } from './auth-errors.ts';
import InputGuardPlugin from './input-guard.ts';
import { decodeNodeId, isKnownNodeId } from './ids.ts';

export type Scalars = {
  DateTime: { Input: Date; Output: Date };
  Date: { Input: string; Output: string };
  LocalTime: { Input: string; Output: string };
  File: { Input: File; Output: never };
};

/** Configuration only: types, queries and mutations live beside their features. */
export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: Scalars;
  AuthScopes: { account: boolean; admin: boolean };
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  // The input guard after the errors plugin, which wraps it: its ValidationError becomes data.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, InputGuardPlugin, RelayPlugin, DataloaderPlugin, SimpleObjectsPlugin],
  scopeAuth: {
    authScopes: (ctx) => ({ account: ctx.viewer !== null, admin: ctx.isAdmin }),
    authorizeOnSubscribe: true,
    unauthorizedError: (_parent, ctx) => authError(ctx),
  },
  errors: { directResult: true },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    nodesQueryOptions: false,
    // Any id that is not a known node type with a well-formed key is simply no node (null).
    decodeGlobalID: decodeNodeId,
    nodeQueryOptions: { resolve: (_root, { id }, _ctx, info, resolveNode) => (isKnownNodeId(id, info) ? resolveNode(id) : null) },
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
