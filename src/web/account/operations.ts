// The account page's operations; types come from `npm run codegen`.
import { graphql } from '../../client/generated/gql.ts';

export const AccountQuery = graphql(`
  query ConsoleAccount {
    me {
      id name timeZone webhookSecret apiTokens { id name createdAt lastUsedAt revokedAt }
      limits { activeReminders channelsPerReminder minRecurrenceSeconds calendarFeeds apiTokens attachmentBytes subscriptions requestsPerSecond requestBurst }
      usage { activeReminders calendarFeeds apiTokens attachmentBytes subscriptions historyRows }
    }
  }
`);

export const UpdateAccountMutation = graphql(`
  mutation ConsoleUpdateAccount($input: UpdateAccountInput!) {
    updateAccount(input: $input) {
      __typename
      ... on UpdateAccountPayload { account { id name timeZone } }
      ... on ValidationError { message fieldErrors { path message } }
    }
  }
`);

export const CreateApiTokenMutation = graphql(`
  mutation ConsoleCreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      __typename
      ... on CreateApiTokenPayload { token apiToken { id name createdAt lastUsedAt revokedAt } }
      ... on ValidationError { message fieldErrors { path message } }
      ... on QuotaExceededError { message limit value }
    }
  }
`);

export const RevokeApiTokenMutation = graphql(`
  mutation ConsoleRevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      __typename
      ... on RevokeApiTokenPayload { apiToken { id revokedAt } }
      ... on NotFoundError { message }
    }
  }
`);
