import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { graphqlData } from '../helpers/clients.ts';
import { startIcsServer, type IcsServer } from '../helpers/ics-server.ts';
import { at, createCalendar, createEvent, futureDate, iso, NINE_TO_FIVE } from './calendar-helpers.ts';

// Own all-day events: whole local days in the calendar's zone that hold no time (README, Calendar).
// Fixed dates far enough ahead; exact and all-day events may lie anywhere, so only the auto-placement
// case needs a date relative to today.
const ZONE = 'Europe/Paris';
const EVENT = 'id title startsAt endsAt durationMinutes allDay placement status';
const UPDATE = `mutation($input: UpdateEventInput!) { updateEvent(input: $input) { __typename
  ... on UpdateEventPayload { event { ${EVENT} } displaced { id } }
  ... on SlotUnavailableError { message conflicts { title } }
  ... on ValidationError { message fieldErrors { path message } } } }`;

let server: TestServer;
let feeds: IcsServer;
let ada: { token: string };

before(async () => {
  [server, feeds] = await Promise.all([startTestServer(), startIcsServer()]);
  ada = await server.createAccount('Ada', ZONE);
});
after(async () => {
  await server?.stop();
  await feeds?.close();
});

const gql = (query: string, variables: Record<string, unknown> = {}) => graphqlData<any>(server.url, { query, variables, token: ada.token });
const room = () => createCalendar(server.url, ada.token, { name: 'Room', timeZone: ZONE, workingHours: NINE_TO_FIVE, slotIntervalMinutes: 15 });
const created = async (input: Record<string, unknown>) => {
  const result = await createEvent(server.url, ada.token, input);
  assert.equal(result.__typename, 'CreateEventPayload', JSON.stringify(result));
  return result;
};
const eventById = async (id: string) => (await gql(`query($id: ID!) { event(id: $id) { ${EVENT} } }`, { id })).event;
const update = async (input: Record<string, unknown>) => (await gql(UPDATE, { input })).updateEvent;
const fieldPaths = (result: any) => result.fieldErrors.map((e: any) => e.path.join('.'));

describe('creating all-day events', () => {
  test('an all-day event runs from the local midnight that starts its first day to the one that ends its last day', async () => {
    const calendarId = await room();
    const one = await created({ calendarId, title: 'Christmas Eve', durationMinutes: 1440, allDay: true, date: '2028-12-24' });
    assert.deepEqual([one.event.startsAt, one.event.endsAt, one.event.durationMinutes, one.event.placement],
      [iso(at('2028-12-24', '00:00', ZONE)), iso(at('2028-12-25', '00:00', ZONE)), 1440, 'EXACT']);
    const stored = await eventById(one.event.id);
    assert.equal(stored.allDay, true);
    const trip = await created({ calendarId, title: 'Ski trip', durationMinutes: 1440, allDay: true, date: '2028-12-27', lastDate: '2028-12-30' });
    assert.equal(trip.event.startsAt, iso(at('2028-12-27', '00:00', ZONE)));
    assert.equal(trip.event.endsAt, iso(at('2028-12-31', '00:00', ZONE)));
    assert.equal(trip.event.durationMinutes, 4 * 1440);
  });

  test('a day with a daylight-saving change is 25 (or 23) hours long, midnight to midnight', async () => {
    const calendarId = await room();
    const autumn = await created({ calendarId, title: 'Clocks go back', durationMinutes: 1440, allDay: true, date: '2028-10-29' });
    assert.equal(autumn.event.startsAt, '2028-10-28T22:00:00.000Z');
    assert.equal(autumn.event.endsAt, '2028-10-29T23:00:00.000Z');
    assert.equal(autumn.event.durationMinutes, 1500);
    const spring = await created({ calendarId, title: 'Clocks go forward', durationMinutes: 1440, allDay: true, date: '2028-03-26' });
    assert.equal(spring.event.durationMinutes, 1380);
  });

  test('the days are read in the calendar\'s zone, not the account\'s', async () => {
    const tokyo = await createCalendar(server.url, ada.token, { name: 'Tokyo office', timeZone: 'Asia/Tokyo' });
    const holiday = await created({ calendarId: tokyo, title: 'Culture Day', durationMinutes: 1440, allDay: true, date: '2028-11-03' });
    assert.equal(holiday.event.startsAt, '2028-11-02T15:00:00.000Z');
    assert.equal(holiday.event.endsAt, '2028-11-03T15:00:00.000Z');
  });

  test('bad all-day input is a ValidationError naming the field, and nothing is created', async () => {
    const calendarId = await room();
    const cases: [Record<string, unknown>, string][] = [
      [{ allDay: true }, 'input.date'],
      [{ allDay: true, date: '2028-12-24', startsAt: at('2028-12-24', '10:00', ZONE) }, 'input.startsAt'],
      [{ allDay: true, date: '2028-12-24', startTime: '10:00' }, 'input.startTime'],
      [{ allDay: true, date: '2028-12-24', notBefore: at('2028-12-24', '10:00', ZONE) }, 'input.notBefore'],
      [{ allDay: true, date: '2028-12-24', lastDate: '2028-12-23' }, 'input.lastDate'],
      [{ allDay: true, date: '2028-01-01', lastDate: '2029-01-01' }, 'input.lastDate'],
      [{ date: '2028-12-24', startTime: '10:00', lastDate: '2028-12-25' }, 'input.lastDate'],
      [{ allDay: true, date: '0001-01-01' }, 'input.date'],
    ];
    for (const [input, path] of cases) {
      const result = await createEvent(server.url, ada.token, { calendarId, title: 'Bad', durationMinutes: 1440, ...input });
      assert.equal(result.__typename, 'ValidationError', JSON.stringify(input));
      assert.ok(fieldPaths(result).includes(path), `${path} in ${JSON.stringify(result)}`);
    }
    const left = await gql('query($id: ID!) { events(calendarId: $id, first: 10) { edges { node { id } } } }', { id: calendarId });
    assert.equal(left.events.edges.length, 0);
  });
});

