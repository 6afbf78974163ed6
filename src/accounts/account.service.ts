import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Account } from './account.entity.ts';
import { ApiToken } from './api-token.entity.ts';
import { Calendar, DEFAULT_WORKING_HOURS } from '../calendar/calendar.entity.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { Limits } from '../platform/config.ts';
import { armLimits } from './usage.ts';
import { parseInput, timeZoneSchema, nameSchema } from '../shared/validation.ts';
import { generateToken, hashToken } from './token.ts';
import type { PubSub } from '../platform/pubsub.ts';

const createAccountInput = z.object({ name: nameSchema, timeZone: timeZoneSchema });
const updateAccountInput = z.object({ name: nameSchema.optional(), timeZone: timeZoneSchema.optional() });
const createApiTokenInput = z.object({ name: nameSchema });

export type NewToken = { token: string; apiToken: ApiToken };

/** Creates an account with its default calendar and a first API token (shown once). */
export async function createAccount(em: EntityManager, input: unknown): Promise<{ account: Account } & NewToken> {
  const { name, timeZone } = parseInput(createAccountInput, input, ['input']);
  const account = em.create(Account, { name, timeZone, webhookSecret: randomBytes(32).toString('hex') });
  em.create(Calendar, {
    account,
    name,
    timeZone,
    isDefault: true,
    workingHours: DEFAULT_WORKING_HOURS.map((rule) => ({ ...rule })),
    bufferMinutes: 0,
    slotIntervalMinutes: 15,
    horizonDays: 90,
  });
  const issued = issueToken(em, account, 'default');
  await em.flush();
  return { account, ...issued };
}

export async function updateAccount(em: EntityManager, pubsub: PubSub, accountId: string, input: unknown): Promise<Account> {
  const changes = parseInput(updateAccountInput, input, ['input']);
  const account = await em.findOneOrFail(Account, accountId);
  if (changes.name !== undefined) account.name = changes.name;
  if (changes.timeZone !== undefined) account.timeZone = changes.timeZone;
  await em.flush();
  await pubsub.publishInTransaction(em, 'account:updated', accountId, { accountId });
  await pubsub.publishInTransaction(em, 'account:changed', 'accounts', { accountId });
  return account;
}

/** Issues a token (in `em`'s transaction); the usage trigger refuses one over LIMIT_API_TOKENS. */
export async function createApiToken(em: EntityManager, limits: Limits, accountId: string, input: unknown): Promise<NewToken> {
  const { name } = parseInput(createApiTokenInput, input, ['input']);
  const issued = issueToken(em, em.getReference(Account, accountId), name);
  await armLimits(em, limits, ['apiTokens']);
  await em.flush();
  return issued;
}

/**
 * Revokes one of the account's tokens; another account's token is "not found". Every process hears of
 * it at commit and drops the token from its cache (token-cache.ts).
 */
export async function revokeApiToken(em: EntityManager, pubsub: PubSub, accountId: string, tokenId: string, now: Date): Promise<ApiToken> {
  const apiToken = await em.findOne(ApiToken, { id: tokenId, account: accountId });
  if (!apiToken) throw new NotFoundError('API token', tokenId);
  apiToken.revokedAt ??= now;
  await em.flush();
  await pubsub.publishInTransaction(em, 'api-token:revoked', 'tokens', { tokenId });
  return apiToken;
}

function issueToken(em: EntityManager, account: Account, name: string): NewToken {
  const token = generateToken();
  const apiToken = em.create(ApiToken, { account, name, tokenHash: hashToken(token) });
  return { token, apiToken };
}
