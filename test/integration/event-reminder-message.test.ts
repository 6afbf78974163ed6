import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { graphqlData } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { EXPIRED, expire, nextAbout, subscribe, waitUntilLive, type Account } from '../helpers/reminders.ts';
import { NINE_TO_FIVE, createCalendar, createEvent } from './calendar-helpers.ts';

let server: TestServer;
let ada: Account;

before(async () => {
  server = await startTestServer();
  ada = await server.createAccount('Ada', 'UTC');
});
after(() => server.stop());

const gql = (query: string, variables: Record<string, unknown>) => graphqlData<any>(server.url, { token: ada.token, query, variables });

test('an event reminder names the event\'s new local start after the event moved, in the calendar\'s zone', async () => {
  const listener = subscribe(server.url, ada, `subscription { ${EXPIRED} }`);
  try {
    await waitUntilLive(server.url, ada, [listener.subscription], 'expired');
    const calendarId = await createCalendar(server.url, ada.token, { name: 'Paris', timeZone: 'Europe/Paris', workingHours: NINE_TO_FIVE });
    const created = await createEvent(server.url, ada.token, { calendarId, title: 'Design review', startsAt: '2031-03-10T09:00:00Z', durationMinutes: 30, reminders: [{ minutesBefore: 15 }] });
    assert.equal(created.__typename, 'CreateEventPayload', JSON.stringify(created));
    const reminders = 'query($id: ID!) { event(id: $id) { reminders { id message } } }';
    const [first] = (await gql(reminders, { id: created.event.id })).event.reminders;
    assert.equal(first.message, 'Design review starts Mon 10 Mar 2031, 10:00 CET');
    const moved = await gql('mutation($input: UpdateEventInput!) { updateEvent(input: $input) { __typename } }', { input: { id: created.event.id, startsAt: '2031-04-02T12:30:00Z' } });
    assert.equal(moved.updateEvent.__typename, 'UpdateEventPayload', JSON.stringify(moved));
    await expire(server.url, ada, first.id);
    const expiry = await nextAbout(listener.subscription, 'reminderExpired', first.id, 10_000);
    assert.equal(expiry.reminder.message, 'Design review starts Wed 2 Apr 2031, 14:30 CEST');
  } finally {
    await listener.close();
  }
});

test('a rename re-renders the pending reminders\' text without moving them; an all-day event\'s reminder names its day, not an hour', async () => {
  const calendarId = await createCalendar(server.url, ada.token, { name: 'Berlin', timeZone: 'Europe/Berlin', workingHours: NINE_TO_FIVE });
  const created = await createEvent(server.url, ada.token, { calendarId, title: 'Planning', startsAt: '2031-05-12T08:00:00Z', durationMinutes: 30, reminders: [{ minutesBefore: 60 }] });
  assert.equal(created.__typename, 'CreateEventPayload', JSON.stringify(created));
  const reminders = 'query($id: ID!) { event(id: $id) { reminders { id message remindAt } } }';
  const [before] = (await gql(reminders, { id: created.event.id })).event.reminders;
  assert.equal(before.message, 'Planning starts Mon 12 May 2031, 10:00 CEST');
  await gql('mutation($input: UpdateEventInput!) { updateEvent(input: $input) { __typename } }', { input: { id: created.event.id, title: 'Quarterly planning' } });
  const [after] = (await gql(reminders, { id: created.event.id })).event.reminders;
  assert.equal(after.message, 'Quarterly planning starts Mon 12 May 2031, 10:00 CEST');
  assert.equal(after.remindAt, before.remindAt, 'a rename does not move the reminder');

  const allDay = await createEvent(server.url, ada.token, { calendarId, title: 'Offsite', allDay: true, date: '2031-05-16', durationMinutes: 1440, reminders: [{ minutesBefore: 720 }] });
  assert.equal(allDay.__typename, 'CreateEventPayload', JSON.stringify(allDay));
  const [dayReminder] = (await gql(reminders, { id: allDay.event.id })).event.reminders;
  assert.equal(dayReminder.message, 'Offsite is on Fri 16 May 2031 (all day)');
});
