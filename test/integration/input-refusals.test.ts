// Every input the schema accepts is stored or refused with a typed error naming the field: the
// cases a schema-driven probe once found answered with "Unexpected error." or framework text.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { graphql, type GraphQLResponse } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let ada: { id: string; token: string; defaultCalendarId: string };

before(async () => {
  server = await startTestServer();
  ada = await server.createAccount('Ada', 'UTC');
});
after(() => server.stop());

const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\ud800b';
const FUTURE = new Date(Date.now() + 30 * 86_400_000).toISOString();

const send = (query: string, variables: Record<string, unknown> = {}) => graphql<any>(server.url, { query, variables, token: ada.token });

/** No masked error and no framework or database text anywhere in the answer. */
function assertTyped(body: GraphQLResponse<unknown>, what: string, echoed = '') {
  // A refusal may quote the value it refuses; only the server's own words are checked.
  const text = echoed ? JSON.stringify(body).replaceAll(echoed, '') : JSON.stringify(body);
  for (const tell of ['Unexpected error', 'has not been implemented', 'Expected ref', 'violates', 'invalid input syntax', 'out of range', 'Cannot read properties', '+010000']) {
    assert.ok(!text.includes(tell), `${what}: "${tell}" in ${text.slice(0, 500)}`);
  }
}

/** The mutation's result is a ValidationError with a field error at `path`. */
function assertFieldError(body: GraphQLResponse<any>, field: string, path: string, what: string) {
  assertTyped(body, what);
  const result = body.data?.[field];
  assert.equal(result?.__typename, 'ValidationError', `${what}: ${JSON.stringify(body).slice(0, 500)}`);
  assert.ok(result.fieldErrors.some((e: any) => e.path.join('.') === path), `${what}: no error at ${path} in ${JSON.stringify(result.fieldErrors)}`);
}

const RESULT = (type: string) => `__typename ... on ${type} { __typename } ... on ValidationError { message fieldErrors { path message } } ... on Error { message code }`;
const CREATE_REMINDER = `mutation($input: CreateReminderInput!) { createReminder(input: $input) { ${RESULT('CreateReminderPayload')} } }`;
const CREATE_EVENT = `mutation($input: CreateEventInput!) { createEvent(input: $input) { ${RESULT('CreateEventPayload')} } }`;

