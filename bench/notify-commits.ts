// `node bench/notify-commits.ts`: where one PostgreSQL stops scaling with Tickler's write pattern.
// Every Tickler write transaction queues a NOTIFY (pub/sub), and PostgreSQL serialises the commits of
// notifying transactions on one global lock (the notification queue's): this measures one-row INSERT
// transactions with and without a NOTIFY at 8 … 256 connections, straight on an embedded PostgreSQL
// (DATABASE_URL to use another), BENCH_NOTIFY_SECONDS (default 3) per case, one LISTENer connected as
// Tickler's processes are. Not a `npm run bench` scenario: it measures PostgreSQL, not Tickler.
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/platform/embedded-postgres.ts';
import { createLogger } from '../src/platform/logger.ts';

const SECONDS = Number(process.env.BENCH_NOTIFY_SECONDS ?? 3);
const CONNECTIONS = (process.env.BENCH_NOTIFY_CONNECTIONS ?? '8,32,128,256').split(',').map(Number);

const dir = await mkdtemp(path.join(os.tmpdir(), 'tickler-notify-'));
await chmod(dir, 0o755);
const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres(dir, createLogger({ logLevel: 'warn', logFormat: 'json' }), { password: 'bench', maxConnections: Math.max(...CONNECTIONS) + 20 });
// The server's own `postgres` database: nothing of Tickler's is needed.
const url = process.env.DATABASE_URL ?? embedded!.url.replace(/\/tickler$/, '/postgres');

try {
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query('create table if not exists bench_notify (id bigserial primary key, note text not null)');
  await setup.query('LISTEN bench_notify'); // a listener, as every Tickler process holds one
  let heard = 0;
  setup.on('notification', () => heard++);

  const rows: Record<string, Record<string, number | string>> = {};
  for (const connections of CONNECTIONS) {
    const pool = new pg.Pool({ connectionString: url, max: connections });
    await Promise.all(Array.from({ length: connections }, async () => (await pool.connect()).release()));
    const rate = async (notify: boolean) => {
      let done = 0;
      const until = performance.now() + SECONDS * 1000;
      await Promise.all(Array.from({ length: connections }, async () => {
        const client = await pool.connect();
        try {
          while (performance.now() < until) {
            await client.query('begin');
            await client.query(`insert into bench_notify (note) values ('x')`);
            // The same round trips either way: only the NOTIFY differs.
            await client.query(notify ? `select pg_notify('bench_notify', '{"t":"bench","d":1}')` : 'select 1');
            await client.query('commit');
            done++;
          }
        } finally {
          client.release();
        }
      }));
      return Math.round(done / SECONDS);
    };
    const plain = await rate(false);
    const notifying = await rate(true);
    rows[`${connections} connections`] = { 'INSERT/s': plain, 'INSERT+NOTIFY/s': notifying, ratio: `${Math.round((notifying / plain) * 100)} %` };
    await pool.end();
  }
  console.log(`One-row INSERT transactions straight on PostgreSQL, with and without a NOTIFY, ${SECONDS} s each (${os.cpus().length} cores, shared machine):`);
  console.table(rows);
  console.log(`notifications heard by the listener: ${heard}`);
  await setup.end();
} finally {
  await embedded?.stop();
  await rm(dir, { recursive: true, force: true });
}
