import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import type { Browser, Locator, Page } from 'playwright-core';
import { graphqlData } from '../helpers/clients.ts';
import { startIcsServer, type IcsServer } from '../helpers/ics-server.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { assertAccessible, baseUrl, launchBrowser, openPage, screenshot, signIn, skipReason } from './helpers.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/ics/${name}`, import.meta.url), 'utf8');
const GOOGLE = fixture('google.ics');

/** The Google export with `n` more one-off events in 2030, as if its owner had added them since. */
function googleWithMore(n: number): string {
  const extra = Array.from({ length: n }, (_, i) => [
    'BEGIN:VEVENT', `UID:added-${i}@google.com`, 'DTSTAMP:20301001T120000Z',
    `DTSTART;TZID=Europe/Paris:203011${String(10 + i).padStart(2, '0')}T140000`, `DTEND;TZID=Europe/Paris:203011${String(10 + i).padStart(2, '0')}T150000`,
    `SUMMARY:Added ${i + 1}`, 'END:VEVENT',
  ].join('\r\n'));
  return GOOGLE.replace(/END:VCALENDAR\s*$/, `${extra.join('\r\n')}\r\nEND:VCALENDAR\r\n`);
}

describe('the web console: calendar feeds', { skip: skipReason }, () => {
  let server: TestServer;
  let ics: IcsServer;
  let browser: Browser;
  let page: Page;
  let token: string;
  const gql = (query: string, variables: Record<string, unknown> = {}) => graphqlData(server.url, { token, query, variables });
  const card = (name: string): Locator => page.locator('article[data-feed-id]', { has: page.getByRole('heading', { name, exact: true }) });
  const subscribeForm = () => page.getByRole('form', { name: 'Subscribe to a feed' });

  async function subscribe(url: string, name?: string) {
    const form = subscribeForm();
    await form.getByLabel('Feed URL').fill(url);
    await form.getByLabel('Name (optional)').fill(name ?? '');
    await form.getByRole('button', { name: 'Subscribe' }).click();
    // The button says it is fetching until the server has answered.
    await form.getByRole('button', { name: 'Subscribe' }).waitFor();
  }

  before(async () => {
    // Two feeds at most, so the quota is reached within the test.
    [server, ics, browser] = await Promise.all([
      startTestServer({ env: { LIMIT_CALENDAR_FEEDS: '2', FEED_TIMEOUT_SECONDS: '5' } }),
      startIcsServer(),
      launchBrowser(),
    ]);
    ({ token } = await server.createAccount('Ada', 'Europe/Paris'));
    // The fixtures lie in 2030: a calendar with a ten-year horizon widens the account's sync window to them.
    await gql(`mutation($input: CreateCalendarInput!) { createCalendar(input: $input) { __typename } }`, { input: { name: 'Long view', horizonDays: 3650 } });
    ics.set('/work.ics', { body: GOOGLE });
    ics.set('/feiertage.ics', { body: fixture('lenient-bare-date-empty-rrule.ics') });
    ics.set('/down.ics', { status: 500, body: 'Internal Server Error', contentType: 'text/plain' });
    ics.set('/page.ics', { body: '<!doctype html><html><body>Sign in to see this calendar</body></html>', contentType: 'text/html' });
    page = await openPage(browser, baseUrl(server.url));
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(page, token);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Feeds' }).click();
    await page.getByRole('heading', { name: 'Calendar feeds' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await ics?.close();
    await server?.stop();
  });

  test('subscribing to a Google export shows the feed in sync with its event count and last sync', async () => {
    await subscribe(ics.url('/work.ics'), 'Work');
    const work = card('Work');
    await work.waitFor();
    assert.equal(await work.getByTestId('event-count').textContent(), '6');
    assert.equal(await work.getAttribute('data-feed-health'), 'ok');
    assert.equal(await work.getByTestId('feed-health').textContent(), 'In sync');
    assert.match((await work.locator('time').first().textContent())!, /now|sec|min/);
    assert.match(await work.textContent() ?? '', /every 60 min/);
    assert.equal(await page.getByTestId('feed-usage').textContent(), '1 of 2 feeds');
  });

  test('a refused subscription says why beside the URL: a private address, a server error, a web page instead of a calendar', async () => {
    const urlError = subscribeForm().locator('[data-field-error]');
    await subscribe('http://10.20.30.40/calendar.ics');
    assert.match((await urlError.textContent())!, /must not point inside the server's network/);
    await subscribe(ics.url('/down.ics'));
    await urlError.filter({ hasText: 'HTTP 500' }).waitFor();
    assert.match((await urlError.textContent())!, /The feed server answered HTTP 500/);
    await subscribe(ics.url('/page.ics'));
    await urlError.filter({ hasText: 'web page' }).waitFor();
    assert.match((await urlError.textContent())!, /returned a web page, not an iCalendar feed/);
    await assertAccessible(page, 'the subscribe form with a refused URL');
    // Nothing was created by the refusals.
    assert.equal(await page.locator('article[data-feed-id]').count(), 1);
  });

  test('a holiday feed read leniently lists its warnings, each naming its line; a third feed is over the quota', async () => {
    await subscribe(ics.url('/feiertage.ics'));
    const holidays = card('Feiertage');
    await holidays.waitFor();
    assert.equal(await holidays.getAttribute('data-feed-health'), 'warnings');
    const warnings = await holidays.getByTestId('feed-warnings').locator('li').allTextContents();
    assert.deepEqual(warnings, [
      'Line 8: DTSTART:20300101 has no VALUE=DATE; read as a date',
      'Line 9: DTEND:20300102 has no VALUE=DATE; read as a date',
      'Line 15: DTSTART:20291225 has no VALUE=DATE; read as a date',
      'Line 25: an empty RRULE was ignored (the event does not repeat)',
    ]);

    await subscribe(ics.url('/work.ics'), 'Work again');
    const quota = subscribeForm().getByRole('alert');
    await quota.waitFor();
    assert.match((await quota.textContent())!, /You already have 2 feeds, this account's limit: unsubscribe from one first/);
    assert.equal(await page.getByTestId('feed-usage').textContent(), '2 of 2 feeds');
  });

  test('refresh now reads the changed file; a sync made elsewhere shows up live; a broken sync is named and keeps the events', async () => {
    const work = card('Work');
    ics.set('/work.ics', { body: googleWithMore(1) });
    await work.getByRole('button', { name: 'Refresh now' }).click();
    await page.locator('[data-toast]', { hasText: '1 new, 0 changed, 0 removed' }).waitFor();
    await work.getByTestId('event-count').filter({ hasText: /^7$/ }).waitFor();

    // A sync the page did not ask for (another client, or the schedule) reaches it through calendarFeedSynced.
    ics.set('/work.ics', { body: googleWithMore(3) });
    const { me } = await gql('{ me { calendars { id name } } }');
    const id = me.calendars.find((c: { name: string }) => c.name === 'Work').id;
    const refreshed = await gql('mutation($id: ID!) { refreshCalendarFeed(calendarId: $id) { __typename ... on RefreshCalendarFeedPayload { created } } }', { id });
    assert.equal(refreshed.refreshCalendarFeed.created, 2);
    await work.getByTestId('event-count').filter({ hasText: /^9$/ }).waitFor();

    ics.set('/work.ics', { status: 500, body: 'Internal Server Error', contentType: 'text/plain' });
    await work.getByRole('button', { name: 'Refresh now' }).click();
    const error = work.getByTestId('feed-error');
    await error.waitFor();
    assert.match((await error.textContent())!, /failed; the calendar keeps its last good events:The feed server answered HTTP 500/);
    assert.equal(await work.getAttribute('data-feed-health'), 'failing');
    assert.equal(await work.getByTestId('event-count').textContent(), '9');
    await page.locator('[data-toast]', { hasText: '“Work” could not be synced' }).waitFor();

    // A publisher's export with a line ical.js refuses (test/fixtures/ics/broken-line.ics).
    ics.set('/work.ics', { body: fixture('broken-line.ics') });
    await work.getByRole('button', { name: 'Refresh now' }).click();
    await error.filter({ hasText: 'malformed' }).waitFor();
    assert.match((await error.textContent())!, /The feed is malformed at line 6: /);
    assert.equal(await work.getByTestId('event-count').textContent(), '9');

    ics.set('/work.ics', { body: googleWithMore(3) });
    await work.getByRole('button', { name: 'Refresh now' }).click();
    await error.waitFor({ state: 'detached' });
    assert.equal(await work.getAttribute('data-feed-health'), 'ok');
  });

  test('editing a feed renames it and changes its refresh interval; a bad interval is refused beside its field', async () => {
    const work = card('Work');
    await work.getByRole('button', { name: 'Edit' }).click();
    const form = work.getByRole('form', { name: 'Edit Work' });
    await form.getByLabel('Refresh every (minutes)').fill('2');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.locator('[data-field-error]', { hasText: 'at least 5' }).waitFor();
    await form.getByLabel('Name').fill('Work (Google)');
    await form.getByLabel('Refresh every (minutes)').fill('45');
    await form.getByRole('button', { name: 'Save' }).click();
    const renamed = card('Work (Google)');
    await renamed.waitFor();
    assert.match((await renamed.textContent())!, /every 45 min/);
  });

  test('the accessibility check passes and a phone (360 × 740) scrolls no sideways', async () => {
    await assertAccessible(page, 'the feeds page with warnings');
    // Read again from the server (and without the toasts of the steps before) for the README's picture.
    await page.setViewportSize({ width: 1280, height: 1100 });
    await page.reload();
    await card('Feiertage').getByTestId('feed-warnings').waitFor();
    assert.equal(await card('Work (Google)').getByTestId('event-count').textContent(), '9');
    await screenshot(page, 'console-feeds');
    await page.setViewportSize({ width: 360, height: 740 });
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(fits, `the feeds page is wider than the phone: ${await page.evaluate(() => `${document.documentElement.scrollWidth} > ${window.innerWidth}`)}`);
    await assertAccessible(page, 'the feeds page on a phone');
    await page.setViewportSize({ width: 1280, height: 820 });
  });

  test('a calendar\'s export address is copied as an absolute URL serving a valid VCALENDAR, and rotating it revokes the old one', async () => {
    const row = page.locator('[data-export-calendar="Long view"]');
    const oldUrl = await row.getByTestId('export-url').inputValue();
    assert.ok(oldUrl.startsWith(baseUrl(server.url)), oldUrl);
    await row.getByRole('button', { name: 'Copy the address of Long view' }).click();
    await row.getByRole('button', { name: 'Copied the address of Long view' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), oldUrl);

    const served = await fetch(oldUrl);
    assert.equal(served.status, 200);
    assert.match(served.headers.get('content-type') ?? '', /^text\/calendar/);
    const parsed = new ICAL.Component(ICAL.parse(await served.text()));
    assert.equal(parsed.name, 'vcalendar');
    assert.equal(parsed.getFirstPropertyValue('version'), '2.0');

    await row.getByRole('button', { name: 'Rotate the address of Long view' }).click();
    await row.getByRole('group', { name: 'Confirm rotating the address of Long view' }).getByRole('button', { name: 'Yes, new address' }).click();
    await page.waitForFunction((old) => document.querySelector<HTMLInputElement>('[data-export-calendar="Long view"] [data-testid="export-url"]')?.value !== old, oldUrl);
    const newUrl = await row.getByTestId('export-url').inputValue();
    assert.notEqual(newUrl, oldUrl);
    assert.equal((await fetch(oldUrl)).status, 404);
    assert.equal((await fetch(newUrl)).status, 200);
  });

  test('unsubscribing asks first; confirmed, the feed and its calendar are gone', async () => {
    const holidays = card('Feiertage');
    await holidays.getByRole('button', { name: 'Unsubscribe', exact: true }).click();
    const confirm = holidays.getByRole('group', { name: 'Confirm unsubscribing from Feiertage' });
    assert.match((await confirm.textContent())!, /Its calendar and its \d+ events are deleted/);
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.equal(await card('Feiertage').count(), 1);

    await holidays.getByRole('button', { name: 'Unsubscribe', exact: true }).click();
    await confirm.getByRole('button', { name: 'Yes, unsubscribe' }).click();
    await card('Feiertage').waitFor({ state: 'detached' });
    await page.getByTestId('feed-usage').filter({ hasText: '1 of 2 feeds' }).waitFor();
    const { me } = await gql('{ me { calendars { name } } }');
    assert.deepEqual(me.calendars.map((c: { name: string }) => c.name).sort(), ['Ada', 'Long view', 'Work (Google)'].sort());
  });
});
