import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { graphqlData } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { assertAccessible, baseUrl, launchBrowser, openPage, screenshot, signIn, skipReason } from './helpers.ts';

/** A common Android phone's viewport in CSS pixels (issue 19 was reported at this size). */
const PHONE = { width: 360, height: 740 };

const CREATE = `mutation($input: CreateReminderInput!) { createReminder(input: $input) {
  ... on CreateReminderPayload { reminder { id } } ... on ValidationError { message } } }`;

/**
 * What scrolls sideways: the page itself, and any element that scrolls sideways without being a box
 * meant to (a table or code sample in `.overflow-x-auto`, GraphiQL's strip of tabs). The console's
 * <main> scrolls on its own, so a page-level check alone would miss a page that is too wide inside it.
 */
async function sidewaysScroll(page: Page): Promise<{ page: { scrollWidth: number; innerWidth: number }; boxes: string[]; past: string[] }> {
  return page.evaluate(() => ({
    page: { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth },
    // The first elements (in document order, outermost first) whose box reaches past the window: the culprits.
    past: [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.overflow-x-auto'))
      .slice(0, 6)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].slice(0, 5).join('.')} right=${Math.round(e.getBoundingClientRect().right)} "${(e.textContent ?? '').slice(0, 30)}"`),
    boxes: [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((e) => {
        const overflow = getComputedStyle(e).overflowX;
        return (overflow === 'auto' || overflow === 'scroll') && e.scrollWidth > e.clientWidth + 1
          && !e.classList.contains('overflow-x-auto') && !e.classList.contains('graphiql-tabs');
      })
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].slice(0, 4).join('.')} ${e.scrollWidth} > ${e.clientWidth}`),
  }));
}

async function assertNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const found = await sidewaysScroll(page);
  assert.ok(found.page.scrollWidth <= found.page.innerWidth,
    `${what} scrolls sideways: document ${found.page.scrollWidth} px wide in a ${found.page.innerWidth} px window; past the edge: ${found.past.join(' | ')}`);
  assert.deepEqual(found.boxes, [], `${what}: a part of the page scrolls sideways`);
}

