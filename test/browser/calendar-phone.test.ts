import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { graphqlData } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startIcsServer, type IcsServer } from '../helpers/ics-server.ts';
import { assertAccessible, baseUrl, launchBrowser, openPage, screenshot, signIn, skipReason } from './helpers.ts';

/** A common Android phone's viewport in CSS pixels (issue 19 was reported at this size). */
const PHONE = { width: 360, height: 740 };
// A fixed week that spans two months (Mon 29 Nov – Sun 5 Dec 2027), never "today": the console is
// sent there with its "Go to date" field.
const WEDNESDAY = '2027-12-01';
const EVENT = `mutation($input: CreateEventInput!) { createEvent(input: $input) { __typename ... on CreateEventPayload { event { id } } ... on Error { message } } }`;
const HOLIDAYS = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Holiday site//EN', 'X-WR-CALNAME:Public holidays',
  'BEGIN:VEVENT', 'UID:holiday-2027-11-30@x', 'DTSTAMP:20270101T000000Z', 'DTSTART;VALUE=DATE:20271130', 'DTEND;VALUE=DATE:20271201', 'SUMMARY:Feast day', 'END:VEVENT',
  'END:VCALENDAR', '',
].join('\r\n');

/** A day heading in the browser's locale ("Wednesday, December 1, 2027" or "Wednesday 1 December 2027"). */
function assertNamesDay(text: string, weekday: string, day: number): void {
  for (const part of [weekday, 'December', '2027', String(day)]) assert.match(text, new RegExp(`\\b${part}\\b`), `${part} in "${text}"`);
}

