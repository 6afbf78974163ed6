/**
 * Subscription streams. Notifications carry batches of ids (one per transaction and account); these
 * streams load each batch in one query and hand the rows over one by one, waiting for the consumer
 * (Repeater push backpressure), so a burst of thousands never piles up events in memory.
 *
 * `reminderExpired(after:)` first replays the account's occurrence history after the cursor, then
 * goes live without a gap or a duplicate at the seam: it listens BEFORE replaying (live batches wait
 * in the pub/sub buffer), and afterwards skips live ids not above the last one replayed. That is
 * exact because occurrence ids are allocated in commit order (fire.job.ts), the order NOTIFY uses.
 */
import { Repeater } from 'graphql-yoga';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PubSub } from '../platform/pubsub.ts';
import type { Reminder } from './reminder.entity.ts';
import { loadExpiredSnapshots, loadReminderSnapshots, type ExpiredSnapshot } from './reminder.rows.ts';

export type ExpiredEvent = { id: string; cursor: string; occurrenceAt: Date; firedAt: Date; latenessMs: number; reminder: Reminder };

const REPLAY_PAGE = 500;

/** The opaque, monotonic cursor of an occurrence. */
export function encodeCursor(occurrenceId: string): string {
  return Buffer.from(`occurrence:${occurrenceId}`).toString('base64url');
}

/** The occurrence id inside a cursor, or null when it is not one of ours. */
export function decodeCursor(cursor: string): bigint | null {
  const match = /^occurrence:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return match ? BigInt(match[1]!) : null;
}

type Source<T> = AsyncIterator<T>;

/**
 * Pulls live batches from `live` and pushes their loaded rows one at a time. `replay` (optional)
 * runs first and returns the last key it pushed; live keys not above it are then skipped.
 */
function batchStream<B, T>(
  subscribeLive: () => Source<B>,
  load: (batch: B, after: bigint | null) => Promise<T[]>,
  keyOf: (row: T) => bigint | null,
  replay?: (push: (row: T) => Promise<unknown>, stopped: () => boolean) => Promise<bigint | null>,
): AsyncIterable<T> {
  return new Repeater<T>(async (push, stop) => {
    const live = subscribeLive();
    let pending = live.next(); // starts listening now, before any replay
    let stopped = false;
    const ended = stop.then(() => {
      stopped = true;
      return null;
    });
    try {
      let last = replay ? await replay(push, () => stopped) : null;
      while (!stopped) {
        const result = await Promise.race([pending, ended]);
        if (!result || result.done) break;
        pending = live.next();
        for (const row of await load(result.value, last)) {
          if (stopped) break;
          await push(row);
          const key = keyOf(row);
          if (key !== null && (last === null || key > last)) last = key;
        }
      }
    } catch (error) {
      stop(error);
    } finally {
      await live.return?.();
      stop();
    }
  });
}

/** Reminders named by the account's `reminder:created` or `reminder:updated` notifications. */
export function reminderStream(pubsub: PubSub, topic: 'reminder:created' | 'reminder:updated', accountId: string, forkEm: () => EntityManager): AsyncIterable<Reminder> {
  return batchStream(
    () => pubsub.subscribe(topic, accountId)[Symbol.asyncIterator](),
    ({ ids }) => loadReminderSnapshots(forkEm(), accountId, ids),
    () => null,
  );
}

/** The account's expiries: the history after `after` (when given), then live. */
export function expiredStream(pubsub: PubSub, accountId: string, after: bigint | null, forkEm: () => EntityManager): AsyncIterable<ExpiredEvent> {
  const replay = after === null ? undefined : async (push: (row: ExpiredEvent) => Promise<unknown>, stopped: () => boolean) => {
    let last = after;
    for (;;) {
      const page = await loadExpiredSnapshots(forkEm(), accountId, { afterId: last, limit: REPLAY_PAGE });
      for (const occurrence of page) {
        if (stopped()) return last;
        await push(toEvent(occurrence));
        last = BigInt(occurrence.id);
      }
      if (page.length < REPLAY_PAGE) return last;
    }
  };
  return batchStream(
    () => pubsub.subscribe('reminder:expired', accountId)[Symbol.asyncIterator](),
    async ({ occurrenceIds }, last) => {
      const ids = occurrenceIds.filter((id) => last === null || BigInt(id) > last);
      if (ids.length === 0) return [];
      return (await loadExpiredSnapshots(forkEm(), accountId, { ids })).map(toEvent);
    },
    (event) => BigInt(event.id),
    replay,
  );
}

function toEvent(occurrence: ExpiredSnapshot): ExpiredEvent {
  return { ...occurrence, cursor: encodeCursor(occurrence.id) };
}
