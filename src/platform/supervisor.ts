import cluster, { type Worker } from 'node:cluster';
import net from 'node:net';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';
import { loadOrCreateSecret } from './secrets.ts';
import { connectOrm } from './database.ts';
import { migrateWithLock } from './migrator.ts';
import { migratePgBoss } from './jobs.ts';
import { announceAdminToken, resolveAdminToken } from './admin-token.ts';

/**
 * What a child of the primary needs beyond the environment it inherits: the database the primary
 * started or was given, the admin token it resolved (over IPC, not the environment, which other users'
 * tools such as `ps e` may show), the port all api processes share and this child's part.
 */
export type ChildSetup = {
  type: 'setup';
  name: string;
  role: 'api' | 'worker';
  databaseUrl: string;
  adminToken: string | undefined;
  port: number;
  metricsPort: number | undefined;
  reusePort: boolean;
};

/** Messages from a child: it asks for its setup once it listens for it, and says when it serves. */
export type ChildMessage = { type: 'hello' } | { type: 'ready'; url: string | undefined; metricsUrl: string | undefined };

export type Supervisor = {
  /** Starts PostgreSQL if embedded, migrates once, then every child; resolves once all of them serve. */
  start(): Promise<void>;
  /** SIGTERM to every child, waits for them (then SIGKILL), then stops embedded PostgreSQL; safe to call twice. */
  stop(): Promise<void>;
  /** A second signal: SIGKILL every child now. */
  kill(): void;
  readonly url: string | undefined;
};

/** PostgreSQL connections one process may open at most (README "Running at scale"); sizes the embedded server. */
export const CONNECTIONS = {
  // ORM pool 20 + pg-boss pool 10 + pub/sub publish pool 2 + LISTEN 1 + a short-lived check at start 1.
  api: 34,
  // ORM pool 10 + pg-boss pool 10 + pub/sub 2 + LISTEN 1 + the due-index build or a start check 1.
  worker: 24,
};

const RESTART_BACKOFF_MS = { first: 500, max: 30_000 };
/** A child that served this long before it died starts its backoff afresh. */
const HEALTHY_AFTER_MS = 30_000;
const STOP_TIMEOUT_MS = 45_000;

type Slot = { setup: ChildSetup; worker?: Worker; startedAt: number; failures: number; ready: boolean; timer?: NodeJS.Timeout };

/**
 * The primary of API_PROCESSES > 1: it owns the embedded PostgreSQL (only one process may start it),
 * runs the migrations once, and keeps N api processes and (in ROLE=all) one worker process running.
 * The api processes share one port: each binds it with SO_REUSEPORT where the kernel has it (Linux),
 * so connections are spread by the kernel and never pass through the primary; elsewhere node:cluster's
 * primary accepts and hands them round. Children are node:cluster workers, which exit as soon as the
 * IPC channel to the primary closes: a primary that crashes leaves no orphans behind.
 */
