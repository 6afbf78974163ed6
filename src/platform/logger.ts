import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/**
 * Secrets that must never reach a log line, by their shape: API and admin tokens, bearer headers,
 * Telegram bot tokens (grammY and fetch errors carry the `/bot<token>/` URL), `token=` query
 * parameters (calendar feed URLs) and 64-hex-digit secrets (webhook signing keys). Log calls do not
 * pass secrets on purpose; this is the net under errors whose messages quote a URL or a header.
 */
const SECRETS: readonly [RegExp, string][] = [
  [/\btk_[A-Za-z0-9_-]{16,}/g, 'tk_[redacted]'],
  [/\badm_[A-Za-z0-9_-]{16,}/g, 'adm_[redacted]'],
  [/\b(Bearer)\s+[^\s"'\\,]+/gi, '$1 [redacted]'],
  [/\/bot\d+:[A-Za-z0-9_-]+/g, '/bot[redacted]'],
  [/\b\d{6,12}:[A-Za-z0-9_-]{30,}\b/g, '[redacted]'],
  [/([?&](?:token|key|secret|access_token|auth)=)[^&\s"'\\#]+/gi, '$1[redacted]'],
  [/\b[0-9a-f]{64}\b/gi, '[redacted]'],
];

/** The line with every secret-shaped value replaced. Exported for tests. */
export function scrubSecrets(line: string): string {
  let out = line;
  for (const [pattern, replacement] of SECRETS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * JSON lines in production, colourised single lines in a terminal; secrets scrubbed from both.
 * `proc` names the process among several on one machine (API_PROCESSES): api-1, api-2, worker, primary.
 */
export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>, proc?: string): Logger {
  const hooks = { streamWrite: scrubSecrets };
  if (config.logFormat === 'pretty') {
    return pino({
      level: config.logLevel,
      ...(proc ? { base: { proc } } : {}),
      hooks,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
    });
  }
  return pino({ level: config.logLevel, base: proc ? { pid: process.pid, proc } : { pid: process.pid }, hooks });
}
