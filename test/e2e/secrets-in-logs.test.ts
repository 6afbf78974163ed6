// No secret in any log line: the first-run admin token goes to the terminal and its file only, and a
// real server logging at `trace` while it handles tokens, webhooks, feeds and their failures writes
// none of the secrets it saw (tokens, the webhook signing secret, feed URL secrets).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnTickler } from '../helpers/process.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { graphql, graphqlData, within } from '../helpers/clients.ts';
import { startIcsServer } from '../helpers/ics-server.ts';
import { nextAbout, subscribe, waitUntilLive } from '../helpers/reminders.ts';
import { scrubSecrets } from '../../src/platform/logger.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ADMIN_TOKEN = 'secrets-test-admin-token-0123456789';

describe('secrets and logs', () => {
  test('scrubSecrets replaces every secret shape and leaves ordinary text alone', () => {
    const line = JSON.stringify({
      msg: 'request to http://127.0.0.1:9/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw_x/getUpdates failed',
      header: 'Bearer tk_4kPq9xW2mN7vB3cR8tY1uI6oP0aS5dF-_gH',
      admin: 'adm_0123456789abcdef0123456789abcdef',
      feed: 'https://cal.example.com/calendars/x.ics?token=s3cr3t-feed&x=1',
      secret: 'a'.repeat(64),
      ordinary: 'reminder 6f9c1c2e-8d2b-4a57-9a3e-0c4a3b1f2e7d fired 12 ms late',
    });
    const scrubbed = scrubSecrets(line);
    for (const secret of ['AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw_x', 'tk_4kPq9xW2', 'adm_0123456789abcdef', 's3cr3t-feed', 'a'.repeat(64)]) {
      assert.ok(!scrubbed.includes(secret), `${secret} is scrubbed`);
    }
    assert.ok(scrubbed.includes('reminder 6f9c1c2e-8d2b-4a57-9a3e-0c4a3b1f2e7d fired 12 ms late'));
    assert.ok(scrubbed.includes('&x=1'));
    assert.doesNotThrow(() => JSON.parse(scrubbed), 'a JSON line stays JSON');
  });

  test('on first run in a terminal, the admin token is shown on the terminal and kept in its file, and no JSON log line holds it', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tickler-terminal-'));
    await chmod(dataDir, 0o755);
    after(() => rm(dataDir, { recursive: true, force: true }));
    // `script` gives the server a pseudo-terminal, as `npm start` in a shell has; JSON logs on it too.
    const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'info', NODE_ENV: 'production' };
    delete env.DATABASE_URL;
    delete env.ADMIN_TOKEN;
    const child = spawn('script', ['-qfec', `${process.execPath} src/main.ts`, '/dev/null'], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let output = '';
    const ready = new Promise<void>((resolve) => child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // The token goes to the terminal (stderr) and the log says where it is (stdout): wait for both.
      if (output.includes('Tickler is ready') && output.includes('admin token (shown once') && output.includes('admin token created')) resolve();
    }));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await within(ready, 90_000, 'ready on a terminal');
      const adminToken = (await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim();
      const lines = output.split(/\r?\n/);
      const shown = lines.filter((line) => line.includes(adminToken));
      assert.equal(shown.length, 1, 'the token is shown once');
      assert.match(shown[0]!, new RegExp(`^admin token \\(shown once, kept in .*admin-token\\): ${adminToken}$`));
      const jsonLines = lines.filter((line) => line.startsWith('{'));
      assert.ok(jsonLines.some((line) => /admin token created/.test(line)), 'the log says where the token is');
      assert.ok(jsonLines.every((line) => !line.includes(adminToken)), 'no JSON log line holds the token');
    } finally {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch { /* gone */ }
      await exited;
    }
  });

  test('a server logging at trace writes none of the secrets it handles: tokens, the webhook secret, feed URL secrets', async () => {
    const db = await createTestDatabase();
    after(() => db.drop());
    const feeds = await startIcsServer();
    after(() => feeds.close());
    feeds.set('/private-feed.ics', { status: 500, body: 'boom' });
    // A webhook receiver that fails, so that deliveries are retried and their errors logged.
    const receiver = createServer((_request, response) => response.writeHead(500).end('no'));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    after(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook?key=webhook-url-secret-9f8e7d`;

    const run = spawnTickler({ DATABASE_URL: db.url, ADMIN_TOKEN, LOG_LEVEL: 'trace', WEBHOOK_RETRIES: '1', WEBHOOK_RETRY_DELAY_SECONDS: '0' });
    after(() => {
      run.child.kill('SIGKILL');
      return run.exited;
    });
    const url = await within(run.ready, 60_000, 'start');

    const { createAccount } = await graphqlData(url, {
      token: ADMIN_TOKEN,
      query: 'mutation { createAccount(input: { name: "Secretive", timeZone: "UTC" }) { ... on CreateAccountPayload { token } } }',
    });
    const token: string = createAccount.token;
    const { createApiToken } = await graphqlData(url, { token, query: 'mutation { createApiToken(input: { name: "second" }) { ... on CreateApiTokenPayload { token apiToken { id } } } }' });
    const second: string = createApiToken.token;
    const { me } = await graphqlData(url, { token, query: '{ me { webhookSecret defaultCalendar { id feedUrl } } }' });
    const webhookSecret: string = me.webhookSecret;
    const feedToken = new URL(me.defaultCalendar.feedUrl, url).searchParams.get('token')!;

    // A wrong token, a revoked one, a feed whose URL carries a secret and fails, an export with its token.
    await graphql(url, { token: `${token}x`, query: '{ me { name } }' });
    await graphqlData(url, { token, query: `mutation { revokeApiToken(id: "${createApiToken.apiToken.id}") { __typename } }` });
    await graphql(url, { token: second, query: '{ me { name } }' });
    const feedUrl = `${feeds.url('/private-feed.ics')}?token=feed-url-secret-1a2b3c&private=yes`;
    await graphql(url, { token, query: `mutation($url: String!) { subscribeCalendarFeed(input: { url: $url, name: "Private" }) { __typename } }`, variables: { url: feedUrl } });
    assert.equal((await fetch(new URL(me.defaultCalendar.feedUrl, url))).status, 200);
    // A delivery that fails twice and gives up, its errors logged; heard live as the reminder ends FAILED.
    const updates = subscribe(url, { id: '', token }, 'subscription { reminderUpdated { id status } }');
    after(() => updates.close());
    await waitUntilLive(url, { id: '', token }, [updates.subscription], 'expired');
    const { createReminder } = await graphqlData(url, {
      token,
      query: 'mutation($input: CreateReminderInput!) { createReminder(input: $input) { ... on CreateReminderPayload { reminder { id } } } }',
      variables: { input: { message: 'hush', remindAt: new Date(Date.now() + 500).toISOString(), channels: [{ kind: 'WEBHOOK', target: hook }] } },
    });
    const reminderId = createReminder.reminder.id;
    for (let status = ''; status !== 'FAILED';) status = (await nextAbout(updates.subscription, 'reminderUpdated', reminderId, 60_000)).status;

    const everything = `${run.logs.map((line) => JSON.stringify(line)).join('\n')}\n${run.stderr()}`;
    assert.ok(run.logs.length > 20, `the server logged (${run.logs.length} lines)`);
    const secrets = { ADMIN_TOKEN, token, second, webhookSecret, feedToken, feedUrlSecret: 'feed-url-secret-1a2b3c', webhookUrlSecret: 'webhook-url-secret-9f8e7d' };
    for (const [name, secret] of Object.entries(secrets)) {
      assert.ok(!everything.includes(secret), `${name} appears in no log line`);
    }
    console.log(`# ${run.logs.length} log lines at trace checked for ${Object.keys(secrets).length} secrets`);
  });
});
