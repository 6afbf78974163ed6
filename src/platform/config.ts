import os from 'node:os';
import path from 'node:path';
import { parseOutboundAllow } from './outbound.ts';
import { parseDnsServers } from './dns-resolver.ts';

export type Role = 'all' | 'api' | 'worker';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Everything Tickler reads from its environment, parsed once and frozen. */
export type Config = Readonly<{
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  adminToken: string | undefined;
  logLevel: LogLevel;
  logFormat: 'json' | 'pretty';
  role: Role;
  /**
   * API_PROCESSES: api processes sharing PORT on this machine (src/platform/supervisor.ts); 1 runs
   * everything in this process as before. `auto` is the number of cores.
   */
  apiProcesses: number;
  /** Masked errors show their cause in development only. */
  isDev: boolean;
  /** Largest request body accepted, in bytes. */
  maxRequestBytes: number;
  smtpUrl: string | undefined;
  smtpFrom: string;
  webhookRetries: number;
  /** Base delay of a delivery's exponential backoff (pg-boss adds jitter), in seconds. */
  webhookRetryDelaySeconds: number;
  /** How many due reminders the firing worker takes per transaction. */
  reminderBatchSize: number;
  /** Fire batches in flight at once per worker process: one fetches while another commits. */
  reminderFireConcurrency: number;
  attachmentMaxBytes: number;
  /** Calendar feeds: largest body, whole-request timeout, most instances mirrored per feed. */
  feedMaxBytes: number;
  feedTimeoutSeconds: number;
  feedMaxEvents: number;
  /** HISTORY_RETENTION_DAYS: how long fired occurrences (with deliveries and attempts) are kept (src/history/). */
  historyRetentionDays: number;
  /** PUBLIC_URL: the address clients reach this server at, for absolute feed URLs; unset: paths. */
  publicUrl: string | undefined;
  /** METRICS_PORT: where GET /metrics is served (on HOST), apart from the GraphQL port; unset: not served. */
  metricsPort: number | undefined;
  /** OUTBOUND_ALLOW: CIDRs and host names that outbound requests may reach although internal. */
  outboundAllow: readonly string[];
  /** DNS_SERVERS: the DNS servers webhook host names are resolved with (c-ares); empty: the system's. */
  dnsServers: readonly string[];
  /** Per-account limits (README "Limits and fairness"); each a setting with a default. */
  limits: Limits;
  /** Per-token request rate (token bucket shared by every process); 0 turns it off. */
  rateLimit: Readonly<{ perSecond: number; burst: number }>;
  /** ACCOUNT_CONCURRENCY: HTTP operations of one account run at once per api process (the rest wait their turn); 0: no gate. */
  accountConcurrency: number;
}>;

