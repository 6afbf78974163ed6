// What `bench fire` measures Tickler against, in the same run on the same PostgreSQL:
// - plain pg-boss (the version Tickler uses), a worker at its minimum polling interval (0.5 s),
//   lateness taken at handler start — less than Tickler's, which is measured at a subscribed client;
// - the floor: a bare timer → one UPDATE … RETURNING + NOTIFY statement → LISTEN → WebSocket send,
//   the least any design built on these parts can do.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import WebSocket, { WebSocketServer } from 'ws';

type Waiter = { key: string; resolve: (at: number) => void };

/**
 * The wall clock (epoch ms, as Date.now() and the server's due times) to a fraction of a millisecond:
 * a single firing is 2-6 ms late, and whole milliseconds made the ratios jump by a third. Aligned
 * on a tick of Date.now() once, then advanced by the monotonic clock.
 */
export const preciseNow: () => number = (() => {
  const start = Date.now();
  let tick = start;
  while (tick === start) tick = Date.now(); // at most 1 ms, once
  const base = tick - performance.now();
  return () => base + performance.now();
})();

export type PgBossPeer = {
  /** Lateness (handler start − due) of one job due `leadMs` from now. */
  single(leadMs: number): Promise<number>;
  /** Lateness of each of `size` jobs due at `dueAt`, as far as handled within `waitMs`. */
  burst(size: number, dueAt: number, waitMs: number): Promise<number[]>;
  stop(): Promise<void>;
};

export async function startPgBossPeer(connectionString: string): Promise<PgBossPeer> {
  const boss = new PgBoss({ connectionString, schema: 'pgboss_peer', supervise: false, schedule: false });
  boss.on('error', () => undefined);
  await boss.start();
  const queue = 'peer';
  if (!(await boss.getQueue(queue))) await boss.createQueue(queue);
  const started = new Map<string, number>();
  let waiter: Waiter | undefined;
  await boss.work<{ key: string }>(queue, { pollingIntervalSeconds: 0.5, batchSize: 100 }, async (jobs) => {
    const at = preciseNow();
    for (const job of jobs) {
      started.set(job.data.key, at);
      if (waiter?.key === job.data.key) waiter.resolve(at);
    }
  });
  return {
    async single(leadMs) {
      // A random pause first: the bench's loop would otherwise fall into step with the 0.5 s polling
      // cycle and measure one phase of it (a p50 of 90 ms in one run) instead of all of them.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 500));
      const key = randomUUID();
      const due = Date.now() + leadMs;
      const handled = new Promise<number>((resolve) => (waiter = { key, resolve }));
      await boss.send(queue, { key }, { startAfter: new Date(due) });
      const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(Number.NaN), leadMs + 10_000).unref());
      return (await Promise.race([handled, timeout])) - due;
    },
    async burst(size, dueAt, waitMs) {
      const keys = Array.from({ length: size }, () => randomUUID());
      for (let i = 0; i < size; i += 1000) {
        await boss.insert(queue, keys.slice(i, i + 1000).map((key) => ({ data: { key }, startAfter: new Date(dueAt) })));
      }
      const deadline = dueAt + waitMs;
      while (Date.now() < deadline && keys.some((key) => !started.has(key))) await new Promise((resolve) => setTimeout(resolve, 100));
      return keys.filter((key) => started.has(key)).map((key) => started.get(key)! - dueAt);
    },
    stop: () => boss.stop({ graceful: false, close: true }),
  };
}

export type FloorPeer = {
  /** Lateness at the client of one notice due `leadMs` from now, and of its timer alone (the wake-up). */
  single(leadMs: number): Promise<{ latenessMs: number; timerMs: number }>;
  stop(): Promise<void>;
};

export async function startFloorPeer(connectionString: string): Promise<FloorPeer> {
  const pool = new pg.Pool({ connectionString, max: 2 });
  await pool.query('create table if not exists bench_floor (id int primary key, fired_at timestamptz)');
  await pool.query('insert into bench_floor (id) values (1) on conflict do nothing');
  const listener = new pg.Client({ connectionString });
  await listener.connect();
  await listener.query('listen bench_floor');
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  listener.on('notification', (message) => {
    for (const client of wss.clients) client.send(message.payload ?? '');
  });
  const socket = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  await new Promise((resolve) => socket.once('open', resolve));
  let waiter: Waiter | undefined;
  socket.on('message', (data) => {
    if (waiter && String(data) === waiter.key) waiter.resolve(preciseNow());
  });
  return {
    async single(leadMs) {
      const due = Date.now() + leadMs;
      const key = String(due) + randomUUID();
      const received = new Promise<number>((resolve) => (waiter = { key, resolve }));
      let timerAt = 0;
      setTimeout(() => {
        timerAt = preciseNow();
        void pool.query(`with u as (update bench_floor set fired_at = clock_timestamp() where id = 1 returning id) select pg_notify('bench_floor', $1) from u`, [key]);
      }, Math.max(0, due - Date.now()));
      const at = await received;
      return { latenessMs: at - due, timerMs: timerAt - due };
    },
    async stop() {
      socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await listener.end();
      await pool.end();
    },
  };
}
