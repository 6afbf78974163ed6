// The real bot process against a fake Bot API on loopback and a real Tickler server: linking,
// commands, expiries with buttons, 429s and restarts, seen from the chat.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { graphqlData, Subscription, wsClient } from '../helpers/clients.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { spawnBot, type BotProcess } from './bot-process.ts';
import { FakeBotApi, type FakeMessage } from './fake-bot-api.ts';
import { formatWhen } from '../../src/telegram/messages.ts';

const STATE_KEY = 'telegram-test-state-key-0123456789abcdef';
const CHAT = 5001;

let db: TestDatabase;
let server: TestServer;
let account: { id: string; token: string };
let fake: FakeBotApi;
let apiRoot: string;
let dataDir: string;
let bot: BotProcess;

/** Every bot process the file started, so that all their logs are checked for secrets at the end. */
const started: BotProcess[] = [];

function startBot(extra: Record<string, string> = {}): BotProcess {
  const started_ = spawnBot({
    TICKLER_URL: server.url,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_STATE_KEY: STATE_KEY,
    TELEGRAM_DATA_DIR: dataDir,
    ...extra,
  });
  started.push(started_);
  return started_;
}

// Generous deadlines: the machine running the tests may be busy; a deadline is not a sleep.
const running = (b: BotProcess) => b.waitForLog((line) => line.msg === 'Telegram bot is running', 90_000);

before(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ db });
  account = await server.createAccount('Ada', 'Europe/Paris');
  fake = new FakeBotApi();
  apiRoot = await fake.start();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tickler-telegram-'));
  bot = startBot();
  await running(bot);
});

