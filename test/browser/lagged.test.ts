// The console told LAGGED (its socket fell behind a shared subscription) resumes reminderExpired
// from the cursor the server names, through the shared client: each expiry shown once, in order.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { createReminder, expire, inMs, type Account } from '../helpers/reminders.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { baseUrl, launchBrowser, openPage, signIn, skipReason } from './helpers.ts';

const NORMAL_LIMIT = 256 * 1024;

describe('the web console: a subscriber that lags', { skip: skipReason }, () => {
  let sendQueueLimit = NORMAL_LIMIT;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let account: Account;
  /** What the page's socket sent and received, as parsed graphql-ws messages. */
  const frames: { sent: any[]; received: any[] } = { sent: [], received: [] };

  before(async () => {
    [server, browser] = await Promise.all([startTestServer({ sendQueueLimitBytes: () => sendQueueLimit }), launchBrowser()]);
    account = await server.createAccount('Lagging console', 'Europe/Paris');
    page = await openPage(browser, baseUrl(server.url));
    // Every toast's title, as it appears (toasts leave after a few seconds; this keeps them all).
    await page.addInitScript(() => {
      const seen: string[] = ((window as any).__toasts = []);
      new MutationObserver((records) => {
        for (const record of records) {
          for (const node of record.addedNodes) {
            if (node instanceof HTMLElement && node.matches('[data-toast]')) seen.push(node.querySelector('p')?.textContent ?? '');
          }
        }
      }).observe(document, { childList: true, subtree: true });
    });
    page.on('websocket', (socket) => {
      socket.on('framesent', (frame) => frames.sent.push(JSON.parse(String(frame.payload))));
      socket.on('framereceived', (frame) => frames.received.push(JSON.parse(String(frame.payload))));
    });
    await page.reload();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const toasts = (): Promise<string[]> => page.evaluate(() => [...(window as any).__toasts]);
  const shown = async (message: string, timeout = 10_000) => {
    const deadline = Date.now() + timeout;
    while (!(await toasts()).includes(message)) {
      if (Date.now() > deadline) throw new Error(`no toast for "${message}" within ${timeout} ms; saw ${(await toasts()).join(', ')}`);
      await page.waitForTimeout(50);
    }
  };
  const expireNew = async (message: string) => expire(server.url, account, (await createReminder(server.url, account, { message, remindAt: inMs(3_600_000) })).id);

  test('told LAGGED, the console resumes reminderExpired from the cursor: each expiry shown once, in order, none missing', async () => {
    await signIn(page, account.token);
    await page.getByText('No reminders yet.').waitFor();
    // reminderExpired is live once a probe's toast shows.
    for (let i = 0; !(await toasts()).some((t) => t.startsWith('probe')); i++) {
      assert.ok(i < 40, 'the subscription never became live');
      await expireNew(`probe ${i}`);
      await shown(`probe ${i}`, 2_000).catch(() => undefined);
    }
    await expireNew('before the lag');
    await shown('before the lag');

    // From now on every shared message finds the socket's send queue full.
    sendQueueLimit = 1;
    const names = ['lag 1', 'lag 2', 'lag 3', 'lag 4', 'lag 5'];
    for (const name of names) await expireNew(name);
    for (const name of names) await shown(name, 20_000);

    sendQueueLimit = NORMAL_LIMIT;
    await expireNew('after');
    await shown('after');

    const lagged = frames.received.filter((m) => m.type === 'error' && m.payload?.[0]?.extensions?.code === 'LAGGED');
    const expiredLag = lagged.find((m) => typeof m.payload[0].extensions.cursor === 'string');
    assert.ok(expiredLag, `the server ended reminderExpired with LAGGED and a cursor: ${JSON.stringify(lagged)}`);
    const resumed = frames.sent.filter((m) => m.type === 'subscribe' && m.payload.variables?.after === expiredLag.payload[0].extensions.cursor);
    assert.equal(resumed.length, 1, 'the page subscribed again once, after the cursor LAGGED named');
    const messages = (await toasts()).filter((t) => !t.startsWith('probe'));
    assert.deepEqual(messages, ['before the lag', ...names, 'after'], `each expiry shown once, in order: ${messages.join(', ')}`);
    assert.equal(await page.locator('[data-live-state="live"]').count(), 1, 'the live indicator never went down: no reconnection was needed');
  });
});
