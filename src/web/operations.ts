// The console's own operations; types come from `npm run codegen` (src/client/generated).
import { graphql } from '../client/generated/gql.ts';

export const ReminderRowFragment = graphql(`
  fragment ReminderRow on Reminder {
    id message remindAt timeZone recurrence status firedAt graceSeconds updatedAt
    channels { kind target }
  }
`);

export const ConsoleMeQuery = graphql(`
  query ConsoleMe {
    me {
      id name timeZone webhookSecret
      defaultCalendar { id }
      calendars { id name timeZone }
    }
  }
`);

export const RemindersQuery = graphql(`
  query ConsoleReminders($first: Int, $after: String, $last: Int, $before: String, $status: ReminderStatus) {
    reminders(first: $first, after: $after, last: $last, before: $before, status: $status) {
      edges { cursor node { ...ReminderRow } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);

export const ReminderDetailQuery = graphql(`
  query ConsoleReminderDetail($id: ID!) {
    reminder(id: $id) {
      ...ReminderRow
      createdAt
      event { id title }
      occurrences(first: 50) {
        cursor occurrenceAt firedAt latenessMs status
        deliveries {
          id channel target status nextAttemptAt
          attempts { attempt attemptedAt durationMs outcome error }
        }
      }
    }
  }
`);

export const CreateReminderMutation = graphql(`
  mutation ConsoleCreateReminder($input: CreateReminderInput!) {
    createReminder(input: $input) {
      __typename
      ... on CreateReminderPayload { reminder { ...ReminderRow } }
      ... on ValidationError { message fieldErrors { path message } }
      ... on NotFoundError { message }
    }
  }
`);

export const UpdateReminderMutation = graphql(`
  mutation ConsoleUpdateReminder($input: UpdateReminderInput!) {
    updateReminder(input: $input) {
      __typename
      ... on UpdateReminderPayload { reminder { ...ReminderRow } }
      ... on ValidationError { message fieldErrors { path message } }
      ... on NotFoundError { message }
    }
  }
`);

export const CancelReminderMutation = graphql(`
  mutation ConsoleCancelReminder($id: ID!) {
    cancelReminder(id: $id) {
      __typename
      ... on CancelReminderPayload { reminder { ...ReminderRow } }
      ... on NotFoundError { message }
    }
  }
`);

export const ExpireReminderMutation = graphql(`
  mutation ConsoleExpireReminder($id: ID!) {
    expireReminder(id: $id) {
      __typename
      ... on ExpireReminderPayload { reminder { ...ReminderRow } }
      ... on ValidationError { message }
      ... on NotFoundError { message }
    }
  }
`);

export const SnoozeReminderMutation = graphql(`
  mutation ConsoleSnoozeReminder($input: SnoozeReminderInput!) {
    snoozeReminder(input: $input) {
      __typename
      ... on SnoozeReminderPayload { reminder { ...ReminderRow } }
      ... on ValidationError { message fieldErrors { path message } }
      ... on NotFoundError { message }
    }
  }
`);

export const ReminderCreatedSubscription = graphql(`
  subscription ConsoleReminderCreated { reminderCreated { ...ReminderRow } }
`);

export const ReminderUpdatedSubscription = graphql(`
  subscription ConsoleReminderUpdated { reminderUpdated { ...ReminderRow } }
`);

export const ReminderExpiredSubscription = graphql(`
  subscription ConsoleReminderExpired($after: String) {
    reminderExpired(after: $after) { cursor occurrenceAt latenessMs reminder { ...ReminderRow } }
  }
`);

export const RecurrencePreviewQuery = graphql(`
  query ConsoleRecurrencePreview($remindAt: DateTime!, $recurrence: String!, $timeZone: String) {
    recurrencePreview(remindAt: $remindAt, recurrence: $recurrence, timeZone: $timeZone, count: 5) {
      __typename
      ... on RecurrencePreview { occurrences }
      ... on ValidationError { message fieldErrors { path message } }
    }
  }
`);

export const RedeliverMutation = graphql(`
  mutation ConsoleRedeliver($deliveryId: ID!) {
    redeliver(deliveryId: $deliveryId) {
      __typename
      ... on RedeliverPayload { reminder { ...ReminderRow } }
      ... on ValidationError { message }
      ... on NotFoundError { message }
    }
  }
`);
