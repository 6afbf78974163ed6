import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { OutboundGuard } from '../../src/platform/outbound.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { graphql } from './clients.ts';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export type TestServer = {
  app: App;
  url: string;
  db: TestDatabase;
  /** Creates an account through the API and returns its id and token. */
  createAccount(name?: string, timeZone?: string): Promise<{ id: string; token: string; defaultCalendarId: string }>;
  stop(): Promise<void>;
};

/**
 * Starts a real Tickler process-in-process on an ephemeral port, against its own cloned database
 * (or `db`, to share one between several servers).
 */
export async function startTestServer(options: {
  env?: Record<string, string>;
  db?: TestDatabase;
  outbound?: OutboundGuard;
  sendQueueLimitBytes?: () => number;
  /** The API's clock (services.now); the workers keep the database's time. */
  now?: () => Date;
} = {}): Promise<TestServer> {
  const db = options.db ?? (await createTestDatabase());
  const config = parseConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOG_FORMAT: 'json',
    // Test receivers listen on loopback, which the outbound guard refuses by default.
    OUTBOUND_ALLOW: '127.0.0.1/32,::1/128',
    // Tests fire requests as fast as they can with one token; the rate-limit tests turn it on.
    RATE_LIMIT_PER_SECOND: '0',
    ...options.env,
  });
  const app = createApp(config, { log: createLogger(config), outbound: options.outbound, sendQueueLimitBytes: options.sendQueueLimitBytes, now: options.now });
  try {
    await app.start();
  } catch (error) {
    await app.stop();
    throw error;
  }
  const url = app.url ?? '';
  const ownsDb = !options.db;
  return {
    app,
    url,
    db,
    async createAccount(name = 'Test account', timeZone = 'Europe/Paris') {
      const result = await graphql<{ createAccount: { token: string; account: { id: string; defaultCalendar: { id: string } } } }>(url, {
        query: `mutation($input: CreateAccountInput!) { createAccount(input: $input) {
          ... on CreateAccountPayload { token account { id defaultCalendar { id } } }
          ... on ValidationError { message } } }`,
        variables: { input: { name, timeZone } },
        token: TEST_ADMIN_TOKEN,
      });
      const payload = result.data?.createAccount;
      if (!payload?.token) throw new Error(`createAccount failed: ${JSON.stringify(result)}`);
      return { id: payload.account.id, token: payload.token, defaultCalendarId: payload.account.defaultCalendar.id };
    },
    async stop() {
      await app.stop();
      if (ownsDb) await db.drop();
    },
  };
}
