/** Calendars, events and free slots: the same shapes for the console and the CLI. */
import { document } from '../document.ts';
import type {
  CalendarDocument, CalendarFieldsFragmentDoc, CalendarsDocument, CancelEventDocument, CreateCalendarDocument, CreateEventDocument, DeleteEventDocument,
  EventAttachmentsDocument, EventChangedDocument, EventFieldsFragmentDoc, EventPlacementFailedDocument, EventsDocument, FreeSlotsDocument,
  RemoveAttachmentDocument, SlotUnavailableFieldsFragmentDoc, UpdateCalendarDocument,
} from '../generated/graphql.ts';
import { NotFoundErrorFields, ValidationErrorFields } from './errors.ts';

export const EventFields = document<typeof EventFieldsFragmentDoc>(/* GraphQL */ `
  fragment EventFields on Event {
    id title startsAt endsAt durationMinutes allDay placement status location attendees
    calendar { id name timeZone }
    attendeeCalendars { id name }
    reminders { id remindAt }
  }
`);

export const CalendarFields = document<typeof CalendarFieldsFragmentDoc>(/* GraphQL */ `
  fragment CalendarFields on Calendar {
    id name timeZone bufferMinutes slotIntervalMinutes horizonDays
    workingHours { weekday start end }
  }
`);

export const SlotUnavailableFields = document<typeof SlotUnavailableFieldsFragmentDoc>(/* GraphQL */ `
  fragment SlotUnavailableFields on SlotUnavailableError {
    message code
    conflicts { ...EventFields }
    suggestions { startsAt endsAt }
  }
`, EventFields);

export const CalendarsQuery = document<typeof CalendarsDocument>(/* GraphQL */ `
  query Calendars {
    me {
      id timeZone defaultCalendar { id }
      calendars { ...CalendarFields feed { url lastSyncedAt lastError } }
    }
  }
`, CalendarFields);

export const CalendarQuery = document<typeof CalendarDocument>(/* GraphQL */ `
  query Calendar($id: ID!) {
    calendar(id: $id) { ...CalendarFields }
  }
`, CalendarFields);

export const EventsQuery = document<typeof EventsDocument>(/* GraphQL */ `
  query Events($calendarId: ID, $from: DateTime, $to: DateTime, $status: EventStatus, $first: Int, $after: String) {
    events(calendarId: $calendarId, from: $from, to: $to, status: $status, first: $first, after: $after) {
      edges { node { ...EventFields } }
      pageInfo { hasNextPage endCursor }
    }
  }
`, EventFields);

export const FreeSlotsQuery = document<typeof FreeSlotsDocument>(/* GraphQL */ `
  query FreeSlots($calendarId: ID, $from: DateTime!, $to: DateTime!, $durationMinutes: Int!, $attendeeCalendarIds: [ID!]) {
    freeSlots(calendarId: $calendarId, from: $from, to: $to, durationMinutes: $durationMinutes, attendeeCalendarIds: $attendeeCalendarIds) {
      startsAt endsAt
    }
  }
`);

export const EventAttachmentsQuery = document<typeof EventAttachmentsDocument>(/* GraphQL */ `
  query EventAttachments($id: ID!) {
    event(id: $id) { id attachments { id filename contentType size url } }
  }
`);

export const CreateEventMutation = document<typeof CreateEventDocument>(/* GraphQL */ `
  mutation CreateEvent($input: CreateEventInput!) {
    createEvent(input: $input) {
      __typename
      ... on CreateEventPayload { event { ...EventFields } displaced { ...EventFields } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
      ...SlotUnavailableFields
    }
  }
`, EventFields, SlotUnavailableFields, ValidationErrorFields, NotFoundErrorFields);

export const CancelEventMutation = document<typeof CancelEventDocument>(/* GraphQL */ `
  mutation CancelEvent($id: ID!) {
    cancelEvent(id: $id) {
      __typename
      ... on CancelEventPayload { event { ...EventFields } }
      ...NotFoundErrorFields
    }
  }
`, EventFields, NotFoundErrorFields);

export const DeleteEventMutation = document<typeof DeleteEventDocument>(/* GraphQL */ `
  mutation DeleteEvent($id: ID!) {
    deleteEvent(id: $id) {
      __typename
      ... on DeleteEventPayload { id }
      ...NotFoundErrorFields
    }
  }
`, NotFoundErrorFields);

export const RemoveAttachmentMutation = document<typeof RemoveAttachmentDocument>(/* GraphQL */ `
  mutation RemoveAttachment($id: ID!) {
    removeEventAttachment(id: $id) { __typename ...NotFoundErrorFields }
  }
`, NotFoundErrorFields);

export const CreateCalendarMutation = document<typeof CreateCalendarDocument>(/* GraphQL */ `
  mutation CreateCalendar($input: CreateCalendarInput!) {
    createCalendar(input: $input) {
      __typename
      ... on CreateCalendarPayload { calendar { ...CalendarFields } }
      ...ValidationErrorFields
    }
  }
`, CalendarFields, ValidationErrorFields);

export const UpdateCalendarMutation = document<typeof UpdateCalendarDocument>(/* GraphQL */ `
  mutation UpdateCalendar($input: UpdateCalendarInput!) {
    updateCalendar(input: $input) {
      __typename
      ... on UpdateCalendarPayload { calendar { ...CalendarFields } }
      ...ValidationErrorFields
      ...NotFoundErrorFields
    }
  }
`, CalendarFields, ValidationErrorFields, NotFoundErrorFields);

export const EventChangedSubscription = document<typeof EventChangedDocument>(/* GraphQL */ `
  subscription EventChanged($calendarId: ID) {
    eventChanged(calendarId: $calendarId) { kind event { ...EventFields } }
  }
`, EventFields);

export const EventPlacementFailedSubscription = document<typeof EventPlacementFailedDocument>(/* GraphQL */ `
  subscription EventPlacementFailed {
    eventPlacementFailed { title message calendar { id name } suggestions { startsAt endsAt } }
  }
`);
