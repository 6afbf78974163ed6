/** The account: who the token is, and creating accounts (the admin token). */
import { document } from '../document.ts';
import type { CreateAccountDocument, MeDocument, WebhookSecretDocument } from '../generated/graphql.ts';
import { ValidationErrorFields } from './errors.ts';

export const MeQuery = document<typeof MeDocument>(/* GraphQL */ `
  query Me {
    me { id name timeZone defaultCalendar { id name timeZone } calendars { id name timeZone } }
  }
`);

export const WebhookSecretQuery = document<typeof WebhookSecretDocument>(/* GraphQL */ `
  query WebhookSecret {
    me { id webhookSecret }
  }
`);

export const CreateAccountMutation = document<typeof CreateAccountDocument>(/* GraphQL */ `
  mutation CreateAccount($input: CreateAccountInput!) {
    createAccount(input: $input) {
      __typename
      ... on CreateAccountPayload { token account { id name timeZone defaultCalendar { id } } }
      ...ValidationErrorFields
    }
  }
`, ValidationErrorFields);
