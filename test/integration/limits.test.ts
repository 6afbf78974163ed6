import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphqlData } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { ics, startIcsServer, type IcsServer } from '../helpers/ics-server.ts';
import { CREATE, createReminder, inMs, nextAbout, subscribe, waitUntilLive, type Account } from '../helpers/reminders.ts';

const ACTIVE = 5;
const CHANNELS = 2;
const FEEDS = 1;
const TOKENS = 3;
const BYTES = 1000;

let server: TestServer;
let feeds: IcsServer;

before(async () => {
  [server, feeds] = await Promise.all([
    startTestServer({
      env: {
        LIMIT_ACTIVE_REMINDERS: String(ACTIVE), LIMIT_CHANNELS_PER_REMINDER: String(CHANNELS), MIN_RECURRENCE_SECONDS: '60',
        LIMIT_CALENDAR_FEEDS: String(FEEDS), LIMIT_API_TOKENS: String(TOKENS), LIMIT_ATTACHMENT_BYTES: String(BYTES),
        RATE_LIMIT_PER_SECOND: '7', RATE_LIMIT_BURST: '900',
      },
    }),
    startIcsServer(),
  ]);
});
after(async () => {
  await Promise.all([server.stop(), feeds.close()]);
});

const QUOTA = '... on QuotaExceededError { code message limit value }';
const CREATE_Q = CREATE.replace('... on NotFoundError { message }', `... on NotFoundError { message } ${QUOTA}`);
const USAGE = 'query { me { usage { activeReminders calendarFeeds apiTokens attachmentBytes subscriptions historyRows } } }';

const gql = (account: Account, query: string, variables: Record<string, unknown> = {}) => graphqlData<any>(server.url, { token: account.token, query, variables });
const usage = async (account: Account) => (await gql(account, USAGE)).me.usage;
const sql = async (text: string, params: unknown[] = []) => server.app.orm!.em.fork().getConnection().execute(text, params);

function assertQuota(result: any, limit: string, value: number) {
  assert.equal(result.__typename, 'QuotaExceededError', JSON.stringify(result));
  assert.deepEqual([result.code, result.limit, result.value], ['QUOTA_EXCEEDED', limit, value]);
  assert.ok(result.message.length > 0);
}

/** The database id behind a global id ("Account:<uuid>", base64). */
const dbId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

/** Fire jobs and reminders of the account, straight from the database. */
async function stored(globalId: string) {
  const accountId = dbId(globalId);
  const [row] = await sql(`select (select count(*)::int from reminder where account_id = ?) as reminders,
    (select count(*)::int from pgboss.job j join reminder r on r.id = (j.data->>'reminderId')::uuid where j.name = 'reminder.fire' and r.account_id = ?) as jobs`, [accountId, accountId]);
  return row as { reminders: number; jobs: number };
}

async function fillTo(account: Account, n: number, message = 'filler'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await createReminder(server.url, account, { message: `${message} ${i}`, remindAt: inMs(3_600_000 + i * 1000) })).id);
  return ids;
}

describe('me { limits usage }', () => {
  test('limits are the server settings; a new account uses one token and nothing else', async () => {
    const ada = await server.createAccount('Limits');
    const { me } = await gql(ada, `query { me {
      limits { activeReminders channelsPerReminder minRecurrenceSeconds calendarFeeds apiTokens attachmentBytes subscriptions requestsPerSecond requestBurst } } }`);
    assert.deepEqual(me.limits, {
      activeReminders: ACTIVE, channelsPerReminder: CHANNELS, minRecurrenceSeconds: 60, calendarFeeds: FEEDS, apiTokens: TOKENS,
      attachmentBytes: BYTES, subscriptions: 1000, requestsPerSecond: 7, requestBurst: 900,
    });
    assert.deepEqual(await usage(ada), { activeReminders: 0, calendarFeeds: 0, apiTokens: 1, attachmentBytes: 0, subscriptions: 0, historyRows: 0 });
  });
});

