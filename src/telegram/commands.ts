/**
 * The chat side: linking by token, the commands, and the buttons under an expiry. Each handler
 * asks Tickler through the public API with the token of the chat's own link, and answers in words
 * a person can act on; a handler never stays silent.
 */
import type { Bot, Context } from 'grammy';
import { fieldName, TicklerClientError, unwrap } from '../client/errors.ts';
import { createHttpClient, type HttpClient } from '../client/http.ts';
import { CancelReminderMutation, CreateReminderMutation, MeQuery, ReminderQuery, RemindersQuery, SnoozeReminderMutation } from '../client/operations.ts';
import { parseDuration, parseWhen } from '../client/when.ts';
import type { Logger } from '../platform/logger.ts';
import type { ExpiryDelivery } from './expiries.ts';
import { describeRecurrence, formatDuration, formatWhen, HELP, NOT_LINKED, parseButtonData } from './messages.ts';
import type { Outbox } from './outbox.ts';
import type { Link, StateStore } from './state-store.ts';
import { latestExpiryCursor } from './head-cursor.ts';
import { UpdateTimeZoneMutation } from './operations.ts';

export type ChatDeps = {
  ticklerUrl: string;
  store: StateStore;
  outbox: Outbox;
  expiries: ExpiryDelivery;
  log: Logger;
  now: () => Date;
};

const TOKEN = /\btk_[A-Za-z0-9_-]{16,}/;
const LIST_SIZE = 20;

