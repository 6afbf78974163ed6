/**
 * createTelegramBot(config) → { start, stop }: the state store, the send queue, one expiry
 * subscription per linked chat and grammY's long polling, started and stopped in order.
 */
import { Bot, GrammyError } from 'grammy';
import type { Logger } from '../platform/logger.ts';
import { registerChatHandlers } from './commands.ts';
import type { TelegramConfig } from './config.ts';
import { ExpiryDelivery } from './expiries.ts';
import { Outbox } from './outbox.ts';
import { SendQueue } from './send-queue.ts';
import { StateStore } from './state-store.ts';

export type TelegramBot = { start(): Promise<void>; stop(): Promise<void> };

export function createTelegramBot(config: TelegramConfig, log: Logger, now: () => Date = () => new Date()): TelegramBot {
  const bot = new Bot(config.botToken, { client: { apiRoot: config.apiRoot } });
  const queue = new SendQueue({
    onStart: (chatId, at) => log.debug({ chatId, at }, 'telegram call'),
    onRetry: (chatId, retry, error) =>
      retry.reason === 'rate-limit'
        ? log.warn({ chatId, retryAfter: retry.seconds }, 'Telegram asked to slow down (429): waiting')
        : log.warn({ chatId, retryIn: retry.seconds, err: error }, 'a call to Telegram failed on the way: trying again'),
  });
  const outbox = new Outbox(bot.api, queue, log);
  let store: StateStore | null = null;
  let expiries: ExpiryDelivery | null = null;
  let polling: Promise<void> | null = null;
  let stopping: Promise<void> | null = null;

  bot.catch((error) => log.error({ err: error.error, update: error.ctx.update.update_id }, 'update handler failed'));

  return {
    async start() {
      store = await StateStore.open(config.dataDir, config.stateKey);
      const opened = store;
      expiries = new ExpiryDelivery({
        ticklerUrl: config.ticklerUrl,
        store: opened,
        outbox,
        log,
        lateAfterMs: config.lateAfterMs,
        now,
        onTokenRefused: (chatId) => {
          void expiries?.unwatch(chatId);
          void opened.unlink(chatId);
          outbox.reply(chatId, 'Tickler refused this chat\'s token (revoked?), so I unlinked the chat. Send a new token to link it again.');
        },
      });
      registerChatHandlers(bot, { ticklerUrl: config.ticklerUrl, store: opened, outbox, expiries, log, now });
      try {
        await bot.init();
      } catch (error) {
        if (error instanceof GrammyError && error.error_code === 401) throw new Error('Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized)');
        throw error;
      }
      await bot.api
        .setMyCommands([
          { command: 'remind', description: 'in 10m call mom · tomorrow 9am … · every weekday 9:00 …' },
          { command: 'list', description: 'Scheduled reminders' },
          { command: 'snooze', description: '30m, or <number> 1h' },
          { command: 'cancel', description: '<number from /list>' },
          { command: 'tz', description: 'Show or set the time zone' },
          { command: 'unlink', description: 'Forget this chat\'s token' },
          { command: 'help', description: 'What I can do' },
        ])
        .catch((error) => log.warn({ err: error }, 'setMyCommands failed (the commands still work)'));
      for (const link of opened.all()) await expiries.watch(link);
      await new Promise<void>((resolve, reject) => {
        polling = bot.start({ onStart: () => resolve() });
        polling.catch(reject);
      });
      polling!.catch((error) => log.fatal({ err: error }, 'long polling stopped'));
      log.info({ bot: bot.botInfo.username, chats: opened.all().length, dataDir: config.dataDir }, 'Telegram bot is running');
    },

    /** Safe to call twice: stops polling, drops unsent expiries (their cursors replay them), drains replies, flushes the state. */
    stop() {
      stopping ??= (async () => {
        if (bot.isRunning()) await bot.stop().catch((error) => log.warn({ err: error }, 'stopping long polling'));
        // grammY's start() resolves only after its last getUpdates; awaiting it avoids a late ECONNRESET.
        await polling?.catch(() => undefined);
        await Promise.all([expiries?.stopAll(), queue.stop()]);
        await store?.flush();
        log.info('Telegram bot stopped');
      })();
      return stopping;
    },
  };
}