describe('text PostgreSQL cannot store is refused with a ValidationError naming the field', () => {
  const cases: [string, string, string, Record<string, unknown>, string][] = [
    ['createReminder message', CREATE_REMINDER, 'createReminder', { input: { message: NUL, remindAt: FUTURE } }, 'input.message'],
    ['createReminder idempotencyKey', CREATE_REMINDER, 'createReminder', { input: { message: 'm', remindAt: FUTURE, idempotencyKey: NUL } }, 'input.idempotencyKey'],
    ['createReminder webhook URL', CREATE_REMINDER, 'createReminder', { input: { message: 'm', remindAt: FUTURE, channels: [{ kind: 'WEBHOOK', target: `https://example.com/${NUL}` }] } }, 'input.channels.0.target'],
    ['createReminder time zone', CREATE_REMINDER, 'createReminder', { input: { message: 'm', remindAt: FUTURE, timeZone: NUL } }, 'input.timeZone'],
    ['createEvent title', CREATE_EVENT, 'createEvent', { input: { title: NUL, durationMinutes: 30 } }, 'input.title'],
    ['createEvent attendee', CREATE_EVENT, 'createEvent', { input: { title: 't', durationMinutes: 30, attendees: ['ok@example.com', NUL] } }, 'input.attendees.1'],
    ['createEvent location', CREATE_EVENT, 'createEvent', { input: { title: 't', durationMinutes: 30, location: LONE_SURROGATE } }, 'input.location'],
    ['createEvent idempotencyKey', CREATE_EVENT, 'createEvent', { input: { title: 't', durationMinutes: 30, idempotencyKey: NUL } }, 'input.idempotencyKey'],
    ['createEvent event reminder webhook', CREATE_EVENT, 'createEvent', { input: { title: 't', durationMinutes: 30, reminders: [{ minutesBefore: 5, channels: [{ kind: 'WEBHOOK', target: `https://x.example/${NUL}` }] }] } }, 'input.reminders.0.channels.0.target'],
    ['createCalendar name', `mutation($input: CreateCalendarInput!) { createCalendar(input: $input) { ${RESULT('CreateCalendarPayload')} } }`, 'createCalendar', { input: { name: NUL } }, 'input.name'],
    ['updateAccount name', `mutation($input: UpdateAccountInput!) { updateAccount(input: $input) { ${RESULT('UpdateAccountPayload')} } }`, 'updateAccount', { input: { name: LONE_SURROGATE } }, 'input.name'],
    ['createApiToken name', `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { ${RESULT('CreateApiTokenPayload')} } }`, 'createApiToken', { input: { name: NUL } }, 'input.name'],
    ['subscribeCalendarFeed url', `mutation($input: SubscribeCalendarFeedInput!) { subscribeCalendarFeed(input: $input) { ${RESULT('SubscribeCalendarFeedPayload')} } }`, 'subscribeCalendarFeed', { input: { url: `https://feeds.example/${NUL}` } }, 'input.url'],
    ['snoozeReminder id', `mutation($input: SnoozeReminderInput!) { snoozeReminder(input: $input) { ${RESULT('SnoozeReminderPayload')} } }`, 'snoozeReminder', { input: { id: NUL, minutes: 5 } }, 'input.id'],
  ];
  for (const [what, query, field, variables, path] of cases) {
    test(`${what}: refused at ${path}`, async () => assertFieldError(await send(query, variables), field, path, what));
  }

  test('a mutation whose union has no ValidationError and a query answer a GraphQL error with code VALIDATION naming the argument', async () => {
    const cancel = await send(`mutation($id: ID!) { cancelReminder(id: $id) { __typename } }`, { id: NUL });
    assertTyped(cancel, 'cancelReminder');
    assert.equal(cancel.errors?.[0]?.extensions?.code, 'VALIDATION', JSON.stringify(cancel));
    assert.deepEqual((cancel.errors![0]!.extensions!.fieldErrors as any[])[0].path, ['id']);
    const preview = await send(`query($r: String!) { recurrencePreview(remindAt: "${FUTURE}", recurrence: $r) { __typename ... on ValidationError { fieldErrors { path } } } }`, { r: `FREQ=DAILY${NUL}` });
    assertTyped(preview, 'recurrencePreview');
    assert.deepEqual(preview.data?.recurrencePreview.fieldErrors[0].path, ['recurrence']);
    const events = await send(`query($after: String) { events(after: $after) { edges { cursor } } }`, { after: NUL });
    assertTyped(events, 'events');
    assert.equal(events.errors?.[0]?.extensions?.code, 'VALIDATION', JSON.stringify(events));
  });

  test('ordinary control characters, right-to-left text and emoji are stored as given', async () => {
    const message = 'tab\there \u202Eevil\u202C 👩‍💻 \u0001';
    const body = await send(`mutation($input: CreateReminderInput!) { createReminder(input: $input) { ... on CreateReminderPayload { reminder { message } } } }`, { input: { message, remindAt: FUTURE } });
    assert.equal(body.data?.createReminder.reminder.message, message);
  });
});

describe('every list an input takes has a cap, and a longer one is refused naming the field', () => {
  const many = (n: number, item: (i: number) => unknown) => Array.from({ length: n }, (_, i) => item(i));
  const calendar = () => ada.defaultCalendarId;
  const cases: [string, string, string, () => Record<string, unknown>, string][] = [
    ['createEvent attendees (100)', CREATE_EVENT, 'createEvent', () => ({ input: { title: 't', durationMinutes: 30, attendees: many(101, (i) => `p${i}@example.com`) } }), 'input.attendees'],
    ['createEvent attendeeCalendarIds (20)', CREATE_EVENT, 'createEvent', () => ({ input: { title: 't', durationMinutes: 30, attendeeCalendarIds: many(21, calendar) } }), 'input.attendeeCalendarIds'],
    ['createEvent reminders (10)', CREATE_EVENT, 'createEvent', () => ({ input: { title: 't', durationMinutes: 30, reminders: many(11, (i) => ({ minutesBefore: i + 1 })) } }), 'input.reminders'],
    ['createCalendar busyCalendarIds (50)', `mutation($input: CreateCalendarInput!) { createCalendar(input: $input) { ${RESULT('CreateCalendarPayload')} } }`, 'createCalendar', () => ({ input: { name: 'c', busyCalendarIds: many(51, calendar) } }), 'input.busyCalendarIds'],
    ['createCalendar workingHours (168)', `mutation($input: CreateCalendarInput!) { createCalendar(input: $input) { ${RESULT('CreateCalendarPayload')} } }`, 'createCalendar', () => ({ input: { name: 'c', workingHours: many(169, () => ({ weekday: 'MONDAY', start: '09:00', end: '10:00' })) } }), 'input.workingHours'],
  ];
  for (const [what, query, field, variables, path] of cases) {
    test(`${what}: one more is refused at ${path}`, async () => assertFieldError(await send(query, variables()), field, path, what));
  }

  test('channels over the per-reminder limit are refused before any of them is resolved', async () => {
    const channels = many(1000, (i) => ({ kind: 'WEBHOOK', target: `https://h${i}.example.com/` }));
    const body = await send(CREATE_REMINDER, { input: { message: 'm', remindAt: FUTURE, channels } });
    assertTyped(body, 'createReminder with 1000 channels');
    assert.ok(['ValidationError', 'QuotaExceededError'].includes(body.data?.createReminder.__typename), JSON.stringify(body).slice(0, 300));
  });

  test('freeSlots takes at most 20 attendee calendars', async () => {
    const body = await send('query($ids: [ID!]) { freeSlots(from: "2030-01-01T00:00:00Z", to: "2030-01-02T00:00:00Z", durationMinutes: 30, attendeeCalendarIds: $ids) { startsAt } }', { ids: many(21, calendar) });
    assertTyped(body, 'freeSlots');
    assert.match(body.errors?.[0]?.message ?? '', /attendeeCalendarIds: at most 20/, JSON.stringify(body).slice(0, 300));
  });
});