describe('the web console on a phone (360 × 740)', { skip: skipReason }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let token: string;
  let firstId: string;
  // Fixed instants far ahead, so the list reads the same whatever day the test runs.
  const reminders = [
    { message: 'Renew the passport before the summer trip', remindAt: '2031-03-14T08:30:00Z', recurrence: null, paris: /Fri, Mar 14, 2031, 09:30\sAM/ },
    { message: 'Water the plants', remindAt: '2031-03-15T17:00:00Z', recurrence: 'FREQ=WEEKLY;BYDAY=SA', paris: /Sat, Mar 15, 2031, 06:00\sPM/ },
    { message: 'Call the dentist', remindAt: '2031-03-17T07:15:00Z', recurrence: null, paris: /Mon, Mar 17, 2031, 08:15\sAM/ },
    // After the spring change (30 March 2031): UTC+2.
    { message: 'Pay the rent', remindAt: '2031-04-01T06:00:00Z', recurrence: 'FREQ=MONTHLY', paris: /Tue, Apr 1, 2031, 08:00\sAM/ },
  ];

  before(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    ({ token } = await server.createAccount('Ada', 'Europe/Paris'));
    const ids: string[] = [];
    for (const r of reminders) {
      const input = { message: r.message, remindAt: r.remindAt, ...(r.recurrence ? { recurrence: r.recurrence } : {}) };
      const data = await graphqlData(server.url, { token, query: CREATE, variables: { input } });
      assert.ok(data.createReminder.reminder, JSON.stringify(data));
      ids.push(data.createReminder.reminder.id);
    }
    firstId = ids[0]!;
    const cancelled = await graphqlData(server.url, { token, query: CREATE, variables: { input: { message: 'Book the old venue', remindAt: '2031-03-20T09:00:00Z' } } });
    await graphqlData(server.url, { token, query: 'mutation($id: ID!) { cancelReminder(id: $id) { __typename } }', variables: { id: cancelled.createReminder.reminder.id } });
    page = await openPage(browser, baseUrl(server.url), PHONE);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the sign-in page and its first-run tab fit the width and pass axe', async () => {
    await page.getByRole('heading', { name: 'Tickler console' }).waitFor();
    await assertNoSidewaysScroll(page, 'the sign-in page');
    await assertAccessible(page, 'the sign-in page on a phone');
    await page.getByRole('tab', { name: 'First run: create an account' }).click();
    await page.getByLabel('Admin token').waitFor();
    await assertNoSidewaysScroll(page, 'the first-run tab');
    await assertAccessible(page, 'the first-run tab on a phone');
    await page.getByRole('tab', { name: 'Sign in with a token' }).click();
    await signIn(page, token);
  });

  test('the header keeps every navigation entry and Sign out inside the screen', async () => {
    const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    assert.ok(await links.count() >= 4);
    const outside = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('header a, header button, header [role=status]')]
      .filter((e) => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth; })
      .map((e) => e.textContent));
    assert.deepEqual(outside, [], 'header controls reaching past the screen');
  });

  test('the reminders list shows each reminder with its due time and status, without sideways scroll', async () => {
    await page.goto('/#/reminders');
    const rows = page.locator('li[data-reminder-id]');
    await rows.nth(reminders.length).waitFor();
    for (const r of reminders) {
      const row = rows.filter({ hasText: r.message });
      const time = row.locator(`time[datetime="${new Date(r.remindAt).toISOString()}"]`);
      assert.ok(await time.isVisible(), `the due time of "${r.message}" is visible`);
      // In the account's zone (Paris), in the browser's locale (headless Chromium's default, en-US).
      assert.match(await time.innerText(), r.paris, `"${r.message}" is shown at its time in Paris`);
      assert.ok(await row.locator('[data-status="SCHEDULED"]').isVisible(), `the status of "${r.message}" is visible`);
      await assertInsideScreen(page, row.locator('time'), `the due time of "${r.message}"`);
      const due = row.locator('[data-due]');
      assert.ok(await due.evaluate((e) => e.scrollWidth <= e.clientWidth), `the due time of "${r.message}" is not cut short: "${await due.innerText()}"`);
      await assertInsideScreen(page, row.locator('[data-status]'), `the status of "${r.message}"`);
    }
    const cancelled = rows.filter({ hasText: 'Book the old venue' });
    assert.ok(await cancelled.locator('[data-status="CANCELLED"]').isVisible());
    assert.ok(await cancelled.locator('time').isVisible());
    await assertNoSidewaysScroll(page, 'the reminders list');
    await assertAccessible(page, 'the reminders list on a phone');
    await screenshot(page, 'console-phone');
  });

  test("a reminder's page fits the width and passes axe", async () => {
    await page.goto(`/#/reminders/${encodeURIComponent(firstId)}`);
    await page.getByRole('heading', { name: reminders[0]!.message }).waitFor();
    await assertNoSidewaysScroll(page, "a reminder's page");
    await assertAccessible(page, "a reminder's page on a phone");
  });

  test('the new-reminder form, with a repeat rule and a channel, fits the width and passes axe', async () => {
    await page.goto('/#/reminders/new');
    await page.getByLabel('Message').fill('Stand-up');
    await page.getByLabel('At a date and time').check();
    await page.getByLabel('Repeat').selectOption('weekly');
    await page.getByLabel('TH').check();
    await page.getByTestId('next-occurrences').locator('li').nth(4).waitFor();
    await page.getByRole('button', { name: 'Add channel' }).click();
    await assertNoSidewaysScroll(page, 'the new-reminder form');
    await assertAccessible(page, 'the new-reminder form on a phone');
  });

  test('the calendar page fits the width and passes axe', async () => {
    await page.goto('/#/calendar');
    await page.getByRole('button', { name: 'New event' }).waitFor();
    await assertNoSidewaysScroll(page, 'the calendar page');
    await assertAccessible(page, 'the calendar page on a phone');
  });

  test('the feeds page fits the width and passes axe', async () => {
    await page.goto('/#/feeds');
    await page.getByRole('heading', { name: 'Calendar feeds' }).waitFor();
    await page.getByRole('heading', { name: 'Your calendars as feeds' }).waitFor();
    await assertNoSidewaysScroll(page, 'the feeds page');
    await assertAccessible(page, 'the feeds page on a phone');
  });

  test('the account page with its limits and tokens fits the width and passes axe', async () => {
    await page.goto('/#/account');
    await page.getByRole('heading', { name: 'Usage and limits' }).waitFor();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByRole('row').nth(1).waitFor();
    await assertNoSidewaysScroll(page, 'the account page');
    await assertAccessible(page, 'the account page on a phone');
  });

  test('GraphiQL has a viewport meta tag, fits the width, and shows the response below the query', async () => {
    const graphiql = await page.context().newPage();
    try {
      await graphiql.goto('/graphql');
      assert.equal(await graphiql.locator('meta[name="viewport"]').getAttribute('content'), 'width=device-width, initial-scale=1');
      const run = graphiql.getByRole('button', { name: /Execute query/ });
      await run.waitFor();
      await assertNoSidewaysScroll(graphiql, 'GraphiQL');
      await assertInsideScreen(graphiql, run, 'the run button');
      await assertAccessible(graphiql, 'GraphiQL on a phone');
      // The headers still hold the placeholder token: the answer is an error, which is enough to see where it lands.
      await run.click();
      const response = graphiql.locator('.graphiql-response');
      await response.getByText('"errors"').waitFor();
      await assertInsideScreen(graphiql, response, 'the response');
      const box = (await response.boundingBox())!;
      const editor = (await graphiql.locator('.graphiql-query-editor').boundingBox())!;
      // Beside the query it was a sliver (22 px); stacked, it has the editors' width, below them.
      assert.ok(box.width >= editor.width - 1 && box.y >= editor.y + editor.height, `response at ${JSON.stringify(box)}, query at ${JSON.stringify(editor)}`);
      assert.ok(box.height >= 200, `the response is ${box.height} px tall`);
      await graphiql.getByRole('button', { name: 'Show Documentation Explorer' }).click();
      await graphiql.getByText('Root Types').waitFor();
      await assertNoSidewaysScroll(graphiql, 'GraphiQL with its documentation open');
      await assertInsideScreen(graphiql, graphiql.getByText('Root Types'), 'the documentation');
      // Closing it brings the query and its response back.
      await graphiql.getByRole('button', { name: 'Hide Documentation Explorer' }).click();
      await response.getByText('"errors"').waitFor();
      assert.ok(await run.isVisible());
      // A second tab brings GraphiQL's close buttons into its tab strip (see the repair in graphiql.ts).
      await graphiql.getByRole('button', { name: 'New tab' }).click();
      const tabs = graphiql.locator('.graphiql-tab-button');
      await tabs.nth(1).and(graphiql.locator('[aria-current="true"]')).waitFor();
      await tabs.first().click();
      await tabs.first().and(graphiql.locator('[aria-current="true"]')).waitFor();
      assert.equal(await graphiql.locator('[aria-current="true"]').count(), 1, 'one tab is the current one');
      await assertNoSidewaysScroll(graphiql, 'GraphiQL with two tabs');
      await assertAccessible(graphiql, 'GraphiQL with two tabs on a phone');
    } finally {
      await graphiql.close();
    }
  });
});

/** Fails when any of these elements reaches past the left or right edge of the window. */
async function assertInsideScreen(page: Page, locator: ReturnType<Page['locator']>, what: string): Promise<void> {
  const width = await page.evaluate(() => window.innerWidth);
  for (const box of await locator.evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right }; }))) {
    assert.ok(box.left >= 0 && box.right <= width, `${what} spans ${box.left}–${box.right} px, outside the ${width} px screen`);
  }
}
