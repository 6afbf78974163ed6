/**
 * Rows cached per process and dropped on a NOTIFY: the one primitive under the token cache
 * (token-cache.ts) and the account cache (accounts/account-cache.ts). The transaction that changes a
 * row publishes a notice (delivered at its commit to every process listening), and each process
 * drops the row on hearing it.
 *
 * Exactness, the same for every instance: an entry is used only while the LISTEN connection that
 * would have told us of a change has stayed up without a break since the entry was added (its
 * epoch); and a load that raced with a notice is not kept (`invalidations` moved while it ran). The
 * TTL is a safety net only; past `maxEntries` the oldest entry goes.
 */
/** The LISTEN connection's state: up, and how many times it has (re)connected. */
export type Listening = () => { up: boolean; epoch: number };

/** How an instance is tuned; the caches built on it take these and their pub/sub. */
export type NoticeCacheSettings = {
  listening: Listening;
  now?: () => number;
  maxEntries?: number;
  /** A safety net only: changes arrive as notices. */
  ttlMs?: number;
  /** Told of each notice acted on, once the row is dropped (notice-acks.ts answers with it). */
  onNoticed?: (id: string) => void;
};

export type NoticeCacheOptions<V> = NoticeCacheSettings & {
  /** The id notices name a row by, when the cache is keyed by something else (a token by its hash). */
  idOf?: (value: V) => string;
};

/** What every cache built on this one offers besides its own read. */
export type NoticeCached = {
  /** Drops a row now (the process that changed it does so without waiting for its own notice). */
  forget(id: string): void;
  /** Subscribes to the notices. */
  start(): void;
  /** Ends the subscriptions and empties the cache. */
  stop(): Promise<void>;
};

export type NoticeCache<V> = Omit<NoticeCached, 'start'> & {
  /** The value under `key` while its entry may be used; otherwise `load`'s, kept if nothing raced with it. */
  get(key: string, load: () => Promise<V | null>): Promise<V | null>;
  /** Drops every row that matches (rare notices that name a group of rows, e.g. an account's tokens). */
  forgetWhere(match: (value: V) => boolean): void;
  /** A notice about the row was heard: drops it and tells `onNoticed` (notice-acks.ts answers with it). */
  noticed(id: string): void;
  /** Calls `onNotice` for each notice of a subscription, until stop(); subscribes before it returns. */
  follow<T>(notices: AsyncIterable<T>, onNotice: (notice: T) => void): void;
};

type Entry<V> = { value: V; id: string; epoch: number; addedAt: number };

export function createNoticeCache<V>(options: NoticeCacheOptions<V>): NoticeCache<V> {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 50_000;
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const entries = new Map<string, Entry<V>>();
  const keyById = new Map<string, string>();
  const followed: AsyncIterator<unknown>[] = [];
  let invalidations = 0;

  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    keyById.delete(entry.id);
  };

  const forget = (id: string) => {
    invalidations++;
    const key = keyById.get(id);
    if (key !== undefined) remove(key);
  };

  const add = (key: string, value: V, epoch: number) => {
    if (!entries.has(key) && entries.size >= maxEntries) remove(entries.keys().next().value!);
    const id = options.idOf?.(value) ?? key;
    entries.set(key, { value, id, epoch, addedAt: now() });
    keyById.set(id, key);
  };

  return {
    async get(key, load) {
      const listening = options.listening();
      const entry = entries.get(key);
      if (entry && listening.up && entry.epoch === listening.epoch && now() - entry.addedAt < ttlMs) return entry.value;
      if (entry) remove(key);
      const seen = invalidations;
      const value = await load();
      if (value === null) return null;
      // Kept only if no notice came meanwhile and the LISTEN connection did not break.
      const after = options.listening();
      if (seen === invalidations && after.up && after.epoch === listening.epoch) add(key, value, after.epoch);
      return value;
    },
    forget,
    forgetWhere(match) {
      // Counted even when nothing matches: a load in flight may be of a row the notice is about.
      invalidations++;
      // A scan rather than an index kept up on every load: these notices are rare.
      for (const entry of [...entries.values()]) if (match(entry.value)) forget(entry.id);
    },
    noticed(id) {
      forget(id);
      options.onNoticed?.(id);
    },
    follow(notices, onNotice) {
      const iterator = notices[Symbol.asyncIterator]();
      followed.push(iterator);
      void (async () => {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) onNotice(next.value);
      })();
    },
    async stop() {
      await Promise.all(followed.splice(0).map((iterator) => iterator.return?.()));
      entries.clear();
      keyById.clear();
    },
  };
}