describe('all-day events and time', () => {
  test('an all-day event neither blocks nor moves timed events, and timed events do not block it', async () => {
    const calendarId = await room();
    const meeting = await created({ calendarId, title: 'Meeting', durationMinutes: 60, startsAt: at('2028-06-14', '10:00', ZONE) });
    const birthday = await created({ calendarId, title: 'Birthday', durationMinutes: 1440, allDay: true, date: '2028-06-14' });
    assert.deepEqual(birthday.displaced, []);
    assert.equal((await eventById(meeting.event.id)).startsAt, iso(at('2028-06-14', '10:00', ZONE)));
    // An exact time on that day is free although the whole day is "taken" by the all-day event.
    await created({ calendarId, title: 'Lunch', durationMinutes: 60, startsAt: at('2028-06-14', '12:00', ZONE) });
    const overlapping = await createEvent(server.url, ada.token, { calendarId, title: 'Clash', durationMinutes: 30, startsAt: at('2028-06-14', '10:30', ZONE) });
    assert.equal(overlapping.__typename, 'SlotUnavailableError');
    assert.deepEqual(overlapping.conflicts.map((c: any) => c.title), ['Meeting']);
  });

  test('automatic placement and free slots ignore all-day events', async () => {
    const calendarId = await room();
    const date = futureDate(12, ZONE);
    await created({ calendarId, title: 'Holiday marker', durationMinutes: 1440, allDay: true, date });
    const placed = await created({ calendarId, title: 'Focus', durationMinutes: 30, date });
    assert.equal(placed.event.startsAt, iso(at(date, '09:00', ZONE)));
    const slots = await gql('query($id: ID, $from: DateTime!, $to: DateTime!) { freeSlots(calendarId: $id, from: $from, to: $to, durationMinutes: 60) { startsAt } }',
      { id: calendarId, from: at(date, '00:00', ZONE), to: at(date, '23:59', ZONE) });
    assert.equal(slots.freeSlots[0].startsAt, iso(at(date, '09:30', ZONE)));
  });
});