after(async () => {
  await bot?.stop();
  if (process.env.TELEGRAM_TRANSCRIPT) console.log(fake.readableTranscript());
  await fake?.stop();
  await server?.stop();
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The first message of the bot in `chat` whose text matches. */
function botSays(chat: number, pattern: RegExp, timeoutMs = 30_000): Promise<FakeMessage> {
  return fake.waitFor(() => fake.botMessages(chat).find((m) => pattern.test(m.history[0]!)), timeoutMs, `the bot saying ${pattern}`);
}

/** Everything the bot has said in `chat` since `since` messages. */
function newMessages(chat: number, since: number, count: number, pattern: RegExp, timeoutMs = 30_000): Promise<FakeMessage[]> {
  return fake.waitFor(
    () => {
      const found = fake.botMessages(chat).slice(since).filter((m) => pattern.test(m.history[0]!));
      return found.length >= count ? found : undefined;
    },
    timeoutMs,
    `${count} messages matching ${pattern}`,
  );
}

async function api<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, token = account.token): Promise<T> {
  return graphqlData<T>(server.url, { query, variables, token });
}

async function createReminder(message: string, remindAt: Date): Promise<string> {
  const data = await api<{ createReminder: { reminder: { id: string } } }>(
    `mutation($input: CreateReminderInput!) { createReminder(input: $input) { ... on CreateReminderPayload { reminder { id } } } }`,
    { input: { message, remindAt: remindAt.toISOString() } },
  );
  return data.createReminder.reminder.id;
}

test('a wrong token is refused, nothing is linked, and the message holding it is deleted', async () => {
  const wrong = fake.say(CHAT + 1, `tk_${'x'.repeat(43)}`);
  await botSays(CHAT + 1, /refused that token/);
  await fake.waitFor(() => wrong.deleted, 20_000, 'the token message deleted');
  fake.say(CHAT + 1, '/list');
  await botSays(CHAT + 1, /not linked/);
});

test('sending an API token links the chat; the token is deleted from the chat and encrypted at rest', async () => {
  const message = fake.say(CHAT, account.token);
  await botSays(CHAT, /^Linked to Ada \(time zone Europe\/Paris\)/);
  await fake.waitFor(() => message.deleted, 20_000, 'the token message deleted');
  const state = await readFile(path.join(dataDir, 'state.json'), 'utf8');
  assert.ok(state.includes(`"${CHAT}"`), 'the link is stored');
  assert.ok(!state.includes(account.token), 'the token is not stored in clear');
});

test('/remind in 2s confirms the exact time, then arrives with buttons; Snooze moves it and it arrives again; Done', async () => {
  const before = fake.botMessages(CHAT).length;
  fake.say(CHAT, '/remind in 2s stretch your legs');
  const confirmation = await botSays(CHAT, /^⏰ Reminder set for .* \(Europe\/Paris\), in 2 s: stretch your legs$/);

  const [expiry] = await newMessages(CHAT, before, 1, /^⏰ stretch your legs$/);
  const buttons = expiry!.reply_markup!.inline_keyboard.flat();
  assert.deepEqual(buttons.map((b) => b.text), ['Snooze 10 min', 'Snooze 1 h', 'Done']);
  const reminderId = buttons[0]!.callback_data!.split(':')[1]!;
  const fired = await api<{ reminder: { remindAt: string } }>(`query($id: ID!) { reminder(id: $id) { remindAt } }`, { id: reminderId });
  assert.ok(confirmation.text.includes(formatWhen(fired.reminder.remindAt, 'Europe/Paris', new Date())), 'the confirmation gave the exact time, to the second');

  const pressedAt = Date.now();
  fake.press(CHAT, expiry!.message_id, buttons[0]!.callback_data!);
  await fake.waitFor(() => expiry!.history.find((t) => /💤 Snoozed until/.test(t)), 20_000, 'the message edited to say it was snoozed');
  await fake.waitForCall((call) => call.method === 'answerCallbackQuery' && /Snoozed/.test(call.payload.text));
  assert.deepEqual(expiry!.reply_markup, undefined, 'the buttons are gone from the snoozed message');
  const { reminder } = await api<{ reminder: { remindAt: string; status: string } }>(`query($id: ID!) { reminder(id: $id) { remindAt status } }`, { id: reminderId });
  const snoozedFor = Date.parse(reminder.remindAt) - pressedAt;
  assert.ok(snoozedFor > 9 * 60_000 && snoozedFor <= 10 * 60_000 + 5000, `snoozed by about 10 minutes (got ${snoozedFor} ms)`);

  // Ten minutes are too long for a test: expire it now, through the same path as a due one.
  const seen = fake.botMessages(CHAT).length;
  await api(`mutation($id: ID!) { expireReminder(id: $id) { __typename } }`, { id: reminderId });
  const [again] = await newMessages(CHAT, seen, 1, /^⏰ stretch your legs$/);
  const done = again!.reply_markup!.inline_keyboard.flat().find((b) => b.text === 'Done')!;
  fake.press(CHAT, again!.message_id, done.callback_data!);
  await fake.waitFor(() => again!.history.find((t) => /✅ Done/.test(t)), 20_000, 'the message edited to say done');
});

test('bad input gets a helpful reply, and /list, /cancel and /tz work', async () => {
  fake.say(CHAT, '/remind');
  await botSays(CHAT, /^Tell me when and what/);
  fake.say(CHAT, '/remind whenever you like');
  await botSays(CHAT, /Cannot read a time/);
  fake.say(CHAT, '/snooze');
  await botSays(CHAT, /^Say for how long/);
  fake.say(CHAT, '/frobnicate');
  await botSays(CHAT, /I do not know \/frobnicate/);
  fake.say(CHAT, '/tz Mars/Olympus_Mons');
  await botSays(CHAT, /^Tickler refused that: timeZone must be an IANA time-zone name/);

  await createReminder('water the plants', new Date(Date.now() + 3 * 3600_000));
  fake.say(CHAT, '/list');
  const list = await botSays(CHAT, /^Scheduled reminders:\n1\. .*water the plants/);
  assert.match(list.text, /\/cancel <number>/);
  fake.say(CHAT, '/cancel 1');
  await botSays(CHAT, /^Cancelled: water the plants$/);
  fake.say(CHAT, '/remind every weekday 9:00 stand-up');
  await botSays(CHAT, /^⏰ Reminder set for (Mon|Tue|Wed|Thu|Fri) .* 09:00 \(Europe\/Paris\), in .*: stand-up\nRepeats every weekday: ((Mon|Tue|Wed|Thu|Fri) [^,]* 09:00, ){5}…$/);
  fake.say(CHAT, '/tz');
  await botSays(CHAT, /^Your time zone is Europe\/Paris/);
});

test('/remind of a series shows the occurrences the server previews, in the account zone, and creates exactly that series', async () => {
  // Started on a Thursday, repeating on Mondays: RFC 5545 (and the server) count the start as the
  // first occurrence; the clocks change on Sun 30 Mar 2031, and the Mondays stay at 10:00 Paris time.
  fake.say(CHAT, '/remind every mon 2031-03-06 10:00 plan the week');
  const reply = await botSays(CHAT, /: plan the week\n/);
  const [head, series] = reply.text.split('\n');
  assert.match(head!, /^⏰ Reminder set for Thu 6 Mar 2031 10:00 \(Europe\/Paris\), in .*: plan the week$/);
  assert.equal(series, 'Repeats every Mon: Thu 6 Mar 2031 10:00, Mon 10 Mar 2031 10:00, Mon 17 Mar 2031 10:00, Mon 24 Mar 2031 10:00, Mon 31 Mar 2031 10:00, …');

  // What was created is what was shown: the same start, rule and zone, which the server expands to the same instants.
  const { reminders } = await api<{ reminders: { edges: { node: { remindAt: string; recurrence: string; timeZone: string; message: string } }[] } }>(
    `{ reminders(first: 100) { edges { node { message remindAt recurrence timeZone } } } }`);
  const created = reminders.edges.map((e) => e.node).filter((r) => r.message === 'plan the week');
  assert.equal(created.length, 1);
  assert.deepEqual(created[0], { message: 'plan the week', remindAt: '2031-03-06T09:00:00.000Z', recurrence: 'FREQ=WEEKLY;BYDAY=MO', timeZone: 'Europe/Paris' });
  const { recurrencePreview } = await api<{ recurrencePreview: { occurrences: string[] } }>(
    `query($at: DateTime!, $rule: String!, $tz: String) { recurrencePreview(remindAt: $at, recurrence: $rule, timeZone: $tz, count: 5) { ... on RecurrencePreview { occurrences } } }`,
    { at: created[0]!.remindAt, rule: created[0]!.recurrence, tz: created[0]!.timeZone });
  assert.deepEqual(recurrencePreview.occurrences, [
    '2031-03-06T09:00:00.000Z', '2031-03-10T09:00:00.000Z', '2031-03-17T09:00:00.000Z', '2031-03-24T09:00:00.000Z', '2031-03-31T08:00:00.000Z',
  ]);
  assert.equal(series, `Repeats every Mon: ${recurrencePreview.occurrences.map((o) => formatWhen(o, 'Europe/Paris', new Date())).join(', ')}, …`);
});

test('a 429 from Telegram is honoured: the expiry waits retry_after and arrives once', async () => {
  const from = fake.transcript.length;
  fake.failNextWith429('sendMessage', 2);
  const id = await createReminder('429 check', new Date(Date.now() + 60_000));
  await api(`mutation($id: ID!) { expireReminder(id: $id) { __typename } }`, { id });
  const refused = await fake.waitForCall((call) => call.method === 'sendMessage' && !call.ok, 30_000, from);
  assert.equal(refused.error!.error_code, 429);
  const delivered = await fake.waitForCall((call) => call.method === 'sendMessage' && call.ok && /429 check/.test(call.payload.text), 30_000, from);
  assert.ok(delivered.at - refused.at >= 2000, `retried after retry_after (waited ${delivered.at - refused.at} ms)`);
  assert.equal(fake.botMessages(CHAT).filter((m) => /429 check/.test(m.text)).length, 1);
  await bot.waitForLog((line) => line.msg?.includes('429'));
});

test('a bot restart while reminders expire loses none and sends none twice, and late ones say how late', async () => {
  // A second chat linked to the same account now starts after the expiries already sent elsewhere.
  const second = CHAT + 2;
  fake.say(second, account.token);
  await botSays(second, /^Linked to Ada/);
  const { client } = wsClient(server.url, account.token);
  const expiries = new Subscription(client, { query: 'subscription { reminderExpired { reminder { message } } }' });
  const since = fake.botMessages(CHAT).length;
  const due = new Date(Date.now() + 1500);
  for (let i = 1; i <= 6; i++) await createReminder(`burst ${i}`, due);

  // One chat gets one message a second: stop the bot while the burst is still being sent.
  await newMessages(CHAT, since, 2, /^⏰ burst/);
  await bot.stop();
  for (let i = 0; i < 6; i++) await expiries.next(30_000);
  // More expire while the bot is down.
  const down = await createReminder('while down', new Date(Date.now() + 60_000));
  await api(`mutation($id: ID!) { expireReminder(id: $id) { __typename } }`, { id: down });
  await expiries.next(30_000);
  expiries.close();
  await client.dispose();

  bot = startBot({ TELEGRAM_LATE_AFTER_SECONDS: '1' });
  await running(bot);
  const all = await newMessages(CHAT, since, 7, /^⏰ (burst|while down)/, 45_000);
  const texts = fake.botMessages(CHAT).slice(since).map((m) => m.text.split('\n')[0]!).filter((t) => /^⏰ (burst|while down)/.test(t));
  assert.deepEqual([...texts].sort(), ['⏰ burst 1', '⏰ burst 2', '⏰ burst 3', '⏰ burst 4', '⏰ burst 5', '⏰ burst 6', '⏰ while down']);
  assert.match(all.at(-1)!.text, /\(due .*, \d+ s late\)/, 'a replayed expiry says how late it is');
  await newMessages(second, 0, 7, /^⏰ (burst|while down)/, 45_000);
  const inSecond = fake.botMessages(second).map((m) => m.text.split('\n')[0]!).filter((t) => t.startsWith('⏰ ') && !t.startsWith('⏰ Reminder set'));
  assert.deepEqual(inSecond.sort(), [...texts].sort(), 'the second chat got the same expiries, and none from before it was linked');

  // The restarted bot still knows which reminder "/snooze" without a number means.
  const last = all.at(-1)!.text.split('\n')[0]!.slice(2);
  fake.say(CHAT, '/snooze 30m');
  await botSays(CHAT, new RegExp(`^💤 Snoozed until .*: ${last}$`));
});

test('a Tickler restart loses nothing: the bot reconnects and resumes after its cursor', async () => {
  const since = fake.botMessages(CHAT).length;
  await createReminder('across a Tickler restart', new Date(Date.now() + 1500));
  const port = new URL(server.url).port;
  await server.stop();
  // The same database on the same port, as after a deployment.
  server = await startTestServer({ db, env: { PORT: port } });
  await newMessages(CHAT, since, 1, /^⏰ across a Tickler restart/, 45_000);
  const id = await createReminder('after the restart', new Date(Date.now() + 60_000));
  await api(`mutation($id: ID!) { expireReminder(id: $id) { __typename } }`, { id });
  await newMessages(CHAT, since, 1, /^⏰ after the restart/, 30_000);
  const texts = fake.botMessages(CHAT).slice(since).map((m) => m.text.split('\n')[0]);
  assert.deepEqual(texts, ['⏰ across a Tickler restart', '⏰ after the restart']);
});

test('the bot refuses to start without TELEGRAM_STATE_KEY, or with another key than its state was written with', async () => {
  const env = { TICKLER_URL: server.url, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: apiRoot, TELEGRAM_DATA_DIR: dataDir };
  const keyless = spawnBot(env);
  assert.equal((await keyless.exited).code, 2);
  assert.match(keyless.stderr(), /TELEGRAM_STATE_KEY is required, at least 32 characters/);
  const otherKey = spawnBot({ ...env, TELEGRAM_STATE_KEY: 'another-key-that-is-long-enough-0123456789' });
  assert.equal((await otherKey.exited).code, 2);
  assert.ok(otherKey.logs.some((line) => /does not open/.test(line.msg)), 'it says the key does not open the state');
});

test('no log line of any bot process holds the bot token, the state key or an account token', () => {
  const lines = started.flatMap((b) => [...b.logs.map((line) => JSON.stringify(line)), b.stderr()]);
  assert.ok(lines.length > 10, `the bots logged (${lines.length} lines)`);
  for (const [name, secret] of Object.entries({ botToken: fake.token, stateKey: STATE_KEY, accountToken: account.token })) {
    assert.ok(!lines.some((line) => line.includes(secret)), `${name} appears in no log line`);
  }
});
