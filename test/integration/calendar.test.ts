import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { graphqlData, wsClient, Subscription } from '../helpers/clients.ts';
import { at, createCalendar, createEvent, CREATE_CALENDAR, futureDate, futureWeekday, iso, NINE_TO_FIVE, EVENT_FIELDS } from './calendar-helpers.ts';

let server: TestServer;
let ada: { id: string; token: string; defaultCalendarId: string };
let bob: { id: string; token: string; defaultCalendarId: string };

before(async () => {
  server = await startTestServer();
  [ada, bob] = await Promise.all([server.createAccount('Ada', 'Europe/Paris'), server.createAccount('Bob', 'America/New_York')]);
});
after(() => server.stop());

const gql = (token: string, query: string, variables: Record<string, unknown> = {}) => graphqlData<any>(server.url, { query, variables, token });
/** A fresh 09:00–17:00 calendar of Ada's, so each test starts from an empty day. */
const freshCalendar = (settings: Record<string, unknown> = {}) =>
  createCalendar(server.url, ada.token, { name: 'Room', timeZone: 'Europe/Paris', workingHours: NINE_TO_FIVE, slotIntervalMinutes: 15, ...settings });

describe('calendars', () => {
  test('createCalendar stores the settings and defaults to the account\'s zone', async () => {
    const data = await gql(ada.token, CREATE_CALENDAR, { input: { name: 'Boardroom', workingHours: [{ weekday: 'MONDAY', start: '09:00', end: '12:00' }, { weekday: 'MONDAY', start: '13:00', end: '17:00' }], bufferMinutes: 5, slotIntervalMinutes: 30, horizonDays: 30 } });
    const calendar = data.createCalendar.calendar;
    assert.equal(calendar.timeZone, 'Europe/Paris');
    assert.deepEqual([calendar.bufferMinutes, calendar.slotIntervalMinutes, calendar.horizonDays], [5, 30, 30]);
    assert.equal(calendar.workingHours.length, 2);
    const found = await gql(ada.token, 'query($id: ID!) { calendar(id: $id) { name } }', { id: calendar.id });
    assert.equal(found.calendar.name, 'Boardroom');
  });

  test('bad settings are each a ValidationError naming the field, and nothing is written', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ workingHours: [{ weekday: 'MONDAY', start: '09:00', end: '12:00' }, { weekday: 'MONDAY', start: '11:00', end: '13:00' }] }, 'input.workingHours.1.start'],
      [{ workingHours: [{ weekday: 'MONDAY', start: '12:00', end: '09:00' }] }, 'input.workingHours.0.end'],
      [{ slotIntervalMinutes: 7 }, 'input.slotIntervalMinutes'],
      [{ timeZone: 'Mars/Olympus' }, 'input.timeZone'],
      [{ bufferMinutes: -1 }, 'input.bufferMinutes'],
      [{ horizonDays: 0 }, 'input.horizonDays'],
      [{ horizonDays: 3651 }, 'input.horizonDays'],
    ];
    for (const [settings, path] of cases) {
      const data = await gql(ada.token, CREATE_CALENDAR, { input: { name: 'Bad', ...settings } });
      assert.equal(data.createCalendar.__typename, 'ValidationError', JSON.stringify(settings));
      assert.ok(data.createCalendar.fieldErrors.some((e: any) => e.path.join('.') === path), `${path} in ${JSON.stringify(data.createCalendar)}`);
    }
    const me = await gql(ada.token, '{ me { calendars { name } } }');
    assert.ok(!me.me.calendars.some((c: any) => c.name === 'Bad'));
  });

  test('updateCalendar changes settings, and another account\'s calendar is not found', async () => {
    const id = await freshCalendar();
    const query = `mutation($input: UpdateCalendarInput!) { updateCalendar(input: $input) { __typename
      ... on UpdateCalendarPayload { calendar { bufferMinutes horizonDays } } ... on ValidationError { fieldErrors { path } } ... on NotFoundError { message } } }`;
    const ok = await gql(ada.token, query, { input: { id, bufferMinutes: 10, horizonDays: 7 } });
    assert.deepEqual(ok.updateCalendar.calendar, { bufferMinutes: 10, horizonDays: 7 });
    assert.equal((await gql(ada.token, query, { input: { id, slotIntervalMinutes: 25 } })).updateCalendar.__typename, 'ValidationError');
    assert.equal((await gql(bob.token, query, { input: { id, name: 'Mine now' } })).updateCalendar.__typename, 'NotFoundError');
    assert.equal((await gql(bob.token, 'query($id: ID!) { calendar(id: $id) { id } }', { id })).calendar, null);
  });
});

