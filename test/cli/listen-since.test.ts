// `tickler listen --since` in an account with no expiry yet: an expiry that fires between its read of
// the history and its subscription is printed, not lost. The race is made to happen every time: the
// history's HTTP response is read from the server at once and held back until the expiry has fired.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { within, wsClient } from '../helpers/clients.ts';
import { createReminder, expire, type Account } from '../helpers/reminders.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { cliEnv, root, RunningCli } from './helpers.ts';

let server: TestServer;
let account: Account;
let configDir: string;

before(async () => {
  server = await startTestServer();
  account = await server.createAccount('Listening since');
  configDir = await mkdtemp(path.join(os.tmpdir(), 'tickler-cli-since-'));
});
after(async () => {
  await server?.stop();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

/**
 * An HTTP proxy in front of the server (WebSocket upgrades piped through) that reads the response to
 * the first request whose body matches from the server at once, then holds it until released.
 */
async function startHoldingProxy(target: string, matches: (body: string) => boolean) {
  const upstream = new URL(target);
  let held = false;
  let taken!: () => void;
  const snapshot = new Promise<void>((resolve) => (taken = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const proxy = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept']) if (req.headers[name]) headers[name] = String(req.headers[name]);
    const response = await fetch(new URL(req.url!, upstream), { method: req.method, headers, body: req.method === 'GET' ? undefined : body });
    const answer = Buffer.from(await response.arrayBuffer());
    if (!held && matches(body.toString())) {
      held = true;
      taken();
      await released;
    }
    res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
    res.end(answer);
  });
  proxy.on('upgrade', (req, socket, head) => {
    const up = net.connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      up.write(head);
      socket.pipe(up);
      up.pipe(socket);
    });
    const drop = () => {
      socket.destroy();
      up.destroy();
    };
    socket.on('error', drop);
    up.on('error', drop);
    socket.on('close', drop);
    up.on('close', drop);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}${upstream.pathname}`,
    snapshot,
    release,
    close: () => {
      proxy.closeAllConnections();
      return new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

test('listen --since with no expiry yet prints one that fires between its read of the history and its subscription', async () => {
  const reminder = await createReminder(server.url, account, { message: 'Fired while listen starts', remindAt: '2031-07-07T09:00:00.000Z' });
  const proxy = await startHoldingProxy(server.url, (body) => body.includes('query Occurrences'));
  // Another client hears the expiry; the server acknowledges its subscription before anything is fired.
  const { client } = wsClient(server.url, account.token);
  let listening!: () => void;
  const acknowledged = new Promise<void>((resolve) => (listening = resolve));
  let heard!: () => void;
  const fired = new Promise<void>((resolve) => (heard = resolve));
  const stop = client.subscribe({ query: 'subscription { reminderExpired { reminder { id } } }', extensions: { subscribedAck: true } }, {
    next: (value: any) => {
      if (value.extensions?.subscribed === true) listening();
      if (value.data?.reminderExpired?.reminder.id === reminder.id) heard();
    },
    error: () => undefined,
    complete: () => undefined,
  });
  const env = cliEnv({ TICKLER_CONFIG_DIR: configDir, TICKLER_URL: proxy.url, TICKLER_TOKEN: account.token });
  const since = new Date(Date.now() - 60_000).toISOString();
  const cli = new RunningCli([process.execPath, path.join(root, 'bin/tickler.js'), 'listen', '--json', '--no-cursor', '--since', since], env);
  try {
    await within(acknowledged, 10_000, 'the acknowledgement of the other client');
    await within(proxy.snapshot, 15_000, 'the history read by listen --since');
    await expire(server.url, account, reminder.id);
    await within(fired, 10_000, 'the expiry');
    proxy.release();
    await cli.until((c) => c.lines.some((l) => JSON.parse(l).reminder?.message === 'Fired while listen starts'), 'the expiry printed by listen', 10_000);
    assert.equal(cli.lines.filter((l) => JSON.parse(l).reminder?.message === 'Fired while listen starts').length, 1, 'printed once');
  } finally {
    cli.child.kill('SIGTERM');
    await cli.exited;
    stop();
    await client.dispose();
    await proxy.close();
  }
});
