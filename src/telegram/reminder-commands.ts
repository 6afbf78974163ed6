/** /remind, /list, /cancel, /snooze and /tz: each a call to the API with the chat's own token. */
import type { Bot, Context } from 'grammy';
import { TicklerClientError, unwrap } from '../client/errors.ts';
import { MeQuery } from '../client/operations/account.ts';
import { UpdateAccountMutation } from '../client/operations/settings.ts';
import { CancelReminderMutation, CreateReminderMutation, RecurrencePreviewQuery, RemindersQuery, SnoozeReminderMutation } from '../client/operations/reminders.ts';
import { parseDuration, parseWhen } from '../client/when.ts';
import type { Chat } from './chat.ts';
import { describeRecurrence, describeSeries, formatDuration, formatWhen } from './messages.ts';
import type { Link } from './state-store.ts';

const LIST_SIZE = 20;
const REMIND_USAGE = 'Tell me when and what, e.g.\n/remind in 10m call mom\n/remind tomorrow 9am stand-up\n/remind every weekday 9:00 stand-up';
const SNOOZE_USAGE = 'Say for how long, e.g. /snooze 30m (the last reminder I sent) or /snooze 2 1h (number 2 of /list).';

const argsOf = (ctx: Context) => String(ctx.match ?? '').trim();

export function registerReminderCommands(bot: Bot, chat: Chat): void {
  bot.command('remind', chat.linked((ctx, chatId, link) => remind(chat, chatId, link, argsOf(ctx))));
  bot.command('list', chat.linked((_ctx, chatId, link) => list(chat, chatId, link)));
  bot.command('cancel', chat.linked((ctx, chatId, link) => cancel(chat, chatId, link, argsOf(ctx))));
  bot.command('snooze', chat.linked((ctx, chatId, link) => snooze(chat, chatId, link, argsOf(ctx))));
  bot.command('tz', chat.linked((ctx, chatId, link) => timeZone(chat, chatId, link, argsOf(ctx))));
}

/** Reads the time in the account's zone (asked afresh: it may have changed in the console) and echoes it exactly. */
async function remind(chat: Chat, chatId: number, link: Link, text: string): Promise<void> {
  if (!text) return chat.say(chatId, REMIND_USAGE);
  const api = chat.api(link.token);
  const { me } = await api.request(MeQuery);
  if (me.timeZone !== link.timeZone) await chat.store.update(chatId, { timeZone: me.timeZone });
  const at = chat.now();
  const when = parseWhen(text, { now: at, timeZone: me.timeZone });
  if (!when.rest) return chat.say(chatId, `Remind you of what at ${formatWhen(when.at, me.timeZone, at)}? Add the message, e.g. /remind ${text} call mom`);
  if (!when.recurrence && when.at.getTime() <= at.getTime()) {
    return chat.say(chatId, `${formatWhen(when.at, me.timeZone, at)} has already passed. Say e.g. "in 10m" or "tomorrow 9am".`);
  }
  // A series is shown as the server expands it (recurrencePreview, in the account's zone) and created
  // from exactly what was previewed, so what the chat reads is what fires, as in the CLI and the console.
  const occurrences = when.recurrence ? await preview(chat, link, when.at, when.recurrence, me.timeZone) : [when.at.toISOString()];
  const [first] = occurrences;
  if (!first) return chat.say(chatId, `"${describeRecurrence(when.recurrence!)}" from ${formatWhen(when.at, me.timeZone, at)} never occurs. Say e.g. /remind every monday 9:00 ${when.rest}`);
  const result = await api.request(CreateReminderMutation, {
    input: { message: when.rest, remindAt: first, timeZone: me.timeZone, recurrence: when.recurrence },
  });
  const { reminder } = unwrap(result.createReminder, 'CreateReminderPayload');
  const inHowLong = formatDuration(Date.parse(String(reminder.remindAt)) - at.getTime());
  const repeat = reminder.recurrence ? `\n${describeSeries(reminder.recurrence, occurrences, me.timeZone, at)}` : '';
  chat.say(chatId, `⏰ Reminder set for ${formatWhen(reminder.remindAt, me.timeZone, at)} (${me.timeZone}), in ${inHowLong}: ${reminder.message}${repeat}`);
}

