import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StateKeyError, StateStore } from '../../src/telegram/state-store.ts';

const KEY = 'a-state-key-that-is-long-enough-0123456789';
const TOKEN = 'tk_secret_value_that_must_not_be_on_disk';

async function tempDir(t: { after: (fn: () => Promise<void>) => void }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tickler-telegram-state-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return path.join(dir, 'nested', 'telegram');
}

test('links and cursors survive a reopen, and the token is never written in clear', async (t) => {
  const dir = await tempDir(t);
  const store = await StateStore.open(dir, KEY);
  await store.link({ chatId: 42, token: TOKEN, accountName: 'Ada', timeZone: 'Europe/Paris', linkedAt: '2026-01-01T00:00:00Z' });
  await store.update(42, { cursor: 'c1' });
  await store.update(42, { cursor: 'c2' });
  const onDisk = await readFile(path.join(dir, 'state.json'), 'utf8');
  assert.ok(!onDisk.includes(TOKEN), 'the token is encrypted at rest');
  assert.equal((await stat(path.join(dir, 'state.json'))).mode & 0o777, 0o600);
  assert.equal((await stat(dir)).mode & 0o777, 0o700);
  assert.deepEqual(await readdir(dir), ['state.json'], 'no temporary file is left behind');

  const reopened = await StateStore.open(dir, KEY);
  assert.deepEqual(reopened.get(42), { chatId: 42, token: TOKEN, accountName: 'Ada', timeZone: 'Europe/Paris', linkedAt: '2026-01-01T00:00:00Z', cursor: 'c2' });
  await reopened.unlink(42);
  assert.equal((await StateStore.open(dir, KEY)).get(42), undefined);
});

test('another key, or a short one, is refused', async (t) => {
  const dir = await tempDir(t);
  const store = await StateStore.open(dir, KEY);
  await store.link({ chatId: 1, token: TOKEN, accountName: 'Ada', timeZone: 'UTC', linkedAt: '2026-01-01T00:00:00Z' });
  await assert.rejects(StateStore.open(dir, `${KEY}-but-another`), StateKeyError);
  await assert.rejects(StateStore.open(dir, 'short'), /at least 32 characters/);
});

test('many quick changes are coalesced and the last one wins on disk', async (t) => {
  const dir = await tempDir(t);
  const store = await StateStore.open(dir, KEY);
  await store.link({ chatId: 7, token: TOKEN, accountName: 'Ada', timeZone: 'UTC', linkedAt: '2026-01-01T00:00:00Z' });
  await Promise.all(Array.from({ length: 50 }, (_, i) => store.update(7, { cursor: `c${i}` })));
  assert.equal((await StateStore.open(dir, KEY)).get(7)?.cursor, 'c49');
});
