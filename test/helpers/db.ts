import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A fresh database cloned from the migrated template; dropped by `drop()`. */
export type TestDatabase = { url: string; name: string; drop(): Promise<void> };

function serverUrl(): string {
  const url = process.env.TICKLER_TEST_SERVER_URL;
  if (!url) throw new Error('Run tests through `npm test` (test/run.ts), which provides the database');
  return url;
}

export function databaseUrl(name: string): string {
  const parsed = new URL(serverUrl());
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const template = process.env.TICKLER_TEST_TEMPLATE ?? 'tickler_test_template';
  // Cloning a template is a file copy: far faster than migrating each time.
  await admin((c) => c.query(`create database ${name} template ${template}`));
  return {
    name,
    url: databaseUrl(name),
    drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
