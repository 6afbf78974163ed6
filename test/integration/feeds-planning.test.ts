import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { graphqlData, Subscription, wsClient } from '../helpers/clients.ts';
import { ics, startIcsServer, type IcsEvent, type IcsServer } from '../helpers/ics-server.ts';
import { at, createCalendar, createEvent, EVERY_DAY, futureDate, iso, NINE_TO_FIVE } from './calendar-helpers.ts';

let server: TestServer;
let feeds: IcsServer;
let ada: { id: string; token: string; defaultCalendarId: string };
const ZONE = 'Europe/Paris';

before(async () => {
  [server, feeds] = await Promise.all([startTestServer(), startIcsServer()]);
  ada = await server.createAccount('Ada', ZONE);
});
after(async () => {
  await server.stop();
  await feeds.close();
});

const gql = (query: string, variables: Record<string, unknown> = {}) => graphqlData<any>(server.url, { query, variables, token: ada.token });
const SUBSCRIBE = `mutation($input: SubscribeCalendarFeedInput!) { subscribeCalendarFeed(input: $input) { __typename
  ... on SubscribeCalendarFeedPayload { calendar { id } } ... on ValidationError { message } } }`;
const REFRESH = `mutation($id: ID!) { refreshCalendarFeed(calendarId: $id) { __typename ... on RefreshCalendarFeedPayload { created updated deleted } } }`;

async function subscribe(path: string, events: IcsEvent[]): Promise<string> {
  feeds.set(path, { body: ics(events) });
  const data = await gql(SUBSCRIBE, { input: { url: feeds.url(path) } });
  assert.equal(data.subscribeCalendarFeed.__typename, 'SubscribeCalendarFeedPayload', JSON.stringify(data));
  return data.subscribeCalendarFeed.calendar.id;
}
/** A feed event at local times of `date` in Paris. */
const local = (uid: string, date: string, from: string, to: string, extra: Partial<IcsEvent> = {}): IcsEvent =>
  ({ uid, title: uid, start: new Date(at(date, from, ZONE)), end: new Date(at(date, to, ZONE)), ...extra });

/** The first local date at least 3 days ahead whose UTC offset changes during the day (a DST change). */
function nextDstDay(): string {
  let day = DateTime.now().setZone(ZONE).startOf('day').plus({ days: 3 });
  while (day.offset === day.plus({ days: 1 }).offset) day = day.plus({ days: 1 });
  return day.toISODate()!;
}