describe('automatic placement', () => {
  test('picks the earliest grid slot in working hours, keeping the buffer from neighbours', async () => {
    const calendarId = await freshCalendar({ bufferMinutes: 10 });
    const date = futureDate(20);
    const first = await createEvent(server.url, ada.token, { calendarId, title: 'One', durationMinutes: 30, date });
    assert.equal(first.event.startsAt, iso(at(date, '09:00')));
    assert.equal(first.event.placement, 'AUTO');
    const second = await createEvent(server.url, ada.token, { calendarId, title: 'Two', durationMinutes: 30, date });
    // One ends 09:30; the 10-minute buffer blocks until 09:40; the next quarter-hour is 09:45.
    assert.equal(second.event.startsAt, iso(at(date, '09:45')));
  });

  test('respects notBefore and never places in the past', async () => {
    const calendarId = await freshCalendar({ workingHours: [] });
    const notBefore = new Date(Date.now() + 3 * 3600_000).toISOString();
    const placed = await createEvent(server.url, ada.token, { calendarId, title: 'Soon', durationMinutes: 15, notBefore });
    assert.ok(new Date(placed.event.startsAt) >= new Date(notBefore));
    assert.equal(new Date(placed.event.startsAt).getTime() % (15 * 60_000), 0, 'on the quarter-hour grid');
    const now = await createEvent(server.url, ada.token, { calendarId, title: 'Now', durationMinutes: 15 });
    assert.ok(new Date(now.event.startsAt).getTime() >= Date.now() - 1000);
  });

  test('attendee calendars must be free too, and the event occupies them', async () => {
    const [room, person] = await Promise.all([freshCalendar(), freshCalendar()]);
    const date = futureDate(21);
    await createEvent(server.url, ada.token, { calendarId: person, title: 'Busy', startsAt: at(date, '09:00'), durationMinutes: 60 });
    const meeting = await createEvent(server.url, ada.token, { calendarId: room, attendeeCalendarIds: [person], title: 'Meeting', durationMinutes: 30, date });
    assert.equal(meeting.event.startsAt, iso(at(date, '10:00')));
    assert.deepEqual(meeting.event.attendeeCalendars.map((c: any) => c.id), [person]);
    const onPerson = await gql(ada.token, `query($c: ID) { events(calendarId: $c) { edges { node { title } } } }`, { c: person });
    assert.deepEqual(onPerson.events.edges.map((e: any) => e.node.title), ['Busy', 'Meeting']);
  });

  test('when nothing fits: SlotUnavailableError with suggestions after the window, and eventPlacementFailed is published', async () => {
    const calendarId = await freshCalendar({ workingHours: [{ weekday: 'MONDAY', start: '09:00', end: '10:00' }] });
    const { client } = wsClient(server.url, ada.token);
    const failures = new Subscription<any>(client, { query: 'subscription { eventPlacementFailed { calendar { id } title message suggestions { startsAt } } }' });
    try {
      const date = futureDate(22);
      const tooLong = { calendarId, title: 'Too long', durationMinutes: 120, date };
      let result: any;
      let notice: any;
      // The subscription may not be live yet when the first request fails: try until it hears one.
      for (let attempt = 0; attempt < 20 && !notice; attempt++) {
        result = await createEvent(server.url, ada.token, tooLong);
        notice = await failures.next(250).catch(() => undefined);
      }
      assert.equal(result.__typename, 'SlotUnavailableError');
      assert.deepEqual(result.conflicts, []);
      assert.equal(notice.data.eventPlacementFailed.title, 'Too long');
      assert.equal(notice.data.eventPlacementFailed.calendar.id, calendarId);
      const fits = await createEvent(server.url, ada.token, { calendarId, title: 'Fits', durationMinutes: 60 });
      assert.equal(fits.__typename, 'CreateEventPayload');
    } finally {
      failures.close();
      await client.dispose();
    }
  });

  test('the same idempotency key returns the first result, even when sent concurrently', async () => {
    const calendarId = await freshCalendar();
    const input = { calendarId, title: 'Once', durationMinutes: 30, date: futureDate(23), idempotencyKey: 'key-1' };
    const results = await Promise.all(Array.from({ length: 5 }, () => createEvent(server.url, ada.token, input)));
    assert.equal(new Set(results.map((r) => r.event.id)).size, 1);
    const page = await gql(ada.token, 'query($c: ID) { events(calendarId: $c) { edges { node { id } } } }', { c: calendarId });
    assert.equal(page.events.edges.length, 1);
    const other = await createEvent(server.url, bob.token, { title: 'Bob\'s', durationMinutes: 30, idempotencyKey: 'key-1' });
    assert.notEqual(other.event.id, results[0].event.id, 'keys are per account');
  });
});

