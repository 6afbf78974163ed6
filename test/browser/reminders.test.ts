import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { graphqlData } from '../helpers/clients.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { assertAccessible, baseUrl, launchBrowser, openPage, rowStatus, screenshot, signIn, skipReason } from './helpers.ts';

const ENV = { OUTBOUND_ALLOW: '127.0.0.1/32', WEBHOOK_RETRIES: '3', WEBHOOK_RETRY_DELAY_SECONDS: '0' };
const CREATE = `mutation($input: CreateReminderInput!) { createReminder(input: $input) {
  ... on CreateReminderPayload { reminder { id } } ... on ValidationError { message } } }`;

describe('the web console: reminders', { skip: skipReason }, () => {
  let db: TestDatabase;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let ada: { token: string };
  let bob: { token: string };
  const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
  const create = async (token: string, input: Record<string, unknown>, url = server.url): Promise<string> => {
    const data = await graphqlData(url, { token, query: CREATE, variables: { input } });
    assert.ok(data.createReminder.reminder, JSON.stringify(data));
    return data.createReminder.reminder.id;
  };

  before(async () => {
    db = await createTestDatabase();
    [server, browser] = await Promise.all([startTestServer({ db, env: ENV }), launchBrowser()]);
    ada = await server.createAccount('Ada', 'Europe/Paris');
    bob = await server.createAccount('Bob', 'America/New_York');
    page = await openPage(browser, baseUrl(server.url));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await db?.drop();
  });

  test('a person signs in by pasting a token; the sign-in and empty list pages pass axe', async () => {
    await page.getByRole('heading', { name: 'Tickler console' }).waitFor();
    await assertAccessible(page, 'the sign-in page');
    await signIn(page, ada.token);
    await page.getByText('No reminders yet.').waitFor();
    assert.equal(await page.getByTestId('account-name').textContent(), 'Ada');
    await assertAccessible(page, 'the empty reminders list');
  });

  test('a reminder due in 2 s, scheduled with the form, turns SENT live with a toast', async () => {
    await page.getByRole('button', { name: 'New reminder' }).click();
    await assertAccessible(page, 'the new reminder form');
    await page.getByLabel('Message').fill('Tea is ready');
    await page.getByLabel('Amount').fill('2');
    await page.getByLabel('Unit').selectOption('seconds');
    await page.getByRole('button', { name: 'Schedule reminder' }).click();
    const status = page.getByTestId('reminder-status').locator('[data-status]');
    await page.getByRole('heading', { name: 'Tea is ready' }).waitFor();
    await page.locator('[data-toast]', { hasText: 'Tea is ready' }).waitFor({ timeout: 10_000 });
    await page.getByTestId('reminder-status').locator('[data-status="SENT"]').waitFor({ timeout: 10_000 });
    assert.equal(await status.textContent(), 'SENT');
    // The list shows the same, and a reminder created elsewhere appears and fires in place.
    await page.getByRole('link', { name: '← All reminders' }).click();
    await rowStatus(page, 'Tea is ready').and(page.locator('[data-status="SENT"]')).waitFor();
    await create(ada.token, { message: 'Made by a script', remindAt: inMs(1500) });
    await rowStatus(page, 'Made by a script').and(page.locator('[data-status="SCHEDULED"]')).waitFor();
    await rowStatus(page, 'Made by a script').and(page.locator('[data-status="SENT"]')).waitFor({ timeout: 10_000 });
  });

  test('a recurring reminder shows its next five occurrences before it is saved', async () => {
    await page.goto('/#/reminders/new');
    await page.getByLabel('Message').fill('Water the plants');
    await page.getByLabel('At a date and time').check();
    await page.getByLabel('Repeat').selectOption('weekly');
    await page.getByLabel('TH').check();
    const items = page.getByTestId('next-occurrences').locator('li');
    await items.nth(4).waitFor();
    assert.equal(await items.count(), 5);
    const times = await items.locator('time').evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute('datetime')!)));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    await page.getByRole('button', { name: 'Schedule reminder' }).click();
    await page.getByRole('heading', { name: 'Water the plants' }).waitFor();
    await page.getByText('Weekly on Mon, Thu').waitFor();
  });

  test("a bad RRULE gets the server's message next to the RRULE field", async () => {
    await page.goto('/#/reminders/new');
    await page.getByLabel('Message').fill('Never');
    await page.getByLabel('Repeat').selectOption('custom');
    await page.getByLabel('RRULE').fill('FREQ=SOMETIMES');
    await page.getByRole('button', { name: 'Schedule reminder' }).click();
    const field = page.locator('div', { has: page.getByLabel('RRULE') }).last();
    const error = field.locator('[data-field-error]');
    await error.waitFor();
    assert.match((await error.textContent())!, /FREQ/);
    assert.equal(await page.getByLabel('RRULE').getAttribute('aria-invalid'), 'true');
  });

  test('a webhook that fails twice then succeeds shows RETRIED, then SENT with three attempts on the timeline', async () => {
    let calls = 0;
    let release!: () => void;
    const third = new Promise<void>((resolve) => (release = resolve));
    const receiver: Server = createServer((req, res) => {
      req.resume();
      calls += 1;
      if (calls <= 2) return void res.writeHead(500).end('not yet');
      void third.then(() => res.writeHead(200).end('ok'));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const id = await create(ada.token, { message: 'Deploy window opens', remindAt: inMs(1000), channels: [{ kind: 'WEBHOOK', target }] });
      await page.goto(`/#/reminders/${encodeURIComponent(id)}`);
      await page.getByTestId('reminder-status').locator('[data-status="RETRIED"]').waitFor({ timeout: 15_000 });
      release();
      await page.getByTestId('reminder-status').locator('[data-status="SENT"]').waitFor({ timeout: 15_000 });
      const attempts = page.locator('[data-attempt]');
      await attempts.nth(2).waitFor();
      assert.deepEqual(await attempts.locator('[data-status]').allTextContents(), ['RETRYING', 'RETRYING', 'SUCCEEDED']);
      await assertAccessible(page, "a reminder's timeline");
      await screenshot(page, 'console-timeline');
    } finally {
      release();
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  test('a FAILED webhook delivery is sent again from the timeline with Send again', async () => {
    let calls = 0;
    // WEBHOOK_RETRIES=3: four refusals fail the delivery; the redelivery then succeeds.
    const receiver: Server = createServer((req, res) => {
      req.resume();
      calls += 1;
      res.writeHead(calls <= 4 ? 503 : 200).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const id = await create(ada.token, { message: 'Invoice run', remindAt: inMs(800), channels: [{ kind: 'WEBHOOK', target }] });
      await page.goto(`/#/reminders/${encodeURIComponent(id)}`);
      const delivery = page.locator('[data-delivery]');
      await delivery.locator('[data-status="FAILED"]').first().waitFor({ timeout: 20_000 });
      await delivery.getByRole('button', { name: 'Send again' }).click();
      await delivery.locator('[data-status="SUCCEEDED"]').first().waitFor({ timeout: 20_000 });
      assert.equal(await delivery.locator('[data-attempt]').count(), 5);
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  test("another account's reminders never appear, neither listed, live nor by id", async () => {
    const secretId = await create(bob.token, { message: "Bob's surprise party", remindAt: inMs(60_000) });
    await create(bob.token, { message: "Bob's due now", remindAt: inMs(500) });
    await page.goto('/#/reminders');
    await create(ada.token, { message: 'Ada after Bob', remindAt: inMs(900) });
    // Ada's own reminder fired after Bob's: had Bob's reached her, it would be on the page by now.
    await rowStatus(page, 'Ada after Bob').and(page.locator('[data-status="SENT"]')).waitFor({ timeout: 10_000 });
    assert.equal(await page.getByText("Bob's").count(), 0);
    assert.equal(await page.locator('[data-toast]', { hasText: "Bob's" }).count(), 0);
    await page.goto(`/#/reminders/${encodeURIComponent(secretId)}`);
    await page.getByText('No such reminder in this account.').waitFor();
  });

  test('the account page creates a token shown once, and lists it with its last use', async () => {
    await page.goto('/#/account');
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByLabel('New token name').fill('Laptop');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('created-token').textContent())!;
    assert.match(token, /^tk_/);
    await page.getByRole('cell', { name: 'Laptop', exact: true }).waitFor();
    assert.equal((await graphqlData(server.url, { token, query: '{ me { name } }' })).me.name, 'Ada');
    await assertAccessible(page, 'the account page');
  });

  test('on first run, the admin token creates an account whose token is shown once, then signs in', async () => {
    const fresh = await openPage(browser, baseUrl(server.url));
    try {
      await fresh.getByRole('tab', { name: 'First run: create an account' }).click();
      await fresh.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
      await fresh.getByLabel('Account name').fill('Grace');
      await fresh.getByRole('button', { name: 'Create account' }).click();
      assert.match((await fresh.getByTestId('new-token').textContent())!, /^tk_/);
      await assertAccessible(fresh, 'the first-run page');
      await fresh.getByRole('button', { name: 'Continue to the console' }).click();
      await fresh.locator('[data-live-state="live"]').waitFor();
      assert.equal(await fresh.getByTestId('account-name').textContent(), 'Grace');
      await fresh.getByText('No reminders yet.').waitFor();
    } finally {
      await fresh.context().close();
    }
  });

  test('the live indicator reports a server restart, and the list catches up with what happened meanwhile', async () => {
    await page.goto('/#/reminders');
    await page.locator('[data-live-state="live"]').waitFor();
    await screenshot(page, 'console-reminders');
    const port = new URL(server.url).port;
    await server.stop();
    await page.locator('[data-live-state="down"]').waitFor({ timeout: 10_000 });
    // Another process of the same installation keeps working meanwhile.
    const other = await startTestServer({ db, env: ENV });
    await create(ada.token, { message: 'Scheduled while you were away', remindAt: inMs(3_600_000) }, other.url);
    await other.stop();
    server = await startTestServer({ db, env: { ...ENV, PORT: port } });
    await page.locator('[data-live-state="live"]').waitFor({ timeout: 15_000 });
    await rowStatus(page, 'Scheduled while you were away').waitFor({ timeout: 10_000 });
  });
});
