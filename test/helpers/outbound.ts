import { createOutboundGuard, type OutboundGuard } from '../../src/platform/outbound.ts';

/**
 * An outbound guard whose check of a target containing "slow" waits until the test calls `release()`,
 * as a slow DNS server would; `held(n)` resolves once n such checks are waiting. Other targets are
 * checked at once by the real guard (loopback allowed).
 */
export function holdingGuard(): { outbound: OutboundGuard; held(count: number): Promise<void>; release(): void } {
  const real = createOutboundGuard(['127.0.0.1/32']);
  let waiting = 0;
  const watchers: { count: number; resolve: () => void }[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const outbound: OutboundGuard = {
    ...real,
    async checkAll(urls) {
      if (urls.some((url) => url.includes('slow'))) {
        waiting++;
        for (const watcher of watchers.filter((w) => waiting >= w.count)) watcher.resolve();
        await released;
      }
      return real.checkAll(urls);
    },
  };
  return {
    outbound,
    held: (count) => (waiting >= count ? Promise.resolve() : new Promise((resolve) => watchers.push({ count, resolve }))),
    release,
  };
}