describe('exact placement', () => {
  test('refuses a time taken by an EXACT event, naming it and suggesting free slots', async () => {
    const calendarId = await freshCalendar();
    const date = futureDate(24);
    const taken = await createEvent(server.url, ada.token, { calendarId, title: 'Taken', date, startTime: '10:00', durationMinutes: 60 });
    assert.equal(taken.event.startsAt, iso(at(date, '10:00')));
    const clash = await createEvent(server.url, ada.token, { calendarId, title: 'Clash', startsAt: at(date, '10:30'), durationMinutes: 30 });
    assert.equal(clash.__typename, 'SlotUnavailableError');
    assert.equal(clash.code, 'SLOT_UNAVAILABLE');
    assert.deepEqual(clash.conflicts.map((c: any) => c.id), [taken.event.id]);
    assert.equal(clash.suggestions[0].startsAt, iso(at(date, '11:00')));
    const touching = await createEvent(server.url, ada.token, { calendarId, title: 'Right after', startsAt: at(date, '11:00'), durationMinutes: 30 });
    assert.equal(touching.__typename, 'CreateEventPayload', 'touching is not overlapping');
  });

  test('moves AUTO events aside to their earliest fitting slot, publishes UPDATED, and returns them as displaced', async () => {
    const calendarId = await freshCalendar();
    const date = futureDate(25);
    const auto = await createEvent(server.url, ada.token, { calendarId, title: 'Auto', durationMinutes: 60, date });
    assert.equal(auto.event.startsAt, iso(at(date, '09:00')));
    const { client } = wsClient(server.url, ada.token);
    const changes = new Subscription<any>(client, { query: 'subscription($c: ID) { eventChanged(calendarId: $c) { kind event { id title startsAt } } }', variables: { c: calendarId } });
    try {
      await waitUntilLive(changes, (n) => createEvent(server.url, ada.token, { calendarId, title: `probe ${n}`, startsAt: at(date, `16:${String(n).padStart(2, '0')}`), durationMinutes: 1 }));
      const exact = await createEvent(server.url, ada.token, { calendarId, title: 'Boss', startsAt: at(date, '09:15'), durationMinutes: 30 });
      assert.equal(exact.__typename, 'CreateEventPayload');
      assert.deepEqual(exact.displaced.map((e: any) => [e.id, e.startsAt]), [[auto.event.id, iso(at(date, '09:45'))]]);
      const heard = [await changes.next(), await changes.next()].map((m) => [m.data.eventChanged.kind, m.data.eventChanged.event.title]);
      assert.deepEqual(heard.sort(), [['CREATED', 'Boss'], ['UPDATED', 'Auto']]);
    } finally {
      changes.close();
      await client.dispose();
    }
  });

  test('when a displaced AUTO event cannot be placed again, nothing changes', async () => {
    // Only Mondays are short; the 8-hour event sits on a Tuesday, so the next days are full days.
    const calendarId = await freshCalendar({ workingHours: [{ weekday: 'MONDAY', start: '09:00', end: '10:00' }, ...NINE_TO_FIVE.filter((r) => r.weekday !== 'MONDAY')] });
    const date = futureWeekday(26, 'TUESDAY');
    const auto = await createEvent(server.url, ada.token, { calendarId, title: 'Auto', durationMinutes: 480, date });
    assert.equal(auto.__typename, 'CreateEventPayload', JSON.stringify(auto));
    const exact = await createEvent(server.url, ada.token, { calendarId, title: 'Exact', startsAt: at(date, '12:00'), durationMinutes: 30 });
    assert.equal(exact.__typename, 'SlotUnavailableError');
    assert.deepEqual(exact.conflicts.map((c: any) => c.id), [auto.event.id]);
    const still = await gql(ada.token, 'query($id: ID!) { event(id: $id) { startsAt } }', { id: auto.event.id });
    assert.equal(still.event.startsAt, auto.event.startsAt);
    const page = await gql(ada.token, 'query($c: ID) { events(calendarId: $c) { edges { node { title } } } }', { c: calendarId });
    assert.deepEqual(page.events.edges.map((e: any) => e.node.title), ['Auto']);
  });

  test('exact events may lie in the past and outside working hours; status follows the clock', async () => {
    const calendarId = await freshCalendar();
    const hour = 3600_000;
    const past = await createEvent(server.url, ada.token, { calendarId, title: 'Past', startsAt: new Date(Date.now() - 3 * hour).toISOString(), durationMinutes: 60 });
    const current = await createEvent(server.url, ada.token, { calendarId, title: 'Now', startsAt: new Date(Date.now() - hour / 2).toISOString(), durationMinutes: 120 });
    const future = await createEvent(server.url, ada.token, { calendarId, title: 'Later', startsAt: new Date(Date.now() + 5 * hour).toISOString(), durationMinutes: 30 });
    assert.deepEqual([past, current, future].map((r) => r.event.status), ['COMPLETED', 'IN_PROGRESS', 'PENDING']);
    const byStatus = async (status: string) =>
      (await gql(ada.token, 'query($c: ID, $s: EventStatus) { events(calendarId: $c, status: $s) { edges { node { title } } } }', { c: calendarId, s: status })).events.edges.map((e: any) => e.node.title);
    assert.deepEqual(await byStatus('COMPLETED'), ['Past']);
    assert.deepEqual(await byStatus('IN_PROGRESS'), ['Now']);
    assert.deepEqual(await byStatus('PENDING'), ['Later']);
    await cancel(future.event.id);
    assert.deepEqual(await byStatus('CANCELLED'), ['Later']);
    assert.deepEqual(await byStatus('PENDING'), []);
  });
});

