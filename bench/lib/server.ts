// Starts a real Tickler server as a child process (embedded PostgreSQL in a temporary DATA_DIR unless
// DATABASE_URL is set), so that benchmarks measure it from outside, RSS included.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/platform/embedded-postgres.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { processTree } from './proc-stat.ts';

export type BenchServer = {
  url: string;
  /** GET /metrics, when the server was started with METRICS_PORT. */
  metricsUrl?: string;
  /** Every process's GET /metrics (API_PROCESSES > 1 starts several, each with its own port). */
  metricsUrls: string[];
  /** The server's database, when the bench started it (startBenchServer({ ownDatabase: true })). */
  databaseUrl?: string;
  adminToken: string;
  pid: number;
  child: ChildProcess;
  /** Resident set size of the server's node processes now, in bytes (Linux /proc). */
  rssBytes(): Promise<number>;
  /** CPU time (user + system) the server's node processes have used so far, in ms (Linux /proc). */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * With `ownDatabase`, the bench starts the embedded PostgreSQL itself and hands the server its
 * DATABASE_URL, so that a scenario can also seed rows directly (as an operator's server would have).
 */
export async function startBenchServer(env: Record<string, string> = {}, options: { ownDatabase?: boolean } = {}): Promise<BenchServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tickler-bench-'));
  await chmod(dataDir, 0o755);
  let database: EmbeddedPostgres | undefined;
  if (options.ownDatabase && !process.env.DATABASE_URL) {
    database = await startEmbeddedPostgres(path.join(dataDir, 'db'), createLogger({ logLevel: 'warn', logFormat: 'json' }), { password: 'bench' });
    env = { DATABASE_URL: database.url, ...env };
  }
  const adminToken = 'bench-admin-token-0123456789';
  // The flags `npm start` runs the server with (package.json).
  const child = spawn(process.execPath, ['--max-semi-space-size=64', path.join(root, 'src/main.ts')], {
    cwd: root,
    // Benches drive one token as fast as it goes: rate limits and the per-account gate are off unless the
    // scenario passes them (or BENCH_RATE_LIMIT_PER_SECOND / BENCH_RATE_LIMIT_BURST / BENCH_ACCOUNT_CONCURRENCY set them).
    env: {
      ...process.env, PORT: '0', DATA_DIR: dataDir, ADMIN_TOKEN: adminToken, LOG_FORMAT: 'json', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', NODE_ENV: 'production', OUTBOUND_ALLOW: '127.0.0.1/32,::1/128', NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS ?? '',
      RATE_LIMIT_PER_SECOND: process.env.BENCH_RATE_LIMIT_PER_SECOND ?? '0', RATE_LIMIT_BURST: process.env.BENCH_RATE_LIMIT_BURST ?? '500',
      ACCOUNT_CONCURRENCY: process.env.BENCH_ACCOUNT_CONCURRENCY ?? '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let metricsUrl: string | undefined;
  const metricsUrls: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        try {
          const entry = JSON.parse(line) as { url?: string; metricsUrl?: string; level?: number; msg?: string };
          if (entry.metricsUrl) metricsUrls.push(metricsUrl = entry.metricsUrl);
          if (entry.url) resolve(entry.url);
          if (entry.msg === 'Tickler worker is running') resolve(''); // ROLE=worker serves no URL
          if ((entry.level ?? 0) >= 60) reject(new Error(entry.msg));
        } catch { /* partial line */ }
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before it was ready`)));
  });
  // BENCH_SERVER_LOG=file keeps the server's log lines, e.g. with LOG_LEVEL=debug to see batches.
  if (process.env.BENCH_SERVER_LOG) child.stdout!.pipe(createWriteStream(process.env.BENCH_SERVER_LOG));
  else child.stdout!.resume();
  return {
    url,
    metricsUrl,
    metricsUrls,
    databaseUrl: env.DATABASE_URL ?? process.env.DATABASE_URL,
    adminToken,
    pid: child.pid!,
    child,
    // The server's node processes: one, or with API_PROCESSES the primary and its children (its
    // embedded PostgreSQL, when it started one, is left out as before).
    async rssBytes() {
      return (await processTree(child.pid!)).filter((p) => p.comm !== 'postgres').reduce((sum, p) => sum + p.rssBytes, 0);
    },
    async cpuMs() {
      return (await processTree(child.pid!)).filter((p) => p.comm !== 'postgres').reduce((sum, p) => sum + p.cpuMs, 0);
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await database?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** One GraphQL operation over HTTP with a token; its `data`, or a thrown error naming the GraphQL errors. */
export async function gql(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Percentiles of a list of numbers (nearest rank). */
export function percentiles(values: number[], ps = [50, 90, 99]): Record<string, number> {
  const sorted = [...values].sort((a, b) => a - b);
  const result: Record<string, number> = {};
  for (const p of ps) result[`p${p}`] = sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
  result.max = sorted.at(-1) ?? NaN;
  return result;
}

/** One sample's value from the server's /metrics, e.g. metric(url, 'tickler_websockets_open'). */
export async function metric(metricsUrl: string | undefined, sample: string): Promise<number | undefined> {
  if (!metricsUrl) return undefined;
  const text = await (await fetch(metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}
