import { builder } from '../graphql/builder.ts';
import { viewerOf } from '../graphql/context.ts';
import { NotFoundError, QuotaExceededError, ValidationError } from '../shared/errors.ts';
import { refusingOverLimits, usageOf } from './usage.ts';
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

const AccountLimitsRef = builder.simpleObject('AccountLimits', {
  description: 'Per-account limits (README "Limits and fairness"); each is a server setting.',
  fields: (t) => ({
    activeReminders: t.int({ nullable: false, description: 'Reminders not ended (SCHEDULED, PROCESSING, RETRIED): LIMIT_ACTIVE_REMINDERS' }),
    channelsPerReminder: t.int({ nullable: false, description: 'Delivery channels of one reminder, event reminders too: LIMIT_CHANNELS_PER_REMINDER' }),
    minRecurrenceSeconds: t.int({ nullable: false, description: 'Shortest interval between two occurrences of a recurring reminder: MIN_RECURRENCE_SECONDS' }),
    calendarFeeds: t.int({ nullable: false, description: 'Subscribed calendar feeds: LIMIT_CALENDAR_FEEDS' }),
    apiTokens: t.int({ nullable: false, description: 'API tokens not revoked: LIMIT_API_TOKENS' }),
    attachmentBytes: t.float({ nullable: false, description: 'Bytes of all event attachments together: LIMIT_ATTACHMENT_BYTES' }),
    subscriptions: t.int({ nullable: false, description: 'Open graphql-ws + SSE subscriptions of the account: LIMIT_SUBSCRIPTIONS' }),
    requestsPerSecond: t.int({ nullable: false, description: 'Requests per second per token, sustained (0: no limit): RATE_LIMIT_PER_SECOND' }),
    requestBurst: t.int({ nullable: false, description: 'Requests a token may send at once above the sustained rate: RATE_LIMIT_BURST' }),
  }),
});

const AccountUsageRef = builder.simpleObject('AccountUsage', {
  description: 'What the account holds now, against AccountLimits.',
  fields: (t) => ({
    activeReminders: t.int({ nullable: false }),
    calendarFeeds: t.int({ nullable: false }),
    apiTokens: t.int({ nullable: false }),
    attachmentBytes: t.float({ nullable: false }),
    subscriptions: t.int({ nullable: false, description: 'Open on every process' }),
    historyRows: t.float({ nullable: false, description: 'Occurrences + deliveries + attempts kept' }),
  }),
});
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
    limits: t.field({
      type: AccountLimitsRef,
      nullable: false,
      description: 'What the account may hold and open (the server\'s settings); a mutation over one returns QuotaExceededError.',
      resolve: (_account, _args, ctx) => {
        const { limits, rateLimit } = ctx.services.config;
        return { ...limits, requestsPerSecond: rateLimit.perSecond, requestBurst: rateLimit.burst };
      },
    }),
    usage: t.field({
      type: AccountUsageRef,
      nullable: false,
      description: 'What the account holds now, from counters kept with every write (no rows are counted).',
      resolve: async (account, _args, ctx) => ({
        ...(await usageOf(ctx.em, account.id)),
        subscriptions: ctx.services.live.subscriptionsOf(account.id),
      }),
    }),
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
      const everywhere = ctx.services.acks.expect(accountId); // listen before the answers can come
      const account = await ctx.em.transactional((em) => accounts.updateAccount(em, ctx.services.pubsub, accountId, input));
      // Committed: this process drops its copy now, and answers once every api process has dropped
      // its own (notice-acks.ts), so the next request anywhere sees the change.
      ctx.services.accounts.forget(accountId);
      await everywhere(2000);
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
    errors: { types: [ValidationError, QuotaExceededError], union: { name: 'CreateApiTokenResult' } },
    resolve: (_root, { input }, ctx) => {
      const { limits } = ctx.services.config;
      return refusingOverLimits(limits, () => ctx.em.transactional((em) => accounts.createApiToken(em, limits, viewerOf(ctx).accountId, input)));
    },
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
      const { pubsub, tokens, acks } = ctx.services;
      const everywhere = acks.expect(tokenId); // listen before the answers can come
      const apiToken = await ctx.em.transactional((em) => accounts.revokeApiToken(em, pubsub, viewerOf(ctx).accountId, tokenId, ctx.services.now()));
      tokens.forget(tokenId);
      // Every api process has dropped the token when this answers (notice-acks.ts): hearing our own
      // notice would say nothing about when another process reads its copy.
      await everywhere(2000);
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
