/** The buttons under an expiry: Snooze 10 min, Snooze 1 h, Done. Each calls the API and edits the message. */
import type { Bot } from 'grammy';
import { unwrap } from '../client/errors.ts';
import { ReminderQuery, SnoozeReminderMutation } from '../client/operations/reminders.ts';
import type { Chat } from './chat.ts';
import { formatWhen, parseButtonData, type ButtonAction } from './messages.ts';
import type { Link } from './state-store.ts';

export function registerButtons(bot: Bot, chat: Chat): void {
  const { store, outbox } = chat;
  bot.on('callback_query:data', async (ctx) => {
    const message = ctx.callbackQuery.message;
    const chatId = message?.chat.id;
    const action = parseButtonData(ctx.callbackQuery.data);
    const answer = (text: string, alert = false) =>
      ctx.answerCallbackQuery({ text: text.slice(0, 200), show_alert: alert }).catch((error) => outbox.failed('answerCallbackQuery', chatId ?? 0, error));
    if (!action || !message || chatId === undefined) return void (await answer('I do not know this button any more.'));
    const link = store.get(chatId);
    if (!link) return void (await answer('This chat is no longer linked to Tickler.', true));
    let outcome: string;
    try {
      outcome = await press(chat, link, action);
    } catch (error) {
      return void (await answer(await chat.explain(error, chatId), true));
    }
    // Telegram refuses answers to presses older than a few minutes; the edit still says what happened.
    await answer(outcome);
    const original = 'text' in message ? (message.text ?? '') : '';
    outbox.edit(chatId, message.message_id, `${original}\n${outcome}`).catch((error) => outbox.failed('editMessageText', chatId, error));
  });
}

/** What pressing the button did, in a line appended to the message. */
async function press(chat: Chat, link: Link, action: ButtonAction): Promise<string> {
  const api = chat.api(link.token);
  if (action.kind === 'snooze') {
    const result = await api.request(SnoozeReminderMutation, { input: { id: action.reminderId, minutes: action.minutes } });
    const { reminder } = unwrap(result.snoozeReminder, 'SnoozeReminderPayload');
    return `💤 Snoozed until ${formatWhen(reminder.remindAt, reminder.timeZone, chat.now())}`;
  }
  const { reminder } = await api.request(ReminderQuery, { id: action.reminderId });
  if (!reminder) return '✅ Done (the reminder no longer exists in Tickler)';
  if (reminder.recurrence && reminder.status === 'SCHEDULED') return `✅ Done. Next: ${formatWhen(reminder.remindAt, reminder.timeZone, chat.now())}`;
  return '✅ Done';
}
