// `npm run bench crash`: a burst of reminders (BENCH_CRASH_BURST, default 10,000) due at one instant,
// the whole server process group (its embedded PostgreSQL included) SIGKILLed the moment a subscribed
// client hears the burst's first expiry, restarted one second later. Measures, per round, how many
// had fired before the kill, the time from "ready" after the restart to the last expiry, and checks
// that every reminder fired exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { PGBOSS_SCHEMA } from '../src/platform/pgboss-seam.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BURST = Number(process.env.BENCH_CRASH_BURST ?? 10_000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_CRASH_ROUNDS ?? 3));
const ADMIN = 'bench-admin-token-0123456789';

type Server = { child: ChildProcess; url: string; readyAt: number };

function startServer(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, ['--max-semi-space-size=64', path.join(root, 'src/main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN, LOG_FORMAT: 'json', LOG_LEVEL: 'info', NODE_ENV: 'production', ROLE: 'all', DATABASE_URL: '', RATE_LIMIT_PER_SECOND: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true, // its own process group: the kill takes PostgreSQL down with it
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as { url?: string };
          if (entry.url) resolve({ child, url: entry.url, readyAt: Date.now() });
        } catch { /* not JSON */ }
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function gql(url: string, token: string, query: string, variables?: unknown): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** The embedded cluster's URL, from the files the server keeps in DATA_DIR. */
async function databaseUrl(dataDir: string): Promise<string> {
  const password = (await readFile(path.join(dataDir, 'postgres-password'), 'utf8')).trim();
  const pid = await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
  const port = Number(pid.split('\n')[3]);
  return `postgres://tickler:${encodeURIComponent(password)}@127.0.0.1:${port}/tickler`;
}

/** The burst's rows and fire jobs, written straight into the database (the API would take minutes). */
async function seedBurst(db: string, accountName: string, count: number, dueAt: Date): Promise<void> {
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    const { rows: [account] } = await client.query<{ id: string }>('select id from account where name = $1', [accountName]);
    await client.query(`
      with r as (
        insert into reminder (id, account_id, message, remind_at, time_zone, status, channels, schedule_version, job_id, created_at, updated_at)
        select gen_random_uuid(), $1, 'burst', $3, 'UTC', 'SCHEDULED', '[]', 1, gen_random_uuid(), now(), now() from generate_series(1, $2)
        returning id, remind_at, job_id)
      insert into ${PGBOSS_SCHEMA}.job (id, name, data, start_after, retry_limit, retry_delay, retry_backoff, expire_seconds)
      select job_id, 'reminder.fire', jsonb_build_object('reminderId', id, 'version', 1), remind_at, 10, 1, true, 300 from r`, [account!.id, count, dueAt]);
  } finally {
    await client.end();
  }
}

async function killOnFirstExpiry(server: Server, token: string): Promise<() => Promise<void>> {
  const client = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` } });
  let armed!: () => void;
  const subscribed = new Promise<void>((resolve) => (armed = resolve));
  const killed = new Promise<void>((resolve) => {
    client.on('connected', () => armed());
    client.subscribe({ query: 'subscription { reminderExpired { cursor } }' }, {
      next: () => {
        try {
          process.kill(-server.child.pid!, 'SIGKILL');
        } catch { /* already gone */ }
        resolve();
      },
      error: () => resolve(),
      complete: () => resolve(),
    });
  });
  await subscribed;
  return async () => {
    await killed;
    await Promise.resolve(client.dispose()).catch(() => undefined);
  };
}

async function round(n: number): Promise<Record<string, number>> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tickler-bench-crash-'));
  await chmod(dataDir, 0o755);
  try {
    let server = await startServer(dataDir);
    const name = `Crash ${n}`;
    const created = await gql(server.url, ADMIN, `mutation { createAccount(input: { name: "${name}", timeZone: "UTC" }) { ... on CreateAccountPayload { token } } }`);
    const token = created.createAccount.token as string;
    const db = await databaseUrl(dataDir);
    const waitForKill = await killOnFirstExpiry(server, token);
    const dueAt = new Date(Date.now() + 4000);
    await seedBurst(db, name, BURST, dueAt);
    await waitForKill();
    await new Promise((resolve) => server.child.once('exit', resolve));
    await delay(1000);

    server = await startServer(dataDir);
    const client = new pg.Client({ connectionString: await databaseUrl(dataDir) });
    await client.connect();
    try {
      const counts = async () => (await client.query<{ n: number; d: number; before: number; last: Date | null }>(`
        select count(*)::int as n, count(distinct reminder_id)::int as d,
               count(*) filter (where fired_at < $2)::int as before, max(fired_at) as last
          from reminder_occurrence where due_at = $1`, [dueAt, new Date(server.readyAt - 1000)])).rows[0]!;
      const deadline = Date.now() + 120_000;
      let seen = await counts();
      while (seen.n < BURST && Date.now() < deadline) {
        await delay(20);
        seen = await counts();
      }
      // A moment more, so that a duplicate would show.
      await delay(500);
      seen = await counts();
      return { firedBeforeKill: seen.before, firedAfterRestart: seen.n - seen.before, occurrences: seen.n, distinct: seen.d, recoveryMs: seen.last ? seen.last.getTime() - server.readyAt : NaN };
    } finally {
      await client.end();
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export default async function crash(): Promise<Record<string, unknown>> {
  const rounds: Record<string, number>[] = [];
  for (let i = 1; i <= ROUNDS; i++) {
    const result = await round(i);
    rounds.push(result);
    console.log(`round ${i}: ${result.firedBeforeKill} fired before the kill, ${result.firedAfterRestart} after; ${result.occurrences} occurrences of ${BURST} (${result.distinct} distinct); last expiry ${result.recoveryMs} ms after ready`);
  }
  const recovery = rounds.map((r) => r.recoveryMs!).sort((a, b) => a - b);
  const median = recovery[Math.floor((recovery.length - 1) / 2)];
  const exact = rounds.every((r) => r.occurrences === BURST && r.distinct === BURST);
  console.log(`burst ${BURST}: median recovery ${median} ms after ready (target ≤ 1,000 ms); exactly once in every round: ${exact ? 'yes' : 'NO'}`);
  return { burst: BURST, rounds, medianRecoveryMs: median, exactlyOnce: exact };
}