describe('changing events', () => {
  test('cancelling frees the slot; the event stays, CANCELLED', async () => {
    const calendarId = await freshCalendar({ workingHours: [] });
    const date = futureDate(27);
    const first = await createEvent(server.url, ada.token, { calendarId, title: 'First', startsAt: at(date, '10:00'), durationMinutes: 60 });
    const blocked = await createEvent(server.url, ada.token, { calendarId, title: 'Second', startsAt: at(date, '10:00'), durationMinutes: 60 });
    assert.equal(blocked.__typename, 'SlotUnavailableError');
    const cancelled = await cancel(first.event.id);
    assert.equal(cancelled.status, 'CANCELLED');
    const second = await createEvent(server.url, ada.token, { calendarId, title: 'Second', startsAt: at(date, '10:00'), durationMinutes: 60 });
    assert.equal(second.__typename, 'CreateEventPayload');
  });

  test('updateEvent retimes like an exact placement, and deleteEvent removes the event', async () => {
    const calendarId = await freshCalendar();
    const date = futureDate(28);
    const a = await createEvent(server.url, ada.token, { calendarId, title: 'A', startsAt: at(date, '10:00'), durationMinutes: 60 });
    const b = await createEvent(server.url, ada.token, { calendarId, title: 'B', startsAt: at(date, '12:00'), durationMinutes: 60 });
    const update = `mutation($input: UpdateEventInput!) { updateEvent(input: $input) { __typename
      ... on UpdateEventPayload { event { ${EVENT_FIELDS} } } ... on SlotUnavailableError { conflicts { id } } ... on ValidationError { message } } }`;
    const clash = await gql(ada.token, update, { input: { id: b.event.id, startsAt: at(date, '10:30') } });
    assert.deepEqual(clash.updateEvent.conflicts.map((c: any) => c.id), [a.event.id]);
    const moved = await gql(ada.token, update, { input: { id: b.event.id, startsAt: at(date, '11:00'), title: 'B moved', durationMinutes: 90 } });
    assert.equal(moved.updateEvent.event.startsAt, iso(at(date, '11:00')));
    assert.equal(moved.updateEvent.event.endsAt, iso(at(date, '12:30')));
    assert.equal(moved.updateEvent.event.title, 'B moved');
    const bad = await gql(ada.token, update, { input: { id: b.event.id, durationMinutes: 0 } });
    assert.equal(bad.updateEvent.__typename, 'ValidationError');
    const del = await gql(ada.token, 'mutation($id: ID!) { deleteEvent(id: $id) { __typename ... on DeleteEventPayload { id } } }', { id: a.event.id });
    assert.equal(del.deleteEvent.id, a.event.id);
    assert.equal((await gql(ada.token, 'query($id: ID!) { event(id: $id) { id } }', { id: a.event.id })).event, null);
    const reuse = await createEvent(server.url, ada.token, { calendarId, title: 'In A\'s place', startsAt: at(date, '10:00'), durationMinutes: 60 });
    assert.equal(reuse.__typename, 'CreateEventPayload');
  });
});

