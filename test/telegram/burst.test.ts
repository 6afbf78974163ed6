// A 09:00 burst: one account linked in many chats, several reminders due at the same instant. The
// bot must deliver every expiry to every chat, in the same order everywhere, within Telegram's
// limits (one message a second per chat, 30 a second overall), late rather than dropped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { graphqlData } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { spawnBot, type BotProcess } from './bot-process.ts';
import { FakeBotApi } from './fake-bot-api.ts';

const CHATS = Array.from({ length: 36 }, (_, i) => 7001 + i);
const REMINDERS = 3;

let server: TestServer;
let fake: FakeBotApi;
let dataDir: string;
let bot: BotProcess;
let token: string;

before(async () => {
  server = await startTestServer();
  token = (await server.createAccount('Burst', 'Europe/Paris')).token;
  fake = new FakeBotApi();
  const apiRoot = await fake.start();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tickler-telegram-burst-'));
  bot = spawnBot({
    TICKLER_URL: server.url,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_STATE_KEY: 'telegram-burst-state-key-0123456789abcdef',
    TELEGRAM_DATA_DIR: dataDir,
    // 'telegram call' lines: when the bot's send queue let each call go.
    LOG_LEVEL: 'debug',
  });
  await bot.waitForLog((line) => line.msg === 'Telegram bot is running', 90_000);
});

after(async () => {
  await bot?.stop();
  await fake?.stop();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test(`${REMINDERS} reminders due at once reach ${CHATS.length} chats in order, within every rate limit`, async () => {
  for (const chat of CHATS) fake.say(chat, token);
  await fake.waitFor(() => CHATS.every((chat) => fake.botMessages(chat).some((m) => m.text.startsWith('Linked to Burst'))), 90_000, 'every chat linked');
  await bot.waitForLog((line) => line.msg === "listening for the chat's expiries" && line.chatId === CHATS.at(-1));

  const due = new Date(Date.now() + 1500);
  for (let i = 1; i <= REMINDERS; i++) {
    await graphqlData(server.url, {
      query: 'mutation($input: CreateReminderInput!) { createReminder(input: $input) { __typename } }',
      variables: { input: { message: `stand-up ${i}`, remindAt: due.toISOString() } },
      token,
    });
  }
  const expiries = (chat: number) => fake.botMessages(chat).filter((m) => m.text.startsWith('⏰ stand-up'));
  await fake.waitFor(() => CHATS.every((chat) => expiries(chat).length >= REMINDERS), 60_000, 'every expiry in every chat').catch((error) => {
    const got = CHATS.map((chat) => `${chat}: ${expiries(chat).map((m) => m.text.split('\n')[0]!.slice(2)).join(', ')}`);
    const problems = bot.logs.filter((line) => line.level >= 40).map((line) => JSON.stringify(line).slice(0, 300));
    throw new Error(`${(error as Error).message}\nper chat:\n${got.join('\n')}\nbot warnings:\n${problems.join('\n')}`);
  });

  const order = expiries(CHATS[0]!).map((m) => m.text.split('\n')[0]);
  assert.equal(new Set(order).size, REMINDERS, 'each reminder once');
  for (const chat of CHATS) {
    assert.deepEqual(expiries(chat).map((m) => m.text.split('\n')[0]), order, `chat ${chat} got each expiry once, in the order of their cursors`);
  }

  const sends = fake.transcript.filter((e) => e.method === 'sendMessage' && e.ok && String(e.payload.text).startsWith('⏰ stand-up'));
  // The limits are checked where they are applied, on the bot's clock: arrival times at the fake add
  // the scheduling delays of a busy machine (the fake shares its process with Tickler).
  const calls = bot.logs.filter((line) => line.msg === 'telegram call').map((line) => ({ chatId: line.chatId as number, at: line.at as number }));
  assert.ok(calls.length >= CHATS.length * REMINDERS, `the calls are logged (${calls.length})`);
  for (const chat of CHATS) {
    const times = calls.filter((c) => c.chatId === chat).map((c) => c.at);
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 1000, `chat ${chat}: ${times[i]! - times[i - 1]!} ms between two calls`);
  }
  assert.ok(maxInWindow(calls, 1000) <= 30, `at most 30 calls in any second (saw ${maxInWindow(calls, 1000)})`);
  const first = sends[0]!.at;
  const last = sends.at(-1)!.at;
  console.log(`# ${sends.length} expiries to ${CHATS.length} chats arrived within ${last - first} ms; the last ${last - (due.getTime() - fake.startedAt)} ms after it was due`);
});

function maxInWindow(entries: { at: number }[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < entries.length; end++) {
    while (entries[end]!.at - entries[start]!.at >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
