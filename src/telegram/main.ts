// `npm run telegram`: read the environment, start the bot, stop it in order on SIGINT/SIGTERM.
import { createLogger } from '../platform/logger.ts';
import { createTelegramBot } from './bot.ts';
import { parseTelegramConfig, TelegramConfigError } from './config.ts';
import { StateKeyError } from './state-store.ts';

let config;
try {
  config = parseTelegramConfig(process.env);
} catch (error) {
  if (!(error instanceof TelegramConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}

const log = createLogger(config);
const bot = createTelegramBot(config, log);
let signals = 0;
const shutdown = (signal: NodeJS.Signals) => {
  if (++signals > 1) process.exit(130);
  log.info({ signal }, 'stopping (send the signal again to force)');
  setTimeout(() => process.exit(1), 15_000).unref();
  bot.stop().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

try {
  await bot.start();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  log.fatal({ err: error }, `The Telegram bot failed to start: ${message}`);
  await bot.stop().catch(() => undefined);
  process.exit(error instanceof StateKeyError ? 2 : 1);
}
