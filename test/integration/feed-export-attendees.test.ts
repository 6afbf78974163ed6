import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { graphqlData } from '../helpers/clients.ts';
import { at, createCalendar, createEvent, EVERY_DAY, futureDate } from './calendar-helpers.ts';

// The export finds the events a calendar attends by `attendee_calendar_ids @> array[id]` (served by a
// GIN index; Migration20261203150000_history_indexes): the same events as the `= any(…)` it replaced.
const ZONE = 'Europe/Paris';
let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.stop();
});

test('a calendar\'s ICS export holds the events it attends in another calendar, and not those it does not', async () => {
  const ada = await server.createAccount('Ada', ZONE);
  const hours = EVERY_DAY.map((weekday) => ({ weekday, start: '08:00', end: '18:00' }));
  const room = await createCalendar(server.url, ada.token, { name: 'Room', timeZone: ZONE, workingHours: hours });
  const person = await createCalendar(server.url, ada.token, { name: 'Person', timeZone: ZONE, workingHours: hours });
  const other = await createCalendar(server.url, ada.token, { name: 'Other', timeZone: ZONE, workingHours: hours });
  const date = futureDate(5, ZONE);
  const attended = await createEvent(server.url, ada.token, { calendarId: room, attendeeCalendarIds: [person], title: 'Attended meeting', durationMinutes: 30, startsAt: at(date, '10:00', ZONE) });
  assert.equal(attended.__typename, 'CreateEventPayload', JSON.stringify(attended));
  const elsewhere = await createEvent(server.url, ada.token, { calendarId: room, attendeeCalendarIds: [other], title: 'Not attended', durationMinutes: 30, startsAt: at(date, '12:00', ZONE) });
  assert.equal(elsewhere.__typename, 'CreateEventPayload', JSON.stringify(elsewhere));

  const { calendar } = await graphqlData<any>(server.url, { query: 'query($id: ID!) { calendar(id: $id) { feedUrl } }', variables: { id: person }, token: ada.token });
  const response = await fetch(`${server.url.replace(/\/graphql$/, '')}${calendar.feedUrl}`);
  assert.equal(response.status, 200);
  const text = await response.text();
  assert.match(text, /SUMMARY:Attended meeting/);
  assert.doesNotMatch(text, /Not attended/);
});