describe('event reminders and notices', () => {
  test('reminders are created with the event, move with it and are cancelled with it', async () => {
    const calendarId = await freshCalendar();
    const date = futureDate(33);
    const created = await createEvent(server.url, ada.token, { calendarId, title: 'Review', startsAt: at(date, '10:00'), durationMinutes: 30, reminders: [{ minutesBefore: 15, channels: [{ kind: 'WEBHOOK', target: 'https://example.com/hook' }] }, { minutesBefore: 60 }] });
    assert.equal(created.__typename, 'CreateEventPayload', JSON.stringify(created));
    const reminders = `query($id: ID!) { event(id: $id) { reminders { remindAt status event { id } } } }`;
    const before = (await gql(ada.token, reminders, { id: created.event.id })).event.reminders;
    assert.deepEqual(before.map((r: any) => r.remindAt), [iso(at(date, '09:00')), iso(at(date, '09:45'))]);
    assert.ok(before.every((r: any) => r.event.id === created.event.id));
    await gql(ada.token, 'mutation($input: UpdateEventInput!) { updateEvent(input: $input) { __typename } }', { input: { id: created.event.id, startsAt: at(date, '14:00') } });
    const moved = (await gql(ada.token, reminders, { id: created.event.id })).event.reminders;
    assert.deepEqual(moved.map((r: any) => r.remindAt), [iso(at(date, '13:00')), iso(at(date, '13:45'))]);
    await cancel(created.event.id);
    const cancelled = (await gql(ada.token, reminders, { id: created.event.id })).event.reminders;
    assert.deepEqual(cancelled.map((r: any) => r.status), ['CANCELLED', 'CANCELLED']);
  });

  test('a displaced AUTO event takes its reminders along', async () => {
    const calendarId = await freshCalendar();
    const date = futureDate(34);
    const auto = await createEvent(server.url, ada.token, { calendarId, title: 'Auto', durationMinutes: 30, date, reminders: [{ minutesBefore: 10 }] });
    await createEvent(server.url, ada.token, { calendarId, title: 'Exact', startsAt: at(date, '09:00'), durationMinutes: 60 });
    const data = await gql(ada.token, 'query($id: ID!) { event(id: $id) { startsAt reminders { remindAt } } }', { id: auto.event.id });
    assert.equal(data.event.startsAt, iso(at(date, '10:00')));
    assert.deepEqual(data.event.reminders.map((r: any) => r.remindAt), [iso(at(date, '09:50'))]);
  });

  test('deleting an event tells eventChanged subscribers, with the event as it was', async () => {
    const calendarId = await freshCalendar();
    const date = futureDate(35);
    const { client } = wsClient(server.url, ada.token);
    const changes = new Subscription<any>(client, { query: 'subscription($c: ID) { eventChanged(calendarId: $c) { kind event { id title status } } }', variables: { c: calendarId } });
    try {
      await waitUntilLive(changes, (n) => createEvent(server.url, ada.token, { calendarId, title: `probe ${n}`, startsAt: at(date, `16:${String(n).padStart(2, '0')}`), durationMinutes: 1 }));
      const doomed = await createEvent(server.url, ada.token, { calendarId, title: 'Doomed', startsAt: at(date, '10:00'), durationMinutes: 30 });
      assert.equal((await changes.next()).data.eventChanged.kind, 'CREATED');
      await gql(ada.token, 'mutation($id: ID!) { deleteEvent(id: $id) { __typename } }', { id: doomed.event.id });
      const deleted = (await changes.next()).data.eventChanged;
      assert.deepEqual(deleted, { kind: 'DELETED', event: { id: doomed.event.id, title: 'Doomed', status: 'PENDING' } });
    } finally {
      changes.close();
      await client.dispose();
    }
  });

  test('a local start time skipped by a DST change is a ValidationError', async () => {
    const calendarId = await freshCalendar();
    // Europe/Paris jumps from 02:00 to 03:00 on the last Sunday of March.
    const year = new Date().getUTCFullYear() + 1;
    const lastSunday = [31, 30, 29, 28, 27, 26, 25].map((d) => `${year}-03-${d}`).find((d) => new Date(`${d}T12:00:00Z`).getUTCDay() === 0)!;
    const result = await createEvent(server.url, ada.token, { calendarId, title: 'Ghost hour', date: lastSunday, startTime: '02:30', durationMinutes: 30 });
    assert.equal(result.__typename, 'ValidationError');
    assert.deepEqual(result.fieldErrors[0].path, ['input', 'startTime']);
  });
});

