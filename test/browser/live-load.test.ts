// The reminders list loads after its live subscriptions are established: a reminder that fires while
// the list query is in flight shows its new status without a reload. The race is made to happen every
// time: the list's HTTP response is read from the server at once (a snapshot from before the firing)
// and held back until the firing has been heard elsewhere.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page, Route } from 'playwright-core';
import { within, wsClient } from '../helpers/clients.ts';
import { createReminder, expire, type Account } from '../helpers/reminders.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { baseUrl, launchBrowser, openPage, signIn, skipReason } from './helpers.ts';

describe('the web console: a reminder that fires while the list loads', { skip: skipReason }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let account: Account;

  before(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    account = await server.createAccount('Racing console', 'Europe/Paris');
    page = await openPage(browser, baseUrl(server.url));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the row shows the fired status without a reload, though the list was read before the firing', async () => {
    const reminder = await createReminder(server.url, account, { message: 'Fires while the list loads', remindAt: '2031-03-04T09:00:00.000Z' });

    // Another client hears the expiry; the server says when it listens (the acknowledgement the console relies on too).
    const { client } = wsClient(server.url, account.token);
    const heard: any[] = [];
    let listening!: () => void;
    const acknowledged = new Promise<void>((resolve) => (listening = resolve));
    let expired!: () => void;
    const fired = new Promise<void>((resolve) => (expired = resolve));
    const stop = client.subscribe(
      { query: 'subscription { reminderExpired { cursor reminder { id status } } }', extensions: { subscribedAck: true } },
      {
        next: (value: any) => {
          heard.push(value);
          if (value.extensions?.subscribed === true) listening();
          if (value.data?.reminderExpired?.reminder.id === reminder.id) expired();
        },
        error: (error) => heard.push({ error }),
        complete: () => undefined,
      },
    );
    await within(acknowledged, 5000, 'the acknowledgement of the listening subscription');
    assert.equal(heard[0]?.data, undefined, 'the acknowledgement carries no data');

    // The first list query: its response is read now, before the firing, and handed over after it.
    let snapshotTaken!: () => void;
    const snapshot = new Promise<void>((resolve) => (snapshotTaken = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    await page.route('**/graphql', async (route: Route) => {
      const body = route.request().postDataJSON() as { query?: string } | null;
      if (held || !body?.query?.includes('query Reminders(')) return route.fallback();
      held = true;
      const response = await route.fetch();
      const listed = JSON.stringify(await response.json());
      assert.ok(listed.includes('"SCHEDULED"'), 'the held list was read before the firing');
      snapshotTaken();
      await released;
      await route.fulfill({ response });
    });

    await signIn(page, account.token);
    await within(snapshot, 10_000, 'the list query');
    await expire(server.url, account, reminder.id);
    await within(fired, 10_000, 'the expiry');
    release();

    await page.locator('li[data-reminder-id]', { hasText: 'Fires while the list loads' }).waitFor();
    await page.locator('li[data-reminder-id]', { hasText: 'Fires while the list loads' }).locator('[data-status="SENT"]').waitFor({ timeout: 5000 });
    stop();
    await client.dispose();
    await page.unroute('**/graphql');
  });
});
