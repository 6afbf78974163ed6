import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Why the browser tests cannot run here, or false. */
export const skipReason = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;

/**
 * Debian's Chromium, headless. Without the background-networking flags it dials Google services at
 * start, which this machine's closed network refuses, and those failures spill into page loads.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh context (its own localStorage), as axe needs, at a desktop size unless told otherwise. */
export async function openPage(browser: Browser, url: string, viewport = { width: 1280, height: 820 }): Promise<Page> {
  const context = await browser.newContext({ viewport, baseURL: url, reducedMotion: 'reduce' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto('/');
  return page;
}

export function baseUrl(graphqlUrl: string): string {
  return graphqlUrl.replace(/graphql$/, '');
}

/** Signs in through the form, as a person would, and waits for the live link. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.getByRole('textbox', { name: 'API token' }).fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-live-state="live"]').waitFor({ timeout: 10_000 });
}

/** Fails with the rule and the elements when axe finds a serious or critical violation. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`),
    [],
    `axe found serious violations on ${what}`,
  );
}

/** Saves a screenshot into docs/ for the README (kept true by re-running the tests). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(new URL('../../docs/', import.meta.url), { recursive: true });
  await page.screenshot({ path: new URL(`../../docs/${name}.png`, import.meta.url).pathname });
}

/** The badge status of the reminder row with this message in the list. */
export function rowStatus(page: Page, message: string) {
  return page.locator('li[data-reminder-id]', { hasText: message }).locator('[data-status]');
}