describe('planning around feed calendars', () => {
  test('auto placement and freeSlots avoid feed busy time across a DST change; overlapping, transparent and cancelled feed events are fine', async () => {
    const date = nextDstDay();
    const calendar = (busy: string[]) => createCalendar(server.url, ada.token, {
      name: 'Around the clock', timeZone: ZONE, workingHours: [], slotIntervalMinutes: 30, horizonDays: 400, busyCalendarIds: busy,
    });
    // Created first: its 400-day horizon widens the window that feeds are mirrored over.
    const ignoring = await calendar([]);
    const feedId = await subscribe('/dst.ics', [
      local('night', date, '00:00', '03:30'),
      local('overlapping', date, '03:00', '04:00'), // feeds may overlap: the no-overlap guarantee is Tickler's own
      local('free', date, '04:00', '06:00', { transparent: true }),
      local('called-off', date, '04:00', '05:00', { status: 'CANCELLED' }),
    ]);
    const planning = await calendar([feedId]);
    const placed = await createEvent(server.url, ada.token, { calendarId: planning, title: 'After the night', durationMinutes: 60, date });
    assert.equal(placed.event.startsAt, iso(at(date, '04:00', ZONE)), `on ${date}`);
    const elsewhere = await createEvent(server.url, ada.token, { calendarId: ignoring, title: 'Ignores the feed', durationMinutes: 60, date });
    assert.equal(elsewhere.event.startsAt, iso(at(date, '00:00', ZONE)));
    const slots = await gql('query($id: ID!, $from: DateTime!, $to: DateTime!) { freeSlots(calendarId: $id, from: $from, to: $to, durationMinutes: 60) { startsAt } }', {
      id: planning, from: at(date, '00:00', ZONE), to: at(date, '06:00', ZONE),
    });
    assert.equal(slots.freeSlots[0].startsAt, iso(at(date, '05:00', ZONE))); // 04:00 is now taken by the event placed above
    const shown = await gql('query($id: ID!) { calendar(id: $id) { busyCalendarIds } }', { id: planning });
    assert.deepEqual(shown.calendar.busyCalendarIds, [feedId]);
  });

  test('busyCalendarIds accepts only the account\'s feed calendars', async () => {
    const result = await gql(`mutation($input: CreateCalendarInput!) { createCalendar(input: $input) { __typename ... on ValidationError { fieldErrors { path } } } }`, {
      input: { name: 'Bad', busyCalendarIds: [ada.defaultCalendarId, 'nonsense'] },
    });
    assert.equal(result.createCalendar.__typename, 'ValidationError');
    assert.deepEqual(result.createCalendar.fieldErrors.map((e: any) => e.path.join('.')), ['input.busyCalendarIds.0', 'input.busyCalendarIds.1']);
  });

  test('a feed meeting arriving over an AUTO event moves it and its reminder; clashes that cannot move are announced', async () => {
    const date = futureDate(6, ZONE);
    const feedId = await subscribe('/work.ics', [local('unrelated', date, '20:00', '21:00')]);
    const calendarId = await createCalendar(server.url, ada.token, { name: 'Planned', timeZone: ZONE, workingHours: NINE_TO_FIVE, busyCalendarIds: [feedId] });
    const movable = await createEvent(server.url, ada.token, { calendarId, title: 'Movable', durationMinutes: 60, date, reminders: [{ minutesBefore: 10 }] });
    assert.equal(movable.event.startsAt, iso(at(date, '09:00', ZONE)));
    const stuck = await createEvent(server.url, ada.token, { calendarId, title: 'Stuck', durationMinutes: 60, notBefore: at(date, '11:00', ZONE), notAfter: at(date, '12:00', ZONE) });
    assert.equal(stuck.event.startsAt, iso(at(date, '11:00', ZONE)));
    const exact = await createEvent(server.url, ada.token, { calendarId, title: 'Exact', durationMinutes: 60, startsAt: at(date, '14:00', ZONE) });
    assert.equal(exact.__typename, 'CreateEventPayload');

    const { client } = wsClient(server.url, ada.token);
    const changes = new Subscription(client, { query: 'subscription($id: ID) { eventChanged(calendarId: $id) { kind event { id title startsAt } } }', variables: { id: calendarId } });
    const failures = new Subscription(client, { query: 'subscription { eventPlacementFailed { title message calendar { id } } }' });
    const synced = new Subscription(client, { query: 'subscription { calendarFeedSynced { id } }' });
    try {
      await gql(REFRESH, { id: feedId });
      await synced.next(); // subscriptions are live
      feeds.set('/work.ics', { body: ics([
        local('unrelated', date, '20:00', '21:00'),
        local('standup', date, '09:00', '10:00'),
        local('review', date, '11:00', '12:00'),
        local('board', date, '14:30', '15:30'),
      ]) });
      const outcome = (await gql(REFRESH, { id: feedId })).refreshCalendarFeed;
      assert.deepEqual([outcome.created, outcome.updated, outcome.deleted], [3, 0, 0]);
      const moved = (await changes.next()).data!.eventChanged;
      assert.deepEqual([moved.kind, moved.event.title, moved.event.startsAt], ['UPDATED', 'Movable', iso(at(date, '10:00', ZONE))]);
      const told = [(await failures.next()).data!.eventPlacementFailed, (await failures.next()).data!.eventPlacementFailed];
      assert.deepEqual(told.map((f: any) => f.title).sort(), ['Exact', 'Stuck']);
      assert.match(told.find((f: any) => f.title === 'Stuck').message, /"review".*no other slot fits/);
      assert.match(told.find((f: any) => f.title === 'Exact').message, /exactly placed.*"board"/);
      const reminder = await gql('query($id: ID!) { event(id: $id) { startsAt reminders { remindAt } } }', { id: movable.event.id });
      assert.equal(reminder.event.reminders[0].remindAt, iso(at(date, '09:50', ZONE)));
      const still = await gql('query($id: ID!) { event(id: $id) { startsAt } }', { id: stuck.event.id });
      assert.equal(still.event.startsAt, iso(at(date, '11:00', ZONE)));
    } finally {
      changes.close();
      failures.close();
      synced.close();
      await client.dispose();
    }
  });
});

