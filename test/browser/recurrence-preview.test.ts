// The reminder form shows the server's recurrencePreview, and the reminder it creates is exactly what
// was previewed: "weekly on Monday" from a Thursday fires that Thursday, then Mondays (as the CLI says).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { graphqlData } from '../helpers/clients.ts';
import type { Account } from '../helpers/reminders.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { baseUrl, launchBrowser, openPage, signIn, skipReason } from './helpers.ts';

describe('the web console: the repeat preview is the server\'s, and what it shows is what is scheduled', { skip: skipReason }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let account: Account;

  const serverPreview = async (remindAt: string, recurrence: string, timeZone: string): Promise<string[]> => (await graphqlData(server.url, {
    token: account.token,
    query: 'query($r: DateTime!, $rule: String!, $tz: String) { recurrencePreview(remindAt: $r, recurrence: $rule, timeZone: $tz) { ... on RecurrencePreview { occurrences } } }',
    variables: { r: remindAt, rule: recurrence, tz: timeZone },
  })).recurrencePreview.occurrences;
  const scheduled = async (message: string) => {
    const data = await graphqlData(server.url, { token: account.token, query: '{ reminders(first: 100) { edges { node { message remindAt recurrence timeZone } } } }' });
    return data.reminders.edges.map((e: any) => e.node).find((r: any) => r.message === message);
  };
  /** The occurrences under the form once it shows `count` of them. */
  const shown = async (): Promise<string[]> => {
    const items = page.getByTestId('next-occurrences').locator('time');
    await items.nth(4).waitFor();
    return items.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('datetime')!));
  };

  before(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    account = await server.createAccount('Previewer', 'Europe/Paris');
    page = await openPage(browser, baseUrl(server.url));
    await signIn(page, account.token);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('weekly on Monday from Thursday 4 Dec 2031, 09:00 Paris: the form lists the server\'s five occurrences, Thursday first, and schedules that Thursday', async () => {
    await page.getByRole('button', { name: 'New reminder' }).click();
    await page.getByLabel('Message').fill('Weekly from a Thursday');
    await page.getByLabel('At a date and time').check();
    await page.getByLabel('Date', { exact: true }).fill('2031-12-04');
    await page.getByLabel('Time', { exact: true }).fill('09:00:00');
    await page.getByLabel('Repeat').selectOption('weekly');
    const occurrences = await shown();
    const expected = await serverPreview('2031-12-04T08:00:00.000Z', 'FREQ=WEEKLY;BYDAY=MO', 'Europe/Paris');
    assert.deepEqual(occurrences, expected);
    assert.equal(expected[0], '2031-12-04T08:00:00.000Z', 'the Thursday itself is the first occurrence (RFC 5545)');
    assert.equal(expected[1], '2031-12-08T08:00:00.000Z');

    await page.getByRole('button', { name: 'Schedule reminder' }).click();
    await page.getByRole('heading', { name: 'Weekly from a Thursday' }).waitFor();
    const reminder = await scheduled('Weekly from a Thursday');
    assert.deepEqual([reminder.remindAt, reminder.recurrence, reminder.timeZone], [occurrences[0], 'FREQ=WEEKLY;BYDAY=MO', 'Europe/Paris']);
  });

  test('"in 2 hours, daily": the start the preview shows is the one scheduled, so every later occurrence keeps its time of day', async () => {
    await page.goto('/#/reminders/new');
    await page.getByLabel('Message').fill('Daily from in two hours');
    await page.getByLabel('Amount').fill('2');
    await page.getByLabel('Unit').selectOption('hours');
    await page.getByLabel('Repeat').selectOption('daily');
    const occurrences = await shown();
    assert.deepEqual(occurrences, await serverPreview(occurrences[0]!, 'FREQ=DAILY', 'Europe/Paris'));
    await page.getByRole('button', { name: 'Schedule reminder' }).click();
    await page.getByRole('heading', { name: 'Daily from in two hours' }).waitFor();
    const reminder = await scheduled('Daily from in two hours');
    assert.equal(reminder.remindAt, occurrences[0], 'scheduled at the previewed start, not a few seconds off it');
  });
});
