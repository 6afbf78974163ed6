// `npm run backup -- FILE`: an online backup of the embedded PostgreSQL under DATA_DIR (and its secrets)
// into one file, while Tickler keeps running. `npm run restore -- FILE`: unpacks one into an empty
// DATA_DIR. README "Backup and restore"; how it is done: backup.ts.
import { configOrExit } from './config.ts';
import { createLogger } from './logger.ts';
import { backupDataDir, restoreDataDir } from './backup.ts';

const [command, file] = process.argv.slice(2);
const config = configOrExit(process.env);
const log = createLogger({ ...config, logFormat: process.env.LOG_FORMAT === 'json' ? 'json' : 'pretty' });
if ((command !== 'backup' && command !== 'restore') || !file) {
  console.error('usage: npm run backup -- FILE  |  npm run restore -- FILE   (with DATA_DIR as the server uses it)');
  process.exit(2);
}
if (config.databaseUrl) {
  console.error('DATABASE_URL is set: back up that PostgreSQL with its own tools (pg_dump, pg_basebackup); these commands are for the embedded one under DATA_DIR.');
  process.exit(2);
}
try {
  if (command === 'backup') {
    const outcome = await backupDataDir(config.dataDir, file, log);
    log.info(outcome, `backup of ${config.dataDir} written to ${file} (${outcome.bytes} bytes, ${outcome.ms} ms)`);
  } else {
    const outcome = await restoreDataDir(file, config.dataDir, log);
    log.info(outcome, `restored ${file} into ${config.dataDir} (${outcome.ms} ms): start Tickler with DATA_DIR=${config.dataDir}`);
  }
} catch (error) {
  log.fatal({ err: error }, `${command} failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
