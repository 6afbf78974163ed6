/**
 * The wake-up timer that makes reminders fire on time. pg-boss only finds a delayed job by polling
 * (≥ 0.5 s); this timer knows the due times of the reminders due soon — learned from the database
 * at start and every few seconds, and from notifications of new and changed reminders — and wakes
 * the firing loop at each due moment (fire-loop.ts). Polling stays as the safety net.
 *
 * Clocks: the job becomes fetchable when the database's now() (its transaction's start) passes
 * start_after. The wake-up lands at the due time itself: the claim's transaction starts after it, so
 * on one host's clock the job is due by then. A database clock a little behind (another host) finds
 * nothing at the first claim, and the worker is woken once more REWAKE_MS later (every millisecond
 * waited before the claim was lateness for every reminder: 2 ms of a single firing's 9 ms here).
 */
export type WakeupOptions = {
  /** Due times (epoch ms) of pending reminders up to `horizonMs` ahead, past-due ones included. */
  scan: (horizonMs: number) => Promise<number[]>;
  /** Wakes the firing loop. */
  wake: () => void;
  now?: () => number;
  onError: (error: unknown) => void;
  horizonMs?: number;
  scanIntervalMs?: number;
};

export type Wakeup = {
  start(): Promise<void>;
  stop(): void;
  /** Learns due times (epoch ms) from a notification or from the worker itself. */
  learn(times: number[]): void;
  /** The worker reports that a fetch returned jobs, so a pending re-wake is not needed. */
  fetched(): void;
  /** Due times known and not yet woken for (for tests). */
  readonly pending: number;
};

const REWAKE_MS = 5;

export function createWakeup(options: WakeupOptions): Wakeup {
  const now = options.now ?? Date.now;
  const horizonMs = options.horizonMs ?? 60_000;
  const times: number[] = []; // sorted, unique
  let timer: NodeJS.Timeout | undefined;
  let rewake: NodeJS.Timeout | undefined;
  let scanner: NodeJS.Timeout | undefined;
  let stopped = false;
  let fetchedSinceWake = true;

  const insert = (t: number) => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    if (times[lo] !== t) times.splice(lo, 0, t);
  };

  const fire = () => {
    timer = undefined;
    const current = now();
    let due = 0;
    while (due < times.length && times[due]! <= current) due++;
    times.splice(0, due);
    if (due > 0) {
      fetchedSinceWake = false;
      options.wake();
      clearTimeout(rewake);
      rewake = setTimeout(() => {
        if (!fetchedSinceWake && !stopped) options.wake();
      }, REWAKE_MS);
    }
    arm();
  };

  const arm = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = undefined;
    const first = times[0];
    if (first === undefined) return;
    timer = setTimeout(fire, Math.max(0, first - now()));
  };

  const scan = async () => {
    try {
      learn(await options.scan(horizonMs));
    } catch (error) {
      options.onError(error);
    }
  };

  const learn = (list: number[]) => {
    if (stopped) return;
    const limit = now() + horizonMs;
    let changed = false;
    for (const t of list) {
      if (t > limit) continue; // the periodic scan will learn it in time
      insert(t);
      changed = true;
    }
    if (changed) arm();
  };

  return {
    async start() {
      await scan();
      scanner = setInterval(scan, Math.min(options.scanIntervalMs ?? 10_000, horizonMs / 2));
      scanner.unref();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(rewake);
      clearInterval(scanner);
      times.length = 0;
    },
    learn,
    fetched() {
      fetchedSinceWake = true;
    },
    get pending() {
      return times.length;
    },
  };
}