describe('a feed\'s all-day events', () => {
  test('count as busy on a calendar that plans around the feed, unless TRANSPARENT; own all-day events never do', async () => {
    const [holiday, birthday, marker] = [futureDate(10, ZONE), futureDate(11, ZONE), futureDate(12, ZONE)];
    const compact = (date: string) => date.replaceAll('-', '');
    const next = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    // Shaped like a holiday site's export: VALUE=DATE days, one of them marked free.
    feeds.set('/days.ics', { body: [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Holidays//EN', 'X-WR-CALNAME:Days',
      'BEGIN:VEVENT', 'UID:holiday@x', 'DTSTAMP:20260101T000000Z', `DTSTART;VALUE=DATE:${compact(holiday)}`, `DTEND;VALUE=DATE:${compact(next(holiday))}`, 'SUMMARY:Holiday', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:birthday@x', 'DTSTAMP:20260101T000000Z', `DTSTART;VALUE=DATE:${compact(birthday)}`, `DTEND;VALUE=DATE:${compact(next(birthday))}`, 'SUMMARY:Birthday', 'TRANSP:TRANSPARENT', 'END:VEVENT',
      'END:VCALENDAR', '',
    ].join('\r\n') });
    const subscribed = await gql(`mutation($input: SubscribeCalendarFeedInput!) { subscribeCalendarFeed(input: $input) { __typename
      ... on SubscribeCalendarFeedPayload { calendar { id } } ... on Error { message } } }`, { input: { url: feeds.url('/days.ics') } });
    assert.equal(subscribed.subscribeCalendarFeed.__typename, 'SubscribeCalendarFeedPayload', JSON.stringify(subscribed));
    const feedId = subscribed.subscribeCalendarFeed.calendar.id;
    const calendarId = await createCalendar(server.url, ada.token, { name: 'Planner', timeZone: ZONE, workingHours: NINE_TO_FIVE, busyCalendarIds: [feedId] });
    const refused = await createEvent(server.url, ada.token, { calendarId, title: 'On the holiday', durationMinutes: 30, date: holiday });
    assert.equal(refused.__typename, 'SlotUnavailableError', JSON.stringify(refused));
    const onBirthday = await created({ calendarId, title: 'On the birthday', durationMinutes: 30, date: birthday });
    assert.equal(onBirthday.event.startsAt, iso(at(birthday, '09:00', ZONE)));
    await created({ calendarId, title: 'Own marker', durationMinutes: 1440, allDay: true, date: marker });
    const onMarker = await created({ calendarId, title: 'On the marker', durationMinutes: 30, date: marker });
    assert.equal(onMarker.event.startsAt, iso(at(marker, '09:00', ZONE)));
  });
});

