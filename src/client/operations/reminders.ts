/**
 * Reminders: the same shapes for the console, the CLI and the bot. Mutations select `__typename`
 * and the error members of their union so that `unwrap` (errors.ts) can return the payload or throw.
 */
import { document } from '../document.ts';
import type {
  CancelReminderDocument, CreateReminderDocument, ExpireReminderDocument, OccurrencesDocument, RecurrencePreviewDocument, RedeliverDocument,
  RedeliverFailedDocument, ReminderCreatedDocument, ReminderDocument, ReminderExpiredDocument, ReminderFieldsFragmentDoc, RemindersDocument,
  ReminderUpdatedDocument, SnoozeReminderDocument, UpdateReminderDocument,
} from '../generated/graphql.ts';
import { NotFoundErrorFields, ValidationErrorFields } from './errors.ts';

export const ReminderFields = document<typeof ReminderFieldsFragmentDoc>(/* GraphQL */ `
  fragment ReminderFields on Reminder {
    id message remindAt timeZone recurrence status graceSeconds firedAt createdAt updatedAt
    channels { kind target }
  }
`);

export const RemindersQuery = document<typeof RemindersDocument>(/* GraphQL */ `
  query Reminders($status: ReminderStatus, $first: Int, $after: String, $last: Int, $before: String) {
    reminders(status: $status, first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { ...ReminderFields } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`, ReminderFields);

/** One reminder with its newest occurrences and their deliveries. */
export const ReminderQuery = document<typeof ReminderDocument>(/* GraphQL */ `
  query Reminder($id: ID!, $occurrences: Int = 20) {
    reminder(id: $id) {
      ...ReminderFields
      event { id title }
      occurrences(first: $occurrences) {
        cursor occurrenceAt firedAt latenessMs status
        deliveries { id channel target status nextAttemptAt attempts { attempt attemptedAt durationMs outcome error } }
      }
    }
  }
`, ReminderFields);

/** Every reminder with its newest occurrences and their cursors (where `listen --since` and a newly linked chat start). */
export const OccurrencesQuery = document<typeof OccurrencesDocument>(/* GraphQL */ `
  query Occurrences($first: Int, $after: String, $occurrences: Int = 100) {
    reminders(first: $first, after: $after) {
      edges {
        node {
          ...ReminderFields
          occurrences(first: $occurrences) { cursor occurrenceAt firedAt latenessMs status }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`, ReminderFields);

export const RecurrencePreviewQuery = document<typeof RecurrencePreviewDocument>(/* GraphQL */ `
  query RecurrencePreview($remindAt: DateTime!, $recurrence: String!, $timeZone: String) {
    recurrencePreview(remindAt: $remindAt, recurrence: $recurrence, timeZone: $timeZone, count: 5) {
      __typename
      ... on RecurrencePreview { occurrences }
      ...ValidationErrorFields
    }
  }
`, ValidationErrorFields);

export const CreateReminderMutation = document<typeof CreateReminderDocument>(/* GraphQL */ `
  mutation CreateReminder($input: CreateReminderInput!) {
    createReminder(input: $input) {
      __typename
      ... on CreateReminderPayload { reminder { ...ReminderFields } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`, ReminderFields, ValidationErrorFields, NotFoundErrorFields);

export const UpdateReminderMutation = document<typeof UpdateReminderDocument>(/* GraphQL */ `
  mutation UpdateReminder($input: UpdateReminderInput!) {
    updateReminder(input: $input) {
      __typename
      ... on UpdateReminderPayload { reminder { ...ReminderFields } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`, ReminderFields, ValidationErrorFields, NotFoundErrorFields);

export const SnoozeReminderMutation = document<typeof SnoozeReminderDocument>(/* GraphQL */ `
  mutation SnoozeReminder($input: SnoozeReminderInput!) {
    snoozeReminder(input: $input) {
      __typename
      ... on SnoozeReminderPayload { reminder { ...ReminderFields } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`, ReminderFields, ValidationErrorFields, NotFoundErrorFields);

export const ExpireReminderMutation = document<typeof ExpireReminderDocument>(/* GraphQL */ `
  mutation ExpireReminder($id: ID!) {
    expireReminder(id: $id) {
      __typename
      ... on ExpireReminderPayload { reminder { ...ReminderFields } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`, ReminderFields, ValidationErrorFields, NotFoundErrorFields);

export const CancelReminderMutation = document<typeof CancelReminderDocument>(/* GraphQL */ `
  mutation CancelReminder($id: ID!) {
    cancelReminder(id: $id) {
      __typename
      ... on CancelReminderPayload { reminder { ...ReminderFields } }
      ...NotFoundErrorFields
    }
  }
`, ReminderFields, NotFoundErrorFields);

export const RedeliverMutation = document<typeof RedeliverDocument>(/* GraphQL */ `
  mutation Redeliver($deliveryId: ID!) {
    redeliver(deliveryId: $deliveryId) {
      __typename
      ... on RedeliverPayload { delivery { id channel target status } reminder { ...ReminderFields } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`, ReminderFields, ValidationErrorFields, NotFoundErrorFields);

export const RedeliverFailedMutation = document<typeof RedeliverFailedDocument>(/* GraphQL */ `
  mutation RedeliverFailed($input: RedeliverFailedInput!) {
    redeliverFailed(input: $input) {
      __typename
      ... on RedeliverFailedPayload { count }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`, ValidationErrorFields, NotFoundErrorFields);

export const ReminderCreatedSubscription = document<typeof ReminderCreatedDocument>(/* GraphQL */ `
  subscription ReminderCreated { reminderCreated { ...ReminderFields } }
`, ReminderFields);

export const ReminderUpdatedSubscription = document<typeof ReminderUpdatedDocument>(/* GraphQL */ `
  subscription ReminderUpdated { reminderUpdated { ...ReminderFields } }
`, ReminderFields);

/** Each expiry; `after` replays those after a cursor first, and the shared client resumes from the last one (ws.ts). */
export const ReminderExpiredSubscription = document<typeof ReminderExpiredDocument>(/* GraphQL */ `
  subscription ReminderExpired($after: String) {
    reminderExpired(after: $after) { cursor occurrenceAt firedAt latenessMs reminder { ...ReminderFields } }
  }
`, ReminderFields);
