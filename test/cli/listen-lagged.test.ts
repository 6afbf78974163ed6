// `tickler listen` told LAGGED (its socket fell behind a shared subscription) resumes from the
// cursor the server names: every expiry printed once, in order, none missing.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createReminder, expire, inMs, type Account } from '../helpers/reminders.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { cliEnv, root, RunningCli } from './helpers.ts';

const NORMAL_LIMIT = 256 * 1024;
let sendQueueLimit = NORMAL_LIMIT;
let server: TestServer;
let account: Account;
let configDir: string;

before(async () => {
  server = await startTestServer({ sendQueueLimitBytes: () => sendQueueLimit });
  account = await server.createAccount('Lagging listener');
  configDir = await mkdtemp(path.join(os.tmpdir(), 'tickler-cli-lagged-'));
});
after(async () => {
  await server?.stop();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

const messagesOf = (cli: RunningCli) => cli.lines.map((l) => JSON.parse(l).reminder.message as string);

test('listen told LAGGED resumes from the cursor: each expiry printed once, in order, none missing', async () => {
  const env = cliEnv({ TICKLER_CONFIG_DIR: configDir, TICKLER_URL: server.url, TICKLER_TOKEN: account.token });
  // No cursor: a live-only reminderExpired, which the server shares between sockets and may end with LAGGED.
  const listener = new RunningCli([process.execPath, path.join(root, 'bin/tickler.js'), 'listen', '--json', '--no-cursor'], env);
  try {
    await listener.until((c) => /Connected\./.test(c.stderr), 'connected');
    // The subscription is live once a probe's expiry is printed.
    for (let i = 0; !messagesOf(listener).some((m) => m.startsWith('probe')); i++) {
      assert.ok(i < 40, 'the subscription never became live');
      const probe = await createReminder(server.url, account, { message: `probe ${i}`, remindAt: inMs(3_600_000) });
      await expire(server.url, account, probe.id);
      await listener.until((c) => messagesOf(c).includes(`probe ${i}`), 'a probe', 2_000).catch(() => undefined);
    }
    const before = await createReminder(server.url, account, { message: 'before the lag', remindAt: inMs(3_600_000) });
    await expire(server.url, account, before.id);
    await listener.until((c) => messagesOf(c).includes('before the lag'), 'an expiry before the lag');

    // From now on every shared message finds the socket's send queue full.
    sendQueueLimit = 1;
    const names = ['lag 1', 'lag 2', 'lag 3', 'lag 4', 'lag 5'];
    const reminders = await Promise.all(names.map((message) => createReminder(server.url, account, { message, remindAt: inMs(3_600_000) })));
    for (const reminder of reminders) await expire(server.url, account, reminder.id);
    await listener.until((c) => names.every((n) => messagesOf(c).includes(n)), 'every expiry after the lag', 20_000);
    assert.match(listener.stderr, /Fell behind the server; resuming from the last cursor\./);

    sendQueueLimit = NORMAL_LIMIT;
    const last = await createReminder(server.url, account, { message: 'after', remindAt: inMs(3_600_000) });
    await expire(server.url, account, last.id);
    await listener.until((c) => messagesOf(c).includes('after'), 'a live expiry after the resume');

    const printed = messagesOf(listener).filter((m) => !m.startsWith('probe'));
    assert.deepEqual(printed, ['before the lag', ...names, 'after'], `printed once each, in order: ${printed.join(', ')}`);
  } finally {
    listener.child.kill('SIGKILL');
    await listener.exited;
  }
});