describe('queries', () => {
  test('events pages by start with a cursor', async () => {
    const calendarId = await freshCalendar({ workingHours: [] });
    const date = futureDate(29);
    for (const [i, time] of ['09:00', '10:00', '11:00', '12:00', '13:00'].entries()) {
      await createEvent(server.url, ada.token, { calendarId, title: `E${i}`, startsAt: at(date, time), durationMinutes: 30 });
    }
    const query = 'query($c: ID, $after: String) { events(calendarId: $c, first: 2, after: $after) { edges { cursor node { title } } pageInfo { hasNextPage endCursor } } }';
    const titles: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const data: any = await gql(ada.token, query, { c: calendarId, after });
      titles.push(...data.events.edges.map((e: any) => e.node.title));
      if (!data.events.pageInfo.hasNextPage) break;
      after = data.events.pageInfo.endCursor;
    }
    assert.deepEqual(titles, ['E0', 'E1', 'E2', 'E3', 'E4']);
    const window = await gql(ada.token, 'query($c: ID, $from: DateTime, $to: DateTime) { events(calendarId: $c, from: $from, to: $to) { edges { node { title } } } }',
      { c: calendarId, from: at(date, '10:15'), to: at(date, '12:00') });
    assert.deepEqual(window.events.edges.map((e: any) => e.node.title), ['E1', 'E2']);
  });

  test('freeSlots lists every fitting grid slot, skipping busy time', async () => {
    const calendarId = await freshCalendar({ slotIntervalMinutes: 60 });
    const date = futureDate(30);
    await createEvent(server.url, ada.token, { calendarId, title: 'Lunch', startsAt: at(date, '12:00'), durationMinutes: 60 });
    const data = await gql(ada.token, 'query($c: ID, $from: DateTime!, $to: DateTime!) { freeSlots(calendarId: $c, from: $from, to: $to, durationMinutes: 60) { startsAt } }',
      { c: calendarId, from: at(date, '00:00'), to: at(date, '23:59') });
    const hours = ['09:00', '10:00', '11:00', '13:00', '14:00', '15:00', '16:00'];
    assert.deepEqual(data.freeSlots.map((s: any) => s.startsAt), hours.map((h) => iso(at(date, h))));
  });
});

