/**
 * Subscription streams. Notifications carry batches of ids (one per transaction and account); these
 * streams load each batch in one query and hand the rows over one by one as the consumer pulls them
 * (the next batch is loaded only when the last one has been taken), so a burst of thousands never
 * piles up events in memory.
 *
 * `reminderExpired(after:)` first replays the account's occurrence history after the cursor, then
 * goes live without a gap or a duplicate at the seam: it listens BEFORE replaying (live batches wait
 * in the pub/sub buffer), and afterwards skips live ids not above the last one replayed. That is
 * exact because occurrence ids are allocated in commit order (fire.job.ts), the order NOTIFY uses.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PubSub } from '../platform/pubsub.ts';
import type { Reminder } from './reminder.entity.ts';
import DataLoader from 'dataloader';
import { expiredFromRow, loadExpiredSnapshots, loadExpiredSnapshotsById, loadReminderSnapshots, type ExpiredSnapshot } from './reminder.rows.ts';

export type ExpiredEvent = { id: string; cursor: string; occurrenceAt: Date; firedAt: Date; latenessMs: number; reminder: Reminder };

const REPLAY_PAGE = 500;

/** The opaque, monotonic cursor of an occurrence. */
export function encodeCursor(occurrenceId: string): string {
  return Buffer.from(`occurrence:${occurrenceId}`).toString('base64url');
}

/** The occurrence id inside a cursor, or null when it is not one of ours. */
export function decodeCursor(cursor: string): bigint | null {
  // At most 18 digits: a 19-digit number can pass PostgreSQL's bigint, which it refuses.
  const match = /^occurrence:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return match ? BigInt(match[1]!) : null;
}

type Source<T> = AsyncIterator<T>;

/**
 * Pulls live batches from `live` and hands their loaded rows over one at a time. `replay` (optional)
 * first returns pages of history after a key, until it says there are no more; live rows whose key
 * is not above that key or the last row handed over are then skipped.
 *
 * A plain iterator rather than a Repeater or an async generator: a burst hands thousands of rows to
 * each subscriber, and a row already loaded is returned without a new promise chain; `return()` (the
 * client unsubscribed) ends a pending wait for the next live batch at once.
 */
export function batchStream<B, T>(
  subscribeLive: () => Source<B>,
  load: (batch: B, after: bigint | null) => Promise<T[]>,
  keyOf: (row: T) => bigint | null,
  replay?: { after: bigint; page: (after: bigint) => Promise<{ rows: T[]; more: boolean }> },
): AsyncIterableIterator<T> {
  const live = subscribeLive();
  let pending: Promise<IteratorResult<B>> | undefined = live.next(); // listen now, before any replay
  let rows: T[] = [];
  let index = 0;
  let last: bigint | null = replay?.after ?? null;
  let replaying = replay !== undefined;
  let done = false;
  const finished: IteratorResult<T> = { done: true, value: undefined };

  const refill = async () => {
    if (replaying) {
      const page = await replay!.page(last!);
      rows = page.rows;
      index = 0;
      replaying = page.more;
      return;
    }
    const result = await pending!;
    if (result.done) {
      done = true;
      return;
    }
    pending = live.next();
    rows = await load(result.value, last);
    index = 0;
  };

  const iterator: AsyncIterableIterator<T> = {
    async next() {
      while (!done) {
        if (index < rows.length) {
          const row = rows[index++]!;
          const key = keyOf(row);
          if (key !== null && (last === null || key > last)) last = key;
          return { done: false, value: row };
        }
        try {
          await refill();
        } catch (error) {
          await iterator.return!();
          throw error;
        }
      }
      return finished;
    },
    async return() {
      if (!done) {
        done = true;
        rows = [];
        pending = undefined;
        await live.return?.();
      }
      return finished;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/**
 * Loads what a notification names once per process: every subscriber in this process receives the
 * same notification object (pubsub.ts parses each NOTIFY once), so it keys the load. The rows are
 * read-only snapshots, shared by all the subscribers of the account.
 */
const loads = new WeakMap<object, Promise<unknown>>();
function loadOnce<T>(notification: object, load: () => Promise<T>): Promise<T> {
  let loading = loads.get(notification) as Promise<T> | undefined;
  if (!loading) {
    loading = load();
    loads.set(notification, loading);
    loading.catch(() => loads.delete(notification));
  }
  return loading;
}

/** Reminders named by the account's `reminder:created` or `reminder:updated` notifications. */
export function reminderStream(pubsub: PubSub, topic: 'reminder:created' | 'reminder:updated', accountId: string, forkEm: () => EntityManager): AsyncIterable<Reminder> {
  return batchStream(
    () => pubsub.subscribe(topic, accountId)[Symbol.asyncIterator](),
    (notification) => loadOnce(notification, () => loadReminderSnapshots(forkEm(), accountId, notification.ids)),
    () => null,
  );
}

/**
 * One loader of occurrences per pub/sub (i.e. per process): a fire batch notifies each account apart,
 * and the notifications of one batch arrive together, so the loads their subscribers start in the
 * same tick become one query instead of one per account. Not cached: each load reads the rows now.
 */
const occurrenceLoaders = new WeakMap<PubSub, DataLoader<string, ExpiredSnapshot | null>>();
function occurrenceLoader(pubsub: PubSub, forkEm: () => EntityManager): DataLoader<string, ExpiredSnapshot | null> {
  let loader = occurrenceLoaders.get(pubsub);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const byId = new Map((await loadExpiredSnapshotsById(forkEm(), ids)).map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }, { cache: false, maxBatchSize: 5000 });
    occurrenceLoaders.set(pubsub, loader);
  }
  return loader;
}

/** The account's expiries: the history after `after` (when given), then live. */
export function expiredStream(pubsub: PubSub, accountId: string, after: bigint | null, forkEm: () => EntityManager): AsyncIterable<ExpiredEvent> {
  const replay = after === null ? undefined : {
    after,
    page: async (last: bigint) => {
      const page = await loadExpiredSnapshots(forkEm(), accountId, { afterId: last, limit: REPLAY_PAGE });
      return { rows: page.map(toEvent), more: page.length === REPLAY_PAGE };
    },
  };
  return batchStream(
    () => pubsub.subscribe('reminder:expired', accountId)[Symbol.asyncIterator](),
    async (notification, last) => {
      const events = await loadOnce(notification, async () => {
        // Carried whole by the notice (a few expiries): nothing to load.
        if (notification.rows) return notification.rows.map((row, i) => expiredFromRow(row, notification.occurrenceIds[i]!)).filter((row) => row.reminder.account.id === accountId).map(toEvent);
        const rows = await occurrenceLoader(pubsub, forkEm).loadMany(notification.occurrenceIds);
        const failed = rows.find((row) => row instanceof Error);
        if (failed) throw failed;
        // Isolation: an account's stream only ever hands over that account's occurrences.
        return (rows as (ExpiredSnapshot | null)[]).filter((row): row is ExpiredSnapshot => row !== null && row.reminder.account.id === accountId).map(toEvent);
      });
      return last === null ? events : events.filter((event) => BigInt(event.id) > last);
    },
    (event) => BigInt(event.id),
    replay,
  );
}

function toEvent(occurrence: ExpiredSnapshot): ExpiredEvent {
  return { ...occurrence, cursor: encodeCursor(occurrence.id) };
}
