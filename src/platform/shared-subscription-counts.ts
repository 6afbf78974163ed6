/**
 * Per-account subscription counts shared between api processes through PostgreSQL, for the
 * LIMIT_SUBSCRIPTIONS check (live-connections.ts), which must not cost a round trip per subscribe.
 *
 * Each process counts its own subscriptions exactly, in memory. Once a second, if any account's count
 * changed, it writes the changed counts (one statement: rows of `live_subscription_count`, and its
 * `live_process` row's generation bumped), and it reads the other processes' counts: one tiny query for
 * their generations, and their rows only when a generation moved. A process's row is refreshed every
 * few seconds (heartbeat); the rows of a process not seen for STALE_MS are ignored, and deleted a
 * minute later by whichever process sweeps first. A clean stop deletes its rows at once.
 *
 * The check is then "this process's count + the others' last reported counts": exact within a process,
 * and across processes it may let an account exceed the limit for about two intervals (each process
 * admits subscriptions the other has not reported yet), and a crashed process's subscriptions are
 * still counted for up to STALE_MS.
 */
import type { Logger } from './logger.ts';
import { createLiveRegistry, type LiveRegistry, type LiveRegistryOptions, type OtherProcesses } from './live-connections.ts';

/** Runs a statement with `?` placeholders (an array parameter expands to a list) and returns its rows. */
export type Execute = <T>(sql: string, params: unknown[]) => Promise<T[]>;

export type SharedCounts = OtherProcesses & {
  /** The ids of the other api processes alive now (read from `live_process`, not the last sync). */
  liveProcesses(): Promise<string[]>;
  start(): Promise<void>;
  /** Stops the timer and deletes this process's rows. */
  stop(): Promise<void>;
  /** Writes pending changes and reads the others' counts now (tests; the timer does it every interval). */
  sync(): Promise<void>;
};

export type SharedCountsOptions = {
  execute: Execute;
  /** This process's own counts (accounts with none absent), for a full report. */
  local: () => ReadonlyMap<string, number>;
  log: Logger;
  /** This process's id in `live_process` (random when not given). */
  processId?: string;
  /** How often changes are written and the others' counts read. */
  intervalMs?: number;
  heartbeatMs?: number;
  /** A process not seen for this long is taken for dead: its counts no longer count. */
  staleMs?: number;
};

