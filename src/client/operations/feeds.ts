/** Calendar feeds: subscriptions to outside ICS feeds with their sync status, and each calendar's own export URL. */
import { document } from '../document.ts';
import type {
  CalendarFeedSyncedDocument, FeedCalendarFieldsFragmentDoc, FeedsDocument, RefreshCalendarFeedDocument, RotateCalendarFeedTokenDocument,
  SubscribeCalendarFeedDocument, UnsubscribeCalendarFeedDocument, UpdateCalendarFeedDocument,
} from '../generated/graphql.ts';
import { NotFoundErrorFields, ValidationErrorFields } from './errors.ts';

export const FeedCalendarFields = document<typeof FeedCalendarFieldsFragmentDoc>(/* GraphQL */ `
  fragment FeedCalendarFields on Calendar {
    id name timeZone feedUrl
    feed { url refreshMinutes lastSyncedAt lastAttemptAt lastError eventCount warnings nextSyncAt }
  }
`);

export const FeedsQuery = document<typeof FeedsDocument>(/* GraphQL */ `
  query Feeds {
    me {
      id timeZone
      limits { calendarFeeds }
      usage { calendarFeeds }
      calendars { ...FeedCalendarFields }
    }
  }
`, FeedCalendarFields);

export const SubscribeCalendarFeedMutation = document<typeof SubscribeCalendarFeedDocument>(/* GraphQL */ `
  mutation SubscribeCalendarFeed($input: SubscribeCalendarFeedInput!) {
    subscribeCalendarFeed(input: $input) {
      __typename
      ... on SubscribeCalendarFeedPayload { calendar { ...FeedCalendarFields } }
      ...ValidationErrorFields
      ... on QuotaExceededError { message code limit value }
    }
  }
`, FeedCalendarFields, ValidationErrorFields);

export const UpdateCalendarFeedMutation = document<typeof UpdateCalendarFeedDocument>(/* GraphQL */ `
  mutation UpdateCalendarFeed($input: UpdateCalendarFeedInput!) {
    updateCalendarFeed(input: $input) {
      __typename
      ... on SubscribeCalendarFeedPayload { calendar { ...FeedCalendarFields } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`, FeedCalendarFields, ValidationErrorFields, NotFoundErrorFields);

export const RefreshCalendarFeedMutation = document<typeof RefreshCalendarFeedDocument>(/* GraphQL */ `
  mutation RefreshCalendarFeed($calendarId: ID!) {
    refreshCalendarFeed(calendarId: $calendarId) {
      __typename
      ... on RefreshCalendarFeedPayload { created updated deleted calendar { ...FeedCalendarFields } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`, FeedCalendarFields, ValidationErrorFields, NotFoundErrorFields);

export const UnsubscribeCalendarFeedMutation = document<typeof UnsubscribeCalendarFeedDocument>(/* GraphQL */ `
  mutation UnsubscribeCalendarFeed($calendarId: ID!) {
    unsubscribeCalendarFeed(calendarId: $calendarId) {
      __typename
      ... on UnsubscribeCalendarFeedPayload { id }
      ...NotFoundErrorFields
    }
  }
`, NotFoundErrorFields);

export const RotateCalendarFeedTokenMutation = document<typeof RotateCalendarFeedTokenDocument>(/* GraphQL */ `
  mutation RotateCalendarFeedToken($calendarId: ID!) {
    rotateCalendarFeedToken(calendarId: $calendarId) {
      __typename
      ... on RotateCalendarFeedTokenPayload { calendar { ...FeedCalendarFields } }
      ...NotFoundErrorFields
    }
  }
`, FeedCalendarFields, NotFoundErrorFields);

export const CalendarFeedSyncedSubscription = document<typeof CalendarFeedSyncedDocument>(/* GraphQL */ `
  subscription CalendarFeedSynced {
    calendarFeedSynced { ...FeedCalendarFields }
  }
`, FeedCalendarFields);