/** The server's first occurrences of the series about to be created. The bot never expands a rule itself. */
async function preview(chat: Chat, link: Link, start: Date, recurrence: string, timeZone: string): Promise<string[]> {
  const data = await chat.api(link.token).request(RecurrencePreviewQuery, { remindAt: start.toISOString(), recurrence, timeZone });
  return unwrap(data.recurrencePreview, 'RecurrencePreview').occurrences;
}

async function list(chat: Chat, chatId: number, link: Link): Promise<void> {
  const data = await chat.api(link.token).request(RemindersQuery, { status: 'SCHEDULED', first: LIST_SIZE });
  const reminders = data.reminders.edges.map((edge) => edge.node);
  chat.lists.set(chatId, reminders.map((r) => r.id));
  if (!reminders.length) return chat.say(chatId, 'No scheduled reminders. Make one with /remind in 10m stretch');
  const lines = reminders.map((r, i) => `${i + 1}. ${formatWhen(r.remindAt, r.timeZone, chat.now())}: ${r.message}${r.recurrence ? ` (${describeRecurrence(r.recurrence)})` : ''}`);
  const more = data.reminders.pageInfo.hasNextPage ? `\n…and more; these are the first ${LIST_SIZE}.` : '';
  chat.say(chatId, `Scheduled reminders:\n${lines.join('\n')}${more}\n\n/cancel <number> cancels one; /snooze <number> 30m snoozes one.`);
}

/** A reminder named by its number in the chat's last /list, or by its id. */
function pick(chat: Chat, chatId: number, ref: string | undefined, command: string): string {
  if (!ref) throw new TicklerClientError('usage', `Which one? Send /list, then /${command} <number>.`);
  if (!/^\d+$/.test(ref)) return ref;
  const ids = chat.lists.get(chatId);
  if (!ids) throw new TicklerClientError('usage', `Send /list first, then /${command} <number>.`);
  const id = ids[Number(ref) - 1];
  if (!id) throw new TicklerClientError('usage', `There is no number ${ref} in your last /list (1 to ${ids.length}).`);
  return id;
}

async function cancel(chat: Chat, chatId: number, link: Link, args: string): Promise<void> {
  const id = pick(chat, chatId, args.split(/\s+/)[0] || undefined, 'cancel');
  const result = await chat.api(link.token).request(CancelReminderMutation, { id });
  const { reminder } = unwrap(result.cancelReminder, 'CancelReminderPayload');
  chat.say(chatId, `Cancelled: ${reminder.message}`);
}

/** "/snooze 30m" snoozes the last expiry sent to the chat; "/snooze 2 1h" number 2 of /list. */
async function snooze(chat: Chat, chatId: number, link: Link, args: string): Promise<void> {
  const words = args.split(/\s+/).filter(Boolean);
  const numbered = words.length > 1 && /^\d+$/.test(words[0]!);
  const durationText = (numbered ? words.slice(1) : words).join(' ');
  const ms = durationText ? parseDuration(durationText) : null;
  if (!ms || ms <= 0) return chat.say(chatId, SNOOZE_USAGE);
  const id = numbered ? pick(chat, chatId, words[0], 'snooze') : link.lastReminderId;
  if (!id) return chat.say(chatId, `I have not sent you a reminder yet. ${SNOOZE_USAGE}`);
  const until = new Date(chat.now().getTime() + ms);
  const result = await chat.api(link.token).request(SnoozeReminderMutation, { input: { id, until: until.toISOString() } });
  const { reminder } = unwrap(result.snoozeReminder, 'SnoozeReminderPayload');
  chat.say(chatId, `💤 Snoozed until ${formatWhen(reminder.remindAt, reminder.timeZone, chat.now())}: ${reminder.message}`);
}

async function timeZone(chat: Chat, chatId: number, link: Link, zone: string): Promise<void> {
  const api = chat.api(link.token);
  if (!zone) {
    const { me } = await api.request(MeQuery);
    return chat.say(chatId, `Your time zone is ${me.timeZone}. Change it with /tz Area/City, e.g. /tz Europe/Paris.`);
  }
  const result = await api.request(UpdateAccountMutation, { input: { timeZone: zone } });
  const { account } = unwrap(result.updateAccount, 'UpdateAccountPayload');
  await chat.store.update(chatId, { timeZone: account.timeZone });
  chat.say(chatId, `Time zone set to ${account.timeZone}. Times you give me are read there from now on.`);
}