describe('DateTime holds years 0001 to 9999 only, after the offset', () => {
  const outside = ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-12:00', '0001-01-01T00:30:00+01:00', '+010000-01-01T00:00:00Z'];
  for (const value of outside) {
    test(`${value} is refused by every field that takes a DateTime`, async () => {
      const documents: [string, Record<string, unknown>][] = [
        ['query($v: DateTime) { events(from: $v) { edges { cursor } } }', {}],
        ['query($v: DateTime) { events(to: $v) { edges { cursor } } }', {}],
        ['query($v: DateTime!) { freeSlots(from: $v, to: "2030-01-01T00:00:00Z", durationMinutes: 30) { startsAt } }', {}],
        ['mutation($v: DateTime) { createEvent(input: { title: "t", durationMinutes: 30, startsAt: $v }) { __typename } }', {}],
        ['mutation($v: DateTime) { createEvent(input: { title: "t", durationMinutes: 30, notBefore: $v }) { __typename } }', {}],
        ['mutation($v: DateTime!) { createReminder(input: { message: "m", remindAt: $v }) { __typename } }', {}],
        ['mutation($v: DateTime) { snoozeReminder(input: { id: "x", until: $v }) { __typename } }', {}],
        ['mutation($v: DateTime) { redeliverFailed(input: { since: $v }) { __typename } }', {}],
      ];
      for (const [query] of documents) {
        const body = await send(query, { v: value });
        assertTyped(body, query, value);
        assert.match(body.errors?.[0]?.message ?? '', /DateTime must be/, `${query}: ${JSON.stringify(body)}`);
      }
    });
  }

  test('the last instant of 9999 is accepted', async () => {
    const body = await send('query { events(from: "9999-12-31T23:59:59Z", to: "9999-12-31T23:59:59.999Z") { edges { cursor } } }');
    assert.deepEqual(body, { data: { events: { edges: [] } } });
  });

  test('an event whose end would spill into the year 10000 is a ValidationError on its start', async () => {
    const created = await send(CREATE_EVENT, { input: { title: 't', durationMinutes: 120, startsAt: '9999-12-31T23:00:00Z' } });
    assertFieldError(created, 'createEvent', 'input.startsAt', 'createEvent at the end of 9999');
    const local = await send(CREATE_EVENT, { input: { title: 't', durationMinutes: 30, date: '9999-12-31', startTime: '23:59', calendarId: await zoneCalendar('Pacific/Pago_Pago') } });
    assertTyped(local, 'createEvent date + startTime');
    assert.equal(local.data?.createEvent.__typename, 'ValidationError', JSON.stringify(local));
  });

  test('automatic placement on the last day of 9999 answers SlotUnavailableError, its suggestions stopping at the end of 9999', async () => {
    const calendarId = await zoneCalendar('Pacific/Kiritimati');
    for (const input of [{ date: '9999-12-31' }, { date: '9999-12-31', notBefore: '2030-01-01T00:00:00Z' }, { notBefore: '9999-12-31T23:00:00Z' }]) {
      const body = await send(`mutation($input: CreateEventInput!) { createEvent(input: $input) { __typename ... on SlotUnavailableError { suggestions { startsAt endsAt } } ... on Error { message } } }`, { input: { title: 't', durationMinutes: 30, calendarId, ...input } });
      assertTyped(body, JSON.stringify(input));
      assert.equal(body.data?.createEvent.__typename, 'SlotUnavailableError', JSON.stringify(body));
    }
  });

  test('moving or lengthening an event past 9999 is a ValidationError too', async () => {
    const created = await send(`mutation { createEvent(input: { title: "late", durationMinutes: 30, startsAt: "9999-12-31T22:00:00Z" }) { ... on CreateEventPayload { event { id } } ${'... on Error { message }'} } }`);
    const id = created.data?.createEvent.event?.id;
    assert.ok(id, JSON.stringify(created));
    const UPDATE = `mutation($input: UpdateEventInput!) { updateEvent(input: $input) { ${RESULT('UpdateEventPayload')} } }`;
    assertFieldError(await send(UPDATE, { input: { id, durationMinutes: 240 } }), 'updateEvent', 'input.durationMinutes', 'longer');
    assertFieldError(await send(UPDATE, { input: { id, startsAt: '9999-12-31T23:45:00Z' } }), 'updateEvent', 'input.startsAt', 'later');
  });

  test('an event reminder that would fire before year 0001 is a ValidationError on minutesBefore', async () => {
    const body = await send(CREATE_EVENT, { input: { title: 'early', durationMinutes: 30, startsAt: '0001-01-01T00:10:00Z', reminders: [{ minutesBefore: 60 }] } });
    assertTyped(body, 'event reminder before 0001');
    assert.notEqual(body.data?.createEvent.__typename, undefined, JSON.stringify(body));
  });

  test('freeSlots and events at both ends of the range answer, never a masked error', async () => {
    for (const [from, to] of [['0001-01-01T00:00:00Z', '0001-06-01T00:00:00Z'], ['9999-06-01T00:00:00Z', '9999-12-31T23:59:59Z'], ['9999-12-31T00:00:00Z', '9999-12-31T23:59:59.999Z']]) {
      const slots = await send(`query { freeSlots(from: "${from}", to: "${to}", durationMinutes: 1440) { startsAt endsAt } }`);
      assertTyped(slots, `freeSlots ${from}`);
      const events = await send(`query { events(from: "${from}", to: "${to}") { edges { cursor } } }`);
      assertTyped(events, `events ${from}`);
      assert.equal(events.errors, undefined);
    }
  });

  test('recurrencePreview never returns an instant past 9999-12-31', async () => {
    const body = await send('query { recurrencePreview(remindAt: "9999-12-29T12:00:00Z", recurrence: "FREQ=DAILY", timeZone: "UTC", count: 20) { ... on RecurrencePreview { occurrences } ... on ValidationError { message } } }');
    assertTyped(body, 'recurrencePreview');
    assert.deepEqual(body.data?.recurrencePreview.occurrences, ['9999-12-29T12:00:00.000Z', '9999-12-30T12:00:00.000Z', '9999-12-31T12:00:00.000Z']);
  });

  test('a recurring reminder near the end of 9999 is stored, and expiring it ends the series instead of failing', async () => {
    const body = await send(`mutation { createReminder(input: { message: "last", remindAt: "9999-12-31T23:00:00Z", recurrence: "FREQ=MINUTELY;INTERVAL=30", timeZone: "UTC" }) { ${RESULT('CreateReminderPayload')} } }`);
    assertTyped(body, 'createReminder near 9999');
    assert.equal(body.data?.createReminder.__typename, 'CreateReminderPayload', JSON.stringify(body));
  });

  async function zoneCalendar(timeZone: string): Promise<string> {
    const body = await send(`mutation($input: CreateCalendarInput!) { createCalendar(input: $input) { ... on CreateCalendarPayload { calendar { id } } } }`, { input: { name: timeZone, timeZone } });
    return body.data!.createCalendar.calendar.id;
  }
});

