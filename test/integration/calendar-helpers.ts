// Shared GraphQL documents and helpers for the calendar tests.
import { DateTime } from 'luxon';
import { graphqlData } from '../helpers/clients.ts';

export const EVENT_FIELDS = 'id title startsAt endsAt durationMinutes status placement attendees location calendar { id } attendeeCalendars { id }';

export const CREATE_EVENT = `mutation($input: CreateEventInput!) { createEvent(input: $input) {
  __typename
  ... on CreateEventPayload { event { ${EVENT_FIELDS} } displaced { ${EVENT_FIELDS} } }
  ... on SlotUnavailableError { message code conflicts { id title } suggestions { startsAt endsAt } }
  ... on ValidationError { message code fieldErrors { path message } }
  ... on NotFoundError { message code } } }`;

export const CREATE_CALENDAR = `mutation($input: CreateCalendarInput!) { createCalendar(input: $input) {
  __typename
  ... on CreateCalendarPayload { calendar { id name timeZone bufferMinutes slotIntervalMinutes horizonDays workingHours { weekday start end } } }
  ... on ValidationError { message fieldErrors { path message } } } }`;

export const EVERY_DAY = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

/** Working hours 09:00–17:00 on every day, so any future date has 8 free hours. */
export const NINE_TO_FIVE = EVERY_DAY.map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));

/** A local date `days` from today in `zone`, as 2026-11-24; any weekday, so only for calendars open every day. */
export function futureDate(days: number, zone = 'Europe/Paris'): string {
  return DateTime.now().setZone(zone).plus({ days }).toISODate()!;
}

/**
 * The first local date on `weekday` at least `days` from today in `zone`: tests whose calendar
 * differs by weekday must not depend on which day the suite runs.
 */
export function futureWeekday(days: number, weekday: (typeof EVERY_DAY)[number], zone = 'Europe/Paris'): string {
  const start = DateTime.now().setZone(zone).plus({ days });
  const wanted = EVERY_DAY.indexOf(weekday) + 1; // luxon: Monday is 1
  if (wanted === 0) throw new Error(`unknown weekday ${weekday}`);
  return start.plus({ days: (wanted - start.weekday + 7) % 7 }).toISODate()!;
}

/** The instant of a local date and time in `zone`, as an ISO string in UTC. */
export function at(date: string, time: string, zone = 'Europe/Paris'): string {
  return DateTime.fromISO(`${date}T${time}`, { zone }).toUTC().toISO({ suppressMilliseconds: true })!;
}

export async function createCalendar(url: string, token: string, input: Record<string, unknown>): Promise<string> {
  const data = await graphqlData<any>(url, { query: CREATE_CALENDAR, variables: { input }, token });
  if (data.createCalendar.__typename !== 'CreateCalendarPayload') throw new Error(JSON.stringify(data.createCalendar));
  return data.createCalendar.calendar.id;
}

export async function createEvent(url: string, token: string, input: Record<string, unknown>): Promise<any> {
  const data = await graphqlData<any>(url, { query: CREATE_EVENT, variables: { input }, token });
  return data.createEvent;
}

export function iso(value: string): string {
  return new Date(value).toISOString();
}
