/**
 * A per-process cache of accounts (the row and the id of its default calendar), so that the requests
 * every client makes all the time (`me`, the time zone a new reminder is read in) cost no query.
 * A change still shows at once on every process: the transaction that changes an account publishes
 * 'account:changed' (NOTIFY, delivered at its commit to every process listening), and each process
 * drops the account on hearing it. The same exactness rules as the token cache (token-cache.ts): an
 * entry is used only while the LISTEN connection that would have told us of a change has stayed up
 * since it was added, and a load that raced with a change notice is not kept.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { createNoticeWaiters } from '../platform/notice-waiters.ts';
import type { PubSub } from '../platform/pubsub.ts';

/** What the cache keeps of an account: its row, and its default calendar's id (which never changes). */
export type AccountSnapshot = Readonly<{
  id: string;
  name: string;
  timeZone: string;
  webhookSecret: string;
  createdAt: Date;
  updatedAt: Date;
  defaultCalendarId: string;
}>;

type Entry = { snapshot: AccountSnapshot; epoch: number; addedAt: number };

export type AccountCache = {
  /** The account as committed, or null when there is none with this id. */
  get(em: EntityManager, accountId: string): Promise<AccountSnapshot | null>;
  /** Drops an account now (the changing process does so at once, without waiting for its own notice). */
  forget(accountId: string): void;
  /** Resolves once this process has heard a change notice of the account (or after `timeoutMs`). */
  heard(accountId: string, timeoutMs: number): Promise<void>;
  start(): void;
  stop(): Promise<void>;
};

export type AccountCacheOptions = {
  pubsub: PubSub;
  /** The LISTEN connection's state: up, and how many times it has (re)connected. */
  listening: () => { up: boolean; epoch: number };
  now?: () => number;
  maxEntries?: number;
  /** A safety net only: changes arrive as notices. */
  ttlMs?: number;
};

type Row = { id: string; name: string; time_zone: string; webhook_secret: string; created_at: Date; updated_at: Date; default_calendar_id: string };

export function createAccountCache(options: AccountCacheOptions): AccountCache {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 50_000;
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const entries = new Map<string, Entry>();
  const waiters = createNoticeWaiters();
  let invalidations = 0;
  let notices: AsyncIterator<{ accountId: string }> | undefined;

  const forget = (accountId: string) => {
    invalidations++;
    entries.delete(accountId);
  };

  const add = (snapshot: AccountSnapshot, epoch: number) => {
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(snapshot.id, { snapshot, epoch, addedAt: now() });
  };

  return {
    async get(em, accountId) {
      const listening = options.listening();
      const entry = entries.get(accountId);
      if (entry && listening.up && entry.epoch === listening.epoch && now() - entry.addedAt < ttlMs) return entry.snapshot;
      if (entry) entries.delete(accountId);
      const seen = invalidations;
      // Through `em`: inside the caller's transaction when there is one (no second pool connection).
      const [row] = await em.execute<Row[]>(
        `select a.id, a.name, a.time_zone, a.webhook_secret, a.created_at, a.updated_at, c.id as default_calendar_id
           from account a join calendar c on c.account_id = a.id and c.is_default
          where a.id = ?`,
        [accountId],
      );
      if (!row) return null;
      const snapshot: AccountSnapshot = Object.freeze({
        id: row.id,
        name: row.name,
        timeZone: row.time_zone,
        webhookSecret: row.webhook_secret,
        createdAt: new Date(row.created_at),
        updatedAt: new Date(row.updated_at),
        defaultCalendarId: row.default_calendar_id,
      });
      // Kept only if no change notice came meanwhile and the LISTEN connection did not break.
      const after = options.listening();
      if (seen === invalidations && after.up && after.epoch === listening.epoch) add(snapshot, after.epoch);
      return snapshot;
    },
    forget,
    heard: (accountId, timeoutMs) => waiters.wait(accountId, timeoutMs),
    start() {
      const iterator = options.pubsub.subscribe('account:changed', 'accounts')[Symbol.asyncIterator]();
      notices = iterator;
      void (async () => {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          forget(next.value.accountId);
          waiters.heard(next.value.accountId);
        }
      })();
    },
    async stop() {
      await notices?.return?.();
      entries.clear();
    },
  };
}
