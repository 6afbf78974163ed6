// `npm test` runs this after type-checking: it provides one PostgreSQL server for the whole run
// (TEST_DATABASE_URL, or an embedded one in a temporary folder), migrates a template database once,
// then runs every test file with Node's test runner. Each file clones the template (test/helpers/db.ts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { createLogger } from '../src/platform/logger.ts';
import { startEmbeddedPostgres } from '../src/platform/embedded-postgres.ts';
import { connectOrm } from '../src/platform/database.ts';
import { migrateWithLock } from '../src/platform/migrator.ts';

const TEMPLATE_DB = 'tickler_test_template';
const log = createLogger({ logLevel: 'warn', logFormat: 'pretty' });
const patterns = process.argv.slice(2);
const files = patterns.length ? patterns : ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/telegram/**/*.test.ts', 'test/cli/**/*.test.ts'];

// The console's browser tests drive Debian's Chromium (browsers cannot be downloaded here); without it
// they are skipped, saying why. They test the console as built from the current sources.
const CHROMIUM = '/usr/bin/chromium';
if (!patterns.length) {
  if (existsSync(CHROMIUM)) files.push('test/browser/**/*.test.ts');
  else console.log(`Skipping the browser tests (test/browser/): no Chromium at ${CHROMIUM}; install it with \`apt-get install -y chromium\`.`);
}
if (files.some((f) => f.includes('test/browser'))) {
  const build = spawnSync(process.execPath, ['src/web/build.ts'], { stdio: 'inherit', env: { ...process.env, CI: '1' } });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

let dataDir: string | undefined;
let embedded;
let serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) {
  // World-traversable parent so that, as root, the postgres system user can reach it.
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tickler-test-'));
  await import('node:fs/promises').then((fs) => fs.chmod(dataDir!, 0o755));
  embedded = await startEmbeddedPostgres(dataDir, log, { password: 'test' });
  serverUrl = embedded.url;
}

const templateUrl = withDatabase(serverUrl, TEMPLATE_DB);
await recreateTemplate(serverUrl);
const orm = await connectOrm(templateUrl);
await migrateWithLock(orm, templateUrl);
await orm.close(true);
// pg-boss creates its schema on start; doing it once here makes every clone start fast.
const boss = new PgBoss({ connectionString: templateUrl, supervise: false, schedule: false });
boss.on('error', () => undefined);
await boss.start();
await boss.stop({ graceful: false, close: true });

const code = await new Promise<number>((resolve) => {
  const child = spawn(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=120000', ...files], {
    stdio: 'inherit',
    env: { ...process.env, TICKLER_TEST_SERVER_URL: serverUrl, TICKLER_TEST_TEMPLATE: TEMPLATE_DB },
  });
  child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
});

await embedded?.stop();
if (dataDir) await rm(dataDir, { recursive: true, force: true });
process.exit(code);

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function recreateTemplate(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    await client.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await client.query(`create database ${TEMPLATE_DB}`);
  } finally {
    await client.end();
  }
}