describe('publishing a calendar as a feed', () => {
  test('the export is valid iCalendar that parses back to the same events, with ETag/304, SEQUENCE and token rotation', async () => {
    const date = futureDate(8, ZONE);
    const calendarId = await createCalendar(server.url, ada.token, { name: 'Published', timeZone: ZONE, workingHours: EVERY_DAY.map((weekday) => ({ weekday, start: '08:00', end: '18:00' })) });
    const exact = await createEvent(server.url, ada.token, {
      calendarId, title: 'Board; meeting, with commas', durationMinutes: 90, startsAt: at(date, '10:00', ZONE), location: 'Room 4',
      attendees: ['bob@example.com'], reminders: [{ minutesBefore: 15 }],
    });
    const cancelled = await createEvent(server.url, ada.token, { calendarId, title: 'Called off', durationMinutes: 30, date });
    await gql('mutation($id: ID!) { cancelEvent(id: $id) { __typename } }', { id: cancelled.event.id });
    const { calendar } = await gql('query($id: ID!) { calendar(id: $id) { feedUrl } }', { id: calendarId });
    assert.match(calendar.feedUrl, /^\/calendars\/[0-9a-f-]{36}\.ics\?token=[0-9a-f]{64}$/);
    const url = `${server.url.replace(/\/graphql$/, '')}${calendar.feedUrl}`;

    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/calendar/);
    const text = await response.text();
    assert.ok(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75), 'lines are folded at 75 octets');
    const vcalendar = new ICAL.Component(ICAL.parse(text));
    for (const name of ['prodid', 'version']) assert.ok(vcalendar.getFirstPropertyValue(name), name);
    assert.equal(String(vcalendar.getFirstPropertyValue('refresh-interval')), 'PT15M');
    assert.equal(vcalendar.getFirstSubcomponent('vtimezone')!.getFirstPropertyValue('tzid'), ZONE);
    const vevents = vcalendar.getAllSubcomponents('vevent');
    assert.equal(vevents.length, 2);
    for (const v of vevents) for (const name of ['uid', 'dtstamp', 'dtstart']) assert.ok(v.hasProperty(name), name);
    const board = new ICAL.Event(vevents.find((v) => String(v.getFirstPropertyValue('summary')).startsWith('Board'))!);
    assert.equal(board.summary, 'Board; meeting, with commas');
    assert.equal(board.startDate.toJSDate().toISOString(), iso(at(date, '10:00', ZONE))); // resolved through the feed's own VTIMEZONE
    assert.equal(board.endDate.toJSDate().toISOString(), iso(at(date, '11:30', ZONE)));
    assert.equal(board.location, 'Room 4');
    assert.equal(String(board.component.getFirstProperty('attendee')!.getFirstValue()), 'mailto:bob@example.com');
    assert.equal(String(board.component.getFirstSubcomponent('valarm')!.getFirstPropertyValue('trigger')), '-PT15M');
    const off = vevents.find((v) => v.getFirstPropertyValue('summary') === 'Called off')!;
    assert.equal(off.getFirstPropertyValue('status'), 'CANCELLED');

    const etag = response.headers.get('etag')!;
    assert.equal((await fetch(url, { headers: { 'if-none-match': etag } })).status, 304);
    await gql('mutation($input: UpdateEventInput!) { updateEvent(input: $input) { __typename } }', { input: { id: exact.event.id, title: 'Board meeting' } });
    const changed = await fetch(url, { headers: { 'if-none-match': etag } });
    assert.equal(changed.status, 200);
    const again = new ICAL.Component(ICAL.parse(await changed.text())).getAllSubcomponents('vevent').find((v) => v.getFirstPropertyValue('summary') === 'Board meeting')!;
    assert.equal(again.getFirstPropertyValue('uid'), board.uid, 'UIDs are stable');
    assert.ok(Number(again.getFirstPropertyValue('sequence')) > Number(board.component.getFirstPropertyValue('sequence')));

    const path = new URL(url).pathname;
    const origin = server.url.replace(/\/graphql$/, '');
    assert.equal((await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${ada.token}` } })).status, 200);
    assert.equal((await fetch(`${origin}${path}`)).status, 401);
    assert.equal((await fetch(`${origin}${path}?token=${'0'.repeat(64)}`)).status, 404);
    const rotated = await gql('mutation($id: ID!) { rotateCalendarFeedToken(calendarId: $id) { ... on RotateCalendarFeedTokenPayload { calendar { feedUrl } } } }', { id: calendarId });
    assert.equal((await fetch(url)).status, 404, 'the old URL is revoked');
    assert.equal((await fetch(`${origin}${rotated.rotateCalendarFeedToken.calendar.feedUrl}`)).status, 200);
  });
});
