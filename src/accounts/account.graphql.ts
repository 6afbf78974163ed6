import { builder } from '../graphql/builder.ts';
import { viewerOf } from '../graphql/context.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { decodeId } from '../graphql/ids.ts';
import { Account } from './account.entity.ts';
import { ApiToken } from './api-token.entity.ts';
import { Calendar } from '../calendar/calendar.entity.ts';
import { CalendarRef } from '../calendar/calendar.graphql.ts';
import * as accounts from './account.service.ts';
import { ID_ONLY, selectsOnly } from '../graphql/selection.ts';

/**
 * An account as GraphQL shows it: an entity, or the process's cached snapshot of one (account-cache.ts),
 * which also knows the default calendar's id.
 */
type AccountView = Pick<Account, 'id' | 'name' | 'timeZone' | 'webhookSecret' | 'createdAt'> & { defaultCalendarId?: string };

export const AccountRef = builder.objectRef<AccountView>('Account');
export const ApiTokenRef = builder.objectRef<ApiToken>('ApiToken');

builder.node(AccountRef, {
  id: { resolve: (account) => account.id },
  // An account is visible to itself only.
  loadOne: (id, ctx) => (ctx.viewer?.accountId === id ? ctx.em.findOne(Account, id) : null),
  fields: (t) => ({
    name: t.exposeString('name', { nullable: false }),
    timeZone: t.exposeString('timeZone', { nullable: false, description: 'IANA time-zone name' }),
    webhookSecret: t.exposeString('webhookSecret', { nullable: false, description: 'Signs webhook deliveries (HMAC-SHA256 of the raw body)' }),
    defaultCalendar: t.field({
      type: CalendarRef,
      nullable: false,
      resolve: (account, _args, ctx, info) => {
        const id = account.defaultCalendarId;
        // `defaultCalendar { id }` is what most clients ask: answered from the snapshot, no query.
        if (id && selectsOnly(info, ID_ONLY)) return ctx.em.getReference(Calendar, id);
        return ctx.em.findOneOrFail(Calendar, id ?? { account: account.id, isDefault: true });
      },
    }),
    calendars: t.field({
      type: [CalendarRef],
      nullable: false,
      resolve: (account, _args, ctx) => ctx.em.find(Calendar, { account: account.id }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    }),
    apiTokens: t.field({
      type: [ApiTokenRef],
      nullable: false,
      description: 'The account\'s API tokens, revoked ones included (the secrets themselves are never shown again).',
      resolve: (account, _args, ctx) => ctx.em.find(ApiToken, { account: account.id }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: false }),
  }),
});

builder.node(ApiTokenRef, {
  id: { resolve: (token) => token.id },
  loadOne: (id, ctx) => (ctx.viewer ? ctx.em.findOne(ApiToken, { id, account: ctx.viewer.accountId }) : null),
  fields: (t) => ({
    name: t.exposeString('name', { nullable: false }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: false }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('me', (t) =>
  t.field({
    type: AccountRef,
    nullable: false,
    authScopes: { account: true },
    resolve: async (_root, _args, ctx) => {
      const account = await ctx.services.accounts.get(ctx.em, viewerOf(ctx).accountId);
      if (!account) throw new NotFoundError('account', viewerOf(ctx).accountId);
      return account;
    },
  }),
);

const CreateAccountInput = builder.inputType('CreateAccountInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    timeZone: t.string({ required: true, description: 'IANA time-zone name, e.g. Europe/Paris' }),
  }),
});
const CreateAccountPayload = builder.simpleObject('CreateAccountPayload', {
  fields: (t) => ({
    account: t.field({ type: AccountRef, nullable: false }),
    token: t.string({ nullable: false, description: 'The account\'s first API token; shown once' }),
  }),
});

builder.mutationField('createAccount', (t) =>
  t.field({
    type: CreateAccountPayload,
    nullable: false,
    description: 'Creates an account with its default calendar. Needs the admin token.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateAccountInput, required: true }) },
    errors: { types: [ValidationError], union: { name: 'CreateAccountResult' } },
    resolve: (_root, { input }, ctx) => ctx.em.transactional((em) => accounts.createAccount(em, input)),
  }),
);

const UpdateAccountInput = builder.inputType('UpdateAccountInput', {
  fields: (t) => ({
    name: t.string(),
    timeZone: t.string({ description: 'IANA time-zone name; the default for new reminders and calendars' }),
  }),
});
const UpdateAccountPayload = builder.simpleObject('UpdateAccountPayload', {
  fields: (t) => ({ account: t.field({ type: AccountRef, nullable: false }) }),
});

builder.mutationField('updateAccount', (t) =>
  t.field({
    type: UpdateAccountPayload,
    nullable: false,
    authScopes: { account: true },
    args: { input: t.arg({ type: UpdateAccountInput, required: true }) },
    errors: { types: [ValidationError], union: { name: 'UpdateAccountResult' } },
    resolve: async (_root, { input }, ctx) => {
      const { accountId } = viewerOf(ctx);
      const heard = ctx.services.accounts.heard(accountId, 2000); // listen before the notice can come
      const account = await ctx.em.transactional((em) => accounts.updateAccount(em, ctx.services.pubsub, accountId, input));
      // Committed: this process drops its copy now, and answers once its notice, which every process
      // drops its copy on, has come back.
      ctx.services.accounts.forget(accountId);
      await heard;
      return { account };
    },
  }),
);

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  fields: (t) => ({ name: t.string({ required: true }) }),
});
const CreateApiTokenPayload = builder.simpleObject('CreateApiTokenPayload', {
  fields: (t) => ({
    token: t.string({ nullable: false, description: 'The secret; shown once' }),
    apiToken: t.field({ type: ApiTokenRef, nullable: false }),
  }),
});

builder.mutationField('createApiToken', (t) =>
  t.field({
    type: CreateApiTokenPayload,
    nullable: false,
    authScopes: { account: true },
    args: { input: t.arg({ type: CreateApiTokenInput, required: true }) },
    errors: { types: [ValidationError], union: { name: 'CreateApiTokenResult' } },
    resolve: (_root, { input }, ctx) => ctx.em.transactional((em) => accounts.createApiToken(em, viewerOf(ctx).accountId, input)),
  }),
);

const RevokeApiTokenPayload = builder.simpleObject('RevokeApiTokenPayload', {
  fields: (t) => ({ apiToken: t.field({ type: ApiTokenRef, nullable: false }) }),
});

builder.mutationField('revokeApiToken', (t) =>
  t.field({
    type: RevokeApiTokenPayload,
    nullable: false,
    description: 'Revokes a token at once; requests that use it are refused from then on.',
    authScopes: { account: true },
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [NotFoundError], union: { name: 'RevokeApiTokenResult' } },
    resolve: async (_root, { id }, ctx) => {
      const tokenId = decodeId('ApiToken', String(id));
      if (!tokenId) throw new NotFoundError('API token', String(id));
      const { pubsub, tokens } = ctx.services;
      const heard = tokens.heard(tokenId, 2000); // listen before the notice can come
      const apiToken = await ctx.em.transactional((em) => accounts.revokeApiToken(em, pubsub, viewerOf(ctx).accountId, tokenId, ctx.services.now()));
      tokens.forget(tokenId);
      // PostgreSQL sends the notice to every process at the commit; once this one has it, the others
      // have had it sent too, so the answer comes after the revocation took effect everywhere.
      await heard;
      return { apiToken };
    },
  }),
);

builder.subscriptionField('accountUpdated', (t) =>
  t.field({
    type: AccountRef,
    nullable: false,
    description: 'The viewer\'s account after each change to it.',
    authScopes: { account: true },
    subscribe: (_root, _args, ctx) => ctx.services.pubsub.subscribe('account:updated', viewerOf(ctx).accountId),
    resolve: (event, _args, ctx) => ctx.em.fork().findOneOrFail(Account, event.accountId),
  }),
);