describe('history rows', () => {
  test('an occurrence, its delivery and the delivery\'s attempt are three history rows, counted without scanning', async () => {
    const hook = createServer((_req, res) => res.end());
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const ada = await server.createAccount('History');
      const target = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`;
      const reminder = await createReminder(server.url, ada, { message: 'history', remindAt: inMs(3_600_000), channels: [{ kind: 'WEBHOOK', target }] });
      await gql(ada, 'mutation($id: ID!) { expireReminder(id: $id) { __typename } }', { id: reminder.id });
      const deadline = Date.now() + 10_000;
      while ((await usage(ada)).historyRows < 3) {
        assert.ok(Date.now() < deadline, `history rows: ${(await usage(ada)).historyRows}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const [rows] = await sql(`select (select count(*) from reminder_occurrence o where o.account_id = ?)
          + (select count(*) from reminder_delivery d join reminder_occurrence o on o.id = d.occurrence_id where o.account_id = ?)
          + (select count(*) from delivery_attempt a join reminder_delivery d on d.id = a.delivery_id join reminder_occurrence o on o.id = d.occurrence_id where o.account_id = ?) as n`,
      [dbId(ada.id), dbId(ada.id), dbId(ada.id)]);
      assert.equal(Number((rows as { n: string }).n), 3);
      assert.equal((await usage(ada)).historyRows, 3);
      assert.equal((await usage(ada)).activeReminders, 0, 'delivered: the one-shot reminder has ended');
    } finally {
      await new Promise((resolve) => hook.close(resolve));
    }
  });
});

describe('active reminders', () => {
  test('over the limit createReminder is refused and writes no row, no job and no notice; cancelling frees a slot', async () => {
    const ada = await server.createAccount('Full');
    const listener = subscribe(server.url, ada, 'subscription { reminderCreated { id message } }');
    try {
      await waitUntilLive(server.url, ada, [listener.subscription], 'created'); // its probes are reminders too
      const ids = await fillTo(ada, ACTIVE - (await usage(ada)).activeReminders);
      assert.equal((await usage(ada)).activeReminders, ACTIVE);
      const before = await stored(ada.id);
      const refused = (await gql(ada, CREATE_Q, { input: { message: 'one too many', remindAt: inMs(7_200_000) } })).createReminder;
      assertQuota(refused, 'activeReminders', ACTIVE);
      assert.deepEqual(await stored(ada.id), before, 'no reminder row, no fire job');
      const cancelled = await gql(ada, 'mutation($id: ID!) { cancelReminder(id: $id) { __typename } }', { id: ids[0] });
      assert.equal(cancelled.cancelReminder.__typename, 'CancelReminderPayload');
      assert.equal((await usage(ada)).activeReminders, ACTIVE - 1);
      const next = await createReminder(server.url, ada, { message: 'fits again', remindAt: inMs(7_200_000) });
      // Notices come in commit order: the first one after the refusal is the next reminder's.
      const heard = await nextAbout(listener.subscription, 'reminderCreated', next.id);
      assert.equal(heard.message, 'fits again');
      assert.equal((await usage(ada)).activeReminders, ACTIVE);
    } finally {
      await listener.close();
    }
  });

  test('20 concurrent createReminder one below the limit: exactly one succeeds, the account ends exactly at its limit', async () => {
    const ada = await server.createAccount('Race');
    await fillTo(ada, ACTIVE - 1);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      gql(ada, CREATE_Q, { input: { message: `race ${i}`, remindAt: inMs(3_600_000) } }).then((d) => d.createReminder)));
    const kinds = results.map((r) => r.__typename);
    assert.equal(kinds.filter((k) => k === 'CreateReminderPayload').length, 1, kinds.join());
    for (const r of results.filter((r) => r.__typename !== 'CreateReminderPayload')) assertQuota(r, 'activeReminders', ACTIVE);
    assert.deepEqual(await stored(ada.id), { reminders: ACTIVE, jobs: ACTIVE });
    assert.equal((await usage(ada)).activeReminders, ACTIVE);
  });

  test('firing a one-shot reminder frees its slot; rescheduling or snoozing it again is refused when full', async () => {
    const ada = await server.createAccount('Fired');
    const [first] = await fillTo(ada, ACTIVE);
    const expired = await gql(ada, 'mutation($id: ID!) { expireReminder(id: $id) { __typename } }', { id: first });
    assert.equal(expired.expireReminder.__typename, 'ExpireReminderPayload');
    const deadline = Date.now() + 10_000;
    while ((await gql(ada, 'query($id: ID!) { reminder(id: $id) { status } }', { id: first })).reminder.status !== 'SENT') {
      assert.ok(Date.now() < deadline, 'the expired reminder never became SENT');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal((await usage(ada)).activeReminders, ACTIVE - 1);
    await createReminder(server.url, ada, { message: 'in the freed slot', remindAt: inMs(3_600_000) });
    const update = await gql(ada, `mutation($input: UpdateReminderInput!) { updateReminder(input: $input) { __typename ${QUOTA} } }`,
      { input: { id: first, remindAt: inMs(5_000_000) } });
    assertQuota(update.updateReminder, 'activeReminders', ACTIVE);
    const snooze = await gql(ada, `mutation($input: SnoozeReminderInput!) { snoozeReminder(input: $input) { __typename ${QUOTA} } }`,
      { input: { id: first, minutes: 10 } });
    assertQuota(snooze.snoozeReminder, 'activeReminders', ACTIVE);
    const after = await gql(ada, 'query($id: ID!) { reminder(id: $id) { status } }', { id: first });
    assert.equal(after.reminder.status, 'SENT', 'the refused updates changed nothing');
    const history = await usage(ada);
    const [counted] = await sql(`select (select count(*) from reminder_occurrence where account_id = ?)::int as n`, [dbId(ada.id)]);
    assert.equal(history.historyRows, (counted as { n: number }).n);
    assert.equal(history.activeReminders, ACTIVE);
  });

  test('event reminders count: createEvent over the limit is refused and leaves no event', async () => {
    const ada = await server.createAccount('Events');
    await fillTo(ada, ACTIVE - 1);
    const create = `mutation($input: CreateEventInput!) { createEvent(input: $input) { __typename ${QUOTA} } }`;
    const startsAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const result = await gql(ada, create, { input: { title: 'Two reminders', durationMinutes: 30, startsAt, reminders: [{ minutesBefore: 10 }, { minutesBefore: 60 }] } });
    assertQuota(result.createEvent, 'activeReminders', ACTIVE);
    const [events] = await sql(`select count(*)::int as n from event where account_id = ?`, [dbId(ada.id)]);
    assert.equal((events as { n: number }).n, 0);
    const one = await gql(ada, create, { input: { title: 'One reminder', durationMinutes: 30, startsAt, reminders: [{ minutesBefore: 10 }] } });
    assert.equal(one.createEvent.__typename, 'CreateEventPayload');
    assert.equal((await usage(ada)).activeReminders, ACTIVE);
  });
});