export function registerChatHandlers(bot: Bot, deps: ChatDeps): void {
  const { store, outbox, expiries, now } = deps;
  /** The reminder ids of each chat's last /list, for "/cancel 2". */
  const lists = new Map<number, string[]>();
  const api = (link: Link): HttpClient => createHttpClient({ url: deps.ticklerUrl, token: link.token, userAgent: 'tickler-telegram' });
  const say = (chatId: number, text: string) => outbox.reply(chatId, text);

  /** Runs a linked chat's command, turning client errors into replies. */
  const linked = (handler: (ctx: Context, chatId: number, link: Link) => Promise<void>) => async (ctx: Context) => {
    const chatId = ctx.chat!.id;
    const link = store.get(chatId);
    if (!link) return say(chatId, NOT_LINKED);
    try {
      await handler(ctx, chatId, link);
    } catch (error) {
      say(chatId, await explain(error, chatId));
    }
  };

  const explain = async (error: unknown, chatId: number): Promise<string> => {
    if (!(error instanceof TicklerClientError)) {
      deps.log.error({ chatId, err: error }, 'command failed');
      return 'Something went wrong on my side; please try again.';
    }
    if (error.kind === 'auth') {
      await forget(chatId);
      return 'Tickler refused this chat\'s token (revoked?), so I unlinked the chat. Send a new token to link it again.';
    }
    if (error.kind === 'network') return `I cannot reach Tickler right now (${error.message}). Please try again in a moment.`;
    if (error.kind === 'usage') return error.message;
    if (error.fieldErrors.length) return `Tickler refused that: ${error.fieldErrors.map((e) => `${fieldName(e.path)} ${e.message}`).join('; ')}`;
    return `Tickler said: ${error.message}`;
  };

  const forget = async (chatId: number) => {
    lists.delete(chatId);
    expiries.lastExpired.delete(chatId);
    void expiries.unwatch(chatId);
    await store.unlink(chatId);
  };

  bot.command(['start', 'help'], (ctx) => {
    const link = store.get(ctx.chat.id);
    say(ctx.chat.id, link ? `${HELP}\n\nThis chat is linked to ${link.accountName} (${link.timeZone}).` : HELP);
  });

  bot.command('unlink', async (ctx) => {
    if (!store.get(ctx.chat.id)) return say(ctx.chat.id, 'This chat is not linked; there is nothing to forget.');
    await forget(ctx.chat.id);
    say(ctx.chat.id, 'Unlinked: I forgot the token and will send no more reminders here. Your reminders stay in Tickler; send a token to link again.');
  });

  bot.command(
    'remind',
    linked(async (ctx, chatId, link) => {
      const text = String(ctx.match ?? '').trim();
      if (!text) return say(chatId, 'Tell me when and what, e.g.\n/remind in 10m call mom\n/remind tomorrow 9am stand-up\n/remind every weekday 9:00 stand-up');
      const me = await api(link).request(MeQuery);
      if (me.me.timeZone !== link.timeZone) await store.update(chatId, { timeZone: me.me.timeZone });
      const timeZone = me.me.timeZone;
      const at = now();
      const when = parseWhen(text, { now: at, timeZone });
      if (!when.rest) return say(chatId, `Remind you of what at ${formatWhen(when.at, timeZone, at)}? Add the message, e.g. /remind ${text} call mom`);
      if (!when.recurrence && when.at.getTime() <= at.getTime()) {
        return say(chatId, `${formatWhen(when.at, timeZone, at)} has already passed. Say e.g. "in 10m" or "tomorrow 9am".`);
      }
      const result = await api(link).request(CreateReminderMutation, {
        input: { message: when.rest, remindAt: when.at.toISOString(), timeZone, recurrence: when.recurrence },
      });
      const { reminder } = unwrap(result.createReminder, 'CreateReminderPayload');
      const repeat = reminder.recurrence ? `\nRepeats ${describeRecurrence(reminder.recurrence)}.` : '';
      say(chatId, `⏰ Reminder set for ${formatWhen(reminder.remindAt, timeZone, now())} (${timeZone}), in ${formatDuration(Date.parse(String(reminder.remindAt)) - at.getTime())}: ${reminder.message}${repeat}`);
    }),
  );

  bot.command(
    'list',
    linked(async (_ctx, chatId, link) => {
      const data = await api(link).request(RemindersQuery, { status: 'SCHEDULED', first: LIST_SIZE });
      const reminders = data.reminders.edges.map((edge) => edge.node);
      lists.set(chatId, reminders.map((r) => r.id));
      if (!reminders.length) return say(chatId, 'No scheduled reminders. Make one with /remind in 10m stretch');
      const lines = reminders.map((r, i) => `${i + 1}. ${formatWhen(r.remindAt, r.timeZone, now())}: ${r.message}${r.recurrence ? ' (repeats)' : ''}`);
      const more = data.reminders.pageInfo.hasNextPage ? `\n…and more; these are the first ${LIST_SIZE}.` : '';
      say(chatId, `Scheduled reminders:\n${lines.join('\n')}${more}\n\n/cancel <number> cancels one; /snooze <number> 30m snoozes one.`);
    }),
  );

  /** A reminder named by its /list number or its id. */
  const pick = (chatId: number, ref: string | undefined, command: string): string => {
    if (!ref) throw new TicklerClientError('usage', `Which one? Send /list, then /${command} <number>.`);
    if (/^\d+$/.test(ref)) {
      const ids = lists.get(chatId);
      if (!ids) throw new TicklerClientError('usage', `Send /list first, then /${command} <number>.`);
      const id = ids[Number(ref) - 1];
      if (!id) throw new TicklerClientError('usage', `There is no number ${ref} in your last /list (1 to ${ids.length}).`);
      return id;
    }
    return ref;
  };

  bot.command(
    'cancel',
    linked(async (ctx, chatId, link) => {
      const id = pick(chatId, String(ctx.match ?? '').trim().split(/\s+/)[0] || undefined, 'cancel');
      const result = await api(link).request(CancelReminderMutation, { id });
      const { reminder } = unwrap(result.cancelReminder, 'CancelReminderPayload');
      say(chatId, `Cancelled: ${reminder.message}`);
    }),
  );

  bot.command(
    'snooze',
    linked(async (ctx, chatId, link) => {
      const args = String(ctx.match ?? '').trim().split(/\s+/).filter(Boolean);
      const usage = 'Say for how long, e.g. /snooze 30m (the last reminder I sent) or /snooze 2 1h (number 2 of /list).';
      const numbered = args.length > 1 && /^\d+$/.test(args[0]!);
      const durationText = (numbered ? args.slice(1) : args).join(' ');
      const ms = durationText ? parseDuration(durationText) : null;
      if (!ms || ms <= 0) return say(chatId, usage);
      const id = numbered ? pick(chatId, args[0], 'snooze') : expiries.lastExpired.get(chatId);
      if (!id) return say(chatId, `I have not sent you a reminder since I started. ${usage}`);
      const until = new Date(now().getTime() + ms);
      const result = await api(link).request(SnoozeReminderMutation, { input: { id, until: until.toISOString() } });
      const { reminder } = unwrap(result.snoozeReminder, 'SnoozeReminderPayload');
      say(chatId, `💤 Snoozed until ${formatWhen(reminder.remindAt, reminder.timeZone, now())}: ${reminder.message}`);
    }),
  );

  bot.command(
    'tz',
    linked(async (ctx, chatId, link) => {
      const zone = String(ctx.match ?? '').trim();
      if (!zone) {
        const me = await api(link).request(MeQuery);
        return say(chatId, `Your time zone is ${me.me.timeZone}. Change it with /tz Area/City, e.g. /tz Europe/Paris.`);
      }
      const result = await api(link).request(UpdateTimeZoneMutation, { timeZone: zone });
      const { account } = unwrap(result.updateAccount, 'UpdateAccountPayload');
      await store.update(chatId, { timeZone: account.timeZone });
      say(chatId, `Time zone set to ${account.timeZone}. Times you give me are read there from now on.`);
    }),
  );

  bot.on('callback_query:data', async (ctx) => {
    const chatId = ctx.callbackQuery.message?.chat.id;
    const messageId = ctx.callbackQuery.message?.message_id;
    const action = parseButtonData(ctx.callbackQuery.data);
    const link = chatId === undefined ? undefined : store.get(chatId);
    if (!action || chatId === undefined || messageId === undefined) return void (await ctx.answerCallbackQuery({ text: 'I do not know this button any more.' }));
    if (!link) return void (await ctx.answerCallbackQuery({ text: 'This chat is no longer linked to Tickler.', show_alert: true }));
    const original = ctx.callbackQuery.message && 'text' in ctx.callbackQuery.message ? ctx.callbackQuery.message.text ?? '' : '';
    let outcome: string;
    try {
      if (action.kind === 'snooze') {
        const result = await api(link).request(SnoozeReminderMutation, { input: { id: action.reminderId, minutes: action.minutes } });
        const { reminder } = unwrap(result.snoozeReminder, 'SnoozeReminderPayload');
        outcome = `💤 Snoozed until ${formatWhen(reminder.remindAt, reminder.timeZone, now())}`;
      } else {
        const data = await api(link).request(ReminderQuery, { id: action.reminderId });
        const reminder = data.reminder;
        if (!reminder) outcome = '✅ Done (the reminder no longer exists in Tickler)';
        else if (reminder.recurrence && reminder.status === 'SCHEDULED') outcome = `✅ Done. Next: ${formatWhen(reminder.remindAt, reminder.timeZone, now())}`;
        else outcome = '✅ Done';
      }
    } catch (error) {
      const text = await explain(error, chatId);
      return void (await ctx.answerCallbackQuery({ text: text.slice(0, 200), show_alert: true }).catch((e) => outbox.failed('answerCallbackQuery', chatId, e)));
    }
    // Telegram refuses answers to presses older than a few minutes; the edit below still says what happened.
    await ctx.answerCallbackQuery({ text: outcome.slice(0, 200) }).catch((error) => outbox.failed('answerCallbackQuery', chatId, error));
    outbox.edit(chatId, messageId, `${original}\n${outcome}`).catch((error) => outbox.failed('editMessageText', chatId, error));
  });

  bot.on('message:text', async (ctx) => {
    const chatId = ctx.chat.id;
    const token = TOKEN.exec(ctx.message.text)?.[0];
    if (token) return link(ctx, chatId, ctx.message.message_id, token);
    if (ctx.message.text.startsWith('/')) return say(chatId, `I do not know ${ctx.message.text.split(/\s/)[0]}. /help lists what I can do.`);
    say(chatId, store.get(chatId) ? 'I only understand commands here, e.g. /remind in 10m call mom. /help lists them all.' : NOT_LINKED);
  });

  /** Verifies a token with Tickler, keeps it (encrypted), and deletes the message that showed it. */
  const link = async (_ctx: Context, chatId: number, messageId: number, token: string) => {
    outbox.delete(chatId, messageId).catch((error) => outbox.failed('deleteMessage', chatId, error));
    const client = createHttpClient({ url: deps.ticklerUrl, token, userAgent: 'tickler-telegram' });
    let me;
    let cursor: string | null;
    try {
      me = (await client.request(MeQuery)).me;
      const previous = store.get(chatId);
      cursor = previous?.token === token ? previous.cursor : await latestExpiryCursor(client);
    } catch (error) {
      if (error instanceof TicklerClientError && (error.kind === 'auth' || error.kind === 'forbidden')) {
        return say(chatId, 'Tickler refused that token, so nothing was linked. Check that you copied all of it and that it is not revoked. (I deleted your message anyway.)');
      }
      return say(chatId, await explain(error, chatId));
    }
    await store.link({ chatId, token, accountName: me.name, timeZone: me.timeZone, linkedAt: now().toISOString(), cursor });
    await expiries.watch(store.get(chatId)!);
    deps.log.info({ chatId, account: me.id }, 'chat linked');
    say(chatId, `Linked to ${me.name} (time zone ${me.timeZone}). I deleted your message and keep the token encrypted. Try /remind in 10m stretch, or /help.`);
  };
}
