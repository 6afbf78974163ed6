import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { ConfigError, parseConfig } from '../../src/platform/config.ts';

describe('parseConfig', () => {
  test('logs are pretty when stdout is a terminal, JSON otherwise, whatever NODE_ENV says, unless LOG_FORMAT says', () => {
    for (const nodeEnv of [undefined, 'production', 'development']) {
      assert.equal(parseConfig({ NODE_ENV: nodeEnv }, '/srv/tickler', true).logFormat, 'pretty', `NODE_ENV=${nodeEnv} in a terminal`);
      assert.equal(parseConfig({ NODE_ENV: nodeEnv }, '/srv/tickler', false).logFormat, 'json', `NODE_ENV=${nodeEnv} into a pipe`);
    }
    assert.equal(parseConfig({ LOG_FORMAT: 'json' }, '/srv/tickler', true).logFormat, 'json');
    assert.equal(parseConfig({ LOG_FORMAT: 'pretty' }, '/srv/tickler', false).logFormat, 'pretty');
    assert.throws(() => parseConfig({ LOG_FORMAT: 'yaml' }, '/srv/tickler', true), ConfigError);
  });

  test('an empty environment gives the documented defaults', () => {
    const config = parseConfig({}, '/srv/tickler');
    assert.equal(config.port, 4000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.role, 'all');
    assert.equal(config.dataDir, '/srv/tickler/.data');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.adminToken, undefined);
    assert.equal(config.isDev, false);
    assert.ok(Object.isFrozen(config));
  });

  test('every bad value is reported at once, by name', () => {
    assert.throws(
      () => parseConfig({ PORT: 'eighty', ROLE: 'boss', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', ADMIN_TOKEN: 'short' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        for (const name of ['PORT', 'ROLE', 'LOG_LEVEL', 'DATABASE_URL', 'ADMIN_TOKEN']) assert.match(error.message, new RegExp(name));
        return true;
      },
    );
  });

  test('API_PROCESSES: 1 by default, a whole number, or auto (one per core); refused for ROLE=worker', () => {
    assert.equal(parseConfig({}).apiProcesses, 1);
    assert.equal(parseConfig({ API_PROCESSES: '3' }).apiProcesses, 3);
    assert.equal(parseConfig({ API_PROCESSES: 'auto' }).apiProcesses, os.availableParallelism());
    for (const bad of ['0', '1.5', 'many', '257']) {
      assert.throws(() => parseConfig({ API_PROCESSES: bad }), /API_PROCESSES must be a whole number from 1 to 256, or auto/, bad);
    }
    assert.throws(() => parseConfig({ API_PROCESSES: '2', ROLE: 'worker' }), /API_PROCESSES applies to ROLE=api or all/);
    assert.equal(parseConfig({ API_PROCESSES: '1', ROLE: 'worker' }).apiProcesses, 1);
  });

  test('ports outside 0..65535 are refused', () => {
    assert.throws(() => parseConfig({ PORT: '70000' }), /PORT must be a whole number from 0 to 65535/);
    assert.equal(parseConfig({ PORT: '0' }).port, 0);
  });

  test('a postgres URL, a role and an admin token are taken as given', () => {
    const config = parseConfig({ DATABASE_URL: 'postgres://u:p@db:5432/tickler', ROLE: 'worker', ADMIN_TOKEN: 'a-long-enough-admin-token' });
    assert.equal(config.databaseUrl, 'postgres://u:p@db:5432/tickler');
    assert.equal(config.role, 'worker');
    assert.equal(config.adminToken, 'a-long-enough-admin-token');
  });
  test('reminder delivery settings default to 3 retries from a 5 s base delay and batches of 500, and refuse bad values', () => {
    const defaults = parseConfig({});
    assert.deepEqual([defaults.webhookRetries, defaults.webhookRetryDelaySeconds, defaults.reminderBatchSize, defaults.reminderFireConcurrency], [3, 5, 1000, 2]);
    const tuned = parseConfig({ WEBHOOK_RETRIES: '0', WEBHOOK_RETRY_DELAY_SECONDS: '0', REMINDER_BATCH_SIZE: '2000', REMINDER_FIRE_CONCURRENCY: '1' });
    assert.deepEqual([tuned.webhookRetries, tuned.webhookRetryDelaySeconds, tuned.reminderBatchSize, tuned.reminderFireConcurrency], [0, 0, 2000, 1]);
    assert.throws(() => parseConfig({ WEBHOOK_RETRY_DELAY_SECONDS: '-1', REMINDER_BATCH_SIZE: '0' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /WEBHOOK_RETRY_DELAY_SECONDS/);
      assert.match(error.message, /REMINDER_BATCH_SIZE/);
      return true;
    });
  });
});