describe('channels per reminder', () => {
  const channels = (n: number) => Array.from({ length: n }, (_, i) => ({ kind: 'WEBHOOK', target: `http://127.0.0.1:9/hook${i}` }));

  test('more channels than the limit is refused for a reminder and for an event\'s reminders, before any is checked', async () => {
    const ada = await server.createAccount('Channels');
    const reminder = (await gql(ada, CREATE_Q, { input: { message: 'loud', remindAt: inMs(3_600_000), channels: channels(CHANNELS + 1) } })).createReminder;
    assertQuota(reminder, 'channelsPerReminder', CHANNELS);
    const event = await gql(ada, `mutation($input: CreateEventInput!) { createEvent(input: $input) { __typename ${QUOTA} } }`, {
      input: { title: 'loud event', durationMinutes: 30, startsAt: new Date(Date.now() + 86_400_000).toISOString(), reminders: [{ minutesBefore: 5, channels: channels(1000) }] },
    });
    assertQuota(event.createEvent, 'channelsPerReminder', CHANNELS);
    assert.deepEqual(await stored(ada.id), { reminders: 0, jobs: 0 });
    const ok = (await gql(ada, CREATE_Q, { input: { message: 'two', remindAt: inMs(3_600_000), channels: channels(CHANNELS) } })).createReminder;
    assert.equal(ok.__typename, 'CreateReminderPayload');
  });
});

