// The console's live pages (a reminder's detail, the calendar, the feeds) read what they show after
// their subscriptions are established, so that a change made while they load is shown without a
// reload. As in live-load.test.ts, the races are made to happen every time: the page's query is
// answered by the server at once (a snapshot from before the change) and its answer is held back
// until the change has been made through another client. Two cases per page:
// - the subscription is held on the page's socket until the snapshot is taken (a slow subscribe, the
//   page loading before the server listens): the console used to read once and never hear the
//   change; now its read waits for the acknowledgement, reads anyway after a while (LIVE_WAIT_MS),
//   and reads again once the subscription is acknowledged. These fail on the console before lib/live.ts.
// - the subscription listens and hears the change while the query is in flight: the page reads again
//   after the (older) answer. The console before lib/live.ts passed these too (urql tore the held
//   query down and sent it again); they keep the one-read-at-a-time LiveReader honest.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page, Route } from 'playwright-core';
import { Subscription, graphqlData, within, wsClient } from '../helpers/clients.ts';
import { createReminder, expire, nextAbout, type Account } from '../helpers/reminders.ts';
import { ics, startIcsServer, type IcsEvent, type IcsServer } from '../helpers/ics-server.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { baseUrl, launchBrowser, openPage, signIn, skipReason } from './helpers.ts';

type Held = { snapshot: Promise<string>; release: () => void };