describe('bad input and isolation', () => {
  test('each bad createEvent input is a ValidationError naming the field, and nothing is written', async () => {
    const calendarId = await freshCalendar();
    const date = futureDate(31);
    const cases: [Record<string, unknown>, string][] = [
      [{ durationMinutes: 0 }, 'input.durationMinutes'],
      [{ durationMinutes: 1441 }, 'input.durationMinutes'],
      [{ notBefore: at(date, '12:00'), notAfter: at(date, '10:00') }, 'input.notAfter'],
      [{ date, startsAt: at(date, '10:00') }, 'input.date'],
      [{ startTime: '10:00' }, 'input.startTime'],
      [{ title: '  ' }, 'input.title'],
    ];
    for (const [input, path] of cases) {
      const result = await createEvent(server.url, ada.token, { calendarId, title: 'Bad', durationMinutes: 30, ...input });
      assert.equal(result.__typename, 'ValidationError', JSON.stringify(input));
      assert.ok(result.fieldErrors.some((e: any) => e.path.join('.') === path), `${path}: ${JSON.stringify(result)}`);
    }
    const page = await gql(ada.token, 'query($c: ID) { events(calendarId: $c) { edges { node { id } } } }', { c: calendarId });
    assert.equal(page.events.edges.length, 0);
  });

  test('another account\'s calendar or event is NotFoundError, exactly like an absent one', async () => {
    const calendarId = await freshCalendar();
    const mine = await createEvent(server.url, ada.token, { calendarId, title: 'Private', durationMinutes: 30, date: futureDate(32) });
    const absentCalendar = calendarId.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const viaBob = await createEvent(server.url, bob.token, { calendarId, title: 'Sneaky', durationMinutes: 30 });
    assert.equal(viaBob.__typename, 'NotFoundError');
    const asAttendee = await createEvent(server.url, bob.token, { attendeeCalendarIds: [calendarId], title: 'Sneaky', durationMinutes: 30 });
    assert.equal(asAttendee.__typename, 'NotFoundError');
    assert.equal((await createEvent(server.url, bob.token, { calendarId: absentCalendar, title: 'x', durationMinutes: 30 })).__typename, 'NotFoundError');
    assert.equal((await gql(bob.token, 'query($id: ID!) { event(id: $id) { id } }', { id: mine.event.id })).event, null);
    assert.equal((await gql(bob.token, 'query($id: ID!) { node(id: $id) { id } }', { id: mine.event.id })).node, null);
    const cancelByBob = await gql(bob.token, 'mutation($id: ID!) { cancelEvent(id: $id) { __typename ... on NotFoundError { message } } }', { id: mine.event.id });
    assert.equal(cancelByBob.cancelEvent.__typename, 'NotFoundError');
    const deleteAbsent = await gql(bob.token, 'mutation($id: ID!) { deleteEvent(id: $id) { __typename } }', { id: 'not-an-id' });
    assert.equal(deleteAbsent.deleteEvent.__typename, 'NotFoundError');
    const bobsEvents = await gql(bob.token, '{ events { edges { node { id } } } }');
    assert.ok(!bobsEvents.events.edges.some((e: any) => e.node.id === mine.event.id));
  });
});

async function cancel(id: string): Promise<any> {
  const data = await gql(ada.token, `mutation($id: ID!) { cancelEvent(id: $id) { ... on CancelEventPayload { event { ${EVENT_FIELDS} } } } }`, { id });
  return data.cancelEvent.event;
}

/**
 * Acts until the subscription hears something, then drops what it heard: it is live from then on. The
 * probes are events titled `probe <attempt>`: once one is heard, one more is made and everything up to
 * its own notice is dropped, so a notice of an earlier probe that was slow to arrive (a loaded machine
 * takes more than 250 ms) cannot be taken for what the test does next.
 */
async function waitUntilLive(subscription: Subscription, act: (attempt: number) => Promise<unknown>) {
  for (let attempt = 0; attempt < 39; attempt++) {
    await act(attempt);
    const heard = await subscription.next(250).then(() => true, () => false);
    if (heard) {
      const last = attempt + 1;
      await act(last);
      for (;;) {
        const message = await subscription.next(10_000);
        if ((message.data as any)?.eventChanged?.event?.title === `probe ${last}`) return;
      }
    }
  }
  throw new Error('subscription never became live');
}