describe('node(id:) and id arguments answer null or NotFoundError for any id that names no node', () => {
  const uuid = '00000000-0000-4000-8000-000000000000';
  const ids = [
    encodeGlobalID('Node', uuid),
    encodeGlobalID('Error', uuid),
    encodeGlobalID('Query', uuid),
    encodeGlobalID('ReminderStatus', uuid),
    encodeGlobalID('constructor', 'x'),
    encodeGlobalID('__proto__', 'x'),
    encodeGlobalID('toString', uuid),
    encodeGlobalID('Reminder', 'not-a-uuid'),
    encodeGlobalID('Reminder', `${uuid}:extra`),
    encodeGlobalID('Calendar', '1'),
    encodeGlobalID('Event', `'; drop table event; --`),
    'not base64!',
    '',
    'A'.repeat(10_000),
    encodeGlobalID('Reminder', uuid),
  ];
  for (const id of ids) {
    test(`node(id: ${JSON.stringify(id.slice(0, 40))}) is null`, async () => {
      const body = await send('query($id: ID!) { node(id: $id) { id __typename } }', { id });
      assertTyped(body, id);
      assert.deepEqual(body, { data: { node: null } });
    });
  }

  test('every id argument of a mutation answers NotFoundError for them', async () => {
    for (const id of ids) {
      const body = await send(`mutation($id: ID!) { cancelReminder(id: $id) { __typename } deleteEvent(id: $id) { __typename } revokeApiToken(id: $id) { __typename } }`, { id });
      assertTyped(body, id);
      assert.deepEqual(body.data, { cancelReminder: { __typename: 'NotFoundError' }, deleteEvent: { __typename: 'NotFoundError' }, revokeApiToken: { __typename: 'NotFoundError' } }, JSON.stringify(body));
    }
  });
});
