import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import type { Context } from './context.ts';
import { authError } from './auth-errors.ts';

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
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, DataloaderPlugin, SimpleObjectsPlugin],
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
    nodeQueryOptions: {},
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
