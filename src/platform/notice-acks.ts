/**
 * "Heard on every process": a mutation that drops a cached row everywhere (a token revoked, an account
 * changed) answers only once every api process has dropped it, so the next request, on whichever
 * process, sees the change.
 *
 * PostgreSQL queues a NOTIFY for every listener at COMMIT, but each process reads it from its own
 * socket when its own event loop gets to it: hearing our own notice says nothing about when another
 * process will. So each api process, on hearing a notice that a cache acts on, answers with
 * 'notice:heard' (its process id and the row's id), and the mutation waits for the answers of the
 * api processes alive in `live_process` (shared-subscription-counts.ts), this one included. A process
 * that does not answer within the timeout (stalled, or dying) is not waited for beyond it.
 */
import type { PubSub } from './pubsub.ts';

export type NoticeAcks = {
  /** This process has acted on the notice about `id`: says so to whoever waits. */
  ack(id: string): void;
  /**
   * Starts listening for answers about `id` (call before the transaction, so none is missed); the
   * function returned waits, after the commit, until every live api process has answered or
   * `timeoutMs` has passed, and returns the processes that did not answer.
   */
  expect(id: string): (timeoutMs: number) => Promise<string[]>;
  start(): void;
  stop(): Promise<void>;
};

export type NoticeAcksOptions = {
  pubsub: PubSub;
  /** This process's id, as in `live_process`. */
  processId: string;
  /** The api processes alive now (this one included when it serves the api). */
  processes: () => Promise<string[]>;
};

export function createNoticeAcks(options: NoticeAcksOptions): NoticeAcks {
  const { pubsub, processId } = options;
  /** Per row id: the sets of processes heard from, one per waiting mutation. */
  const expecting = new Map<string, Set<Set<string> & { wake?: () => void }>>();
  let iterator: AsyncIterator<{ id: string; process: string }> | undefined;

  const heard = ({ id, process }: { id: string; process: string }) => {
    for (const answers of expecting.get(id) ?? []) {
      answers.add(process);
      answers.wake?.();
    }
  };

  return {
    ack(id) {
      pubsub.publish('notice:heard', 'all', { id, process: processId });
    },
    expect(id) {
      const answers: Set<string> & { wake?: () => void } = new Set();
      const list = expecting.get(id) ?? new Set();
      list.add(answers);
      expecting.set(id, list);
      const done = () => {
        list.delete(answers);
        if (list.size === 0 && expecting.get(id) === list) expecting.delete(id);
      };
      return async (timeoutMs) => {
        try {
          const deadline = Date.now() + timeoutMs;
          const wanted = new Set([processId, ...(await options.processes())]);
          const missing = () => [...wanted].filter((process) => !answers.has(process));
          while (missing().length > 0 && Date.now() < deadline) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, deadline - Date.now());
              answers.wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
          return missing();
        } finally {
          done();
        }
      };
    },
    start() {
      iterator = pubsub.subscribe('notice:heard', 'all')[Symbol.asyncIterator]();
      const it = iterator;
      void (async () => {
        for (let next = await it.next(); !next.done; next = await it.next()) heard(next.value);
      })();
    },
    async stop() {
      await iterator?.return?.();
    },
  };
}