describe('MIN_RECURRENCE_SECONDS', () => {
  const cases: [string, boolean][] = [
    ['FREQ=SECONDLY', false],
    ['FREQ=SECONDLY;COUNT=2', false],
    ['FREQ=MINUTELY;BYSECOND=0,30', false],
    ['FREQ=SECONDLY;INTERVAL=59', false],
    ['FREQ=HOURLY;BYMINUTE=0,1;BYSECOND=0,59', false],
    ['FREQ=HOURLY;BYMINUTE=0,1', true],
    ['FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0,10', false],
    ['FREQ=MINUTELY', true],
    ['FREQ=SECONDLY;INTERVAL=60', true],
    ['FREQ=SECONDLY;BYSECOND=0', true],
    ['FREQ=HOURLY;BYMINUTE=0,30', true],
  ];
  for (const [rule, accepted] of cases) {
    test(`${rule} is ${accepted ? 'accepted' : 'a ValidationError on input.recurrence'} by createReminder and recurrencePreview`, async () => {
      const ada = await server.createAccount('Rules');
      const remindAt = inMs(3_600_000);
      const result = (await gql(ada, CREATE_Q, { input: { message: rule, remindAt, recurrence: rule } })).createReminder;
      const preview = (await gql(ada, `query($r: String!, $t: DateTime!) { recurrencePreview(recurrence: $r, remindAt: $t) { __typename
        ... on ValidationError { fieldErrors { path message } } } }`, { r: rule, t: remindAt })).recurrencePreview;
      if (accepted) {
        assert.equal(result.__typename, 'CreateReminderPayload', JSON.stringify(result));
        assert.equal(preview.__typename, 'RecurrencePreview');
      } else {
        assert.equal(result.__typename, 'ValidationError', JSON.stringify(result));
        assert.deepEqual(result.fieldErrors.map((e: any) => e.path.join('.')), ['input.recurrence']);
        assert.match(result.fieldErrors[0].message, /MIN_RECURRENCE_SECONDS/);
        assert.deepEqual(preview.fieldErrors.map((e: any) => e.path.join('.')), ['recurrence']);
        assert.deepEqual(await stored(ada.id), { reminders: 0, jobs: 0 });
      }
    });
  }

  test('updateReminder refuses a too frequent rule too', async () => {
    const ada = await server.createAccount('Update rule');
    const reminder = await createReminder(server.url, ada, { message: 'daily', remindAt: inMs(3_600_000), recurrence: 'FREQ=DAILY' });
    const result = await gql(ada, `mutation($input: UpdateReminderInput!) { updateReminder(input: $input) { __typename
      ... on ValidationError { fieldErrors { path } } } }`, { input: { id: reminder.id, recurrence: 'FREQ=SECONDLY;INTERVAL=30' } });
    assert.deepEqual(result.updateReminder.fieldErrors.map((e: any) => e.path.join('.')), ['input.recurrence']);
  });
});

describe('API tokens', () => {
  test('createApiToken over the limit is refused; revoking one frees its slot', async () => {
    const ada = await server.createAccount('Tokens');
    const create = `mutation { createApiToken(input: { name: "more" }) { __typename ... on CreateApiTokenPayload { apiToken { id } } ${QUOTA} } }`;
    const created = [];
    for (let i = 1; i < TOKENS; i++) created.push((await gql(ada, create)).createApiToken);
    assert.deepEqual(created.map((c) => c.__typename), Array(TOKENS - 1).fill('CreateApiTokenPayload'));
    assertQuota((await gql(ada, create)).createApiToken, 'apiTokens', TOKENS);
    const listed = await gql(ada, 'query { me { apiTokens { id } } }');
    assert.equal(listed.me.apiTokens.length, TOKENS, 'no token row was written');
    assert.equal((await usage(ada)).apiTokens, TOKENS);
    const revoked = await gql(ada, 'mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }', { id: created[0].apiToken.id });
    assert.equal(revoked.revokeApiToken.__typename, 'RevokeApiTokenPayload');
    assert.equal((await usage(ada)).apiTokens, TOKENS - 1);
    assert.equal((await gql(ada, create)).createApiToken.__typename, 'CreateApiTokenPayload');
  });
});

