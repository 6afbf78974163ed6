/** Operations only the CLI uses; the shared ones are in src/client/operations.ts. */
import { graphql } from '../client/generated/gql.ts';

export const CliEventFragment = graphql(`
  fragment CliEventFields on Event {
    id title startsAt endsAt durationMinutes placement status location attendees
    calendar { id name timeZone }
    attendeeCalendars { id name }
    reminders { id remindAt }
  }
`);

export const CliCalendarFragment = graphql(`
  fragment CliCalendarFields on Calendar {
    id name timeZone bufferMinutes slotIntervalMinutes horizonDays
    workingHours { weekday start end }
  }
`);

export const CliCreateEventMutation = graphql(`
  mutation CliCreateEvent($input: CreateEventInput!) {
    createEvent(input: $input) {
      __typename
      ... on CreateEventPayload { event { ...CliEventFields } displaced { ...CliEventFields } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
      ...SlotUnavailableFields
    }
  }
`);

export const CliCancelEventMutation = graphql(`
  mutation CliCancelEvent($id: ID!) {
    cancelEvent(id: $id) {
      __typename
      ... on CancelEventPayload { event { ...CliEventFields } }
      ...NotFoundErrorFields
    }
  }
`);

export const CliDeleteEventMutation = graphql(`
  mutation CliDeleteEvent($id: ID!) {
    deleteEvent(id: $id) {
      __typename
      ... on DeleteEventPayload { id }
      ...NotFoundErrorFields
    }
  }
`);

export const CliEventsQuery = graphql(`
  query CliEvents($calendarId: ID, $from: DateTime, $to: DateTime, $status: EventStatus, $first: Int, $after: String) {
    events(calendarId: $calendarId, from: $from, to: $to, status: $status, first: $first, after: $after) {
      edges { node { ...CliEventFields } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const CliFreeSlotsQuery = graphql(`
  query CliFreeSlots($calendarId: ID, $from: DateTime!, $to: DateTime!, $durationMinutes: Int!, $attendeeCalendarIds: [ID!]) {
    freeSlots(calendarId: $calendarId, from: $from, to: $to, durationMinutes: $durationMinutes, attendeeCalendarIds: $attendeeCalendarIds) {
      startsAt endsAt
    }
  }
`);

export const CliCalendarsQuery = graphql(`
  query CliCalendars {
    me { id timeZone defaultCalendar { id } calendars { ...CliCalendarFields } }
  }
`);

export const CliCalendarQuery = graphql(`
  query CliCalendar($id: ID!) {
    calendar(id: $id) { ...CliCalendarFields }
  }
`);

export const CliCreateCalendarMutation = graphql(`
  mutation CliCreateCalendar($input: CreateCalendarInput!) {
    createCalendar(input: $input) {
      __typename
      ... on CreateCalendarPayload { calendar { ...CliCalendarFields } }
      ...ValidationErrorFields
    }
  }
`);

export const CliUpdateCalendarMutation = graphql(`
  mutation CliUpdateCalendar($input: UpdateCalendarInput!) {
    updateCalendar(input: $input) {
      __typename
      ... on UpdateCalendarPayload { calendar { ...CliCalendarFields } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`);

/** For `listen --since`: recent occurrences of every reminder, with the cursors to resume from. */
export const CliOccurrencesQuery = graphql(`
  query CliOccurrences($first: Int, $after: String) {
    reminders(first: $first, after: $after) {
      edges {
        node {
          id message remindAt timeZone recurrence status
          occurrences(first: 100) { cursor occurrenceAt firedAt latenessMs status }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const CliEventChangedSubscription = graphql(`
  subscription CliEventChanged($calendarId: ID) {
    eventChanged(calendarId: $calendarId) { kind event { ...CliEventFields } }
  }
`);

export const CliEventPlacementFailedSubscription = graphql(`
  subscription CliEventPlacementFailed {
    eventPlacementFailed { title message calendar { id name } suggestions { startsAt endsAt } }
  }
`);