/** Holds the answer to the page's first query named `name`: read from the server now, handed over on release(). */
async function holdFirst(page: Page, name: string): Promise<Held> {
  let taken!: (body: string) => void;
  const snapshot = new Promise<string>((resolve) => (taken = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  const named = new RegExp(`\\bquery ${name}\\b`);
  await page.route('**/graphql', async (route: Route) => {
    const body = route.request().postDataJSON() as { query?: string } | null;
    if (held || !named.test(body?.query ?? '')) return route.fallback();
    held = true;
    const response = await route.fetch();
    taken(JSON.stringify(await response.json()));
    await released;
    await route.fulfill({ response });
  });
  return { snapshot, release };
}

/** Resolves once the page's WebSocket has received a data message that contains every one of `parts`. */
function pageHears(page: Page): (parts: string[]) => Promise<void> {
  const frames: string[] = [];
  const waiting = new Set<() => void>();
  page.on('websocket', (socket) => socket.on('framereceived', (frame) => {
    frames.push(String(frame.payload));
    for (const check of waiting) check();
  }));
  return (parts) => new Promise<void>((resolve) => {
    const check = () => {
      if (!frames.some((f) => parts.every((p) => f.includes(p)))) return;
      waiting.delete(check);
      resolve();
    };
    waiting.add(check);
    check();
  });
}

/**
 * Routes the page's WebSocket through the test: while holding, the page's graphql-ws `subscribe`
 * messages whose query matches `pattern` are kept back (the server does not listen for them) until release().
 */
async function subscribeHolder(page: Page, pattern: RegExp) {
  let holding = true;
  const kept: (() => void)[] = [];
  let first!: () => void;
  const held = new Promise<void>((resolve) => (first = resolve));
  await page.routeWebSocket(/\/graphql$/, (socket) => {
    const server = socket.connectToServer();
    socket.onMessage((message) => {
      const text = String(message);
      if (holding && text.includes('"type":"subscribe"') && pattern.test(text)) {
        kept.push(() => server.send(message));
        first();
        return;
      }
      server.send(message);
    });
  });
  return {
    /** Resolves once a matching subscribe has been kept back. */
    held,
    release() {
      holding = false;
      for (const send of kept.splice(0)) send();
    },
  };
}

describe('the web console: live pages show what changed while they loaded', { skip: skipReason }, () => {
  let server: TestServer;
  let icsServer: IcsServer;
  let browser: Browser;
  let account: Account;
  const gql = (query: string, variables: Record<string, unknown> = {}) => graphqlData(server.url, { token: account.token, query, variables });

  before(async () => {
    [server, icsServer, browser] = await Promise.all([startTestServer(), startIcsServer(), launchBrowser()]);
    account = await server.createAccount('Racing pages', 'Europe/Paris');
  });
  after(async () => {
    await browser?.close();
    await icsServer?.close();
    await server?.stop();
  });

  test("a reminder's detail shows an occurrence that fired while it loaded, and its new status", async () => {
    const reminder = await createReminder(server.url, account, { message: 'Fires while its page loads', remindAt: '2031-03-04T09:00:00.000Z' });
    const page = await openPage(browser, baseUrl(server.url));
    const hears = pageHears(page);
    await signIn(page, account.token);
    const held = await holdFirst(page, 'Reminder');
    await page.evaluate((id) => (location.hash = `#/reminders/${id}`), reminder.id);

    const snapshot = await within(held.snapshot, 10_000, 'the reminder query');
    assert.match(snapshot, /"status":"SCHEDULED"/, 'the held answer was read before the firing');
    assert.match(snapshot, /"occurrences":\[\]/);
    await expire(server.url, account, reminder.id);
    await within(hears(['reminderExpired', reminder.id]), 10_000, 'the expiry on the page\'s socket');
    held.release();

    await page.locator('[data-testid="reminder-status"] [data-status="SENT"]').waitFor({ timeout: 5000 });
    await page.locator('li[data-occurrence]').first().waitFor({ timeout: 5000 });
    assert.equal(await page.locator('li[data-occurrence]').count(), 1);
    await page.context().close();
  });

  test('the calendar shows an event created while its week loaded', async () => {
    const page = await openPage(browser, baseUrl(server.url));
    // The week shown is the one of a fixed day, not of today; timers keep running.
    await page.clock.setFixedTime(new Date('2031-03-05T10:00:00.000Z'));
    const hears = pageHears(page);
    await signIn(page, account.token);
    const held = await holdFirst(page, 'Events');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calendar' }).click();

    const snapshot = await within(held.snapshot, 10_000, 'the events query');
    assert.doesNotMatch(snapshot, /Planned while the week loads/);
    const created = await gql(`mutation($input: CreateEventInput!) { createEvent(input: $input) { __typename ... on CreateEventPayload { event { id } } } }`, {
      input: { title: 'Planned while the week loads', startsAt: '2031-03-05T13:00:00.000Z', durationMinutes: 60 },
    });
    assert.equal(created.createEvent.__typename, 'CreateEventPayload');
    await within(hears(['eventChanged', 'Planned while the week loads']), 10_000, 'the change on the page\'s socket');
    held.release();

    await page.getByText('Planned while the week loads').first().waitFor({ timeout: 5000 });
    await page.context().close();
  });

  test("the feeds page shows a sync that ended while it loaded, with the feed's new event count", async () => {
    // A ten-year horizon widens the account's sync window to the feed's 2031 events.
    await gql(`mutation($input: CreateCalendarInput!) { createCalendar(input: $input) { __typename } }`, { input: { name: 'Long view', horizonDays: 3650 } });
    const events = (n: number): IcsEvent[] => Array.from({ length: n }, (_, i) => ({
      uid: `race-${i}@example.com`, title: `Race ${i + 1}`,
      start: new Date(Date.UTC(2031, 2, 10 + i, 9)), end: new Date(Date.UTC(2031, 2, 10 + i, 10)),
    }));
    icsServer.set('/race.ics', { body: ics(events(2), 'Racing feed') });
    const subscribed = await gql(`mutation($input: SubscribeCalendarFeedInput!) { subscribeCalendarFeed(input: $input) {
      __typename ... on SubscribeCalendarFeedPayload { calendar { id feed { eventCount } } } } }`, { input: { url: icsServer.url('/race.ics'), name: 'Racing feed' } });
    assert.equal(subscribed.subscribeCalendarFeed.calendar.feed.eventCount, 2);
    const calendarId: string = subscribed.subscribeCalendarFeed.calendar.id;

    const page = await openPage(browser, baseUrl(server.url));
    const hears = pageHears(page);
    await signIn(page, account.token);
    const held = await holdFirst(page, 'Feeds');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Feeds' }).click();

    const snapshot = await within(held.snapshot, 10_000, 'the feeds query');
    assert.match(snapshot, /"eventCount":2/);
    icsServer.set('/race.ics', { body: ics(events(5), 'Racing feed') });
    const refreshed = await gql(`mutation($id: ID!) { refreshCalendarFeed(calendarId: $id) { __typename ... on RefreshCalendarFeedPayload { created } } }`, { id: calendarId });
    assert.equal(refreshed.refreshCalendarFeed.created, 3);
    await within(hears(['calendarFeedSynced', '"eventCount":5']), 10_000, 'the sync on the page\'s socket');
    held.release();

    const card = page.locator('article[data-feed-id]', { has: page.getByRole('heading', { name: 'Racing feed', exact: true }) });
    await card.getByTestId('event-count').filter({ hasText: /^5$/ }).waitFor({ timeout: 5000 });
    await page.context().close();
  });
});

describe('the web console: live pages show what changed before their subscriptions listened', { skip: skipReason }, () => {
  let server: TestServer;
  let icsServer: IcsServer;
  let browser: Browser;
  let account: Account;
  const gql = (query: string, variables: Record<string, unknown> = {}) => graphqlData(server.url, { token: account.token, query, variables });

  before(async () => {
    [server, icsServer, browser] = await Promise.all([startTestServer(), startIcsServer(), launchBrowser()]);
    account = await server.createAccount('Slow subscriber', 'Europe/Paris');
  });
  after(async () => {
    await browser?.close();
    await icsServer?.close();
    await server?.stop();
  });

  test("a reminder's detail, opened directly, shows an occurrence that fired before the reminder subscriptions listened", async () => {
    const reminder = await createReminder(server.url, account, { message: 'Fires before the page listens', remindAt: '2031-03-04T09:00:00.000Z' });
    const page = await openPage(browser, baseUrl(server.url));
    await signIn(page, account.token);
    // The console loaded at the reminder's own address: its reminder subscriptions and the detail start together.
    await page.goto('about:blank');
    const subscribes = await subscribeHolder(page, /subscription Reminder(Created|Updated|Expired)\b/);
    const held = await holdFirst(page, 'Reminder');
    await page.goto(`/#/reminders/${reminder.id}`);
    await within(subscribes.held, 10_000, 'the reminder subscriptions');

    const snapshot = await within(held.snapshot, 10_000, 'the reminder query');
    assert.match(snapshot, /"status":"SCHEDULED"/, 'the held answer was read before the firing');
    // The subscriptions are let through only once the expiry has fired (heard by another client).
    const { client } = wsClient(server.url, account.token);
    const other = new Subscription(client, { query: 'subscription { reminderExpired { cursor reminder { id } } }', extensions: { subscribedAck: true } } as { query: string });
    await other.next(5000);
    await expire(server.url, account, reminder.id);
    await nextAbout(other, 'reminderExpired', reminder.id);
    other.close();
    await client.dispose();
    subscribes.release();
    held.release();

    await page.locator('[data-testid="reminder-status"] [data-status="SENT"]').waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('li[data-occurrence]').count(), 1);
    await page.context().close();
  });

  test('the calendar shows an event created before its eventChanged subscription listened', async () => {
    const page = await openPage(browser, baseUrl(server.url));
    await page.clock.setFixedTime(new Date('2031-03-05T10:00:00.000Z'));
    await signIn(page, account.token);
    const subscribes = await subscribeHolder(page, /subscription EventChanged\b/);
    // The socket is open already: the route takes the next one, so the console reconnects through it.
    await page.reload();
    await page.locator('[data-live-state="live"]').waitFor();
    const held = await holdFirst(page, 'Events');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calendar' }).click();
    await within(subscribes.held, 10_000, 'the eventChanged subscription');

    const snapshot = await within(held.snapshot, 10_000, 'the events query');
    assert.doesNotMatch(snapshot, /Planned before it listened/);
    await gql(`mutation($input: CreateEventInput!) { createEvent(input: $input) { __typename } }`, {
      input: { title: 'Planned before it listened', startsAt: '2031-03-06T13:00:00.000Z', durationMinutes: 60 },
    });
    subscribes.release();
    held.release();

    await page.getByText('Planned before it listened').first().waitFor({ timeout: 10_000 });
    await page.context().close();
  });

  test('the feeds page shows a sync that ended before its calendarFeedSynced subscription listened', async () => {
    await gql(`mutation($input: CreateCalendarInput!) { createCalendar(input: $input) { __typename } }`, { input: { name: 'Long view', horizonDays: 3650 } });
    const events = (n: number): IcsEvent[] => Array.from({ length: n }, (_, i) => ({
      uid: `slow-${i}@example.com`, title: `Slow ${i + 1}`,
      start: new Date(Date.UTC(2031, 3, 10 + i, 9)), end: new Date(Date.UTC(2031, 3, 10 + i, 10)),
    }));
    icsServer.set('/slow.ics', { body: ics(events(1), 'Slow feed') });
    const subscribed = await gql(`mutation($input: SubscribeCalendarFeedInput!) { subscribeCalendarFeed(input: $input) {
      __typename ... on SubscribeCalendarFeedPayload { calendar { id } } } }`, { input: { url: icsServer.url('/slow.ics'), name: 'Slow feed' } });
    const calendarId: string = subscribed.subscribeCalendarFeed.calendar.id;

    const page = await openPage(browser, baseUrl(server.url));
    const subscribes = await subscribeHolder(page, /subscription CalendarFeedSynced\b/);
    await signIn(page, account.token);
    const held = await holdFirst(page, 'Feeds');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Feeds' }).click();
    await within(subscribes.held, 10_000, 'the calendarFeedSynced subscription');

    const snapshot = await within(held.snapshot, 10_000, 'the feeds query');
    assert.match(snapshot, /"eventCount":1\b/);
    icsServer.set('/slow.ics', { body: ics(events(4), 'Slow feed') });
    await gql(`mutation($id: ID!) { refreshCalendarFeed(calendarId: $id) { __typename } }`, { id: calendarId });
    subscribes.release();
    held.release();

    const card = page.locator('article[data-feed-id]', { has: page.getByRole('heading', { name: 'Slow feed', exact: true }) });
    await card.getByTestId('event-count').filter({ hasText: /^4$/ }).waitFor({ timeout: 10_000 });
    await page.context().close();
  });
});
