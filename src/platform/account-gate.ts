/**
 * Fair shares of an api process between accounts: at most `perAccount` HTTP operations of one account
 * run at once in this process; the account's further requests wait in its own line (first come, first
 * served) and hold nothing meanwhile — no database connection, no event-loop turns. A flooding account
 * therefore takes a bounded share of the pool and of the CPU, and another account's request starts at
 * once instead of queueing behind it. The rate limit bounds how much an account asks for; this bounds
 * how much of the process it holds at a time.
 *
 * SSE subscriptions are long-lived and are not gated (LIMIT_SUBSCRIPTIONS counts them); graphql-ws
 * operations are not either (each socket runs its own operations, and its subscribe messages count
 * against the rate limit).
 */
import type { Plugin } from 'graphql-yoga';
import { viewerOfRequest, type Identify } from './connection-auth.ts';
import { tooManyRequests } from './rate-limit.ts';

/** One account's slots: how many run, and who waits. */
type Line = { running: number; waiting: (() => void)[] };

export type AccountGate = {
  /** Resolves with a release function once the account may run one more operation; null when its line is full. */
  enter(accountId: string): Promise<(() => void) | null>;
  /** Operations running and waiting, for tests and metrics. */
  stats(accountId: string): { running: number; waiting: number };
};

export function createAccountGate(perAccount: number, maxWaiting = 1000): AccountGate {
  const lines = new Map<string, Line>();
  const release = (accountId: string, line: Line) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = line.waiting.shift();
      if (next) return next(); // the slot passes to the next in line
      line.running--;
      if (line.running === 0) lines.delete(accountId);
    };
  };
  return {
    async enter(accountId) {
      let line = lines.get(accountId);
      if (!line) lines.set(accountId, (line = { running: 0, waiting: [] }));
      if (line.running < perAccount) {
        line.running++;
        return release(accountId, line);
      }
      if (line.waiting.length >= maxWaiting) return null;
      const own = line;
      await new Promise<void>((resolve) => own.waiting.push(resolve));
      return release(accountId, own);
    },
    stats(accountId) {
      const line = lines.get(accountId);
      return { running: line?.running ?? 0, waiting: line?.waiting.length ?? 0 };
    },
  };
}

/** The gate as a Yoga plugin: entered when an account's request arrives, left when its response is made. */
export function useAccountGate(perAccount: number, identify: Identify, options: { endpoint?: string } = {}): Plugin {
  if (perAccount <= 0) return {};
  const endpoint = options.endpoint ?? '/graphql';
  const gate = createAccountGate(perAccount);
  const held = new WeakMap<Request, () => void>();
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      if (request.headers.get('accept')?.includes('text/event-stream')) return;
      const viewer = await viewerOfRequest(identify, request, url, endpoint);
      if (!viewer) return;
      const leave = await gate.enter(viewer.accountId);
      if (leave) {
        held.set(request, leave);
        // A client that went away frees its slot even if no response is ever written.
        request.signal?.addEventListener('abort', leave, { once: true });
        return;
      }
      const refusal = tooManyRequests('Too many requests of this account at once; retry shortly', 1);
      endResponse(new fetchAPI.Response(refusal.body, refusal.init));
    },
    onResponse({ request }) {
      held.get(request)?.();
      held.delete(request);
    },
  };
}
