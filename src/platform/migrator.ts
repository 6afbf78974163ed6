import { readdir } from 'node:fs/promises';
import pg from 'pg';
import type { Orm } from './database.ts';
import { MIGRATIONS_DIR } from './database.ts';

// Any 64-bit constant that no other code uses: serialises migrations of processes starting together.
const MIGRATION_LOCK = 7_216_530_901;

/**
 * The database was migrated by a Tickler newer than this process: its code may not read what those
 * migrations changed, and it must never migrate or write under them. main.ts exits 1 with the message.
 */
export class NewerSchemaError extends Error {
  readonly unknown: readonly string[];

  constructor(unknown: string[]) {
    super(`The database was migrated by a newer version of Tickler: it has migrations this version does not know (${unknown.join(', ')}). `
      + 'Refusing to start: run the newer version, or restore a backup taken before the upgrade (README "Upgrades").');
    this.name = 'NewerSchemaError';
    this.unknown = unknown;
  }
}

/**
 * Applies pending migrations under a cluster-wide advisory lock; returns the names applied. The first
 * process of a new version (or `npm run migrate`) applies them once; processes starting with it wait
 * for the lock and then find nothing to do. A process whose code lacks a migration the database has
 * (an old process after an upgrade) refuses with NewerSchemaError before touching anything.
 */
export async function migrateWithLock(orm: Orm, connectionString: string): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const unknown = await unknownMigrations(client);
    if (unknown.length > 0) throw new NewerSchemaError(unknown);
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  } finally {
    await client.end().catch(() => undefined); // ending the session releases the lock
  }
}

/** Migrations recorded in the database that are not in this version's migrations/ folder. */
async function unknownMigrations(client: pg.Client): Promise<string[]> {
  const { rows: [table] } = await client.query<{ exists: boolean }>(`select to_regclass('mikro_orm_migrations') is not null as exists`);
  if (!table?.exists) return [];
  const known = new Set((await readdir(MIGRATIONS_DIR)).filter((f) => /^Migration\d+.*\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).map(baseName));
  const { rows } = await client.query<{ name: string }>('select name from mikro_orm_migrations order by id');
  return rows.map((r) => baseName(r.name)).filter((name) => !known.has(name));
}

const baseName = (name: string) => name.replace(/\.(ts|js)$/, '');

/** True when every migration on disk has been applied. */
export async function migrationsApplied(orm: Orm): Promise<boolean> {
  return (await orm.migrator.getPending()).length === 0;
}
