import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MikroORM, defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Logger } from './logger.ts';
import { entities } from './entities.ts';

export type Orm = MikroORM;

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

export function ormOptions(clientUrl: string, log?: Logger, poolMax = 20): Options {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator],
    // dropTables: false — several tables are written by hand-written migrations and raw SQL without an
    // entity (rate_limit_bucket, live_*, account_usage…): `npm run migration:create` must not propose dropping them.
    migrations: { path: MIGRATIONS_DIR, glob: '!(*.d).{js,ts}', emit: 'ts', snapshot: true, snapshotName: '.snapshot-tickler', silent: true, dropTables: false },
    pool: { min: 0, max: poolMax, idleTimeoutMillis: 30_000 },
    ensureDatabase: true,
    debug: false,
    logger: log ? (message) => log.debug({ component: 'orm' }, message) : undefined,
    // Entities are plain objects defined with defineEntity: no reflection needed.
    discovery: { warnWhenNoEntities: true },
  });
}

/**
 * Connects the ORM, creating the database when missing; the caller decides whether to migrate.
 * Processes started together against a new server (an api and a worker) may both try to create it:
 * the loser of that race finds it there on its second try.
 */
export async function connectOrm(clientUrl: string, log?: Logger, poolMax?: number): Promise<Orm> {
  for (let attempt = 1; ; attempt++) {
    try {
      const orm = await MikroORM.init(ormOptions(clientUrl, log, poolMax));
      await orm.schema.ensureDatabase({ create: true });
      return orm;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // 23505: pg_database's unique index; 42P04: duplicate_database.
      if (attempt >= 3 || (code !== '23505' && code !== '42P04')) throw error;
      log?.info('another process created the database at the same moment; connecting to it');
    }
  }
}

