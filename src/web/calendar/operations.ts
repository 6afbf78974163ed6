// The calendar page's operations; types come from `npm run codegen`.
import { graphql } from '../../client/generated/gql.ts';

export const EventRowFragment = graphql(`
  fragment EventRow on Event {
    id title startsAt endsAt durationMinutes status placement location attendees
    calendar { id name }
  }
`);

export const CalendarsQuery = graphql(`
  query ConsoleCalendars {
    me {
      id timeZone
      defaultCalendar { id }
      calendars {
        id name timeZone bufferMinutes slotIntervalMinutes horizonDays
        workingHours { weekday start end }
        feed { url lastSyncedAt lastError }
      }
    }
  }
`);

export const WeekEventsQuery = graphql(`
  query ConsoleWeekEvents($calendarId: ID!, $from: DateTime!, $to: DateTime!) {
    events(calendarId: $calendarId, from: $from, to: $to, first: 2000) {
      edges { node { ...EventRow } }
    }
  }
`);

export const FreeSlotsQuery = graphql(`
  query ConsoleFreeSlots($calendarId: ID!, $durationMinutes: Int!, $from: DateTime!, $to: DateTime!) {
    freeSlots(calendarId: $calendarId, durationMinutes: $durationMinutes, from: $from, to: $to) { startsAt endsAt }
  }
`);

export const CreateEventMutation = graphql(`
  mutation ConsoleCreateEvent($input: CreateEventInput!) {
    createEvent(input: $input) {
      __typename
      ... on CreateEventPayload { event { ...EventRow } displaced { ...EventRow } }
      ... on SlotUnavailableError { message conflicts { ...EventRow } suggestions { startsAt endsAt } }
      ... on ValidationError { message fieldErrors { path message } }
      ... on NotFoundError { message }
    }
  }
`);

export const CancelEventMutation = graphql(`
  mutation ConsoleCancelEvent($id: ID!) {
    cancelEvent(id: $id) {
      __typename
      ... on CancelEventPayload { event { ...EventRow } }
      ... on NotFoundError { message }
    }
  }
`);

export const UpdateCalendarMutation = graphql(`
  mutation ConsoleUpdateCalendar($input: UpdateCalendarInput!) {
    updateCalendar(input: $input) {
      __typename
      ... on UpdateCalendarPayload { calendar { id name timeZone bufferMinutes slotIntervalMinutes horizonDays workingHours { weekday start end } } }
      ... on ValidationError { message fieldErrors { path message } }
      ... on NotFoundError { message }
    }
  }
`);

export const EventChangedSubscription = graphql(`
  subscription ConsoleEventChanged($calendarId: ID) {
    eventChanged(calendarId: $calendarId) { kind event { ...EventRow } }
  }
`);

export const EventPlacementFailedSubscription = graphql(`
  subscription ConsoleEventPlacementFailed {
    eventPlacementFailed { title message calendar { id name } }
  }
`);

export const EventAttachmentsQuery = graphql(`
  query ConsoleEventAttachments($id: ID!) {
    event(id: $id) { id attachments { id filename contentType size url } }
  }
`);

export const RemoveAttachmentMutation = graphql(`
  mutation ConsoleRemoveAttachment($id: ID!) {
    removeEventAttachment(id: $id) { __typename ... on NotFoundError { message } }
  }
`);
