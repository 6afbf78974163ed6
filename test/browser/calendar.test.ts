import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { graphqlData } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { assertAccessible, baseUrl, launchBrowser, openPage, screenshot, signIn, skipReason } from './helpers.ts';

/** The first Monday after today in Paris, as YYYY-MM-DD: always in the future, whatever today is. */
function nextMondayInParis(): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const day = new Date(`${today}T00:00:00Z`);
  do day.setUTCDate(day.getUTCDate() + 1);
  while (day.getUTCDay() !== 1);
  return day.toISOString().slice(0, 10);
}

describe('the web console: calendar', { skip: skipReason }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let token: string;
  const monday = nextMondayInParis();
  const gql = (query: string, variables: Record<string, unknown>) => graphqlData(server.url, { token, query, variables });

  before(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    ({ token } = await server.createAccount('Cleo', 'Europe/Paris'));
    const created = await gql(`mutation($input: CreateCalendarInput!) { createCalendar(input: $input) { ... on CreateCalendarPayload { calendar { id } } } }`, {
      input: {
        name: 'Studio', timeZone: 'Europe/Paris', slotIntervalMinutes: 30,
        workingHours: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
      },
    });
    const calendarId = created.createCalendar.calendar.id;
    const place = `mutation($input: CreateEventInput!) { createEvent(input: $input) { __typename ... on CreateEventPayload { event { id } } } }`;
    await gql(place, { input: { calendarId, title: 'Existing meeting', durationMinutes: 60, date: monday, startTime: '10:00' } });
    const dropped = await gql(place, { input: { calendarId, title: 'Dropped lunch', durationMinutes: 60, date: monday, startTime: '12:00' } });
    await gql(`mutation($id: ID!) { cancelEvent(id: $id) { __typename } }`, { id: dropped.createEvent.event.id });
    page = await openPage(browser, baseUrl(server.url));
    await signIn(page, token);
    await page.goto('/#/calendar');
    await page.getByLabel('Calendar', { exact: true }).selectOption({ label: 'Studio' });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a clash lists what is in the way, and booking a suggestion places the event on the grid', async () => {
    await page.getByRole('button', { name: 'New event' }).click();
    await page.getByLabel('Title').fill('Design review');
    await page.getByLabel('Duration (minutes)').fill('60');
    await page.getByLabel('At an exact time').check();
    await page.getByLabel('Date', { exact: true }).fill(monday);
    await page.getByLabel('Start (Europe/Paris)').fill('10:30');
    await page.getByRole('button', { name: 'Create event' }).click();
    const clash = page.getByTestId('clash');
    await clash.locator('[data-conflict]', { hasText: 'Existing meeting' }).waitFor();
    await assertAccessible(page, 'the event form with a clash');
    const suggestion = clash.locator('[data-suggestion]').first();
    await suggestion.click();
    await page.locator('[data-toast]', { hasText: '“Design review” placed' }).waitFor();
    await page.locator('[data-event-title="Design review"]').waitFor();
    await page.locator('[data-event-title="Existing meeting"]').waitFor();
  });

  test('an auto-placed event appears on the week grid; a cancelled one is struck through', async () => {
    await page.getByRole('button', { name: 'New event' }).click();
    await page.getByLabel('Title').fill('Focus time');
    await page.getByLabel('Duration (minutes)').fill('30');
    await page.getByLabel('On date (optional)').fill(monday);
    await page.getByRole('button', { name: 'Find a slot and create' }).click();
    const block = page.locator('[data-event-title="Focus time"]');
    await block.waitFor();
    assert.match((await block.textContent())!, /auto/);
    const cancelled = page.locator('[data-event-title="Dropped lunch"]');
    assert.equal(await cancelled.getAttribute('data-event-status'), 'CANCELLED');
    assert.match(await cancelled.evaluate((el) => getComputedStyle(el).textDecorationLine), /line-through/);
    await page.getByRole('button', { name: 'Show free slots' }).click();
    await page.locator('[data-free-slot]').first().waitFor();
    await assertAccessible(page, 'the week view');
    await page.getByTestId('week-grid').evaluate((el) => { el.scrollTop = 44 * 8.5; });
    await screenshot(page, 'console-week');
    // Clicking an event opens its details, from which it can be cancelled.
    await block.click();
    const details = page.getByRole('dialog', { name: 'Event Focus time' });
    await details.getByLabel('Attach a file').setInputFiles({ name: 'agenda.txt', mimeType: 'text/plain', buffer: Buffer.from('1. focus\n') });
    const download = page.waitForEvent('download');
    await details.getByRole('button', { name: 'agenda.txt', exact: true }).click();
    assert.equal((await download).suggestedFilename(), 'agenda.txt');
    await details.getByRole('button', { name: 'Cancel event' }).click();
    await page.locator('[data-event-title="Focus time"][data-event-status="CANCELLED"]').waitFor();
  });
});
