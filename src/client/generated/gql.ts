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
    "\n  query Me {\n    me { id name timeZone defaultCalendar { id name timeZone } calendars { id name timeZone } }\n  }\n": typeof types.MeDocument,
    "\n  query WebhookSecret {\n    me { id webhookSecret }\n  }\n": typeof types.WebhookSecretDocument,
    "\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      __typename\n      ... on CreateAccountPayload { token account { id name timeZone defaultCalendar { id } } }\n      ...ValidationErrorFields\n    }\n  }\n": typeof types.CreateAccountDocument,
    "\n  fragment EventFields on Event {\n    id title startsAt endsAt durationMinutes allDay placement status location attendees\n    calendar { id name timeZone }\n    attendeeCalendars { id name }\n    reminders { id remindAt }\n  }\n": typeof types.EventFieldsFragmentDoc,
    "\n  fragment CalendarFields on Calendar {\n    id name timeZone bufferMinutes slotIntervalMinutes horizonDays\n    workingHours { weekday start end }\n  }\n": typeof types.CalendarFieldsFragmentDoc,
    "\n  fragment SlotUnavailableFields on SlotUnavailableError {\n    message code\n    conflicts { ...EventFields }\n    suggestions { startsAt endsAt }\n  }\n": typeof types.SlotUnavailableFieldsFragmentDoc,
    "\n  query Calendars {\n    me {\n      id timeZone defaultCalendar { id }\n      calendars { ...CalendarFields feed { url lastSyncedAt lastError } }\n    }\n  }\n": typeof types.CalendarsDocument,
    "\n  query Calendar($id: ID!) {\n    calendar(id: $id) { ...CalendarFields }\n  }\n": typeof types.CalendarDocument,
    "\n  query Events($calendarId: ID, $from: DateTime, $to: DateTime, $status: EventStatus, $first: Int, $after: String) {\n    events(calendarId: $calendarId, from: $from, to: $to, status: $status, first: $first, after: $after) {\n      edges { node { ...EventFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.EventsDocument,
    "\n  query FreeSlots($calendarId: ID, $from: DateTime!, $to: DateTime!, $durationMinutes: Int!, $attendeeCalendarIds: [ID!]) {\n    freeSlots(calendarId: $calendarId, from: $from, to: $to, durationMinutes: $durationMinutes, attendeeCalendarIds: $attendeeCalendarIds) {\n      startsAt endsAt\n    }\n  }\n": typeof types.FreeSlotsDocument,
    "\n  query EventAttachments($id: ID!) {\n    event(id: $id) { id attachments { id filename contentType size url } }\n  }\n": typeof types.EventAttachmentsDocument,
    "\n  mutation CreateEvent($input: CreateEventInput!) {\n    createEvent(input: $input) {\n      __typename\n      ... on CreateEventPayload { event { ...EventFields } displaced { ...EventFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n      ...SlotUnavailableFields\n    }\n  }\n": typeof types.CreateEventDocument,
    "\n  mutation CancelEvent($id: ID!) {\n    cancelEvent(id: $id) {\n      __typename\n      ... on CancelEventPayload { event { ...EventFields } }\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.CancelEventDocument,
    "\n  mutation DeleteEvent($id: ID!) {\n    deleteEvent(id: $id) {\n      __typename\n      ... on DeleteEventPayload { id }\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.DeleteEventDocument,
    "\n  mutation RemoveAttachment($id: ID!) {\n    removeEventAttachment(id: $id) { __typename ...NotFoundErrorFields }\n  }\n": typeof types.RemoveAttachmentDocument,
    "\n  mutation CreateCalendar($input: CreateCalendarInput!) {\n    createCalendar(input: $input) {\n      __typename\n      ... on CreateCalendarPayload { calendar { ...CalendarFields } }\n      ...ValidationErrorFields\n    }\n  }\n": typeof types.CreateCalendarDocument,
    "\n  mutation UpdateCalendar($input: UpdateCalendarInput!) {\n    updateCalendar(input: $input) {\n      __typename\n      ... on UpdateCalendarPayload { calendar { ...CalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.UpdateCalendarDocument,
    "\n  subscription EventChanged($calendarId: ID) {\n    eventChanged(calendarId: $calendarId) { kind event { ...EventFields } }\n  }\n": typeof types.EventChangedDocument,
    "\n  subscription EventPlacementFailed {\n    eventPlacementFailed { title message calendar { id name } suggestions { startsAt endsAt } }\n  }\n": typeof types.EventPlacementFailedDocument,
    "\n  fragment ValidationErrorFields on ValidationError { message code fieldErrors { path message } }\n": typeof types.ValidationErrorFieldsFragmentDoc,
    "\n  fragment NotFoundErrorFields on NotFoundError { message code }\n": typeof types.NotFoundErrorFieldsFragmentDoc,
    "\n  fragment FeedCalendarFields on Calendar {\n    id name timeZone feedUrl\n    feed { url refreshMinutes lastSyncedAt lastAttemptAt lastError eventCount warnings nextSyncAt }\n  }\n": typeof types.FeedCalendarFieldsFragmentDoc,
    "\n  query Feeds {\n    me {\n      id timeZone\n      limits { calendarFeeds }\n      usage { calendarFeeds }\n      calendars { ...FeedCalendarFields }\n    }\n  }\n": typeof types.FeedsDocument,
    "\n  mutation SubscribeCalendarFeed($input: SubscribeCalendarFeedInput!) {\n    subscribeCalendarFeed(input: $input) {\n      __typename\n      ... on SubscribeCalendarFeedPayload { calendar { ...FeedCalendarFields } }\n      ...ValidationErrorFields\n      ... on QuotaExceededError { message code limit value }\n    }\n  }\n": typeof types.SubscribeCalendarFeedDocument,
    "\n  mutation UpdateCalendarFeed($input: UpdateCalendarFeedInput!) {\n    updateCalendarFeed(input: $input) {\n      __typename\n      ... on SubscribeCalendarFeedPayload { calendar { ...FeedCalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.UpdateCalendarFeedDocument,
    "\n  mutation RefreshCalendarFeed($calendarId: ID!) {\n    refreshCalendarFeed(calendarId: $calendarId) {\n      __typename\n      ... on RefreshCalendarFeedPayload { created updated deleted calendar { ...FeedCalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.RefreshCalendarFeedDocument,
    "\n  mutation UnsubscribeCalendarFeed($calendarId: ID!) {\n    unsubscribeCalendarFeed(calendarId: $calendarId) {\n      __typename\n      ... on UnsubscribeCalendarFeedPayload { id }\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.UnsubscribeCalendarFeedDocument,
    "\n  mutation RotateCalendarFeedToken($calendarId: ID!) {\n    rotateCalendarFeedToken(calendarId: $calendarId) {\n      __typename\n      ... on RotateCalendarFeedTokenPayload { calendar { ...FeedCalendarFields } }\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.RotateCalendarFeedTokenDocument,
    "\n  subscription CalendarFeedSynced {\n    calendarFeedSynced { ...FeedCalendarFields }\n  }\n": typeof types.CalendarFeedSyncedDocument,
    "\n  fragment ReminderFields on Reminder {\n    id message remindAt timeZone recurrence status graceSeconds firedAt createdAt updatedAt\n    channels { kind target }\n  }\n": typeof types.ReminderFieldsFragmentDoc,
    "\n  query Reminders($status: ReminderStatus, $first: Int, $after: String, $last: Int, $before: String) {\n    reminders(status: $status, first: $first, after: $after, last: $last, before: $before) {\n      edges { cursor node { ...ReminderFields } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": typeof types.RemindersDocument,
    "\n  query Reminder($id: ID!, $occurrences: Int = 20) {\n    reminder(id: $id) {\n      ...ReminderFields\n      event { id title }\n      occurrences(first: $occurrences) {\n        cursor occurrenceAt firedAt latenessMs status\n        deliveries { id channel target status nextAttemptAt attempts { attempt attemptedAt durationMs outcome error } }\n      }\n    }\n  }\n": typeof types.ReminderDocument,
    "\n  query Occurrences($first: Int, $after: String, $occurrences: Int = 100) {\n    reminders(first: $first, after: $after) {\n      edges {\n        node {\n          ...ReminderFields\n          occurrences(first: $occurrences) { cursor occurrenceAt firedAt latenessMs status }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.OccurrencesDocument,
    "\n  query RecurrencePreview($remindAt: DateTime!, $recurrence: String!, $timeZone: String) {\n    recurrencePreview(remindAt: $remindAt, recurrence: $recurrence, timeZone: $timeZone, count: 5) {\n      __typename\n      ... on RecurrencePreview { occurrences }\n      ...ValidationErrorFields\n    }\n  }\n": typeof types.RecurrencePreviewDocument,
    "\n  mutation CreateReminder($input: CreateReminderInput!) {\n    createReminder(input: $input) {\n      __typename\n      ... on CreateReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.CreateReminderDocument,
    "\n  mutation UpdateReminder($input: UpdateReminderInput!) {\n    updateReminder(input: $input) {\n      __typename\n      ... on UpdateReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.UpdateReminderDocument,
    "\n  mutation SnoozeReminder($input: SnoozeReminderInput!) {\n    snoozeReminder(input: $input) {\n      __typename\n      ... on SnoozeReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.SnoozeReminderDocument,
    "\n  mutation ExpireReminder($id: ID!) {\n    expireReminder(id: $id) {\n      __typename\n      ... on ExpireReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.ExpireReminderDocument,
    "\n  mutation CancelReminder($id: ID!) {\n    cancelReminder(id: $id) {\n      __typename\n      ... on CancelReminderPayload { reminder { ...ReminderFields } }\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.CancelReminderDocument,
    "\n  mutation Redeliver($deliveryId: ID!) {\n    redeliver(deliveryId: $deliveryId) {\n      __typename\n      ... on RedeliverPayload { delivery { id channel target status } reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.RedeliverDocument,
    "\n  mutation RedeliverFailed($input: RedeliverFailedInput!) {\n    redeliverFailed(input: $input) {\n      __typename\n      ... on RedeliverFailedPayload { count }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.RedeliverFailedDocument,
    "\n  subscription ReminderCreated { reminderCreated { ...ReminderFields } }\n": typeof types.ReminderCreatedDocument,
    "\n  subscription ReminderUpdated { reminderUpdated { ...ReminderFields } }\n": typeof types.ReminderUpdatedDocument,
    "\n  subscription ReminderExpired($after: String) {\n    reminderExpired(after: $after) { cursor occurrenceAt firedAt latenessMs reminder { ...ReminderFields } }\n  }\n": typeof types.ReminderExpiredDocument,
    "\n  query Account {\n    me {\n      id name timeZone webhookSecret apiTokens { id name createdAt lastUsedAt revokedAt }\n      limits { activeReminders channelsPerReminder minRecurrenceSeconds calendarFeeds apiTokens attachmentBytes subscriptions requestsPerSecond requestBurst }\n      usage { activeReminders calendarFeeds apiTokens attachmentBytes subscriptions historyRows }\n    }\n  }\n": typeof types.AccountDocument,
    "\n  mutation UpdateAccount($input: UpdateAccountInput!) {\n    updateAccount(input: $input) {\n      __typename\n      ... on UpdateAccountPayload { account { id name timeZone } }\n      ...ValidationErrorFields\n    }\n  }\n": typeof types.UpdateAccountDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name createdAt lastUsedAt revokedAt } }\n      ...ValidationErrorFields\n      ... on QuotaExceededError { message limit value }\n    }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      __typename\n      ... on RevokeApiTokenPayload { apiToken { id revokedAt } }\n      ...NotFoundErrorFields\n    }\n  }\n": typeof types.RevokeApiTokenDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me { id name timeZone defaultCalendar { id name timeZone } calendars { id name timeZone } }\n  }\n": types.MeDocument,
    "\n  query WebhookSecret {\n    me { id webhookSecret }\n  }\n": types.WebhookSecretDocument,
    "\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      __typename\n      ... on CreateAccountPayload { token account { id name timeZone defaultCalendar { id } } }\n      ...ValidationErrorFields\n    }\n  }\n": types.CreateAccountDocument,
    "\n  fragment EventFields on Event {\n    id title startsAt endsAt durationMinutes allDay placement status location attendees\n    calendar { id name timeZone }\n    attendeeCalendars { id name }\n    reminders { id remindAt }\n  }\n": types.EventFieldsFragmentDoc,
    "\n  fragment CalendarFields on Calendar {\n    id name timeZone bufferMinutes slotIntervalMinutes horizonDays\n    workingHours { weekday start end }\n  }\n": types.CalendarFieldsFragmentDoc,
    "\n  fragment SlotUnavailableFields on SlotUnavailableError {\n    message code\n    conflicts { ...EventFields }\n    suggestions { startsAt endsAt }\n  }\n": types.SlotUnavailableFieldsFragmentDoc,
    "\n  query Calendars {\n    me {\n      id timeZone defaultCalendar { id }\n      calendars { ...CalendarFields feed { url lastSyncedAt lastError } }\n    }\n  }\n": types.CalendarsDocument,
    "\n  query Calendar($id: ID!) {\n    calendar(id: $id) { ...CalendarFields }\n  }\n": types.CalendarDocument,
    "\n  query Events($calendarId: ID, $from: DateTime, $to: DateTime, $status: EventStatus, $first: Int, $after: String) {\n    events(calendarId: $calendarId, from: $from, to: $to, status: $status, first: $first, after: $after) {\n      edges { node { ...EventFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.EventsDocument,
    "\n  query FreeSlots($calendarId: ID, $from: DateTime!, $to: DateTime!, $durationMinutes: Int!, $attendeeCalendarIds: [ID!]) {\n    freeSlots(calendarId: $calendarId, from: $from, to: $to, durationMinutes: $durationMinutes, attendeeCalendarIds: $attendeeCalendarIds) {\n      startsAt endsAt\n    }\n  }\n": types.FreeSlotsDocument,
    "\n  query EventAttachments($id: ID!) {\n    event(id: $id) { id attachments { id filename contentType size url } }\n  }\n": types.EventAttachmentsDocument,
    "\n  mutation CreateEvent($input: CreateEventInput!) {\n    createEvent(input: $input) {\n      __typename\n      ... on CreateEventPayload { event { ...EventFields } displaced { ...EventFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n      ...SlotUnavailableFields\n    }\n  }\n": types.CreateEventDocument,
    "\n  mutation CancelEvent($id: ID!) {\n    cancelEvent(id: $id) {\n      __typename\n      ... on CancelEventPayload { event { ...EventFields } }\n      ...NotFoundErrorFields\n    }\n  }\n": types.CancelEventDocument,
    "\n  mutation DeleteEvent($id: ID!) {\n    deleteEvent(id: $id) {\n      __typename\n      ... on DeleteEventPayload { id }\n      ...NotFoundErrorFields\n    }\n  }\n": types.DeleteEventDocument,
    "\n  mutation RemoveAttachment($id: ID!) {\n    removeEventAttachment(id: $id) { __typename ...NotFoundErrorFields }\n  }\n": types.RemoveAttachmentDocument,
    "\n  mutation CreateCalendar($input: CreateCalendarInput!) {\n    createCalendar(input: $input) {\n      __typename\n      ... on CreateCalendarPayload { calendar { ...CalendarFields } }\n      ...ValidationErrorFields\n    }\n  }\n": types.CreateCalendarDocument,
    "\n  mutation UpdateCalendar($input: UpdateCalendarInput!) {\n    updateCalendar(input: $input) {\n      __typename\n      ... on UpdateCalendarPayload { calendar { ...CalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.UpdateCalendarDocument,
    "\n  subscription EventChanged($calendarId: ID) {\n    eventChanged(calendarId: $calendarId) { kind event { ...EventFields } }\n  }\n": types.EventChangedDocument,
    "\n  subscription EventPlacementFailed {\n    eventPlacementFailed { title message calendar { id name } suggestions { startsAt endsAt } }\n  }\n": types.EventPlacementFailedDocument,
    "\n  fragment ValidationErrorFields on ValidationError { message code fieldErrors { path message } }\n": types.ValidationErrorFieldsFragmentDoc,
    "\n  fragment NotFoundErrorFields on NotFoundError { message code }\n": types.NotFoundErrorFieldsFragmentDoc,
    "\n  fragment FeedCalendarFields on Calendar {\n    id name timeZone feedUrl\n    feed { url refreshMinutes lastSyncedAt lastAttemptAt lastError eventCount warnings nextSyncAt }\n  }\n": types.FeedCalendarFieldsFragmentDoc,
    "\n  query Feeds {\n    me {\n      id timeZone\n      limits { calendarFeeds }\n      usage { calendarFeeds }\n      calendars { ...FeedCalendarFields }\n    }\n  }\n": types.FeedsDocument,
    "\n  mutation SubscribeCalendarFeed($input: SubscribeCalendarFeedInput!) {\n    subscribeCalendarFeed(input: $input) {\n      __typename\n      ... on SubscribeCalendarFeedPayload { calendar { ...FeedCalendarFields } }\n      ...ValidationErrorFields\n      ... on QuotaExceededError { message code limit value }\n    }\n  }\n": types.SubscribeCalendarFeedDocument,
    "\n  mutation UpdateCalendarFeed($input: UpdateCalendarFeedInput!) {\n    updateCalendarFeed(input: $input) {\n      __typename\n      ... on SubscribeCalendarFeedPayload { calendar { ...FeedCalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.UpdateCalendarFeedDocument,
    "\n  mutation RefreshCalendarFeed($calendarId: ID!) {\n    refreshCalendarFeed(calendarId: $calendarId) {\n      __typename\n      ... on RefreshCalendarFeedPayload { created updated deleted calendar { ...FeedCalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.RefreshCalendarFeedDocument,
    "\n  mutation UnsubscribeCalendarFeed($calendarId: ID!) {\n    unsubscribeCalendarFeed(calendarId: $calendarId) {\n      __typename\n      ... on UnsubscribeCalendarFeedPayload { id }\n      ...NotFoundErrorFields\n    }\n  }\n": types.UnsubscribeCalendarFeedDocument,
    "\n  mutation RotateCalendarFeedToken($calendarId: ID!) {\n    rotateCalendarFeedToken(calendarId: $calendarId) {\n      __typename\n      ... on RotateCalendarFeedTokenPayload { calendar { ...FeedCalendarFields } }\n      ...NotFoundErrorFields\n    }\n  }\n": types.RotateCalendarFeedTokenDocument,
    "\n  subscription CalendarFeedSynced {\n    calendarFeedSynced { ...FeedCalendarFields }\n  }\n": types.CalendarFeedSyncedDocument,
    "\n  fragment ReminderFields on Reminder {\n    id message remindAt timeZone recurrence status graceSeconds firedAt createdAt updatedAt\n    channels { kind target }\n  }\n": types.ReminderFieldsFragmentDoc,
    "\n  query Reminders($status: ReminderStatus, $first: Int, $after: String, $last: Int, $before: String) {\n    reminders(status: $status, first: $first, after: $after, last: $last, before: $before) {\n      edges { cursor node { ...ReminderFields } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": types.RemindersDocument,
    "\n  query Reminder($id: ID!, $occurrences: Int = 20) {\n    reminder(id: $id) {\n      ...ReminderFields\n      event { id title }\n      occurrences(first: $occurrences) {\n        cursor occurrenceAt firedAt latenessMs status\n        deliveries { id channel target status nextAttemptAt attempts { attempt attemptedAt durationMs outcome error } }\n      }\n    }\n  }\n": types.ReminderDocument,
    "\n  query Occurrences($first: Int, $after: String, $occurrences: Int = 100) {\n    reminders(first: $first, after: $after) {\n      edges {\n        node {\n          ...ReminderFields\n          occurrences(first: $occurrences) { cursor occurrenceAt firedAt latenessMs status }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.OccurrencesDocument,
    "\n  query RecurrencePreview($remindAt: DateTime!, $recurrence: String!, $timeZone: String) {\n    recurrencePreview(remindAt: $remindAt, recurrence: $recurrence, timeZone: $timeZone, count: 5) {\n      __typename\n      ... on RecurrencePreview { occurrences }\n      ...ValidationErrorFields\n    }\n  }\n": types.RecurrencePreviewDocument,
    "\n  mutation CreateReminder($input: CreateReminderInput!) {\n    createReminder(input: $input) {\n      __typename\n      ... on CreateReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.CreateReminderDocument,
    "\n  mutation UpdateReminder($input: UpdateReminderInput!) {\n    updateReminder(input: $input) {\n      __typename\n      ... on UpdateReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.UpdateReminderDocument,
    "\n  mutation SnoozeReminder($input: SnoozeReminderInput!) {\n    snoozeReminder(input: $input) {\n      __typename\n      ... on SnoozeReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.SnoozeReminderDocument,
    "\n  mutation ExpireReminder($id: ID!) {\n    expireReminder(id: $id) {\n      __typename\n      ... on ExpireReminderPayload { reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.ExpireReminderDocument,
    "\n  mutation CancelReminder($id: ID!) {\n    cancelReminder(id: $id) {\n      __typename\n      ... on CancelReminderPayload { reminder { ...ReminderFields } }\n      ...NotFoundErrorFields\n    }\n  }\n": types.CancelReminderDocument,
    "\n  mutation Redeliver($deliveryId: ID!) {\n    redeliver(deliveryId: $deliveryId) {\n      __typename\n      ... on RedeliverPayload { delivery { id channel target status } reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.RedeliverDocument,
    "\n  mutation RedeliverFailed($input: RedeliverFailedInput!) {\n    redeliverFailed(input: $input) {\n      __typename\n      ... on RedeliverFailedPayload { count }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n": types.RedeliverFailedDocument,
    "\n  subscription ReminderCreated { reminderCreated { ...ReminderFields } }\n": types.ReminderCreatedDocument,
    "\n  subscription ReminderUpdated { reminderUpdated { ...ReminderFields } }\n": types.ReminderUpdatedDocument,
    "\n  subscription ReminderExpired($after: String) {\n    reminderExpired(after: $after) { cursor occurrenceAt firedAt latenessMs reminder { ...ReminderFields } }\n  }\n": types.ReminderExpiredDocument,
    "\n  query Account {\n    me {\n      id name timeZone webhookSecret apiTokens { id name createdAt lastUsedAt revokedAt }\n      limits { activeReminders channelsPerReminder minRecurrenceSeconds calendarFeeds apiTokens attachmentBytes subscriptions requestsPerSecond requestBurst }\n      usage { activeReminders calendarFeeds apiTokens attachmentBytes subscriptions historyRows }\n    }\n  }\n": types.AccountDocument,
    "\n  mutation UpdateAccount($input: UpdateAccountInput!) {\n    updateAccount(input: $input) {\n      __typename\n      ... on UpdateAccountPayload { account { id name timeZone } }\n      ...ValidationErrorFields\n    }\n  }\n": types.UpdateAccountDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name createdAt lastUsedAt revokedAt } }\n      ...ValidationErrorFields\n      ... on QuotaExceededError { message limit value }\n    }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      __typename\n      ... on RevokeApiTokenPayload { apiToken { id revokedAt } }\n      ...NotFoundErrorFields\n    }\n  }\n": types.RevokeApiTokenDocument,
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
export function graphql(source: "\n  query Me {\n    me { id name timeZone defaultCalendar { id name timeZone } calendars { id name timeZone } }\n  }\n"): (typeof documents)["\n  query Me {\n    me { id name timeZone defaultCalendar { id name timeZone } calendars { id name timeZone } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookSecret {\n    me { id webhookSecret }\n  }\n"): (typeof documents)["\n  query WebhookSecret {\n    me { id webhookSecret }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      __typename\n      ... on CreateAccountPayload { token account { id name timeZone defaultCalendar { id } } }\n      ...ValidationErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      __typename\n      ... on CreateAccountPayload { token account { id name timeZone defaultCalendar { id } } }\n      ...ValidationErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EventFields on Event {\n    id title startsAt endsAt durationMinutes allDay placement status location attendees\n    calendar { id name timeZone }\n    attendeeCalendars { id name }\n    reminders { id remindAt }\n  }\n"): (typeof documents)["\n  fragment EventFields on Event {\n    id title startsAt endsAt durationMinutes allDay placement status location attendees\n    calendar { id name timeZone }\n    attendeeCalendars { id name }\n    reminders { id remindAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CalendarFields on Calendar {\n    id name timeZone bufferMinutes slotIntervalMinutes horizonDays\n    workingHours { weekday start end }\n  }\n"): (typeof documents)["\n  fragment CalendarFields on Calendar {\n    id name timeZone bufferMinutes slotIntervalMinutes horizonDays\n    workingHours { weekday start end }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SlotUnavailableFields on SlotUnavailableError {\n    message code\n    conflicts { ...EventFields }\n    suggestions { startsAt endsAt }\n  }\n"): (typeof documents)["\n  fragment SlotUnavailableFields on SlotUnavailableError {\n    message code\n    conflicts { ...EventFields }\n    suggestions { startsAt endsAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Calendars {\n    me {\n      id timeZone defaultCalendar { id }\n      calendars { ...CalendarFields feed { url lastSyncedAt lastError } }\n    }\n  }\n"): (typeof documents)["\n  query Calendars {\n    me {\n      id timeZone defaultCalendar { id }\n      calendars { ...CalendarFields feed { url lastSyncedAt lastError } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Calendar($id: ID!) {\n    calendar(id: $id) { ...CalendarFields }\n  }\n"): (typeof documents)["\n  query Calendar($id: ID!) {\n    calendar(id: $id) { ...CalendarFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Events($calendarId: ID, $from: DateTime, $to: DateTime, $status: EventStatus, $first: Int, $after: String) {\n    events(calendarId: $calendarId, from: $from, to: $to, status: $status, first: $first, after: $after) {\n      edges { node { ...EventFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Events($calendarId: ID, $from: DateTime, $to: DateTime, $status: EventStatus, $first: Int, $after: String) {\n    events(calendarId: $calendarId, from: $from, to: $to, status: $status, first: $first, after: $after) {\n      edges { node { ...EventFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FreeSlots($calendarId: ID, $from: DateTime!, $to: DateTime!, $durationMinutes: Int!, $attendeeCalendarIds: [ID!]) {\n    freeSlots(calendarId: $calendarId, from: $from, to: $to, durationMinutes: $durationMinutes, attendeeCalendarIds: $attendeeCalendarIds) {\n      startsAt endsAt\n    }\n  }\n"): (typeof documents)["\n  query FreeSlots($calendarId: ID, $from: DateTime!, $to: DateTime!, $durationMinutes: Int!, $attendeeCalendarIds: [ID!]) {\n    freeSlots(calendarId: $calendarId, from: $from, to: $to, durationMinutes: $durationMinutes, attendeeCalendarIds: $attendeeCalendarIds) {\n      startsAt endsAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventAttachments($id: ID!) {\n    event(id: $id) { id attachments { id filename contentType size url } }\n  }\n"): (typeof documents)["\n  query EventAttachments($id: ID!) {\n    event(id: $id) { id attachments { id filename contentType size url } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateEvent($input: CreateEventInput!) {\n    createEvent(input: $input) {\n      __typename\n      ... on CreateEventPayload { event { ...EventFields } displaced { ...EventFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n      ...SlotUnavailableFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateEvent($input: CreateEventInput!) {\n    createEvent(input: $input) {\n      __typename\n      ... on CreateEventPayload { event { ...EventFields } displaced { ...EventFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n      ...SlotUnavailableFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelEvent($id: ID!) {\n    cancelEvent(id: $id) {\n      __typename\n      ... on CancelEventPayload { event { ...EventFields } }\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation CancelEvent($id: ID!) {\n    cancelEvent(id: $id) {\n      __typename\n      ... on CancelEventPayload { event { ...EventFields } }\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteEvent($id: ID!) {\n    deleteEvent(id: $id) {\n      __typename\n      ... on DeleteEventPayload { id }\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteEvent($id: ID!) {\n    deleteEvent(id: $id) {\n      __typename\n      ... on DeleteEventPayload { id }\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveAttachment($id: ID!) {\n    removeEventAttachment(id: $id) { __typename ...NotFoundErrorFields }\n  }\n"): (typeof documents)["\n  mutation RemoveAttachment($id: ID!) {\n    removeEventAttachment(id: $id) { __typename ...NotFoundErrorFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCalendar($input: CreateCalendarInput!) {\n    createCalendar(input: $input) {\n      __typename\n      ... on CreateCalendarPayload { calendar { ...CalendarFields } }\n      ...ValidationErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateCalendar($input: CreateCalendarInput!) {\n    createCalendar(input: $input) {\n      __typename\n      ... on CreateCalendarPayload { calendar { ...CalendarFields } }\n      ...ValidationErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateCalendar($input: UpdateCalendarInput!) {\n    updateCalendar(input: $input) {\n      __typename\n      ... on UpdateCalendarPayload { calendar { ...CalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateCalendar($input: UpdateCalendarInput!) {\n    updateCalendar(input: $input) {\n      __typename\n      ... on UpdateCalendarPayload { calendar { ...CalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription EventChanged($calendarId: ID) {\n    eventChanged(calendarId: $calendarId) { kind event { ...EventFields } }\n  }\n"): (typeof documents)["\n  subscription EventChanged($calendarId: ID) {\n    eventChanged(calendarId: $calendarId) { kind event { ...EventFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription EventPlacementFailed {\n    eventPlacementFailed { title message calendar { id name } suggestions { startsAt endsAt } }\n  }\n"): (typeof documents)["\n  subscription EventPlacementFailed {\n    eventPlacementFailed { title message calendar { id name } suggestions { startsAt endsAt } }\n  }\n"];
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
export function graphql(source: "\n  fragment FeedCalendarFields on Calendar {\n    id name timeZone feedUrl\n    feed { url refreshMinutes lastSyncedAt lastAttemptAt lastError eventCount warnings nextSyncAt }\n  }\n"): (typeof documents)["\n  fragment FeedCalendarFields on Calendar {\n    id name timeZone feedUrl\n    feed { url refreshMinutes lastSyncedAt lastAttemptAt lastError eventCount warnings nextSyncAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Feeds {\n    me {\n      id timeZone\n      limits { calendarFeeds }\n      usage { calendarFeeds }\n      calendars { ...FeedCalendarFields }\n    }\n  }\n"): (typeof documents)["\n  query Feeds {\n    me {\n      id timeZone\n      limits { calendarFeeds }\n      usage { calendarFeeds }\n      calendars { ...FeedCalendarFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubscribeCalendarFeed($input: SubscribeCalendarFeedInput!) {\n    subscribeCalendarFeed(input: $input) {\n      __typename\n      ... on SubscribeCalendarFeedPayload { calendar { ...FeedCalendarFields } }\n      ...ValidationErrorFields\n      ... on QuotaExceededError { message code limit value }\n    }\n  }\n"): (typeof documents)["\n  mutation SubscribeCalendarFeed($input: SubscribeCalendarFeedInput!) {\n    subscribeCalendarFeed(input: $input) {\n      __typename\n      ... on SubscribeCalendarFeedPayload { calendar { ...FeedCalendarFields } }\n      ...ValidationErrorFields\n      ... on QuotaExceededError { message code limit value }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateCalendarFeed($input: UpdateCalendarFeedInput!) {\n    updateCalendarFeed(input: $input) {\n      __typename\n      ... on SubscribeCalendarFeedPayload { calendar { ...FeedCalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateCalendarFeed($input: UpdateCalendarFeedInput!) {\n    updateCalendarFeed(input: $input) {\n      __typename\n      ... on SubscribeCalendarFeedPayload { calendar { ...FeedCalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshCalendarFeed($calendarId: ID!) {\n    refreshCalendarFeed(calendarId: $calendarId) {\n      __typename\n      ... on RefreshCalendarFeedPayload { created updated deleted calendar { ...FeedCalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshCalendarFeed($calendarId: ID!) {\n    refreshCalendarFeed(calendarId: $calendarId) {\n      __typename\n      ... on RefreshCalendarFeedPayload { created updated deleted calendar { ...FeedCalendarFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnsubscribeCalendarFeed($calendarId: ID!) {\n    unsubscribeCalendarFeed(calendarId: $calendarId) {\n      __typename\n      ... on UnsubscribeCalendarFeedPayload { id }\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation UnsubscribeCalendarFeed($calendarId: ID!) {\n    unsubscribeCalendarFeed(calendarId: $calendarId) {\n      __typename\n      ... on UnsubscribeCalendarFeedPayload { id }\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateCalendarFeedToken($calendarId: ID!) {\n    rotateCalendarFeedToken(calendarId: $calendarId) {\n      __typename\n      ... on RotateCalendarFeedTokenPayload { calendar { ...FeedCalendarFields } }\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation RotateCalendarFeedToken($calendarId: ID!) {\n    rotateCalendarFeedToken(calendarId: $calendarId) {\n      __typename\n      ... on RotateCalendarFeedTokenPayload { calendar { ...FeedCalendarFields } }\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CalendarFeedSynced {\n    calendarFeedSynced { ...FeedCalendarFields }\n  }\n"): (typeof documents)["\n  subscription CalendarFeedSynced {\n    calendarFeedSynced { ...FeedCalendarFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReminderFields on Reminder {\n    id message remindAt timeZone recurrence status graceSeconds firedAt createdAt updatedAt\n    channels { kind target }\n  }\n"): (typeof documents)["\n  fragment ReminderFields on Reminder {\n    id message remindAt timeZone recurrence status graceSeconds firedAt createdAt updatedAt\n    channels { kind target }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Reminders($status: ReminderStatus, $first: Int, $after: String, $last: Int, $before: String) {\n    reminders(status: $status, first: $first, after: $after, last: $last, before: $before) {\n      edges { cursor node { ...ReminderFields } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Reminders($status: ReminderStatus, $first: Int, $after: String, $last: Int, $before: String) {\n    reminders(status: $status, first: $first, after: $after, last: $last, before: $before) {\n      edges { cursor node { ...ReminderFields } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Reminder($id: ID!, $occurrences: Int = 20) {\n    reminder(id: $id) {\n      ...ReminderFields\n      event { id title }\n      occurrences(first: $occurrences) {\n        cursor occurrenceAt firedAt latenessMs status\n        deliveries { id channel target status nextAttemptAt attempts { attempt attemptedAt durationMs outcome error } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Reminder($id: ID!, $occurrences: Int = 20) {\n    reminder(id: $id) {\n      ...ReminderFields\n      event { id title }\n      occurrences(first: $occurrences) {\n        cursor occurrenceAt firedAt latenessMs status\n        deliveries { id channel target status nextAttemptAt attempts { attempt attemptedAt durationMs outcome error } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Occurrences($first: Int, $after: String, $occurrences: Int = 100) {\n    reminders(first: $first, after: $after) {\n      edges {\n        node {\n          ...ReminderFields\n          occurrences(first: $occurrences) { cursor occurrenceAt firedAt latenessMs status }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Occurrences($first: Int, $after: String, $occurrences: Int = 100) {\n    reminders(first: $first, after: $after) {\n      edges {\n        node {\n          ...ReminderFields\n          occurrences(first: $occurrences) { cursor occurrenceAt firedAt latenessMs status }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecurrencePreview($remindAt: DateTime!, $recurrence: String!, $timeZone: String) {\n    recurrencePreview(remindAt: $remindAt, recurrence: $recurrence, timeZone: $timeZone, count: 5) {\n      __typename\n      ... on RecurrencePreview { occurrences }\n      ...ValidationErrorFields\n    }\n  }\n"): (typeof documents)["\n  query RecurrencePreview($remindAt: DateTime!, $recurrence: String!, $timeZone: String) {\n    recurrencePreview(remindAt: $remindAt, recurrence: $recurrence, timeZone: $timeZone, count: 5) {\n      __typename\n      ... on RecurrencePreview { occurrences }\n      ...ValidationErrorFields\n    }\n  }\n"];
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
export function graphql(source: "\n  mutation Redeliver($deliveryId: ID!) {\n    redeliver(deliveryId: $deliveryId) {\n      __typename\n      ... on RedeliverPayload { delivery { id channel target status } reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation Redeliver($deliveryId: ID!) {\n    redeliver(deliveryId: $deliveryId) {\n      __typename\n      ... on RedeliverPayload { delivery { id channel target status } reminder { ...ReminderFields } }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RedeliverFailed($input: RedeliverFailedInput!) {\n    redeliverFailed(input: $input) {\n      __typename\n      ... on RedeliverFailedPayload { count }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation RedeliverFailed($input: RedeliverFailedInput!) {\n    redeliverFailed(input: $input) {\n      __typename\n      ... on RedeliverFailedPayload { count }\n      ...ValidationErrorFields\n      ...NotFoundErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ReminderCreated { reminderCreated { ...ReminderFields } }\n"): (typeof documents)["\n  subscription ReminderCreated { reminderCreated { ...ReminderFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ReminderUpdated { reminderUpdated { ...ReminderFields } }\n"): (typeof documents)["\n  subscription ReminderUpdated { reminderUpdated { ...ReminderFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ReminderExpired($after: String) {\n    reminderExpired(after: $after) { cursor occurrenceAt firedAt latenessMs reminder { ...ReminderFields } }\n  }\n"): (typeof documents)["\n  subscription ReminderExpired($after: String) {\n    reminderExpired(after: $after) { cursor occurrenceAt firedAt latenessMs reminder { ...ReminderFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Account {\n    me {\n      id name timeZone webhookSecret apiTokens { id name createdAt lastUsedAt revokedAt }\n      limits { activeReminders channelsPerReminder minRecurrenceSeconds calendarFeeds apiTokens attachmentBytes subscriptions requestsPerSecond requestBurst }\n      usage { activeReminders calendarFeeds apiTokens attachmentBytes subscriptions historyRows }\n    }\n  }\n"): (typeof documents)["\n  query Account {\n    me {\n      id name timeZone webhookSecret apiTokens { id name createdAt lastUsedAt revokedAt }\n      limits { activeReminders channelsPerReminder minRecurrenceSeconds calendarFeeds apiTokens attachmentBytes subscriptions requestsPerSecond requestBurst }\n      usage { activeReminders calendarFeeds apiTokens attachmentBytes subscriptions historyRows }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAccount($input: UpdateAccountInput!) {\n    updateAccount(input: $input) {\n      __typename\n      ... on UpdateAccountPayload { account { id name timeZone } }\n      ...ValidationErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateAccount($input: UpdateAccountInput!) {\n    updateAccount(input: $input) {\n      __typename\n      ... on UpdateAccountPayload { account { id name timeZone } }\n      ...ValidationErrorFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name createdAt lastUsedAt revokedAt } }\n      ...ValidationErrorFields\n      ... on QuotaExceededError { message limit value }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenPayload { token apiToken { id name createdAt lastUsedAt revokedAt } }\n      ...ValidationErrorFields\n      ... on QuotaExceededError { message limit value }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      __typename\n      ... on RevokeApiTokenPayload { apiToken { id revokedAt } }\n      ...NotFoundErrorFields\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      __typename\n      ... on RevokeApiTokenPayload { apiToken { id revokedAt } }\n      ...NotFoundErrorFields\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;