/** What one account may hold and open; `me { limits }` shows them. */
export type Limits = Readonly<{
  /** LIMIT_ACTIVE_REMINDERS: reminders not yet ended (SCHEDULED, PROCESSING, RETRIED). */
  activeReminders: number;
  /** LIMIT_CHANNELS_PER_REMINDER: delivery channels of one reminder (event reminders too). */
  channelsPerReminder: number;
  /** MIN_RECURRENCE_SECONDS: the shortest interval between two occurrences of a recurring reminder. */
  minRecurrenceSeconds: number;
  /** LIMIT_CALENDAR_FEEDS: subscribed calendar feeds. */
  calendarFeeds: number;
  /** LIMIT_API_TOKENS: API tokens not revoked. */
  apiTokens: number;
  /** LIMIT_ATTACHMENT_BYTES: all event attachments of the account together. */
  attachmentBytes: number;
  /** LIMIT_SUBSCRIPTIONS: open subscriptions (graphql-ws + SSE) of the account. */
  subscriptions: number;
  /** LIMIT_SUBSCRIPTIONS_PER_SOCKET: open subscriptions on one graphql-ws socket. */
  subscriptionsPerSocket: number;
}>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const ROLES: readonly Role[] = ['all', 'api', 'worker'];
const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** parseConfig for a command's start: a bad value prints its message (no stack) and exits with 2. */
export function configOrExit(env: Record<string, string | undefined>): Config {
  try {
    return parseConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

/**
 * Parses the environment into a Config. Every bad value is reported at once,
 * so a misconfigured deployment fails on start with one readable message.
 * `stdoutIsTTY` picks the default log format (pretty in a terminal); tests pass it.
 */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd(), stdoutIsTTY = process.stdout.isTTY === true): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };
  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    let parsed: URL | undefined;
    try { parsed = new URL(raw); } catch { /* reported below */ }
    if (!parsed || !protocols.includes(parsed.protocol)) {
      problems.push(`${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      return undefined;
    }
    return raw;
  };

  const adminToken = env.ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 16) {
    problems.push('ADMIN_TOKEN must be at least 16 characters long');
  }
  const nodeEnv = env.NODE_ENV ?? 'production';
  const outboundAllow = Object.freeze((env.OUTBOUND_ALLOW ?? '').split(',').map((e) => e.trim()).filter(Boolean));
  try {
    parseOutboundAllow(outboundAllow);
  } catch (error) {
    problems.push(`OUTBOUND_ALLOW must list CIDRs (10.0.0.0/8, ::1/128), addresses or host names, comma-separated: ${(error as Error).message}`);
  }
  const dnsServers = Object.freeze((env.DNS_SERVERS ?? '').split(',').map((e) => e.trim()).filter(Boolean));
  try {
    parseDnsServers(dnsServers);
  } catch (error) {
    problems.push(`DNS_SERVERS must list addresses, optionally with a port (1.1.1.1, 127.0.0.1:5353, [::1]:53), comma-separated: ${(error as Error).message}`);
  }
  const apiProcesses = parseApiProcesses(env.API_PROCESSES, problems);
  if (apiProcesses > 1 && env.ROLE === 'worker') {
    problems.push(`API_PROCESSES applies to ROLE=api or all (got ROLE=worker with API_PROCESSES=${env.API_PROCESSES})`);
  }
  const config: Config = Object.freeze({
    port: int('PORT', 4000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir: path.resolve(cwd, env.DATA_DIR || '.data'),
    adminToken,
    logLevel: oneOf('LOG_LEVEL', LEVELS, 'info'),
    // A terminal reads pretty lines whatever NODE_ENV says (it defaults to production, so `npm start`
    // printed JSON); a pipe or a log collector gets JSON.
    logFormat: oneOf('LOG_FORMAT', ['json', 'pretty'] as const, stdoutIsTTY ? 'pretty' : 'json'),
    role: oneOf('ROLE', ROLES, 'all'),
    apiProcesses,
    isDev: nodeEnv === 'development',
    maxRequestBytes: int('MAX_REQUEST_BYTES', 12 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    smtpUrl: url('SMTP_URL', ['smtp:', 'smtps:']),
    smtpFrom: env.SMTP_FROM || 'Tickler <tickler@localhost>',
    webhookRetries: int('WEBHOOK_RETRIES', 3, 0, 20),
    webhookRetryDelaySeconds: int('WEBHOOK_RETRY_DELAY_SECONDS', 5, 0, 3600),
    reminderBatchSize: int('REMINDER_BATCH_SIZE', 1000, 1, 5000),
    reminderFireConcurrency: int('REMINDER_FIRE_CONCURRENCY', 2, 1, 16),
    attachmentMaxBytes: int('ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024, 1, 1024 * 1024 * 1024),
    feedMaxBytes: int('FEED_MAX_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    feedTimeoutSeconds: int('FEED_TIMEOUT_SECONDS', 30, 1, 600),
    feedMaxEvents: int('FEED_MAX_EVENTS', 20_000, 1, 1_000_000),
    historyRetentionDays: int('HISTORY_RETENTION_DAYS', 180, 1, 36_500),
    publicUrl: url('PUBLIC_URL', ['http:', 'https:'])?.replace(/\/+$/, ''),
    metricsPort: env.METRICS_PORT ? int('METRICS_PORT', 0, 0, 65535) : undefined,
    outboundAllow,
    dnsServers,
    limits: Object.freeze({
      activeReminders: int('LIMIT_ACTIVE_REMINDERS', 100_000, 1, 100_000_000),
      channelsPerReminder: int('LIMIT_CHANNELS_PER_REMINDER', 10, 0, 1000),
      minRecurrenceSeconds: int('MIN_RECURRENCE_SECONDS', 60, 1, 86_400),
      calendarFeeds: int('LIMIT_CALENDAR_FEEDS', 50, 0, 100_000),
      apiTokens: int('LIMIT_API_TOKENS', 100, 1, 1_000_000),
      attachmentBytes: int('LIMIT_ATTACHMENT_BYTES', 1024 ** 3, 0, 2 ** 50),
      subscriptions: int('LIMIT_SUBSCRIPTIONS', 1000, 1, 10_000_000),
      subscriptionsPerSocket: int('LIMIT_SUBSCRIPTIONS_PER_SOCKET', 100, 1, 100_000),
    }),
    accountConcurrency: int('ACCOUNT_CONCURRENCY', 6, 0, 10_000),
    rateLimit: Object.freeze({
      perSecond: int('RATE_LIMIT_PER_SECOND', 100, 0, 1_000_000),
      burst: int('RATE_LIMIT_BURST', 500, 0, 10_000_000),
    }),
  });
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}

/** A whole number of processes from 1 to 256, or `auto`: one per core the process may use. */
function parseApiProcesses(raw: string | undefined, problems: string[]): number {
  if (raw === undefined || raw === '') return 1;
  if (raw === 'auto') return Math.max(1, os.availableParallelism());
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 256) {
    problems.push(`API_PROCESSES must be a whole number from 1 to 256, or auto (got "${raw}")`);
    return 1;
  }
  return value;
}
