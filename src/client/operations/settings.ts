/** The account's settings and API tokens, with usage against every limit (the console's account page, the bot's /tz). */
import { document } from '../document.ts';
import type { AccountDocument, CreateApiTokenDocument, RevokeApiTokenDocument, UpdateAccountDocument } from '../generated/graphql.ts';
import { NotFoundErrorFields, ValidationErrorFields } from './errors.ts';

export const AccountQuery = document<typeof AccountDocument>(/* GraphQL */ `
  query Account {
    me {
      id name timeZone webhookSecret apiTokens { id name createdAt lastUsedAt revokedAt }
      limits { activeReminders channelsPerReminder minRecurrenceSeconds calendarFeeds apiTokens attachmentBytes subscriptions requestsPerSecond requestBurst }
      usage { activeReminders calendarFeeds apiTokens attachmentBytes subscriptions historyRows }
    }
  }
`);

export const UpdateAccountMutation = document<typeof UpdateAccountDocument>(/* GraphQL */ `
  mutation UpdateAccount($input: UpdateAccountInput!) {
    updateAccount(input: $input) {
      __typename
      ... on UpdateAccountPayload { account { id name timeZone } }
      ...ValidationErrorFields
    }
  }
`, ValidationErrorFields);

export const CreateApiTokenMutation = document<typeof CreateApiTokenDocument>(/* GraphQL */ `
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      __typename
      ... on CreateApiTokenPayload { token apiToken { id name createdAt lastUsedAt revokedAt } }
      ...ValidationErrorFields
      ... on QuotaExceededError { message limit value }
    }
  }
`, ValidationErrorFields);

export const RevokeApiTokenMutation = document<typeof RevokeApiTokenDocument>(/* GraphQL */ `
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      __typename
      ... on RevokeApiTokenPayload { apiToken { id revokedAt } }
      ...NotFoundErrorFields
    }
  }
`, NotFoundErrorFields);
