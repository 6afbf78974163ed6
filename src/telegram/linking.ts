/** /start, /help, /unlink, linking by sending a token, and the replies to anything else. */
import type { Bot } from 'grammy';
import { TicklerClientError } from '../client/errors.ts';
import { MeQuery } from '../client/operations/account.ts';
import type { Chat } from './chat.ts';
import { latestExpiryCursor } from './head-cursor.ts';
import { HELP, NOT_LINKED } from './messages.ts';

const TOKEN = /\btk_[A-Za-z0-9_-]{16,}/;

export function registerLinking(bot: Bot, chat: Chat): void {
  const { store, say } = chat;

  bot.command(['start', 'help'], (ctx) => {
    const link = store.get(ctx.chat.id);
    say(ctx.chat.id, link ? `${HELP}\n\nThis chat is linked to ${link.accountName} (${link.timeZone}).` : HELP);
  });

  bot.command('unlink', async (ctx) => {
    if (!store.get(ctx.chat.id)) return say(ctx.chat.id, 'This chat is not linked; there is nothing to forget.');
    await chat.forget(ctx.chat.id);
    say(ctx.chat.id, 'Unlinked: I forgot the token and will send no more reminders here. Your reminders stay in Tickler; send a token to link again.');
  });
}

/** Registered last: a token in any message links the chat; anything else gets a pointer to /help. */
export function registerFallback(bot: Bot, chat: Chat): void {
  bot.on('message:text', async (ctx) => {
    const chatId = ctx.chat.id;
    const token = TOKEN.exec(ctx.message.text)?.[0];
    if (token) return link(chat, chatId, ctx.message.message_id, token);
    if (ctx.message.text.startsWith('/')) return chat.say(chatId, `I do not know ${ctx.message.text.split(/\s/)[0]}. /help lists what I can do.`);
    chat.say(chatId, chat.store.get(chatId) ? 'I only understand commands here, e.g. /remind in 10m call mom. /help lists them all.' : NOT_LINKED);
  });
}

/** Verifies a token with Tickler, keeps it (encrypted), and deletes the message that showed it. */
async function link(chat: Chat, chatId: number, messageId: number, token: string): Promise<void> {
  const { store, outbox, say } = chat;
  outbox.delete(chatId, messageId).catch((error) => outbox.failed('deleteMessage', chatId, error));
  const client = chat.api(token);
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
    return say(chatId, await chat.explain(error, chatId));
  }
  await store.link({ chatId, token, accountName: me.name, timeZone: me.timeZone, linkedAt: chat.now().toISOString(), cursor });
  await chat.expiries.watch(store.get(chatId)!);
  chat.log.info({ chatId, account: me.id }, 'chat linked');
  say(chatId, `Linked to ${me.name} (time zone ${me.timeZone}). I deleted your message and keep the token encrypted. Try /remind in 10m stretch, or /help.`);
}