describe('calendar feeds', () => {
  test('subscribing over the limit is refused before the feed is fetched; unsubscribing frees the slot', async () => {
    const ada = await server.createAccount('Feeds');
    const start = new Date(Date.now() + 86_400_000);
    for (const path of ['/a.ics', '/b.ics']) feeds.set(path, { body: ics([{ uid: `${path}@x`, start, end: new Date(start.getTime() + 3_600_000), title: 'Busy' }]) });
    const subscribe = `mutation($input: SubscribeCalendarFeedInput!) { subscribeCalendarFeed(input: $input) { __typename
      ... on SubscribeCalendarFeedPayload { calendar { id } } ... on ValidationError { message } ${QUOTA} } }`;
    const first = (await gql(ada, subscribe, { input: { url: feeds.url('/a.ics') } })).subscribeCalendarFeed;
    assert.equal(first.__typename, 'SubscribeCalendarFeedPayload', JSON.stringify(first));
    const calendarsBefore = (await gql(ada, 'query { me { calendars { id } } }')).me.calendars.length;
    assertQuota((await gql(ada, subscribe, { input: { url: feeds.url('/b.ics') } })).subscribeCalendarFeed, 'calendarFeeds', FEEDS);
    assert.equal(feeds.requests('/b.ics').length, 0, 'the refused feed was not fetched');
    assert.equal((await gql(ada, 'query { me { calendars { id } } }')).me.calendars.length, calendarsBefore);
    assert.equal((await usage(ada)).calendarFeeds, FEEDS);
    const gone = await gql(ada, 'mutation($id: ID!) { unsubscribeCalendarFeed(calendarId: $id) { __typename } }', { id: first.calendar.id });
    assert.equal(gone.unsubscribeCalendarFeed.__typename, 'UnsubscribeCalendarFeedPayload');
    assert.equal((await usage(ada)).calendarFeeds, 0);
    assert.equal((await gql(ada, subscribe, { input: { url: feeds.url('/b.ics') } })).subscribeCalendarFeed.__typename, 'SubscribeCalendarFeedPayload');
  });
});

describe('attachment bytes', () => {
  const ADD = `mutation($eventId: ID!, $file: File!) { addEventAttachment(eventId: $eventId, file: $file) { __typename
    ... on AddEventAttachmentPayload { attachment { id } } ${QUOTA} } }`;
  async function upload(account: Account, eventId: string, size: number): Promise<any> {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: ADD, variables: { eventId, file: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', new Blob(['x'.repeat(size)], { type: 'text/plain' }), 'f.txt');
    const response = await fetch(server.url, { method: 'POST', body: form, headers: { authorization: `Bearer ${account.token}` } });
    const body = (await response.json()) as any;
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data.addEventAttachment;
  }

  test('an upload that would take the total over the limit is refused and not stored; removing one frees its bytes', async () => {
    const ada = await server.createAccount('Files');
    const event = await gql(ada, 'mutation($input: CreateEventInput!) { createEvent(input: $input) { ... on CreateEventPayload { event { id } } } }',
      { input: { title: 'With files', durationMinutes: 30, startsAt: new Date(Date.now() + 86_400_000).toISOString() } });
    const eventId = event.createEvent.event.id;
    const first = await upload(ada, eventId, 600);
    assert.equal(first.__typename, 'AddEventAttachmentPayload');
    assertQuota(await upload(ada, eventId, 401), 'attachmentBytes', BYTES);
    const [rows] = await sql('select count(*)::int as n, coalesce(sum(size), 0)::int as bytes from event_attachment where account_id = ?', [dbId(ada.id)]);
    assert.deepEqual(rows, { n: 1, bytes: 600 });
    assert.equal((await usage(ada)).attachmentBytes, 600);
    assert.equal((await upload(ada, eventId, 400)).__typename, 'AddEventAttachmentPayload', 'exactly at the limit fits');
    const removed = await gql(ada, 'mutation($id: ID!) { removeEventAttachment(id: $id) { __typename } }', { id: first.attachment.id });
    assert.equal(removed.removeEventAttachment.__typename, 'RemoveEventAttachmentPayload');
    assert.equal((await usage(ada)).attachmentBytes, 400);
    assert.equal((await upload(ada, eventId, 600)).__typename, 'AddEventAttachmentPayload');
  });
});
