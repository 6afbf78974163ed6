import pg from 'pg';
import type { Orm } from './database.ts';

// Any 64-bit constant that no other code uses: serialises migrations of processes starting together.
const MIGRATION_LOCK = 7_216_530_901;

/** Applies pending migrations under a cluster-wide advisory lock; returns the names applied. */
export async function migrateWithLock(orm: Orm, connectionString: string): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  } finally {
    await client.end().catch(() => undefined); // ending the session releases the lock
  }
}

/** True when every migration on disk has been applied. */
export async function migrationsApplied(orm: Orm): Promise<boolean> {
  return (await orm.migrator.getPending()).length === 0;
}
