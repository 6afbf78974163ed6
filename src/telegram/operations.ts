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