describe('updating all-day events', () => {
  test('moving the first day keeps the number of days; lastDate alone lengthens it', async () => {
    const calendarId = await room();
    const trip = await created({ calendarId, title: 'Trip', durationMinutes: 1440, allDay: true, date: '2028-07-03', lastDate: '2028-07-05' });
    const moved = await update({ id: trip.event.id, date: '2028-07-10' });
    assert.equal(moved.__typename, 'UpdateEventPayload', JSON.stringify(moved));
    assert.equal(moved.event.startsAt, iso(at('2028-07-10', '00:00', ZONE)));
    assert.equal(moved.event.endsAt, iso(at('2028-07-13', '00:00', ZONE)));
    const longer = await update({ id: trip.event.id, lastDate: '2028-07-14', title: 'Longer trip' });
    assert.equal(longer.event.endsAt, iso(at('2028-07-15', '00:00', ZONE)));
    assert.equal(longer.event.title, 'Longer trip');
    assert.equal(longer.event.durationMinutes, 5 * 1440);
  });

  test('a timed event made all-day frees its time; made timed again it is checked like an exact placement', async () => {
    const calendarId = await room();
    const call = await created({ calendarId, title: 'Call', durationMinutes: 60, startsAt: at('2028-09-06', '10:00', ZONE) });
    const allDay = await update({ id: call.event.id, allDay: true });
    assert.equal(allDay.__typename, 'UpdateEventPayload', JSON.stringify(allDay));
    assert.deepEqual([allDay.event.allDay, allDay.event.startsAt, allDay.event.endsAt],
      [true, iso(at('2028-09-06', '00:00', ZONE)), iso(at('2028-09-07', '00:00', ZONE))]);
    // Its 10:00 hour is free now.
    await created({ calendarId, title: 'Standup', durationMinutes: 60, startsAt: at('2028-09-06', '10:00', ZONE) });
    // Back to a time that Standup holds: refused, and the event stays all-day.
    const refused = await update({ id: call.event.id, allDay: false, startsAt: at('2028-09-06', '10:30', ZONE), durationMinutes: 30 });
    assert.equal(refused.__typename, 'SlotUnavailableError', JSON.stringify(refused));
    assert.deepEqual(refused.conflicts.map((c: any) => c.title), ['Standup']);
    assert.equal((await eventById(call.event.id)).allDay, true);
    const timed = await update({ id: call.event.id, allDay: false, startsAt: at('2028-09-06', '14:00', ZONE), durationMinutes: 45 });
    assert.deepEqual([timed.event.allDay, timed.event.startsAt, timed.event.durationMinutes], [false, iso(at('2028-09-06', '14:00', ZONE)), 45]);
    const blocked = await createEvent(server.url, ada.token, { calendarId, title: 'Clash', durationMinutes: 30, startsAt: at('2028-09-06', '14:15', ZONE) });
    assert.equal(blocked.__typename, 'SlotUnavailableError');
  });

  test('an update that leaves the days alone keeps them as stored, even after the calendar\'s zone changed', async () => {
    const calendarId = await room();
    const day = await created({ calendarId, title: 'Day off', durationMinutes: 1440, allDay: true, date: '2028-08-15' });
    const moved = await gql(`mutation($input: UpdateCalendarInput!) { updateCalendar(input: $input) { __typename } }`, { input: { id: calendarId, timeZone: 'Asia/Tokyo' } });
    assert.equal(moved.updateCalendar.__typename, 'UpdateCalendarPayload');
    const renamed = await update({ id: day.event.id, title: 'Holiday' });
    assert.deepEqual([renamed.event.title, renamed.event.startsAt, renamed.event.endsAt], ['Holiday', day.event.startsAt, day.event.endsAt]);
    // Given days are read in the calendar's zone as it is now.
    const again = await update({ id: day.event.id, date: '2028-08-16', lastDate: '2028-08-16' });
    assert.deepEqual([again.event.startsAt, again.event.endsAt], ['2028-08-15T15:00:00.000Z', '2028-08-16T15:00:00.000Z']);
  });

  test('mixing times and days in an update is a ValidationError naming the field, and the event is unchanged', async () => {
    const calendarId = await room();
    const day = await created({ calendarId, title: 'Day off', durationMinutes: 1440, allDay: true, date: '2028-08-15' });
    const timed = await created({ calendarId, title: 'Timed', durationMinutes: 30, startsAt: at('2028-08-16', '09:00', ZONE) });
    const cases: [Record<string, unknown>, string][] = [
      [{ id: day.event.id, startsAt: at('2028-08-15', '09:00', ZONE) }, 'input.startsAt'],
      [{ id: day.event.id, durationMinutes: 60 }, 'input.durationMinutes'],
      [{ id: day.event.id, allDay: false, startsAt: at('2028-08-15', '09:00', ZONE) }, 'input.durationMinutes'],
      [{ id: day.event.id, lastDate: '2028-08-14' }, 'input.lastDate'],
      [{ id: day.event.id, lastDate: '2029-12-31' }, 'input.lastDate'],
      [{ id: timed.event.id, date: '2028-08-17' }, 'input.date'],
      [{ id: timed.event.id, lastDate: '2028-08-17' }, 'input.lastDate'],
    ];
    for (const [input, path] of cases) {
      const result = await update({ ...input, title: 'Renamed' });
      assert.equal(result.__typename, 'ValidationError', JSON.stringify(input));
      assert.ok(fieldPaths(result).includes(path), `${path} in ${JSON.stringify(result)}`);
    }
    const unchanged = await eventById(day.event.id);
    assert.deepEqual([unchanged.title, unchanged.startsAt, unchanged.endsAt, unchanged.allDay], ['Day off', day.event.startsAt, day.event.endsAt, true]);
    const unchangedTimed = await eventById(timed.event.id);
    assert.deepEqual([unchangedTimed.title, unchangedTimed.startsAt, unchangedTimed.allDay], ['Timed', timed.event.startsAt, false]);
  });
});

describe('exporting all-day events', () => {
  test('own all-day events are exported as VALUE=DATE days in the calendar\'s zone, timed ones with their times', async () => {
    const calendarId = await room();
    await created({ calendarId, title: 'Holidays', durationMinutes: 1440, allDay: true, date: '2028-12-27', lastDate: '2028-12-29' });
    await created({ calendarId, title: 'Dentist', durationMinutes: 30, startsAt: at('2028-12-28', '09:00', ZONE) });
    const { calendar } = await gql('query($id: ID!) { calendar(id: $id) { feedUrl } }', { id: calendarId });
    const response = await fetch(`${server.url.replace(/\/graphql$/, '')}${calendar.feedUrl}`);
    assert.equal(response.status, 200);
    const text = await response.text();
    const holidays = text.split('BEGIN:VEVENT').find((part) => part.includes('SUMMARY:Holidays'))!;
    assert.match(holidays, /\r\nDTSTART;VALUE=DATE:20281227\r\n/);
    // DTEND of a date is exclusive (RFC 5545): the day after the last one.
    assert.match(holidays, /\r\nDTEND;VALUE=DATE:20281230\r\n/);
    const dentist = text.split('BEGIN:VEVENT').find((part) => part.includes('SUMMARY:Dentist'))!;
    assert.match(dentist, /\r\nDTSTART;TZID=Europe\/Paris:20281228T090000\r\n/);
  });
});
