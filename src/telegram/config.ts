import path from 'node:path';
import type { LogLevel } from '../platform/config.ts';
import { MIN_STATE_KEY_LENGTH } from './state-store.ts';

/** Everything the Telegram bot reads from its environment, parsed once and frozen. */
export type TelegramConfig = Readonly<{
  ticklerUrl: string;
  botToken: string;
  apiRoot: string;
  stateKey: string;
  dataDir: string;
  logLevel: LogLevel;
  logFormat: 'json' | 'pretty';
  /** An expiry sent this much after it was due is marked with its lateness. */
  lateAfterMs: number;
}>;

export class TelegramConfigError extends Error {
  override name = 'TelegramConfigError';
}

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Parses the environment; every problem is reported at once, and there is no default secret. */
export function parseTelegramConfig(env: Record<string, string | undefined>, cwd = process.cwd()): TelegramConfig {
  const problems: string[] = [];
  const url = (name: string, fallback: string | undefined): string => {
    const raw = env[name] || fallback;
    if (!raw) {
      problems.push(`${name} is required`);
      return '';
    }
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      problems.push(`${name} must be an http(s) URL (got "${raw}")`);
    }
    return raw.replace(/\/+$/, '');
  };
  const ticklerUrl = url('TICKLER_URL', 'http://127.0.0.1:4000');
  const apiRoot = url('TELEGRAM_API_ROOT', 'https://api.telegram.org');
  const botToken = env.TELEGRAM_BOT_TOKEN ?? '';
  if (!botToken) problems.push('TELEGRAM_BOT_TOKEN is required (from @BotFather)');
  else if (!/^\d+:[\w-]+$/.test(botToken)) problems.push('TELEGRAM_BOT_TOKEN does not look like a bot token (123456:ABC…)');
  const stateKey = env.TELEGRAM_STATE_KEY ?? '';
  if (stateKey.length < MIN_STATE_KEY_LENGTH) {
    problems.push(`TELEGRAM_STATE_KEY is required, at least ${MIN_STATE_KEY_LENGTH} characters: it encrypts the linked tokens (e.g. \`openssl rand -base64 33\`)`);
  }
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
  const logFormat = env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty' ? env.LOG_FORMAT : process.stdout.isTTY ? 'pretty' : 'json';
  const lateAfterSeconds = Number(env.TELEGRAM_LATE_AFTER_SECONDS ?? '5');
  if (!Number.isFinite(lateAfterSeconds) || lateAfterSeconds < 0) problems.push('TELEGRAM_LATE_AFTER_SECONDS must be a number of seconds ≥ 0');
  if (problems.length) throw new TelegramConfigError(`The Telegram bot cannot start:\n- ${problems.join('\n- ')}`);
  return Object.freeze({
    ticklerUrl,
    botToken,
    apiRoot,
    stateKey,
    dataDir: path.resolve(cwd, env.TELEGRAM_DATA_DIR || '.data/telegram'),
    logLevel,
    logFormat,
    lateAfterMs: lateAfterSeconds * 1000,
  });
}