export function createSharedCounts(options: SharedCountsOptions): SharedCounts {
  const { execute, log } = options;
  const intervalMs = options.intervalMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 5000;
  const staleSeconds = (options.staleMs ?? 20_000) / 1000;
  const processId = options.processId ?? crypto.randomUUID();
  /** Counts changed since the last write. */
  let pending = new Map<string, number>();
  /** Other processes: the generation of theirs last read, and their counts then. */
  const others = new Map<string, { generation: string; counts: Map<string, number> }>();
  let totals = new Map<string, number>();
  let lastHeartbeat = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  /** Writes the changed counts (zero: row deleted) and bumps this process's generation, in one statement. */
  const write = async () => {
    const changed = pending;
    pending = new Map();
    const accounts = [...changed.keys()];
    const counts = [...changed.values()];
    try {
      const [row] = await execute<{ created: boolean }>(
        `with changes as (select * from unnest(array[?]::uuid[], array[?]::int[]) as c(account_id, n)),
              gone as (delete from live_subscription_count s using changes c
                        where s.process_id = ? and s.account_id = c.account_id and c.n = 0),
              kept as (insert into live_subscription_count (process_id, account_id, count)
                       select ?, account_id, n from changes where n > 0
                       on conflict (process_id, account_id) do update set count = excluded.count)
         insert into live_process (id, seen_at, generation) values (?, now(), nextval('live_generation'))
         on conflict (id) do update set seen_at = now(), generation = excluded.generation
         returning (xmax = 0) as created`,
        [accounts, counts, processId, processId, processId],
      );
      lastHeartbeat = Date.now();
      if (row?.created) resendAll(); // our row had been swept (a long stall): the others lost our counts
    } catch (error) {
      for (const [accountId, count] of changed) if (!pending.has(accountId)) pending.set(accountId, count);
      throw error;
    }
  };

  /** Refreshes this process's row and deletes processes gone for a minute (and their counts). */
  const heartbeat = async () => {
    const [row] = await execute<{ created: boolean }>(
      `with dead as (delete from live_process where seen_at < now() - interval '1 minute' and id <> ? returning id),
            swept as (delete from live_subscription_count where process_id in (select id from dead))
       insert into live_process (id, seen_at, generation) values (?, now(), nextval('live_generation'))
       on conflict (id) do update set seen_at = now()
       returning (xmax = 0) as created`,
      [processId, processId],
    );
    lastHeartbeat = Date.now();
    if (row?.created) resendAll();
  };

  const resendAll = () => {
    for (const [accountId, count] of options.local()) if (!pending.has(accountId)) pending.set(accountId, count);
  };

  /** Reads the generations of the live processes, then the counts of those whose generation moved. */
  const read = async () => {
    const processes = await execute<{ id: string; generation: string }>(
      `select id, generation::text as generation from live_process
        where id <> ? and seen_at > now() - make_interval(secs => ?)`,
      [processId, staleSeconds],
    );
    const alive = new Set(processes.map((p) => p.id));
    let moved = false;
    for (const id of others.keys()) {
      if (!alive.has(id)) {
        others.delete(id);
        moved = true;
      }
    }
    const stale = processes.filter((p) => others.get(p.id)?.generation !== p.generation);
    if (stale.length > 0) {
      const rows = await execute<{ process_id: string; account_id: string; count: number }>(
        'select process_id, account_id, count from live_subscription_count where process_id in (?)',
        [stale.map((p) => p.id)],
      );
      for (const p of stale) others.set(p.id, { generation: p.generation, counts: new Map() });
      for (const row of rows) others.get(row.process_id)?.counts.set(row.account_id, row.count);
      moved = true;
    }
    if (!moved) return;
    const next = new Map<string, number>();
    for (const { counts } of others.values()) {
      for (const [accountId, count] of counts) next.set(accountId, (next.get(accountId) ?? 0) + count);
    }
    totals = next;
  };

  const tick = async () => {
    if (pending.size > 0) await write();
    else if (Date.now() - lastHeartbeat >= heartbeatMs) await heartbeat();
    await read();
  };

  // Once per outage, not once a second while the database is away.
  let failing = false;
  const run = () => {
    running ??= tick()
      .then(() => {
        if (failing) log.info('sharing subscription counts again');
        failing = false;
      }, (error: unknown) => {
        if (!failing) log.warn({ err: error }, 'sharing subscription counts failed; retrying every interval');
        failing = true;
      })
      .finally(() => (running = undefined));
    return running;
  };

  return {
    subscriptionsOf: (accountId) => totals.get(accountId) ?? 0,
    async liveProcesses() {
      const rows = await execute<{ id: string }>(
        'select id from live_process where id <> ? and seen_at > now() - make_interval(secs => ?)',
        [processId, staleSeconds],
      );
      return rows.map((row) => row.id);
    },
    changed(accountId, count) {
      pending.set(accountId, count);
    },
    async start() {
      await heartbeat();
      await read();
      timer = setInterval(() => {
        if (!stopped) void run();
      }, intervalMs);
      timer.unref();
    },
    async sync() {
      await running;
      await tick();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await execute(
        `with counts as (delete from live_subscription_count where process_id = ?)
         delete from live_process where id = ?`,
        [processId, processId],
      ).catch((error: unknown) => log.warn({ err: error }, 'could not delete this process\'s subscription counts'));
    },
  };
}

/** An api process's live registry, its subscription counts shared with the other api processes. */
export function createSharedLiveRegistry(options: Omit<LiveRegistryOptions, 'others'> & Omit<SharedCountsOptions, 'local'>): LiveRegistry & Pick<SharedCounts, 'liveProcesses'> {
  const shared = createSharedCounts({ ...options, local: () => registry.localCounts() });
  const registry = createLiveRegistry({ ...options, others: shared });
  return {
    ...registry,
    liveProcesses: shared.liveProcesses,
    async start() {
      await registry.start();
      await shared.start();
    },
    async stop() {
      await shared.stop();
      await registry.stop();
    },
  };
}
