import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { exitCodeOf, TicklerClientError, unwrap } from '../../src/client/errors.ts';
import { endpointUrl } from '../../src/client/http.ts';
import { backoffDelay, toClientError } from '../../src/client/ws.ts';
import { parseHours } from '../../src/cli/commands/calendar.ts';
import { configDir, cursorPath, readCursor, readProfile, saveProfile, writeCursor } from '../../src/cli/config-store.ts';

describe('client errors', () => {
  test('unwrap returns the payload member and throws the error members as clear errors', () => {
    const ok = { __typename: 'CreateReminderPayload' as const, reminder: { id: 'r1' } };
    assert.equal(unwrap(ok, 'CreateReminderPayload').reminder.id, 'r1');
    const validation = { __typename: 'ValidationError', message: 'Invalid input', fieldErrors: [{ path: ['input', 'remindAt'], message: 'must not be in the past' }] };
    assert.throws(
      () => unwrap(validation as never, 'CreateReminderPayload' as never),
      (e: unknown) => e instanceof TicklerClientError && e.kind === 'validation' && e.message === 'Invalid input: remindAt: must not be in the past' && exitCodeOf(e) === 1,
    );
    const named = { __typename: 'ValidationError', message: 'input.remindAt: must not be in the past', fieldErrors: [{ path: ['input', 'remindAt'], message: 'must not be in the past' }] };
    assert.throws(() => unwrap(named as never, 'X' as never), { message: 'input.remindAt: must not be in the past' }, 'no repetition when the message names the field');
    assert.throws(() => unwrap({ __typename: 'NotFoundError', message: 'No reminder' } as never, 'X' as never), (e: unknown) => (e as TicklerClientError).kind === 'not-found');
    const slot = { __typename: 'SlotUnavailableError', message: 'Taken', conflicts: [{ title: 'Board', startsAt: 'a', endsAt: 'b' }], suggestions: [{ startsAt: 'c', endsAt: 'd' }] };
    assert.throws(() => unwrap(slot as never, 'X' as never), (e: unknown) => (e as TicklerClientError).conflicts[0]!.title === 'Board' && (e as TicklerClientError).suggestions.length === 1);
  });

  test('exit codes: 4 for authentication, 2 for usage, 1 otherwise', () => {
    assert.equal(exitCodeOf(new TicklerClientError('auth', 'x')), 4);
    assert.equal(exitCodeOf(new TicklerClientError('usage', 'x')), 2);
    assert.equal(exitCodeOf(new TicklerClientError('network', 'x')), 1);
    assert.equal(exitCodeOf(new Error('x')), 1);
  });

  test('WebSocket closes become errors with a kind', () => {
    assert.equal(toClientError({ code: 4401, reason: 'Unauthorized' }).kind, 'auth');
    assert.equal(toClientError({ code: 1006, reason: '' }).kind, 'network');
    assert.equal(toClientError([{ message: 'bad', extensions: { code: 'UNAUTHENTICATED' } }]).kind, 'auth');
  });

  test('reconnection backoff grows exponentially, is capped, and is jittered in its upper half', () => {
    assert.equal(backoffDelay(0, 500, 30_000, () => 0), 250);
    assert.equal(backoffDelay(0, 500, 30_000, () => 1), 500);
    assert.equal(backoffDelay(3, 500, 30_000, () => 1), 4000);
    assert.equal(backoffDelay(30, 500, 30_000, () => 1), 30_000);
    assert.equal(backoffDelay(30, 500, 30_000, () => 0), 15_000);
  });

  test('a bare server URL gets /graphql; other schemes are usage errors', () => {
    assert.equal(endpointUrl('http://127.0.0.1:4000'), 'http://127.0.0.1:4000/graphql');
    assert.equal(endpointUrl('https://t.example.com/graphql'), 'https://t.example.com/graphql');
    assert.throws(() => endpointUrl('ftp://x'), (e: unknown) => (e as TicklerClientError).kind === 'usage');
  });
});

describe('CLI settings on disk', () => {
  test('profiles are private files in the platform config directory', () => {
    assert.equal(configDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/a'), '/x/tickler');
    assert.equal(configDir({}, 'linux', '/home/a'), '/home/a/.config/tickler');
    assert.equal(configDir({}, 'darwin', '/Users/a'), '/Users/a/Library/Application Support/tickler');
    assert.equal(configDir({ TICKLER_CONFIG_DIR: '/c' }, 'linux', '/home/a'), '/c');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tickler-config-'));
    const file = saveProfile(dir, 'work', { url: 'http://h/graphql', token: 'tk_1' });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readProfile(dir, 'work'), { url: 'http://h/graphql', token: 'tk_1' });
    assert.equal(readProfile(dir, 'absent'), null);
    assert.throws(() => readProfile(dir, '../etc'), /profile name/);
    rmSync(dir, { recursive: true });
  });

  test('the cursor file is per server and account, and replaced whole', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tickler-config-'));
    const a = cursorPath(dir, 'http://h/graphql', 'acc1');
    assert.notEqual(a, cursorPath(dir, 'http://h/graphql', 'acc2'));
    assert.equal(readCursor(a), null);
    writeCursor(a, 'c1');
    writeCursor(a, 'c2');
    assert.equal(readCursor(a), 'c2');
    assert.equal(JSON.parse(readFileSync(a, 'utf8')).cursor, 'c2');
    rmSync(dir, { recursive: true });
  });

  test('working hours read as day ranges and times', () => {
    assert.deepEqual(parseHours('mon-wed 9:00-17:00').map((h) => h.weekday), ['MONDAY', 'TUESDAY', 'WEDNESDAY']);
    assert.deepEqual(parseHours('sat,sun 10:00-14:00')[1], { weekday: 'SUNDAY', start: '10:00', end: '14:00' });
    assert.throws(() => parseHours('weekdays'), /--hours/);
    assert.throws(() => parseHours('fri-mon 09:00-10:00'), /Unknown days/);
  });
});
