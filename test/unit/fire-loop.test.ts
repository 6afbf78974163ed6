import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFireLoop, type FireLoop } from '../../src/reminders/fire-loop.ts';
import type { FireOutcome } from '../../src/reminders/fire.job.ts';

const outcome = (claimed: number, deferred = 0): FireOutcome => ({ claimed, fired: claimed - deferred, missed: 0, skipped: 0, deferred, next: [], deliveries: 0, latenessMs: [] });

/** A batch runner whose calls the test answers one by one. */
function scripted() {
  const calls: { resolve: (o: FireOutcome) => void; reject: (e: Error) => void }[] = [];
  const waiters: (() => void)[] = [];
  return {
    runBatch: () => new Promise<FireOutcome>((resolve, reject) => {
      calls.push({ resolve, reject });
      waiters.splice(0).forEach((w) => w());
    }),
    /** Resolves once the loop has asked for `n` batches in all. */
    async asked(n: number) {
      while (calls.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
      return calls[n - 1]!;
    },
    get count() {
      return calls.length;
    },
  };
}

function loop(runner: ReturnType<typeof scripted>, options: { batchSize?: number; pollMs?: number; concurrency?: number } = {}): FireLoop & { errors: unknown[] } {
  const errors: unknown[] = [];
  const created = createFireLoop({
    concurrency: options.concurrency ?? 1,
    batchSize: options.batchSize ?? 10,
    pollMs: options.pollMs ?? 60_000,
    runBatch: runner.runBatch,
    onOutcome: () => undefined,
    onError: (error) => errors.push(error),
  });
  return Object.assign(created, { errors });
}

test('a full batch is followed at once by another; a partial one waits for a wake-up', async () => {
  const runner = scripted();
  const fire = loop(runner);
  fire.start();
  (await runner.asked(1)).resolve(outcome(10));
  (await runner.asked(2)).resolve(outcome(3));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(runner.count, 2, 'no third batch without a wake-up (poll is a minute away)');
  fire.wake();
  (await runner.asked(3)).resolve(outcome(0));
  const stopped = fire.stop();
  await stopped;
});

test('a wake-up that arrives during a batch makes the lane go again right after it', async () => {
  const runner = scripted();
  const fire = loop(runner);
  fire.start();
  const first = await runner.asked(1);
  fire.wake(); // while the first batch is in flight
  first.resolve(outcome(1));
  (await runner.asked(2)).resolve(outcome(0));
  await fire.stop();
});

test('every lane is woken, so a burst is claimed by all of them at once', async () => {
  const runner = scripted();
  const fire = loop(runner, { concurrency: 3 });
  fire.start();
  for (let i = 1; i <= 3; i++) (await runner.asked(i)).resolve(outcome(0));
  fire.wake();
  await runner.asked(6);
  assert.equal(runner.count, 6);
  const stopping = fire.stop();
  for (let i = 4; i <= 6; i++) (await runner.asked(i)).resolve(outcome(0));
  await stopping;
});

test('stop waits for the batch in flight and starts no other', async () => {
  const runner = scripted();
  const fire = loop(runner);
  fire.start();
  const inFlight = await runner.asked(1);
  let stopped = false;
  const stopping = fire.stop().then(() => (stopped = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(stopped, false, 'stop waits for the batch');
  inFlight.resolve(outcome(10)); // even a full batch does not start another
  await stopping;
  assert.equal(runner.count, 1);
});

test('a failed batch is reported and tried again after the poll interval; jobs left for a busy reminder are retried soon', async () => {
  const runner = scripted();
  const fire = loop(runner, { pollMs: 5 });
  fire.start();
  (await runner.asked(1)).reject(new Error('connection terminated'));
  (await runner.asked(2)).resolve(outcome(2, 2));
  (await runner.asked(3)).resolve(outcome(0));
  assert.equal(fire.errors.length, 1);
  const stopping = fire.stop();
  await stopping;
});
