/**
 * The firing loop of a worker process: `concurrency` lanes, each running one claim-and-fire
 * transaction at a time (fire.job.ts). A lane goes again at once while batches come back full or a
 * wake-up arrived during its batch, and otherwise sleeps until the wake-up timer calls `wake()` or
 * `pollMs` passes (the safety net for jobs this process did not hear of, such as those freed by a
 * crashed peer's dying connection). pg-boss's own `work()` is not used for firing: its fetch marks
 * jobs active in a transaction of its own, and a crash then strands them until they expire.
 */
import type { FireOutcome } from './fire.job.ts';

export type FireLoopOptions = {
  concurrency: number;
  /** A full batch means more may be due: the lane goes again without waiting. */
  batchSize: number;
  pollMs: number;
  runBatch: () => Promise<FireOutcome>;
  onOutcome: (outcome: FireOutcome) => void;
  onError: (error: unknown) => void;
  /** How soon to retry jobs left due because their reminder was busy. */
  deferredRetryMs?: number;
};

export type FireLoop = {
  start(): void;
  /** Due jobs may be waiting: every idle lane claims now, busy ones go again when done. */
  wake(): void;
  /** Lets batches in flight commit (or roll back) whole, then resolves; safe to call twice. */
  stop(): Promise<void>;
};

export function createFireLoop(options: FireLoopOptions): FireLoop {
  const deferredRetryMs = options.deferredRetryMs ?? 5;
  let stopped = false;
  let generation = 0; // bumped by every wake()
  let sleepers: (() => void)[] = [];
  let lanes: Promise<void>[] = [];

  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      sleepers = sleepers.filter((s) => s !== done);
      resolve();
    }
    sleepers.push(done);
  });

  const lane = async () => {
    while (!stopped) {
      const seen = generation;
      let outcome: FireOutcome | undefined;
      try {
        outcome = await options.runBatch();
        options.onOutcome(outcome);
      } catch (error) {
        // The database may be restarting: say so, and try again after the poll interval.
        options.onError(error);
      }
      if (stopped) break;
      if (outcome && outcome.claimed >= options.batchSize) continue;
      if (outcome && outcome.deferred > 0) await sleep(deferredRetryMs);
      else if (generation === seen) await sleep(options.pollMs);
    }
  };

  return {
    start() {
      if (lanes.length > 0 || stopped) return;
      lanes = Array.from({ length: options.concurrency }, () => lane());
    },
    wake() {
      generation++;
      for (const wakeOne of [...sleepers]) wakeOne();
    },
    async stop() {
      stopped = true;
      for (const wakeOne of [...sleepers]) wakeOne();
      await Promise.all(lanes);
    },
  };
}
