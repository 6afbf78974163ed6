/**
 * Callers waiting to hear a pub/sub notice about a key (a token revoked, an account changed): a
 * mutation that changed something answers once its own process has heard the notice that makes every
 * process drop its cached copy.
 */
export type NoticeWaiters = {
  /** Resolves once `heard(key)` is called for the key, or after `timeoutMs`. */
  wait(key: string, timeoutMs: number): Promise<void>;
  /** Wakes everyone waiting for the key. */
  heard(key: string): void;
};

export function createNoticeWaiters(): NoticeWaiters {
  const waiting = new Map<string, (() => void)[]>();
  return {
    wait(key, timeoutMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        timer.unref();
        function done() {
          clearTimeout(timer);
          const list = waiting.get(key);
          list?.splice(list.indexOf(done), 1);
          if (list?.length === 0) waiting.delete(key);
          resolve();
        }
        waiting.set(key, [...(waiting.get(key) ?? []), done]);
      });
    },
    heard(key) {
      for (const resolve of [...(waiting.get(key) ?? [])]) resolve();
    },
  };
}
