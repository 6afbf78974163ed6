// `npm run migrate`: applies pending migrations.
// `npm run migration:create [-- name]`: writes the next migration from the entities (diff against the snapshot).
// Uses DATABASE_URL, or the embedded PostgreSQL under DATA_DIR.
import { configOrExit } from './config.ts';
import { createLogger } from './logger.ts';
import { connectOrm } from './database.ts';
import { migrateWithLock } from './migrator.ts';
import { migratePgBoss } from './jobs.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { loadOrCreateSecret } from './secrets.ts';

const config = configOrExit(process.env);
const log = createLogger({ ...config, logFormat: 'pretty' });
const [command, name] = process.argv.slice(2);

let embedded;
let url = config.databaseUrl;
if (!url) {
  const password = await loadOrCreateSecret(config.dataDir, 'postgres-password');
  embedded = await startEmbeddedPostgres(config.dataDir, log, { password: password.value });
  url = embedded.url;
}
const orm = await connectOrm(url, log);
try {
  if (command === 'create') {
    await migrateWithLock(orm, url);
    const result = await orm.migrator.create(undefined, false, false, name);
    log.info(result.fileName ? `wrote migrations/${result.fileName}` : 'no changes: the entities match the database');
  } else {
    const applied = await migrateWithLock(orm, url);
    log.info(applied.length ? `applied ${applied.join(', ')}` : 'nothing to apply');
    await migratePgBoss(url, log);
  }
} finally {
  await orm.close(true);
  await embedded?.stop();
}