export function createSupervisor(config: Config, log: Logger): Supervisor {
  const slots: Slot[] = [];
  let embedded: EmbeddedPostgres | undefined;
  let url: string | undefined;
  let stopping: Promise<void> | undefined;
  let failStart: ((error: Error) => void) | undefined;

  const spawn = (slot: Slot) => {
    slot.ready = false;
    slot.startedAt = Date.now();
    const worker = cluster.fork({ TICKLER_PROCESS: slot.setup.name });
    slot.worker = worker;
    worker.on('message', (message: ChildMessage) => {
      if (message.type === 'hello') worker.send(slot.setup);
      else if (message.type === 'ready') {
        slot.ready = true;
        log.debug({ child: slot.setup.name, pid: worker.process.pid, metricsUrl: message.metricsUrl }, 'child ready');
        readyChanged();
      }
    });
    worker.on('exit', (code, signal) => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      if (stopping) return;
      if (!url) {
        failStart?.(new Error(`${slot.setup.name} exited (${signal ?? code}) before it served; see its log lines above`));
        return;
      }
      // Exponential backoff against a crash loop (a database that refuses, a broken deploy).
      const ranMs = Date.now() - slot.startedAt;
      slot.failures = ranMs > HEALTHY_AFTER_MS ? 1 : slot.failures + 1;
      const delay = Math.min(RESTART_BACKOFF_MS.max, RESTART_BACKOFF_MS.first * 2 ** (slot.failures - 1));
      log.error({ child: slot.setup.name, pid: worker.process.pid, code, signal, restartInMs: delay }, `${slot.setup.name} exited (${signal ?? code}): restarting it`);
      slot.timer = setTimeout(() => {
        slot.timer = undefined;
        if (!stopping) spawn(slot);
      }, delay);
    });
  };

  let readyChanged = () => {};

  const start = async () => {
    // Where the children's PostgreSQL is: the one given, or the embedded one this process starts.
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const password = await loadOrCreateSecret(config.dataDir, 'postgres-password');
      const needed = config.apiProcesses * CONNECTIONS.api + CONNECTIONS.worker + 20;
      embedded = await startEmbeddedPostgres(config.dataDir, log, { password: password.value, maxConnections: needed });
      databaseUrl = embedded.url;
    }
    const admin = await resolveAdminToken(config);
    // Migrations once, here, so that a failing one is reported once and no child starts on an old schema.
    const orm = await connectOrm(databaseUrl, log, 2);
    try {
      const applied = await migrateWithLock(orm, databaseUrl);
      if (applied.length > 0) log.info({ migrations: applied }, 'applied database migrations');
    } finally {
      await orm.close(true);
    }
    await migratePgBoss(databaseUrl, log.child({ component: 'jobs' }));

    const { port, reusePort } = await sharedPort(config.host, config.port);
    const metricsPort = (offset: number) => (config.metricsPort === undefined ? undefined : config.metricsPort === 0 ? 0 : config.metricsPort + offset);
    const base = { type: 'setup' as const, databaseUrl, adminToken: admin.token, port, reusePort };
    // METRICS_PORT is the first of consecutive ports: api-1 at METRICS_PORT, api-i at +i-1, the worker after them.
    for (let i = 1; i <= config.apiProcesses; i++) {
      slots.push({ setup: { ...base, name: `api-${i}`, role: 'api', metricsPort: metricsPort(i - 1) }, startedAt: 0, failures: 0, ready: false });
    }
    if (config.role === 'all') slots.push({ setup: { ...base, name: 'worker', role: 'worker', metricsPort: metricsPort(config.apiProcesses) }, startedAt: 0, failures: 0, ready: false });

    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      failStart = reject;
      readyChanged = () => {
        if (slots.every((s) => s.ready)) resolve();
      };
      for (const slot of slots) spawn(slot);
    });
    failStart = undefined;
    readyChanged = () => {};
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    url = `http://${host}:${port}/graphql`;
    log.info(
      { role: config.role, url, apiProcesses: config.apiProcesses, sharing: reusePort ? 'SO_REUSEPORT' : 'node:cluster', startMs: Math.round(performance.now() - started), database: config.databaseUrl ? 'external' : 'embedded' },
      `Tickler is ready with ${config.apiProcesses} api processes: console at ${url.replace(/graphql$/, '')} · GraphiQL at ${url}`,
    );
    announceAdminToken(admin, log);
  };

  const stop = () => {
    stopping ??= (async () => {
      for (const slot of slots) clearTimeout(slot.timer);
      const running = slots.flatMap((s) => (s.worker && !s.worker.isDead() ? [s.worker] : []));
      const exits = running.map((worker) => new Promise<void>((resolve) => {
        if (worker.isDead()) return resolve();
        worker.once('exit', () => resolve());
      }));
      // SIGTERM, not cluster's disconnect(): a child drains its sockets and workers as on its own signal.
      for (const worker of running) worker.process.kill('SIGTERM');
      const force = setTimeout(() => {
        log.warn('children did not stop in time: killing them');
        for (const worker of running) worker.process.kill('SIGKILL');
      }, STOP_TIMEOUT_MS);
      await Promise.all(exits);
      clearTimeout(force);
      if (embedded) {
        try {
          await embedded.stop();
        } catch (error) {
          log.error({ err: error }, 'error while stopping embedded PostgreSQL');
        }
      }
      log.info('Tickler stopped');
    })();
    return stopping;
  };

  return {
    start,
    stop,
    kill() {
      for (const slot of slots) slot.worker?.process.kill('SIGKILL');
    },
    get url() {
      return url;
    },
  };
}

/**
 * The port every api process binds, and whether they can each bind it (SO_REUSEPORT). PORT=0 is
 * resolved here once, or each process would get a port of its own; the port is free again when the
 * children bind it, a moment later (another program could take it meanwhile: a small race, as with
 * any PORT=0).
 */
async function sharedPort(host: string, port: number): Promise<{ port: number; reusePort: boolean }> {
  const probe = (reusePort: boolean) => new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    // exclusive: bind here, in the primary, not through node:cluster's shared handles.
    server.listen({ port: reusePort ? port : 0, host, reusePort, exclusive: true }, () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
  try {
    return { port: await probe(true), reusePort: true };
  } catch (error) {
    // EADDRINUSE is a real conflict (another program has PORT); anything else: no SO_REUSEPORT here.
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw error;
    return { port: port || (await probe(false)), reusePort: false };
  }
}
