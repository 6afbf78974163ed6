/** Operations only the bot needs; the shared ones are in src/client/operations.ts. */
import { graphql } from '../client/generated/gql.ts';

export const UpdateTimeZoneMutation = graphql(`
  mutation TelegramUpdateTimeZone($timeZone: String!) {
    updateAccount(input: { timeZone: $timeZone }) {
      __typename
      ... on UpdateAccountPayload { account { id name timeZone } }
      ...ValidationErrorFields
    }
  }
`);

/** Each reminder's newest expiry (or miss): the newest of them is where a newly linked chat starts. */
export const LatestOccurrencesQuery = graphql(`
  query TelegramLatestOccurrences($first: Int, $after: String) {
    reminders(first: $first, after: $after) {
      edges { node { occurrences(first: 1) { cursor firedAt } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);
