/**
 * The operations every client shares (console, CLI, bot). Types come from `npm run codegen`
 * (GraphQL Code Generator's client preset over schema.graphql); nothing here is hand-typed.
 * Mutations select `__typename` and the error members of their union so that `unwrap` (errors.ts)
 * can return the payload or throw a clear error.
 */
import { graphql } from './generated/gql.ts';

export const MeQuery = graphql(`
  query Me {
    me { id name timeZone defaultCalendar { id name timeZone } }
  }
`);

export const WebhookSecretQuery = graphql(`
  query WebhookSecret {
    me { id webhookSecret }
  }
`);

export const ErrorFragments = graphql(`
  fragment ValidationErrorFields on ValidationError { message code fieldErrors { path message } }
`);

export const NotFoundFragment = graphql(`
  fragment NotFoundErrorFields on NotFoundError { message code }
`);

export const ReminderFragment = graphql(`
  fragment ReminderFields on Reminder {
    id message remindAt timeZone recurrence status graceSeconds firedAt createdAt
    channels { kind target }
  }
`);

export const CreateAccountMutation = graphql(`
  mutation CreateAccount($input: CreateAccountInput!) {
    createAccount(input: $input) {
      __typename
      ... on CreateAccountPayload { token account { id name timeZone defaultCalendar { id } } }
      ...ValidationErrorFields
    }
  }
`);

export const CreateReminderMutation = graphql(`
  mutation CreateReminder($input: CreateReminderInput!) {
    createReminder(input: $input) {
      __typename
      ... on CreateReminderPayload { reminder { ...ReminderFields } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`);

export const UpdateReminderMutation = graphql(`
  mutation UpdateReminder($input: UpdateReminderInput!) {
    updateReminder(input: $input) {
      __typename
      ... on UpdateReminderPayload { reminder { ...ReminderFields } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`);

export const SnoozeReminderMutation = graphql(`
  mutation SnoozeReminder($input: SnoozeReminderInput!) {
    snoozeReminder(input: $input) {
      __typename
      ... on SnoozeReminderPayload { reminder { ...ReminderFields } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`);

export const ExpireReminderMutation = graphql(`
  mutation ExpireReminder($id: ID!) {
    expireReminder(id: $id) {
      __typename
      ... on ExpireReminderPayload { reminder { ...ReminderFields } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`);

export const CancelReminderMutation = graphql(`
  mutation CancelReminder($id: ID!) {
    cancelReminder(id: $id) {
      __typename
      ... on CancelReminderPayload { reminder { ...ReminderFields } }
      ...NotFoundErrorFields
    }
  }
`);

export const RemindersQuery = graphql(`
  query Reminders($status: ReminderStatus, $first: Int, $after: String) {
    reminders(status: $status, first: $first, after: $after) {
      edges { cursor node { ...ReminderFields } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const ReminderQuery = graphql(`
  query Reminder($id: ID!) {
    reminder(id: $id) {
      ...ReminderFields
      updatedAt
      event { id title }
      occurrences(first: 20) {
        occurrenceAt firedAt latenessMs status cursor
        deliveries { id channel target status nextAttemptAt attempts { attempt attemptedAt durationMs outcome error } }
      }
    }
  }
`);

/** Each expiry; `after` replays those after a cursor first (see resume.ts). */
export const ReminderExpiredSubscription = graphql(`
  subscription ReminderExpired($after: String) {
    reminderExpired(after: $after) {
      cursor occurrenceAt firedAt latenessMs
      reminder { id message remindAt timeZone recurrence status }
    }
  }
`);

export const SlotUnavailableFragment = graphql(`
  fragment SlotUnavailableFields on SlotUnavailableError {
    message code
    conflicts { id title startsAt endsAt }
    suggestions { startsAt endsAt }
  }
`);

export const RedeliverMutation = graphql(`
  mutation Redeliver($deliveryId: ID!) {
    redeliver(deliveryId: $deliveryId) {
      __typename
      ... on RedeliverPayload { delivery { id channel target status } reminder { id message } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`);

export const RedeliverFailedMutation = graphql(`
  mutation RedeliverFailed($input: RedeliverFailedInput!) {
    redeliverFailed(input: $input) {
      __typename
      ... on RedeliverFailedPayload { count }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`);
