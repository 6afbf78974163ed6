/**
 * Group commit: jobs submitted under one key while a batch for that key is running wait and then run
 * together as the next batch. Batches of different keys run concurrently; batches of one key, in turn.
 */
export type KeyedBatcher<J, R> = { submit(key: string, job: J): Promise<R> };

type Waiting<J, R> = { job: J; resolve: (result: R) => void; reject: (error: unknown) => void };

export function createKeyedBatcher<J, R>(run: (key: string, jobs: J[]) => Promise<R[]>, maxBatch: number): KeyedBatcher<J, R> {
  const queues = new Map<string, Waiting<J, R>[]>();

  const drain = async (key: string, queue: Waiting<J, R>[]) => {
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        const results = await run(key, batch.map((w) => w.job));
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    queues.delete(key);
  };

  return {
    submit(key, job) {
      return new Promise<R>((resolve, reject) => {
        const running = queues.get(key);
        if (running) {
          running.push({ job, resolve, reject });
          return;
        }
        const queue = [{ job, resolve, reject }];
        queues.set(key, queue);
        void drain(key, queue);
      });
    },
  };
}
