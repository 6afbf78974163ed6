/**
 * A per-process cache of accounts (the row and the id of its default calendar), so that the requests
 * every client makes all the time (`me`, the time zone a new reminder is read in) cost no query.
 * A change still shows at once on every process: the transaction that changes an account publishes
 * 'account:changed' (NOTIFY, delivered at its commit to every process listening), and each process
 * drops the account on hearing it. Exactness (an entry used only while the LISTEN connection that would
 * have told us of a change has stayed up since it was added, a load that raced with a change notice
 * not kept) is the notice cache's (platform/notice-cache.ts), as for the token cache.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { createNoticeCache, type NoticeCached, type NoticeCacheSettings } from '../platform/notice-cache.ts';
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

/** Rows by account id: forget takes the account's id. */
export type AccountCache = NoticeCached & {
  /** The account as committed, or null when there is none with this id. */
  get(em: EntityManager, accountId: string): Promise<AccountSnapshot | null>;
};

export type AccountCacheOptions = NoticeCacheSettings & { pubsub: PubSub };

type Row = { id: string; name: string; time_zone: string; webhook_secret: string; created_at: Date; updated_at: Date; default_calendar_id: string };

export function createAccountCache(options: AccountCacheOptions): AccountCache {
  const cache = createNoticeCache<AccountSnapshot>(options);
  return {
    get: (em, accountId) => cache.get(accountId, () => loadAccount(em, accountId)),
    forget: cache.forget,
    start() {
      cache.follow(options.pubsub.subscribe('account:changed', 'accounts'), ({ accountId }) => cache.noticed(accountId));
    },
    stop: cache.stop,
  };
}

async function loadAccount(em: EntityManager, accountId: string): Promise<AccountSnapshot | null> {
  // Through `em`: inside the caller's transaction when there is one (no second pool connection).
  const [row] = await em.execute<Row[]>(
    `select a.id, a.name, a.time_zone, a.webhook_secret, a.created_at, a.updated_at, c.id as default_calendar_id
       from account a join calendar c on c.account_id = a.id and c.is_default
      where a.id = ?`,
    [accountId],
  );
  if (!row) return null;
  return Object.freeze({
    id: row.id,
    name: row.name,
    timeZone: row.time_zone,
    webhookSecret: row.webhook_secret,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    defaultCalendarId: row.default_calendar_id,
  });
}
