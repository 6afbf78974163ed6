// `npm run backup` while Tickler runs on its embedded PostgreSQL, `npm run restore` into a fresh
// DATA_DIR, and a server started on the restored folder fires the reminder scheduled before the backup.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { graphqlData, within } from '../helpers/clients.ts';
import { spawnTickler, type TicklerProcess } from '../helpers/process.ts';
import { createReminder, EXPIRED, inMs, nextAbout, subscribe, waitUntilLive } from '../helpers/reminders.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);
/** Far enough ahead that the backup is taken, and the restored server started, before it is due. */
const LEAD_MS = 30_000;

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function folder(prefix: string): Promise<string> {
  // World-traversable, so that as root the postgres system user can reach the cluster inside.
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await chmod(dir, 0o755);
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function start(dataDir: string): TicklerProcess {
  const tickler = spawnTickler({ DATA_DIR: dataDir, ADMIN_TOKEN: undefined, DATABASE_URL: undefined }, { detached: true });
  cleanups.push(async () => {
    if (tickler.child.exitCode === null && tickler.child.signalCode === null) {
      tickler.child.kill('SIGTERM');
      await within(tickler.exited, 30_000, 'stop').catch(() => process.kill(-tickler.child.pid!, 'SIGKILL'));
    }
  });
  return tickler;
}

const cli = (command: 'backup' | 'restore', file: string, dataDir: string) =>
  run(process.execPath, [path.join(root, 'src/platform/backup-cli.ts'), command, file], {
    cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_FORMAT: 'json', LOG_LEVEL: 'info' },
  });

test('a backup taken while the server runs restores into a fresh DATA_DIR, where the reminder scheduled before it fires', async () => {
  const original = await folder('tickler-backup-src-');
  const restored = await folder('tickler-backup-dst-');
  const file = path.join(await folder('tickler-backup-file-'), 'tickler.backup');

  const first = start(original);
  const url = await within(first.ready, 60_000, 'first start');
  const adminToken = (await readFile(path.join(original, 'admin-token'), 'utf8')).trim();
  const { createAccount } = await graphqlData(url, {
    token: adminToken,
    query: 'mutation { createAccount(input: { name: "Backed up", timeZone: "UTC" }) { ... on CreateAccountPayload { token account { id } } } }',
  });
  const account = { id: createAccount.account.id, token: createAccount.token };
  const remindAt = inMs(LEAD_MS);
  const reminder = await createReminder(url, account, { message: 'from before the backup', remindAt });

  const backupStarted = Date.now();
  const { stdout } = await cli('backup', file, original);
  const backupMs = Date.now() - backupStarted;
  const written = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((line) => line.bytes);
  console.log(`backup: ${written?.bytes} bytes in ${backupMs} ms (WAL ${written?.startWal}…${written?.stopWal})`);
  assert.ok(Date.now() < Date.parse(remindAt), 'the backup was taken before the reminder was due');
  // Online: the server kept serving through the backup.
  assert.equal((await graphqlData(url, { token: account.token, query: '{ me { name } }' })).me.name, 'Backed up');
  first.child.kill('SIGTERM');
  assert.equal((await within(first.exited, 30_000, 'first stop')).code, 0);

  const restoreStarted = Date.now();
  await cli('restore', file, restored);
  console.log(`restore: ${Date.now() - restoreStarted} ms`);

  const second = start(restored);
  const url2 = await within(second.ready, 60_000, 'start on the restored folder');
  const { reminder: before } = await graphqlData(url2, { token: account.token, query: 'query($id: ID!) { reminder(id: $id) { status } }', variables: { id: reminder.id } });
  assert.equal(before.status, 'SCHEDULED', 'the restored reminder has not fired yet');
  const listener = subscribe(url2, account, `subscription { ${EXPIRED} }`);
  cleanups.push(() => listener.close());
  await waitUntilLive(url2, account, [listener.subscription], 'expired');
  const heard = await nextAbout(listener.subscription, 'reminderExpired', reminder.id, LEAD_MS + 30_000);
  assert.equal(heard.reminder.message, 'from before the backup');
  console.log(`fired ${heard.latenessMs} ms late on the restored server`);
});
