import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { graphqlData, graphqlWithStatus } from '../helpers/clients.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { assertAccessible, baseUrl, launchBrowser, skipReason } from './helpers.ts';

/** The sign-in page in a browser whose zone is `timezoneId`, on the first-run tab. */
async function firstRunPage(browser: Browser, url: string, timezoneId: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, baseURL: url, reducedMotion: 'reduce', timezoneId });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('tab', { name: 'First run: create an account' }).click();
  return page;
}

describe('the web console: first run', { skip: skipReason }, () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a browser in UTC finds UTC preselected in the time-zone menu, and the account is created in UTC', async () => {
    const page = await firstRunPage(browser, baseUrl(server.url), 'UTC');
    const zone = page.getByLabel('Time zone');
    assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), 'UTC');
    assert.equal(await zone.inputValue(), 'UTC');
    await assertAccessible(page, 'the first-run form');
    await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
    await page.getByLabel('Account name').fill('Uma');
    await page.getByRole('button', { name: 'Create account' }).click();
    const token = (await page.getByTestId('new-token').textContent())!;
    const { me } = await graphqlData(server.url, { token, query: '{ me { name timeZone } }' });
    assert.deepEqual(me, { name: 'Uma', timeZone: 'UTC' });
    await page.context().close();
  });

  test('whatever the browser calls its zone (Etc/UTC, a half-hour zone), that zone is preselected', async () => {
    for (const timezoneId of ['Etc/UTC', 'Asia/Kolkata', 'America/St_Johns']) {
      const page = await firstRunPage(browser, baseUrl(server.url), timezoneId);
      const own = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
      assert.equal(await page.getByLabel('Time zone').inputValue(), own, `the browser in ${timezoneId} says ${own}`);
      await page.context().close();
    }
  });

  test('a wrong admin token says "That is not the admin token"; an account token pasted there says what it is', async () => {
    const page = await firstRunPage(browser, baseUrl(server.url), 'Europe/Paris');
    await page.getByLabel('Admin token').fill('adm_not-the-right-one');
    await page.getByLabel('Account name').fill('Mallory');
    await page.getByRole('button', { name: 'Create account' }).click();
    const error = page.locator('[data-field-error]');
    await error.waitFor();
    assert.equal(await error.textContent(), 'That is not the admin token');
    assert.equal(await page.getByLabel('Admin token').getAttribute('aria-invalid'), 'true');

    const { token } = await server.createAccount('Ada');
    await page.getByLabel('Admin token').fill(token);
    await page.getByRole('button', { name: 'Create account' }).click();
    await error.filter({ hasText: 'account' }).waitFor();
    assert.match((await error.textContent())!, /^That is not the admin token: it is an account's API token/);
    await assertAccessible(page, 'the first-run form with a refused admin token');
    await page.context().close();

    // The API says it too (the CLI prints it): 401, UNAUTHENTICATED, and nothing created.
    const { status, body } = await graphqlWithStatus(server.url, {
      token: 'adm_not-the-right-one',
      query: 'mutation { createAccount(input: { name: "Mallory", timeZone: "UTC" }) { __typename } }',
    });
    assert.equal(status, 401);
    assert.equal(body.errors?.[0]?.message, 'That is not the admin token');
    assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const count = await server.app.orm!.em.fork().getConnection().execute(`select count(*)::int as n from account where name = 'Mallory'`);
    assert.equal(count[0]?.n, 0);
  });
});
