// The bot told LAGGED (its socket fell behind a shared subscription) resumes from the cursor the
// server names, through the shared client: each expiry sent to the chat once, in order.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createReminder, expire, inMs, type Account } from '../helpers/reminders.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { spawnBot, type BotProcess } from './bot-process.ts';
import { FakeBotApi } from './fake-bot-api.ts';

const STATE_KEY = 'telegram-test-state-key-0123456789abcdef';
const CHAT = 7001;
const NORMAL_LIMIT = 256 * 1024;

let sendQueueLimit = NORMAL_LIMIT;
let server: TestServer;
let account: Account;
let fake: FakeBotApi;
let dataDir: string;
let bot: BotProcess;

before(async () => {
  server = await startTestServer({ sendQueueLimitBytes: () => sendQueueLimit });
  account = await server.createAccount('Ada', 'Europe/Paris');
  fake = new FakeBotApi();
  const apiRoot = await fake.start();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tickler-telegram-lagged-'));
  bot = spawnBot({ TICKLER_URL: server.url, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: apiRoot, TELEGRAM_STATE_KEY: STATE_KEY, TELEGRAM_DATA_DIR: dataDir });
  await bot.waitForLog((line) => line.msg === 'Telegram bot is running', 90_000);
});

after(async () => {
  await bot?.stop();
  await fake?.stop();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const expiries = () => fake.botMessages(CHAT).map((m) => m.history[0]!.split('\n')[0]!).filter((t) => t.startsWith('⏰ ')).map((t) => t.slice(2));
const sent = (message: string, timeoutMs: number) => fake.waitFor(() => expiries().includes(message), timeoutMs, `the expiry "${message}" in the chat`);
const expireNew = async (message: string) => expire(server.url, account, (await createReminder(server.url, account, { message, remindAt: inMs(3_600_000) })).id);

test('told LAGGED, the bot resumes from the cursor: each expiry sent once, in order, none missing', async () => {
  // A chat linked to an account with no expiry yet starts without a cursor: a live-only, shared subscription.
  fake.say(CHAT, account.token);
  await fake.waitFor(() => fake.botMessages(CHAT).find((m) => /^Linked to Ada/.test(m.history[0]!)), 30_000, 'the chat linked');
  for (let i = 0; !expiries().some((t) => t.startsWith('probe')); i++) {
    assert.ok(i < 30, 'the subscription never became live');
    await expireNew(`probe ${i}`);
    await sent(`probe ${i}`, 3_000).catch(() => undefined);
  }
  await expireNew('before the lag');
  await sent('before the lag', 30_000);

  // From now on every shared message finds the socket's send queue full.
  sendQueueLimit = 1;
  const names = ['lag 1', 'lag 2', 'lag 3', 'lag 4', 'lag 5'];
  for (const name of names) await expireNew(name);
  // The chat gets about one message a second (Telegram's limit): generous deadlines.
  for (const name of names) await sent(name, 45_000);
  await bot.waitForLog((line) => line.state === 'lagged' && typeof line.cursor === 'string', 5_000);

  sendQueueLimit = NORMAL_LIMIT;
  await expireNew('after');
  await sent('after', 30_000);

  const shown = expiries().filter((t) => !t.startsWith('probe'));
  assert.deepEqual(shown, ['before the lag', ...names, 'after'], `each sent once, in order: ${shown.join(', ')}`);
});