describe('the calendar view: all-day row, day view on a phone, week heading', { skip: skipReason }, () => {
  let server: TestServer;
  let feeds: IcsServer;
  let browser: Browser;
  let token: string;
  const gql = (query: string, variables: Record<string, unknown>) => graphqlData<any>(server.url, { token, query, variables });
  const created = async (input: Record<string, unknown>) => {
    const data = await gql(EVENT, { input });
    assert.equal(data.createEvent.__typename, 'CreateEventPayload', JSON.stringify(data));
  };

  /** Signs in and opens the Studio calendar at the fixed week (or day, on a phone). */
  async function openStudio(viewport?: { width: number; height: number }): Promise<Page> {
    const page = await openPage(browser, baseUrl(server.url), viewport);
    await signIn(page, token);
    await page.goto('/#/calendar');
    await page.getByLabel('Calendar', { exact: true }).selectOption({ label: 'Studio' });
    await page.getByLabel('Go to date').fill(WEDNESDAY);
    return page;
  }

  before(async () => {
    [server, feeds, browser] = await Promise.all([startTestServer(), startIcsServer(), launchBrowser()]);
    ({ token } = await server.createAccount('Cleo', 'Europe/Paris'));
    // A ten-year horizon widens the account's feed sync window to the fixed week.
    const studio = await gql(`mutation($input: CreateCalendarInput!) { createCalendar(input: $input) { ... on CreateCalendarPayload { calendar { id } } } }`, {
      input: {
        name: 'Studio', timeZone: 'Europe/Paris', slotIntervalMinutes: 30, horizonDays: 3650,
        workingHours: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
      },
    });
    const calendarId = studio.createCalendar.calendar.id;
    await created({ calendarId, title: 'Design review', durationMinutes: 60, date: WEDNESDAY, startTime: '10:00' });
    await created({ calendarId, title: 'Company offsite', durationMinutes: 1440, allDay: true, date: WEDNESDAY, lastDate: '2027-12-02' });
    feeds.set('/holidays.ics', { body: HOLIDAYS });
    const feed = await gql(`mutation($input: SubscribeCalendarFeedInput!) { subscribeCalendarFeed(input: $input) { __typename ... on SubscribeCalendarFeedPayload { calendar { id } } ... on Error { message } } }`,
      { input: { url: feeds.url('/holidays.ics') } });
    assert.equal(feed.subscribeCalendarFeed.__typename, 'SubscribeCalendarFeedPayload', JSON.stringify(feed));
  });
  after(async () => {
    await browser?.close();
    await feeds?.close();
    await server?.stop();
  });

  test('the heading of a week across two months names both months', async () => {
    const page = await openStudio();
    await page.getByText('week of 2027-11-29').waitFor();
    const heading = await page.getByRole('heading', { level: 1 }).textContent();
    assert.match(heading!, /Nov\S*\s*[–-]\s*Dec\S*\s+2027/);
    await page.getByRole('button', { name: 'Next week' }).click();
    await page.getByText('week of 2027-12-06').waitFor();
    assert.match((await page.getByRole('heading', { level: 1 }).textContent())!, /^December 2027$/);
    await page.context().close();
  });

  test('on a desktop, all-day events (own, made in the form, and a feed\'s) lie in the all-day row, not on the hours', async () => {
    const page = await openStudio();
    const row = page.getByTestId('all-day-row');
    const offsite = row.locator('[data-all-day][data-event-title="Company offsite"]');
    await offsite.waitFor();
    // Two days wide (Wednesday and Thursday), in the Wednesday column onwards.
    const [bar, wednesday] = await Promise.all([offsite.boundingBox(), page.locator('[data-day="2"]').boundingBox()]);
    assert.ok(bar && wednesday && Math.abs(bar.x - wednesday.x) < 12 && bar.width > 1.6 * wednesday.width, `bar ${JSON.stringify(bar)}, column ${JSON.stringify(wednesday)}`);
    assert.equal(await page.locator('[data-event-title="Company offsite"]:not([data-all-day])').count(), 0);
    await page.locator('[data-event-title="Design review"]:not([data-all-day])').waitFor();

    await page.getByRole('button', { name: 'New event' }).click();
    await page.getByLabel('Title').fill('Team holiday');
    await page.getByLabel('All day').check();
    assert.equal(await page.getByLabel('Duration (minutes)').count(), 0);
    await page.getByLabel('First day').fill('2027-12-03');
    await page.getByLabel('Last day (optional)').fill('2027-12-04');
    await assertAccessible(page, 'the event form for an all-day event');
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.locator('[data-toast]', { hasText: '“Team holiday” placed' }).waitFor();
    await row.locator('[data-all-day][data-event-title="Team holiday"]').click();
    await page.getByRole('dialog', { name: 'Event Team holiday' }).getByText(/all day/).waitFor();
    assert.equal(await page.locator('[data-event-title="Team holiday"]:not([data-all-day])').count(), 0);
    await assertAccessible(page, 'the week with an all-day row');
    await screenshot(page, 'console-week-all-day');

    await page.getByLabel('Calendar', { exact: true }).selectOption({ label: 'Public holidays (feed)' });
    await page.getByLabel('Go to date').fill(WEDNESDAY);
    await page.getByTestId('all-day-row').locator('[data-all-day][data-event-title="Feast day"]').waitFor();
    assert.equal(await page.locator('[data-event-title="Feast day"]:not([data-all-day])').count(), 0);
    await page.context().close();
  });

  test('on a phone the calendar shows one day with previous/next day, whole titles, an all-day row, and no sideways scroll', async () => {
    const page = await openStudio(PHONE);
    const heading = page.getByRole('heading', { level: 1 });
    await page.locator('[data-event-title="Design review"]').waitFor();
    assertNamesDay((await heading.textContent())!, 'Wednesday', 1);
    assert.equal(await page.locator('[data-day]').count(), 1);
    // The block is as wide as the screen allows: its title is not cut.
    const cut = await page.locator('[data-event-title="Design review"] span').first().evaluate((el) => el.scrollWidth > el.clientWidth);
    assert.equal(cut, false);
    await page.getByTestId('all-day-row').locator('[data-all-day][data-event-title="Company offsite"]').waitFor();
    const width = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    assert.ok(width.scrollWidth <= width.innerWidth, `the page is ${width.scrollWidth} px wide in a ${width.innerWidth} px window`);
    await assertAccessible(page, 'the day view on a phone');
    await screenshot(page, 'console-day-phone');

    await page.getByRole('button', { name: 'Next day' }).click();
    await page.getByRole('heading', { level: 1, name: /Thursday/ }).waitFor();
    assertNamesDay((await heading.textContent())!, 'Thursday', 2);
    await page.getByTestId('all-day-row').locator('[data-event-title="Company offsite"]').waitFor();
    assert.equal(await page.locator('[data-event-title="Design review"]').count(), 0);
    await page.getByRole('button', { name: 'Next day' }).click();
    await page.getByRole('heading', { level: 1, name: /Friday/ }).waitFor();
    assertNamesDay((await heading.textContent())!, 'Friday', 3);
    assert.equal(await page.locator('[data-event-title="Company offsite"]').count(), 0);
    await page.getByRole('button', { name: 'Previous day' }).click();
    await page.getByRole('button', { name: 'Previous day' }).click();
    await page.locator('[data-event-title="Design review"]').waitFor();
    const after = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    assert.ok(after.scrollWidth <= after.innerWidth, `the page is ${after.scrollWidth} px wide in a ${after.innerWidth} px window`);
    await page.context().close();
  });
});
