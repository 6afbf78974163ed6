import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { graphqlData } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { assertAccessible, baseUrl, launchBrowser, openPage, signIn, skipReason } from './helpers.ts';

const CREATE = `mutation($input: CreateReminderInput!) { createReminder(input: $input) { __typename } }`;

describe('the web console: usage against limits', { skip: skipReason }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let ada: { token: string };

  before(async () => {
    [server, browser] = await Promise.all([
      startTestServer({ env: { LIMIT_ACTIVE_REMINDERS: '100000', LIMIT_API_TOKENS: '2', LIMIT_ATTACHMENT_BYTES: String(5 * 1024 ** 3) } }),
      launchBrowser(),
    ]);
    ada = await server.createAccount('Ada', 'Europe/Paris');
    for (let i = 0; i < 12; i++) {
      const data = await graphqlData(server.url, { token: ada.token, query: CREATE, variables: { input: { message: `r${i}`, remindAt: new Date(Date.now() + 3_600_000).toISOString() } } });
      assert.equal(data.createReminder.__typename, 'CreateReminderPayload');
    }
    // A phone's width: the page must stay readable without sideways scrolling.
    page = await openPage(browser, baseUrl(server.url), { width: 360, height: 780 });
    await signIn(page, ada.token);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const row = (label: string) => page.getByTestId('limit-row').filter({ hasText: label });

  test('the account page shows each limit with its usage, readable at 360 px wide', async () => {
    await page.goto('/#/account');
    await page.getByRole('heading', { name: 'Usage and limits' }).waitFor();
    assert.match(await row('Active reminders').innerText(), /Active reminders\s+12 \/ 100,000/);
    assert.match(await row('API tokens').innerText(), /API tokens\s+1 \/ 2/);
    assert.match(await row('Calendar feeds').innerText(), /Calendar feeds\s+0 \/ 50/);
    assert.match(await row('Attachments').innerText(), /Attachments\s+0 bytes \/ 5 GiB/);
    assert.match(await row('Open subscriptions').innerText(), /Open subscriptions\s+\d+ \/ 1,000/);
    // The page's own content (the header's navigation is the app shell's, outside <main>); what sits
    // in a box that scrolls sideways on purpose (the code sample, the token table) is clipped there.
    const overflowing = await page.evaluate(() => [...document.querySelectorAll('main *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.parentElement?.closest('.overflow-x-auto'))
      .map((e) => `${e.tagName.toLowerCase()} ${(e.textContent ?? '').slice(0, 40)}`));
    assert.deepEqual(overflowing, [], 'nothing on the account page reaches past 360 px');
    await assertAccessible(page, 'the account page with its limits');
  });

  test('a token over the limit is refused next to the form, and the usage follows a new token', async () => {
    await page.getByLabel('New token name').fill('phone');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByTestId('created-token').waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.waitForFunction(() => /API tokens\s+2 \/ 2/.test(document.body.innerText));
    await page.getByLabel('New token name').fill('laptop');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('The account has its 2 tokens: revoke one first').waitFor();
    assert.equal(await page.getByRole('row').filter({ hasText: 'laptop' }).count(), 0);
  });
});
