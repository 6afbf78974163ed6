/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment CliEventFields on Event {\n    id title startsAt endsAt durationMinutes placement status location attendees\n    calendar { id name timeZone }\n    attendeeCalendars { id name }\n    reminders { id remindAt }\n  }\n": typeof types.CliEventFieldsFragmentDoc,
    "\n  fragment CliCalendarFields on Calendar {\n    id name timeZone bufferMinutes slotIntervalMinutes horizonDays\n    workingHours { weekday start end }\n  }\n": typeof types.CliCalendarFieldsFragmentDoc,
    "\n  mutation CliCreateEvent($input: CreateEventInput!) {\n    createEvent(input: $input) {\n      __typename\n      ... on CreateEventPayload { event { ...CliEventFields } displaced { ...CliEventFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n      ...SlotUnavailableFields\n    }\n  }\n": typeof types.CliCreateEventDocument,
    "\n  mutation CliCancelEvent($id: ID!) {\n    cancelEvent(id: $id) {\n      __typename\n      ... on CancelEventPayload { event { ...CliEventFields } }\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.CliCancelEventDocument,
    "\n  mutation CliDeleteEvent($id: ID!) {\n    deleteEvent(id: $id) {\n      __typename\n      ... on DeleteEventPayload { id }\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.CliDeleteEventDocument,
    "\n  query CliEvents($calendarId: ID, $from: DateTime, $to: DateTime, $status: EventStatus, $first: Int, $after: String) {\n    events(calendarId: $calendarId, from: $from, to: $to, status: $status, first: $first, after: $after) {\n      edges { node { ...CliEventFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.CliEventsDocument,
    "\n  query CliFreeSlots($calendarId: ID, $from: DateTime!, $to: DateTime!, $durationMinutes: Int!, $attendeeCalendarIds: [ID!]) {\n    freeSlots(calendarId: $calendarId, from: $from, to: $to, durationMinutes: $durationMinutes, attendeeCalendarIds: $attendeeCalendarIds) {\n      startsAt endsAt\n    }\n  }\n": typeof types.CliFreeSlotsDocument,
    "\n  query CliCalendars {\n    me { id timeZone defaultCalendar { id } calendars { ...CliCalendarFields } }\n  }\n": typeof types.CliCalendarsDocument,
    "\n  query CliCalendar($id: ID!) {\n    calendar(id: $id) { ...CliCalendarFields }\n  }\n": typeof types.CliCalendarDocument,
    "\n  mutation CliCreateCalendar($input: CreateCalendarInput!) {\n    createCalendar(input: $input) {\n      __typename\n      ... on CreateCalendarPayload { calendar { ...CliCalendarFields } }\n      ...ValidationErrorFields\n    }\n  }\n": typeof types.CliCreateCalendarDocument,
    "\n  mutation CliUpdateCalendar($input: UpdateCalendarInput!) {\n    updateCalendar(input: $input) {\n      __typename\n      ... on UpdateCalendarPayload { calendar { ...CliCalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.CliUpdateCalendarDocument,
    "\n  query CliOccurrences($first: Int, $after: String) {\n    reminders(first: $first, after: $after) {\n      edges {\n        node {\n          id message remindAt timeZone recurrence status\n          occurrences(first: 100) { cursor occurrenceAt firedAt latenessMs status }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.CliOccurrencesDocument,
    "\n  subscription CliEventChanged($calendarId: ID) {\n    eventChanged(calendarId: $calendarId) { kind event { ...CliEventFields } }\n  }\n": typeof types.CliEventChangedDocument,
    "\n  subscription CliEventPlacementFailed {\n    eventPlacementFailed { title message calendar { id name } suggestions { startsAt endsAt } }\n  }\n": typeof types.CliEventPlacementFailedDocument,
    "\n  query Me {\n    me { id name timeZone defaultCalendar { id name timeZone } }\n  }\n": typeof types.MeDocument,
    "\n  query WebhookSecret {\n    me { id webhookSecret }\n  }\n": typeof types.WebhookSecretDocument,
    "\n  fragment ValidationErrorFields on ValidationError { message code fieldErrors { path message } }\n": typeof types.ValidationErrorFieldsFragmentDoc,
    "\n  fragment NotFoundErrorFields on NotFoundError { message code }\n": typeof types.NotFoundErrorFieldsFragmentDoc,
    "\n  fragment ReminderFields on Reminder {\n    id message remindAt timeZone recurrence status graceSeconds firedAt createdAt\n    channels { kind target }\n  }\n": typeof types.ReminderFieldsFragmentDoc,
    "\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      __typename\n      ... on CreateAccountPayload { token account { id name timeZone defaultCalendar { id } } }\n      ...ValidationErrorFields\n    }\n  }\n": typeof types.CreateAccountDocument,
    "\n  mutation CreateReminder($input: CreateReminderInput!) {\n    createReminder(input: $input) {\n      __typename\n      ... on CreateReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.CreateReminderDocument,
    "\n  mutation UpdateReminder($input: UpdateReminderInput!) {\n    updateReminder(input: $input) {\n      __typename\n      ... on UpdateReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.UpdateReminderDocument,
    "\n  mutation SnoozeReminder($input: SnoozeReminderInput!) {\n    snoozeReminder(input: $input) {\n      __typename\n      ... on SnoozeReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.SnoozeReminderDocument,
    "\n  mutation ExpireReminder($id: ID!) {\n    expireReminder(id: $id) {\n      __typename\n      ... on ExpireReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.ExpireReminderDocument,
    "\n  mutation CancelReminder($id: ID!) {\n    cancelReminder(id: $id) {\n      __typename\n      ... on CancelReminderPayload { reminder { ...ReminderFields } }\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.CancelReminderDocument,
    "\n  query Reminders($status: ReminderStatus, $first: Int, $after: String) {\n    reminders(status: $status, first: $first, after: $after) {\n      edges { cursor node { ...ReminderFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.RemindersDocument,
    "\n  query Reminder($id: ID!) {\n    reminder(id: $id) {\n      ...ReminderFields\n      updatedAt\n      event { id title }\n      occurrences(first: 20) {\n        occurrenceAt firedAt latenessMs status cursor\n        deliveries { id channel target status nextAttemptAt attempts { attempt attemptedAt durationMs outcome error } }\n      }\n    }\n  }\n": typeof types.ReminderDocument,
    "\n  subscription ReminderExpired($after: String) {\n    reminderExpired(after: $after) {\n      cursor occurrenceAt firedAt latenessMs\n      reminder { id message remindAt timeZone recurrence status }\n    }\n  }\n": typeof types.ReminderExpiredDocument,
    "\n  fragment SlotUnavailableFields on SlotUnavailableError {\n    message code\n    conflicts { id title startsAt endsAt }\n    suggestions { startsAt endsAt }\n  }\n": typeof types.SlotUnavailableFieldsFragmentDoc,
    "\n  mutation Redeliver($deliveryId: ID!) {\n    redeliver(deliveryId: $deliveryId) {\n      __typename\n      ... on RedeliverPayload { delivery { id channel target status } reminder { id message } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.RedeliverDocument,
    "\n  mutation RedeliverFailed($input: RedeliverFailedInput!) {\n    redeliverFailed(input: $input) {\n      __typename\n      ... on RedeliverFailedPayload { count }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.RedeliverFailedDocument,
    "\n  mutation TelegramUpdateTimeZone($timeZone: String!) {\n    updateAccount(input: { timeZone: $timeZone }) {\n      __typename\n      ... on UpdateAccountPayload { account { id name timeZone } }\n      ...ValidationErrorFields\n    }\n  }\n": typeof types.TelegramUpdateTimeZoneDocument,
    "\n  query TelegramLatestOccurrences($first: Int, $after: String) {\n    reminders(first: $first, after: $after) {\n      edges { node { occurrences(first: 1) { cursor firedAt } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.TelegramLatestOccurrencesDocument,
    "\n  mutation ConsoleCreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      __typename\n      ... on CreateAccountPayload { token account { id name } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n": typeof types.ConsoleCreateAccountDocument,
    "\n  query ConsoleAccount {\n    me {\n      id name timeZone webhookSecret apiTokens { id name createdAt lastUsedAt revokedAt }\n      limits { activeReminders channelsPerReminder minRecurrenceSeconds calendarFeeds apiTokens attachmentBytes subscriptions requestsPerSecond requestBurst }\n      usage { activeReminders calendarFeeds apiTokens attachmentBytes subscriptions historyRows }\n    }\n  }\n": typeof types.ConsoleAccountDocument,
    "\n  mutation ConsoleUpdateAccount($input: UpdateAccountInput!) {\n    updateAccount(input: $input) {\n      __typename\n      ... on UpdateAccountPayload { account { id name timeZone } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n": typeof types.ConsoleUpdateAccountDocument,
    "\n  mutation ConsoleCreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name createdAt lastUsedAt revokedAt } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on QuotaExceededError { message limit value }\n    }\n  }\n": typeof types.ConsoleCreateApiTokenDocument,
    "\n  mutation ConsoleRevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      __typename\n      ... on RevokeApiTokenPayload { apiToken { id revokedAt } }\n      ... on NotFoundError { message }\n    }\n  }\n": typeof types.ConsoleRevokeApiTokenDocument,
    "\n  fragment EventRow on Event {\n    id title startsAt endsAt durationMinutes status placement location attendees\n    calendar { id name }\n  }\n": typeof types.EventRowFragmentDoc,
    "\n  query ConsoleCalendars {\n    me {\n      id timeZone\n      defaultCalendar { id }\n      calendars {\n        id name timeZone bufferMinutes slotIntervalMinutes horizonDays\n        workingHours { weekday start end }\n        feed { url lastSyncedAt lastError }\n      }\n    }\n  }\n": typeof types.ConsoleCalendarsDocument,
    "\n  query ConsoleWeekEvents($calendarId: ID!, $from: DateTime!, $to: DateTime!) {\n    events(calendarId: $calendarId, from: $from, to: $to, first: 2000) {\n      edges { node { ...EventRow } }\n    }\n  }\n": typeof types.ConsoleWeekEventsDocument,
    "\n  query ConsoleFreeSlots($calendarId: ID!, $durationMinutes: Int!, $from: DateTime!, $to: DateTime!) {\n    freeSlots(calendarId: $calendarId, durationMinutes: $durationMinutes, from: $from, to: $to) { startsAt endsAt }\n  }\n": typeof types.ConsoleFreeSlotsDocument,
    "\n  mutation ConsoleCreateEvent($input: CreateEventInput!) {\n    createEvent(input: $input) {\n      __typename\n      ... on CreateEventPayload { event { ...EventRow } displaced { ...EventRow } }\n      ... on SlotUnavailableError { message conflicts { ...EventRow } suggestions { startsAt endsAt } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n": typeof types.ConsoleCreateEventDocument,
    "\n  mutation ConsoleCancelEvent($id: ID!) {\n    cancelEvent(id: $id) {\n      __typename\n      ... on CancelEventPayload { event { ...EventRow } }\n      ... on NotFoundError { message }\n    }\n  }\n": typeof types.ConsoleCancelEventDocument,
    "\n  mutation ConsoleUpdateCalendar($input: UpdateCalendarInput!) {\n    updateCalendar(input: $input) {\n      __typename\n      ... on UpdateCalendarPayload { calendar { id name timeZone bufferMinutes slotIntervalMinutes horizonDays workingHours { weekday start end } } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n": typeof types.ConsoleUpdateCalendarDocument,
    "\n  subscription ConsoleEventChanged($calendarId: ID) {\n    eventChanged(calendarId: $calendarId) { kind event { ...EventRow } }\n  }\n": typeof types.ConsoleEventChangedDocument,
    "\n  subscription ConsoleEventPlacementFailed {\n    eventPlacementFailed { title message calendar { id name } }\n  }\n": typeof types.ConsoleEventPlacementFailedDocument,
    "\n  query ConsoleEventAttachments($id: ID!) {\n    event(id: $id) { id attachments { id filename contentType size url } }\n  }\n": typeof types.ConsoleEventAttachmentsDocument,
    "\n  mutation ConsoleRemoveAttachment($id: ID!) {\n    removeEventAttachment(id: $id) { __typename ... on NotFoundError { message } }\n  }\n": typeof types.ConsoleRemoveAttachmentDocument,
    "\n  fragment ReminderRow on Reminder {\n    id message remindAt timeZone recurrence status firedAt graceSeconds updatedAt\n    channels { kind target }\n  }\n": typeof types.ReminderRowFragmentDoc,
    "\n  query ConsoleMe {\n    me {\n      id name timeZone webhookSecret\n      defaultCalendar { id }\n      calendars { id name timeZone }\n    }\n  }\n": typeof types.ConsoleMeDocument,
    "\n  query ConsoleReminders($first: Int, $after: String, $last: Int, $before: String, $status: ReminderStatus) {\n    reminders(first: $first, after: $after, last: $last, before: $before, status: $status) {\n      edges { cursor node { ...ReminderRow } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": typeof types.ConsoleRemindersDocument,
    "\n  query ConsoleReminderDetail($id: ID!) {\n    reminder(id: $id) {\n      ...ReminderRow\n      createdAt\n      event { id title }\n      occurrences(first: 50) {\n        cursor occurrenceAt firedAt latenessMs status\n        deliveries {\n          id channel target status nextAttemptAt\n          attempts { attempt attemptedAt durationMs outcome error }\n        }\n      }\n    }\n  }\n": typeof types.ConsoleReminderDetailDocument,
    "\n  mutation ConsoleCreateReminder($input: CreateReminderInput!) {\n    createReminder(input: $input) {\n      __typename\n      ... on CreateReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n": typeof types.ConsoleCreateReminderDocument,
    "\n  mutation ConsoleUpdateReminder($input: UpdateReminderInput!) {\n    updateReminder(input: $input) {\n      __typename\n      ... on UpdateReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n": typeof types.ConsoleUpdateReminderDocument,
    "\n  mutation ConsoleCancelReminder($id: ID!) {\n    cancelReminder(id: $id) {\n      __typename\n      ... on CancelReminderPayload { reminder { ...ReminderRow } }\n      ... on NotFoundError { message }\n    }\n  }\n": typeof types.ConsoleCancelReminderDocument,
    "\n  mutation ConsoleExpireReminder($id: ID!) {\n    expireReminder(id: $id) {\n      __typename\n      ... on ExpireReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message }\n      ... on NotFoundError { message }\n    }\n  }\n": typeof types.ConsoleExpireReminderDocument,
    "\n  mutation ConsoleSnoozeReminder($input: SnoozeReminderInput!) {\n    snoozeReminder(input: $input) {\n      __typename\n      ... on SnoozeReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n": typeof types.ConsoleSnoozeReminderDocument,
    "\n  subscription ConsoleReminderCreated { reminderCreated { ...ReminderRow } }\n": typeof types.ConsoleReminderCreatedDocument,
    "\n  subscription ConsoleReminderUpdated { reminderUpdated { ...ReminderRow } }\n": typeof types.ConsoleReminderUpdatedDocument,
    "\n  subscription ConsoleReminderExpired($after: String) {\n    reminderExpired(after: $after) { cursor occurrenceAt latenessMs reminder { ...ReminderRow } }\n  }\n": typeof types.ConsoleReminderExpiredDocument,
    "\n  query ConsoleRecurrencePreview($remindAt: DateTime!, $recurrence: String!, $timeZone: String) {\n    recurrencePreview(remindAt: $remindAt, recurrence: $recurrence, timeZone: $timeZone, count: 5) {\n      __typename\n      ... on RecurrencePreview { occurrences }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n": typeof types.ConsoleRecurrencePreviewDocument,
    "\n  mutation ConsoleRedeliver($deliveryId: ID!) {\n    redeliver(deliveryId: $deliveryId) {\n      __typename\n      ... on RedeliverPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message }\n      ... on NotFoundError { message }\n    }\n  }\n": typeof types.ConsoleRedeliverDocument,
};
const documents: Documents = {
    "\n  fragment CliEventFields on Event {\n    id title startsAt endsAt durationMinutes placement status location attendees\n    calendar { id name timeZone }\n    attendeeCalendars { id name }\n    reminders { id remindAt }\n  }\n": types.CliEventFieldsFragmentDoc,
    "\n  fragment CliCalendarFields on Calendar {\n    id name timeZone bufferMinutes slotIntervalMinutes horizonDays\n    workingHours { weekday start end }\n  }\n": types.CliCalendarFieldsFragmentDoc,
    "\n  mutation CliCreateEvent($input: CreateEventInput!) {\n    createEvent(input: $input) {\n      __typename\n      ... on CreateEventPayload { event { ...CliEventFields } displaced { ...CliEventFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n      ...SlotUnavailableFields\n    }\n  }\n": types.CliCreateEventDocument,
    "\n  mutation CliCancelEvent($id: ID!) {\n    cancelEvent(id: $id) {\n      __typename\n      ... on CancelEventPayload { event { ...CliEventFields } }\n      ...NotFoundErrorFields\n    }\n  }\n": types.CliCancelEventDocument,
    "\n  mutation CliDeleteEvent($id: ID!) {\n    deleteEvent(id: $id) {\n      __typename\n      ... on DeleteEventPayload { id }\n      ...NotFoundErrorFields\n    }\n  }\n": types.CliDeleteEventDocument,
    "\n  query CliEvents($calendarId: ID, $from: DateTime, $to: DateTime, $status: EventStatus, $first: Int, $after: String) {\n    events(calendarId: $calendarId, from: $from, to: $to, status: $status, first: $first, after: $after) {\n      edges { node { ...CliEventFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.CliEventsDocument,
    "\n  query CliFreeSlots($calendarId: ID, $from: DateTime!, $to: DateTime!, $durationMinutes: Int!, $attendeeCalendarIds: [ID!]) {\n    freeSlots(calendarId: $calendarId, from: $from, to: $to, durationMinutes: $durationMinutes, attendeeCalendarIds: $attendeeCalendarIds) {\n      startsAt endsAt\n    }\n  }\n": types.CliFreeSlotsDocument,
    "\n  query CliCalendars {\n    me { id timeZone defaultCalendar { id } calendars { ...CliCalendarFields } }\n  }\n": types.CliCalendarsDocument,
    "\n  query CliCalendar($id: ID!) {\n    calendar(id: $id) { ...CliCalendarFields }\n  }\n": types.CliCalendarDocument,
    "\n  mutation CliCreateCalendar($input: CreateCalendarInput!) {\n    createCalendar(input: $input) {\n      __typename\n      ... on CreateCalendarPayload { calendar { ...CliCalendarFields } }\n      ...ValidationErrorFields\n    }\n  }\n": types.CliCreateCalendarDocument,
    "\n  mutation CliUpdateCalendar($input: UpdateCalendarInput!) {\n    updateCalendar(input: $input) {\n      __typename\n      ... on UpdateCalendarPayload { calendar { ...CliCalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.CliUpdateCalendarDocument,
    "\n  query CliOccurrences($first: Int, $after: String) {\n    reminders(first: $first, after: $after) {\n      edges {\n        node {\n          id message remindAt timeZone recurrence status\n          occurrences(first: 100) { cursor occurrenceAt firedAt latenessMs status }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.CliOccurrencesDocument,
    "\n  subscription CliEventChanged($calendarId: ID) {\n    eventChanged(calendarId: $calendarId) { kind event { ...CliEventFields } }\n  }\n": types.CliEventChangedDocument,
    "\n  subscription CliEventPlacementFailed {\n    eventPlacementFailed { title message calendar { id name } suggestions { startsAt endsAt } }\n  }\n": types.CliEventPlacementFailedDocument,
    "\n  query Me {\n    me { id name timeZone defaultCalendar { id name timeZone } }\n  }\n": types.MeDocument,
    "\n  query WebhookSecret {\n    me { id webhookSecret }\n  }\n": types.WebhookSecretDocument,
    "\n  fragment ValidationErrorFields on ValidationError { message code fieldErrors { path message } }\n": types.ValidationErrorFieldsFragmentDoc,
    "\n  fragment NotFoundErrorFields on NotFoundError { message code }\n": types.NotFoundErrorFieldsFragmentDoc,
    "\n  fragment ReminderFields on Reminder {\n    id message remindAt timeZone recurrence status graceSeconds firedAt createdAt\n    channels { kind target }\n  }\n": types.ReminderFieldsFragmentDoc,
    "\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      __typename\n      ... on CreateAccountPayload { token account { id name timeZone defaultCalendar { id } } }\n      ...ValidationErrorFields\n    }\n  }\n": types.CreateAccountDocument,
    "\n  mutation CreateReminder($input: CreateReminderInput!) {\n    createReminder(input: $input) {\n      __typename\n      ... on CreateReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.CreateReminderDocument,
    "\n  mutation UpdateReminder($input: UpdateReminderInput!) {\n    updateReminder(input: $input) {\n      __typename\n      ... on UpdateReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.UpdateReminderDocument,
    "\n  mutation SnoozeReminder($input: SnoozeReminderInput!) {\n    snoozeReminder(input: $input) {\n      __typename\n      ... on SnoozeReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.SnoozeReminderDocument,
    "\n  mutation ExpireReminder($id: ID!) {\n    expireReminder(id: $id) {\n      __typename\n      ... on ExpireReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.ExpireReminderDocument,
    "\n  mutation CancelReminder($id: ID!) {\n    cancelReminder(id: $id) {\n      __typename\n      ... on CancelReminderPayload { reminder { ...ReminderFields } }\n      ...NotFoundErrorFields\n    }\n  }\n": types.CancelReminderDocument,
    "\n  query Reminders($status: ReminderStatus, $first: Int, $after: String) {\n    reminders(status: $status, first: $first, after: $after) {\n      edges { cursor node { ...ReminderFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.RemindersDocument,
    "\n  query Reminder($id: ID!) {\n    reminder(id: $id) {\n      ...ReminderFields\n      updatedAt\n      event { id title }\n      occurrences(first: 20) {\n        occurrenceAt firedAt latenessMs status cursor\n        deliveries { id channel target status nextAttemptAt attempts { attempt attemptedAt durationMs outcome error } }\n      }\n    }\n  }\n": types.ReminderDocument,
    "\n  subscription ReminderExpired($after: String) {\n    reminderExpired(after: $after) {\n      cursor occurrenceAt firedAt latenessMs\n      reminder { id message remindAt timeZone recurrence status }\n    }\n  }\n": types.ReminderExpiredDocument,
    "\n  fragment SlotUnavailableFields on SlotUnavailableError {\n    message code\n    conflicts { id title startsAt endsAt }\n    suggestions { startsAt endsAt }\n  }\n": types.SlotUnavailableFieldsFragmentDoc,
    "\n  mutation Redeliver($deliveryId: ID!) {\n    redeliver(deliveryId: $deliveryId) {\n      __typename\n      ... on RedeliverPayload { delivery { id channel target status } reminder { id message } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.RedeliverDocument,
    "\n  mutation RedeliverFailed($input: RedeliverFailedInput!) {\n    redeliverFailed(input: $input) {\n      __typename\n      ... on RedeliverFailedPayload { count }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.RedeliverFailedDocument,
    "\n  mutation TelegramUpdateTimeZone($timeZone: String!) {\n    updateAccount(input: { timeZone: $timeZone }) {\n      __typename\n      ... on UpdateAccountPayload { account { id name timeZone } }\n      ...ValidationErrorFields\n    }\n  }\n": types.TelegramUpdateTimeZoneDocument,
    "\n  query TelegramLatestOccurrences($first: Int, $after: String) {\n    reminders(first: $first, after: $after) {\n      edges { node { occurrences(first: 1) { cursor firedAt } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.TelegramLatestOccurrencesDocument,
    "\n  mutation ConsoleCreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      __typename\n      ... on CreateAccountPayload { token account { id name } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n": types.ConsoleCreateAccountDocument,
    "\n  query ConsoleAccount {\n    me {\n      id name timeZone webhookSecret apiTokens { id name createdAt lastUsedAt revokedAt }\n      limits { activeReminders channelsPerReminder minRecurrenceSeconds calendarFeeds apiTokens attachmentBytes subscriptions requestsPerSecond requestBurst }\n      usage { activeReminders calendarFeeds apiTokens attachmentBytes subscriptions historyRows }\n    }\n  }\n": types.ConsoleAccountDocument,
    "\n  mutation ConsoleUpdateAccount($input: UpdateAccountInput!) {\n    updateAccount(input: $input) {\n      __typename\n      ... on UpdateAccountPayload { account { id name timeZone } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n": types.ConsoleUpdateAccountDocument,
    "\n  mutation ConsoleCreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name createdAt lastUsedAt revokedAt } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on QuotaExceededError { message limit value }\n    }\n  }\n": types.ConsoleCreateApiTokenDocument,
    "\n  mutation ConsoleRevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      __typename\n      ... on RevokeApiTokenPayload { apiToken { id revokedAt } }\n      ... on NotFoundError { message }\n    }\n  }\n": types.ConsoleRevokeApiTokenDocument,
    "\n  fragment EventRow on Event {\n    id title startsAt endsAt durationMinutes status placement location attendees\n    calendar { id name }\n  }\n": types.EventRowFragmentDoc,
    "\n  query ConsoleCalendars {\n    me {\n      id timeZone\n      defaultCalendar { id }\n      calendars {\n        id name timeZone bufferMinutes slotIntervalMinutes horizonDays\n        workingHours { weekday start end }\n        feed { url lastSyncedAt lastError }\n      }\n    }\n  }\n": types.ConsoleCalendarsDocument,
    "\n  query ConsoleWeekEvents($calendarId: ID!, $from: DateTime!, $to: DateTime!) {\n    events(calendarId: $calendarId, from: $from, to: $to, first: 2000) {\n      edges { node { ...EventRow } }\n    }\n  }\n": types.ConsoleWeekEventsDocument,
    "\n  query ConsoleFreeSlots($calendarId: ID!, $durationMinutes: Int!, $from: DateTime!, $to: DateTime!) {\n    freeSlots(calendarId: $calendarId, durationMinutes: $durationMinutes, from: $from, to: $to) { startsAt endsAt }\n  }\n": types.ConsoleFreeSlotsDocument,
    "\n  mutation ConsoleCreateEvent($input: CreateEventInput!) {\n    createEvent(input: $input) {\n      __typename\n      ... on CreateEventPayload { event { ...EventRow } displaced { ...EventRow } }\n      ... on SlotUnavailableError { message conflicts { ...EventRow } suggestions { startsAt endsAt } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n": types.ConsoleCreateEventDocument,
    "\n  mutation ConsoleCancelEvent($id: ID!) {\n    cancelEvent(id: $id) {\n      __typename\n      ... on CancelEventPayload { event { ...EventRow } }\n      ... on NotFoundError { message }\n    }\n  }\n": types.ConsoleCancelEventDocument,
    "\n  mutation ConsoleUpdateCalendar($input: UpdateCalendarInput!) {\n    updateCalendar(input: $input) {\n      __typename\n      ... on UpdateCalendarPayload { calendar { id name timeZone bufferMinutes slotIntervalMinutes horizonDays workingHours { weekday start end } } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n": types.ConsoleUpdateCalendarDocument,
    "\n  subscription ConsoleEventChanged($calendarId: ID) {\n    eventChanged(calendarId: $calendarId) { kind event { ...EventRow } }\n  }\n": types.ConsoleEventChangedDocument,
    "\n  subscription ConsoleEventPlacementFailed {\n    eventPlacementFailed { title message calendar { id name } }\n  }\n": types.ConsoleEventPlacementFailedDocument,
    "\n  query ConsoleEventAttachments($id: ID!) {\n    event(id: $id) { id attachments { id filename contentType size url } }\n  }\n": types.ConsoleEventAttachmentsDocument,
    "\n  mutation ConsoleRemoveAttachment($id: ID!) {\n    removeEventAttachment(id: $id) { __typename ... on NotFoundError { message } }\n  }\n": types.ConsoleRemoveAttachmentDocument,
    "\n  fragment ReminderRow on Reminder {\n    id message remindAt timeZone recurrence status firedAt graceSeconds updatedAt\n    channels { kind target }\n  }\n": types.ReminderRowFragmentDoc,
    "\n  query ConsoleMe {\n    me {\n      id name timeZone webhookSecret\n      defaultCalendar { id }\n      calendars { id name timeZone }\n    }\n  }\n": types.ConsoleMeDocument,
    "\n  query ConsoleReminders($first: Int, $after: String, $last: Int, $before: String, $status: ReminderStatus) {\n    reminders(first: $first, after: $after, last: $last, before: $before, status: $status) {\n      edges { cursor node { ...ReminderRow } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": types.ConsoleRemindersDocument,
    "\n  query ConsoleReminderDetail($id: ID!) {\n    reminder(id: $id) {\n      ...ReminderRow\n      createdAt\n      event { id title }\n      occurrences(first: 50) {\n        cursor occurrenceAt firedAt latenessMs status\n        deliveries {\n          id channel target status nextAttemptAt\n          attempts { attempt attemptedAt durationMs outcome error }\n        }\n      }\n    }\n  }\n": types.ConsoleReminderDetailDocument,
    "\n  mutation ConsoleCreateReminder($input: CreateReminderInput!) {\n    createReminder(input: $input) {\n      __typename\n      ... on CreateReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n": types.ConsoleCreateReminderDocument,
    "\n  mutation ConsoleUpdateReminder($input: UpdateReminderInput!) {\n    updateReminder(input: $input) {\n      __typename\n      ... on UpdateReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n": types.ConsoleUpdateReminderDocument,
    "\n  mutation ConsoleCancelReminder($id: ID!) {\n    cancelReminder(id: $id) {\n      __typename\n      ... on CancelReminderPayload { reminder { ...ReminderRow } }\n      ... on NotFoundError { message }\n    }\n  }\n": types.ConsoleCancelReminderDocument,
    "\n  mutation ConsoleExpireReminder($id: ID!) {\n    expireReminder(id: $id) {\n      __typename\n      ... on ExpireReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message }\n      ... on NotFoundError { message }\n    }\n  }\n": types.ConsoleExpireReminderDocument,
    "\n  mutation ConsoleSnoozeReminder($input: SnoozeReminderInput!) {\n    snoozeReminder(input: $input) {\n      __typename\n      ... on SnoozeReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n": types.ConsoleSnoozeReminderDocument,
    "\n  subscription ConsoleReminderCreated { reminderCreated { ...ReminderRow } }\n": types.ConsoleReminderCreatedDocument,
    "\n  subscription ConsoleReminderUpdated { reminderUpdated { ...ReminderRow } }\n": types.ConsoleReminderUpdatedDocument,
    "\n  subscription ConsoleReminderExpired($after: String) {\n    reminderExpired(after: $after) { cursor occurrenceAt latenessMs reminder { ...ReminderRow } }\n  }\n": types.ConsoleReminderExpiredDocument,
    "\n  query ConsoleRecurrencePreview($remindAt: DateTime!, $recurrence: String!, $timeZone: String) {\n    recurrencePreview(remindAt: $remindAt, recurrence: $recurrence, timeZone: $timeZone, count: 5) {\n      __typename\n      ... on RecurrencePreview { occurrences }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n": types.ConsoleRecurrencePreviewDocument,
    "\n  mutation ConsoleRedeliver($deliveryId: ID!) {\n    redeliver(deliveryId: $deliveryId) {\n      __typename\n      ... on RedeliverPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message }\n      ... on NotFoundError { message }\n    }\n  }\n": types.ConsoleRedeliverDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CliEventFields on Event {\n    id title startsAt endsAt durationMinutes placement status location attendees\n    calendar { id name timeZone }\n    attendeeCalendars { id name }\n    reminders { id remindAt }\n  }\n"): (typeof documents)["\n  fragment CliEventFields on Event {\n    id title startsAt endsAt durationMinutes placement status location attendees\n    calendar { id name timeZone }\n    attendeeCalendars { id name }\n    reminders { id remindAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CliCalendarFields on Calendar {\n    id name timeZone bufferMinutes slotIntervalMinutes horizonDays\n    workingHours { weekday start end }\n  }\n"): (typeof documents)["\n  fragment CliCalendarFields on Calendar {\n    id name timeZone bufferMinutes slotIntervalMinutes horizonDays\n    workingHours { weekday start end }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCreateEvent($input: CreateEventInput!) {\n    createEvent(input: $input) {\n      __typename\n      ... on CreateEventPayload { event { ...CliEventFields } displaced { ...CliEventFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n      ...SlotUnavailableFields\n    }\n  }\n"): (typeof documents)["\n  mutation CliCreateEvent($input: CreateEventInput!) {\n    createEvent(input: $input) {\n      __typename\n      ... on CreateEventPayload { event { ...CliEventFields } displaced { ...CliEventFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n      ...SlotUnavailableFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCancelEvent($id: ID!) {\n    cancelEvent(id: $id) {\n      __typename\n      ... on CancelEventPayload { event { ...CliEventFields } }\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation CliCancelEvent($id: ID!) {\n    cancelEvent(id: $id) {\n      __typename\n      ... on CancelEventPayload { event { ...CliEventFields } }\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliDeleteEvent($id: ID!) {\n    deleteEvent(id: $id) {\n      __typename\n      ... on DeleteEventPayload { id }\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation CliDeleteEvent($id: ID!) {\n    deleteEvent(id: $id) {\n      __typename\n      ... on DeleteEventPayload { id }\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliEvents($calendarId: ID, $from: DateTime, $to: DateTime, $status: EventStatus, $first: Int, $after: String) {\n    events(calendarId: $calendarId, from: $from, to: $to, status: $status, first: $first, after: $after) {\n      edges { node { ...CliEventFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query CliEvents($calendarId: ID, $from: DateTime, $to: DateTime, $status: EventStatus, $first: Int, $after: String) {\n    events(calendarId: $calendarId, from: $from, to: $to, status: $status, first: $first, after: $after) {\n      edges { node { ...CliEventFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliFreeSlots($calendarId: ID, $from: DateTime!, $to: DateTime!, $durationMinutes: Int!, $attendeeCalendarIds: [ID!]) {\n    freeSlots(calendarId: $calendarId, from: $from, to: $to, durationMinutes: $durationMinutes, attendeeCalendarIds: $attendeeCalendarIds) {\n      startsAt endsAt\n    }\n  }\n"): (typeof documents)["\n  query CliFreeSlots($calendarId: ID, $from: DateTime!, $to: DateTime!, $durationMinutes: Int!, $attendeeCalendarIds: [ID!]) {\n    freeSlots(calendarId: $calendarId, from: $from, to: $to, durationMinutes: $durationMinutes, attendeeCalendarIds: $attendeeCalendarIds) {\n      startsAt endsAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliCalendars {\n    me { id timeZone defaultCalendar { id } calendars { ...CliCalendarFields } }\n  }\n"): (typeof documents)["\n  query CliCalendars {\n    me { id timeZone defaultCalendar { id } calendars { ...CliCalendarFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliCalendar($id: ID!) {\n    calendar(id: $id) { ...CliCalendarFields }\n  }\n"): (typeof documents)["\n  query CliCalendar($id: ID!) {\n    calendar(id: $id) { ...CliCalendarFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCreateCalendar($input: CreateCalendarInput!) {\n    createCalendar(input: $input) {\n      __typename\n      ... on CreateCalendarPayload { calendar { ...CliCalendarFields } }\n      ...ValidationErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation CliCreateCalendar($input: CreateCalendarInput!) {\n    createCalendar(input: $input) {\n      __typename\n      ... on CreateCalendarPayload { calendar { ...CliCalendarFields } }\n      ...ValidationErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliUpdateCalendar($input: UpdateCalendarInput!) {\n    updateCalendar(input: $input) {\n      __typename\n      ... on UpdateCalendarPayload { calendar { ...CliCalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation CliUpdateCalendar($input: UpdateCalendarInput!) {\n    updateCalendar(input: $input) {\n      __typename\n      ... on UpdateCalendarPayload { calendar { ...CliCalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliOccurrences($first: Int, $after: String) {\n    reminders(first: $first, after: $after) {\n      edges {\n        node {\n          id message remindAt timeZone recurrence status\n          occurrences(first: 100) { cursor occurrenceAt firedAt latenessMs status }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query CliOccurrences($first: Int, $after: String) {\n    reminders(first: $first, after: $after) {\n      edges {\n        node {\n          id message remindAt timeZone recurrence status\n          occurrences(first: 100) { cursor occurrenceAt firedAt latenessMs status }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CliEventChanged($calendarId: ID) {\n    eventChanged(calendarId: $calendarId) { kind event { ...CliEventFields } }\n  }\n"): (typeof documents)["\n  subscription CliEventChanged($calendarId: ID) {\n    eventChanged(calendarId: $calendarId) { kind event { ...CliEventFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CliEventPlacementFailed {\n    eventPlacementFailed { title message calendar { id name } suggestions { startsAt endsAt } }\n  }\n"): (typeof documents)["\n  subscription CliEventPlacementFailed {\n    eventPlacementFailed { title message calendar { id name } suggestions { startsAt endsAt } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { id name timeZone defaultCalendar { id name timeZone } }\n  }\n"): (typeof documents)["\n  query Me {\n    me { id name timeZone defaultCalendar { id name timeZone } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookSecret {\n    me { id webhookSecret }\n  }\n"): (typeof documents)["\n  query WebhookSecret {\n    me { id webhookSecret }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ValidationErrorFields on ValidationError { message code fieldErrors { path message } }\n"): (typeof documents)["\n  fragment ValidationErrorFields on ValidationError { message code fieldErrors { path message } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NotFoundErrorFields on NotFoundError { message code }\n"): (typeof documents)["\n  fragment NotFoundErrorFields on NotFoundError { message code }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReminderFields on Reminder {\n    id message remindAt timeZone recurrence status graceSeconds firedAt createdAt\n    channels { kind target }\n  }\n"): (typeof documents)["\n  fragment ReminderFields on Reminder {\n    id message remindAt timeZone recurrence status graceSeconds firedAt createdAt\n    channels { kind target }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      __typename\n      ... on CreateAccountPayload { token account { id name timeZone defaultCalendar { id } } }\n      ...ValidationErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      __typename\n      ... on CreateAccountPayload { token account { id name timeZone defaultCalendar { id } } }\n      ...ValidationErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateReminder($input: CreateReminderInput!) {\n    createReminder(input: $input) {\n      __typename\n      ... on CreateReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateReminder($input: CreateReminderInput!) {\n    createReminder(input: $input) {\n      __typename\n      ... on CreateReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateReminder($input: UpdateReminderInput!) {\n    updateReminder(input: $input) {\n      __typename\n      ... on UpdateReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateReminder($input: UpdateReminderInput!) {\n    updateReminder(input: $input) {\n      __typename\n      ... on UpdateReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SnoozeReminder($input: SnoozeReminderInput!) {\n    snoozeReminder(input: $input) {\n      __typename\n      ... on SnoozeReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation SnoozeReminder($input: SnoozeReminderInput!) {\n    snoozeReminder(input: $input) {\n      __typename\n      ... on SnoozeReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExpireReminder($id: ID!) {\n    expireReminder(id: $id) {\n      __typename\n      ... on ExpireReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation ExpireReminder($id: ID!) {\n    expireReminder(id: $id) {\n      __typename\n      ... on ExpireReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelReminder($id: ID!) {\n    cancelReminder(id: $id) {\n      __typename\n      ... on CancelReminderPayload { reminder { ...ReminderFields } }\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation CancelReminder($id: ID!) {\n    cancelReminder(id: $id) {\n      __typename\n      ... on CancelReminderPayload { reminder { ...ReminderFields } }\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Reminders($status: ReminderStatus, $first: Int, $after: String) {\n    reminders(status: $status, first: $first, after: $after) {\n      edges { cursor node { ...ReminderFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Reminders($status: ReminderStatus, $first: Int, $after: String) {\n    reminders(status: $status, first: $first, after: $after) {\n      edges { cursor node { ...ReminderFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Reminder($id: ID!) {\n    reminder(id: $id) {\n      ...ReminderFields\n      updatedAt\n      event { id title }\n      occurrences(first: 20) {\n        occurrenceAt firedAt latenessMs status cursor\n        deliveries { id channel target status nextAttemptAt attempts { attempt attemptedAt durationMs outcome error } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Reminder($id: ID!) {\n    reminder(id: $id) {\n      ...ReminderFields\n      updatedAt\n      event { id title }\n      occurrences(first: 20) {\n        occurrenceAt firedAt latenessMs status cursor\n        deliveries { id channel target status nextAttemptAt attempts { attempt attemptedAt durationMs outcome error } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ReminderExpired($after: String) {\n    reminderExpired(after: $after) {\n      cursor occurrenceAt firedAt latenessMs\n      reminder { id message remindAt timeZone recurrence status }\n    }\n  }\n"): (typeof documents)["\n  subscription ReminderExpired($after: String) {\n    reminderExpired(after: $after) {\n      cursor occurrenceAt firedAt latenessMs\n      reminder { id message remindAt timeZone recurrence status }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SlotUnavailableFields on SlotUnavailableError {\n    message code\n    conflicts { id title startsAt endsAt }\n    suggestions { startsAt endsAt }\n  }\n"): (typeof documents)["\n  fragment SlotUnavailableFields on SlotUnavailableError {\n    message code\n    conflicts { id title startsAt endsAt }\n    suggestions { startsAt endsAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Redeliver($deliveryId: ID!) {\n    redeliver(deliveryId: $deliveryId) {\n      __typename\n      ... on RedeliverPayload { delivery { id channel target status } reminder { id message } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation Redeliver($deliveryId: ID!) {\n    redeliver(deliveryId: $deliveryId) {\n      __typename\n      ... on RedeliverPayload { delivery { id channel target status } reminder { id message } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RedeliverFailed($input: RedeliverFailedInput!) {\n    redeliverFailed(input: $input) {\n      __typename\n      ... on RedeliverFailedPayload { count }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation RedeliverFailed($input: RedeliverFailedInput!) {\n    redeliverFailed(input: $input) {\n      __typename\n      ... on RedeliverFailedPayload { count }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TelegramUpdateTimeZone($timeZone: String!) {\n    updateAccount(input: { timeZone: $timeZone }) {\n      __typename\n      ... on UpdateAccountPayload { account { id name timeZone } }\n      ...ValidationErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation TelegramUpdateTimeZone($timeZone: String!) {\n    updateAccount(input: { timeZone: $timeZone }) {\n      __typename\n      ... on UpdateAccountPayload { account { id name timeZone } }\n      ...ValidationErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TelegramLatestOccurrences($first: Int, $after: String) {\n    reminders(first: $first, after: $after) {\n      edges { node { occurrences(first: 1) { cursor firedAt } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query TelegramLatestOccurrences($first: Int, $after: String) {\n    reminders(first: $first, after: $after) {\n      edges { node { occurrences(first: 1) { cursor firedAt } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      __typename\n      ... on CreateAccountPayload { token account { id name } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleCreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      __typename\n      ... on CreateAccountPayload { token account { id name } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAccount {\n    me {\n      id name timeZone webhookSecret apiTokens { id name createdAt lastUsedAt revokedAt }\n      limits { activeReminders channelsPerReminder minRecurrenceSeconds calendarFeeds apiTokens attachmentBytes subscriptions requestsPerSecond requestBurst }\n      usage { activeReminders calendarFeeds apiTokens attachmentBytes subscriptions historyRows }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleAccount {\n    me {\n      id name timeZone webhookSecret apiTokens { id name createdAt lastUsedAt revokedAt }\n      limits { activeReminders channelsPerReminder minRecurrenceSeconds calendarFeeds apiTokens attachmentBytes subscriptions requestsPerSecond requestBurst }\n      usage { activeReminders calendarFeeds apiTokens attachmentBytes subscriptions historyRows }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUpdateAccount($input: UpdateAccountInput!) {\n    updateAccount(input: $input) {\n      __typename\n      ... on UpdateAccountPayload { account { id name timeZone } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleUpdateAccount($input: UpdateAccountInput!) {\n    updateAccount(input: $input) {\n      __typename\n      ... on UpdateAccountPayload { account { id name timeZone } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name createdAt lastUsedAt revokedAt } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on QuotaExceededError { message limit value }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleCreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name createdAt lastUsedAt revokedAt } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on QuotaExceededError { message limit value }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      __typename\n      ... on RevokeApiTokenPayload { apiToken { id revokedAt } }\n      ... on NotFoundError { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleRevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      __typename\n      ... on RevokeApiTokenPayload { apiToken { id revokedAt } }\n      ... on NotFoundError { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EventRow on Event {\n    id title startsAt endsAt durationMinutes status placement location attendees\n    calendar { id name }\n  }\n"): (typeof documents)["\n  fragment EventRow on Event {\n    id title startsAt endsAt durationMinutes status placement location attendees\n    calendar { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleCalendars {\n    me {\n      id timeZone\n      defaultCalendar { id }\n      calendars {\n        id name timeZone bufferMinutes slotIntervalMinutes horizonDays\n        workingHours { weekday start end }\n        feed { url lastSyncedAt lastError }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleCalendars {\n    me {\n      id timeZone\n      defaultCalendar { id }\n      calendars {\n        id name timeZone bufferMinutes slotIntervalMinutes horizonDays\n        workingHours { weekday start end }\n        feed { url lastSyncedAt lastError }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleWeekEvents($calendarId: ID!, $from: DateTime!, $to: DateTime!) {\n    events(calendarId: $calendarId, from: $from, to: $to, first: 2000) {\n      edges { node { ...EventRow } }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleWeekEvents($calendarId: ID!, $from: DateTime!, $to: DateTime!) {\n    events(calendarId: $calendarId, from: $from, to: $to, first: 2000) {\n      edges { node { ...EventRow } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleFreeSlots($calendarId: ID!, $durationMinutes: Int!, $from: DateTime!, $to: DateTime!) {\n    freeSlots(calendarId: $calendarId, durationMinutes: $durationMinutes, from: $from, to: $to) { startsAt endsAt }\n  }\n"): (typeof documents)["\n  query ConsoleFreeSlots($calendarId: ID!, $durationMinutes: Int!, $from: DateTime!, $to: DateTime!) {\n    freeSlots(calendarId: $calendarId, durationMinutes: $durationMinutes, from: $from, to: $to) { startsAt endsAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCreateEvent($input: CreateEventInput!) {\n    createEvent(input: $input) {\n      __typename\n      ... on CreateEventPayload { event { ...EventRow } displaced { ...EventRow } }\n      ... on SlotUnavailableError { message conflicts { ...EventRow } suggestions { startsAt endsAt } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleCreateEvent($input: CreateEventInput!) {\n    createEvent(input: $input) {\n      __typename\n      ... on CreateEventPayload { event { ...EventRow } displaced { ...EventRow } }\n      ... on SlotUnavailableError { message conflicts { ...EventRow } suggestions { startsAt endsAt } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCancelEvent($id: ID!) {\n    cancelEvent(id: $id) {\n      __typename\n      ... on CancelEventPayload { event { ...EventRow } }\n      ... on NotFoundError { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleCancelEvent($id: ID!) {\n    cancelEvent(id: $id) {\n      __typename\n      ... on CancelEventPayload { event { ...EventRow } }\n      ... on NotFoundError { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUpdateCalendar($input: UpdateCalendarInput!) {\n    updateCalendar(input: $input) {\n      __typename\n      ... on UpdateCalendarPayload { calendar { id name timeZone bufferMinutes slotIntervalMinutes horizonDays workingHours { weekday start end } } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleUpdateCalendar($input: UpdateCalendarInput!) {\n    updateCalendar(input: $input) {\n      __typename\n      ... on UpdateCalendarPayload { calendar { id name timeZone bufferMinutes slotIntervalMinutes horizonDays workingHours { weekday start end } } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleEventChanged($calendarId: ID) {\n    eventChanged(calendarId: $calendarId) { kind event { ...EventRow } }\n  }\n"): (typeof documents)["\n  subscription ConsoleEventChanged($calendarId: ID) {\n    eventChanged(calendarId: $calendarId) { kind event { ...EventRow } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleEventPlacementFailed {\n    eventPlacementFailed { title message calendar { id name } }\n  }\n"): (typeof documents)["\n  subscription ConsoleEventPlacementFailed {\n    eventPlacementFailed { title message calendar { id name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleEventAttachments($id: ID!) {\n    event(id: $id) { id attachments { id filename contentType size url } }\n  }\n"): (typeof documents)["\n  query ConsoleEventAttachments($id: ID!) {\n    event(id: $id) { id attachments { id filename contentType size url } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRemoveAttachment($id: ID!) {\n    removeEventAttachment(id: $id) { __typename ... on NotFoundError { message } }\n  }\n"): (typeof documents)["\n  mutation ConsoleRemoveAttachment($id: ID!) {\n    removeEventAttachment(id: $id) { __typename ... on NotFoundError { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReminderRow on Reminder {\n    id message remindAt timeZone recurrence status firedAt graceSeconds updatedAt\n    channels { kind target }\n  }\n"): (typeof documents)["\n  fragment ReminderRow on Reminder {\n    id message remindAt timeZone recurrence status firedAt graceSeconds updatedAt\n    channels { kind target }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleMe {\n    me {\n      id name timeZone webhookSecret\n      defaultCalendar { id }\n      calendars { id name timeZone }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleMe {\n    me {\n      id name timeZone webhookSecret\n      defaultCalendar { id }\n      calendars { id name timeZone }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleReminders($first: Int, $after: String, $last: Int, $before: String, $status: ReminderStatus) {\n    reminders(first: $first, after: $after, last: $last, before: $before, status: $status) {\n      edges { cursor node { ...ReminderRow } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleReminders($first: Int, $after: String, $last: Int, $before: String, $status: ReminderStatus) {\n    reminders(first: $first, after: $after, last: $last, before: $before, status: $status) {\n      edges { cursor node { ...ReminderRow } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleReminderDetail($id: ID!) {\n    reminder(id: $id) {\n      ...ReminderRow\n      createdAt\n      event { id title }\n      occurrences(first: 50) {\n        cursor occurrenceAt firedAt latenessMs status\n        deliveries {\n          id channel target status nextAttemptAt\n          attempts { attempt attemptedAt durationMs outcome error }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleReminderDetail($id: ID!) {\n    reminder(id: $id) {\n      ...ReminderRow\n      createdAt\n      event { id title }\n      occurrences(first: 50) {\n        cursor occurrenceAt firedAt latenessMs status\n        deliveries {\n          id channel target status nextAttemptAt\n          attempts { attempt attemptedAt durationMs outcome error }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCreateReminder($input: CreateReminderInput!) {\n    createReminder(input: $input) {\n      __typename\n      ... on CreateReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleCreateReminder($input: CreateReminderInput!) {\n    createReminder(input: $input) {\n      __typename\n      ... on CreateReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUpdateReminder($input: UpdateReminderInput!) {\n    updateReminder(input: $input) {\n      __typename\n      ... on UpdateReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleUpdateReminder($input: UpdateReminderInput!) {\n    updateReminder(input: $input) {\n      __typename\n      ... on UpdateReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCancelReminder($id: ID!) {\n    cancelReminder(id: $id) {\n      __typename\n      ... on CancelReminderPayload { reminder { ...ReminderRow } }\n      ... on NotFoundError { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleCancelReminder($id: ID!) {\n    cancelReminder(id: $id) {\n      __typename\n      ... on CancelReminderPayload { reminder { ...ReminderRow } }\n      ... on NotFoundError { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleExpireReminder($id: ID!) {\n    expireReminder(id: $id) {\n      __typename\n      ... on ExpireReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message }\n      ... on NotFoundError { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleExpireReminder($id: ID!) {\n    expireReminder(id: $id) {\n      __typename\n      ... on ExpireReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message }\n      ... on NotFoundError { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSnoozeReminder($input: SnoozeReminderInput!) {\n    snoozeReminder(input: $input) {\n      __typename\n      ... on SnoozeReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleSnoozeReminder($input: SnoozeReminderInput!) {\n    snoozeReminder(input: $input) {\n      __typename\n      ... on SnoozeReminderPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on NotFoundError { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleReminderCreated { reminderCreated { ...ReminderRow } }\n"): (typeof documents)["\n  subscription ConsoleReminderCreated { reminderCreated { ...ReminderRow } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleReminderUpdated { reminderUpdated { ...ReminderRow } }\n"): (typeof documents)["\n  subscription ConsoleReminderUpdated { reminderUpdated { ...ReminderRow } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleReminderExpired($after: String) {\n    reminderExpired(after: $after) { cursor occurrenceAt latenessMs reminder { ...ReminderRow } }\n  }\n"): (typeof documents)["\n  subscription ConsoleReminderExpired($after: String) {\n    reminderExpired(after: $after) { cursor occurrenceAt latenessMs reminder { ...ReminderRow } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleRecurrencePreview($remindAt: DateTime!, $recurrence: String!, $timeZone: String) {\n    recurrencePreview(remindAt: $remindAt, recurrence: $recurrence, timeZone: $timeZone, count: 5) {\n      __typename\n      ... on RecurrencePreview { occurrences }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleRecurrencePreview($remindAt: DateTime!, $recurrence: String!, $timeZone: String) {\n    recurrencePreview(remindAt: $remindAt, recurrence: $recurrence, timeZone: $timeZone, count: 5) {\n      __typename\n      ... on RecurrencePreview { occurrences }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRedeliver($deliveryId: ID!) {\n    redeliver(deliveryId: $deliveryId) {\n      __typename\n      ... on RedeliverPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message }\n      ... on NotFoundError { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleRedeliver($deliveryId: ID!) {\n    redeliver(deliveryId: $deliveryId) {\n      __typename\n      ... on RedeliverPayload { reminder { ...ReminderRow } }\n      ... on ValidationError { message }\n      ... on NotFoundError { message }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;