/**
 * `reminderExpired(after:)` that survives reconnections and LAGGED ends without gaps or duplicates.
 *
 * The caller keeps the durable cursor (a file, a database row): it passes the last cursor it
 * handled and stores `expiry.cursor` once `onExpiry` is done with it. Within one process, every
 * expiry received is handled in order, one at a time; on a reconnection or a LAGGED end the shared
 * client (ws.ts) resumes after the last one *received* (those still queued will be handled); after a
 * crash the caller's stored cursor resumes after the last one *handled*.
 */
import type { ResultOf } from '@graphql-typed-document-node/core';
import type { TicklerClientError } from './errors.ts';
import { ReminderExpiredSubscription } from './operations/reminders.ts';
import type { WsClient } from './ws.ts';

export type Expiry = ResultOf<typeof ReminderExpiredSubscription>['reminderExpired'];

export type ExpiryListener = {
  /** Resolves once every expiry received so far has been handled, and the subscription is closed. */
  stop(): Promise<void>;
  /** Settles when the subscription ends for good: rejects with a fatal error (e.g. auth). */
  readonly done: Promise<void>;
};

export function listenForExpiries(
  ws: WsClient,
  options: {
    after?: string | null;
    onExpiry: (expiry: Expiry) => void | Promise<void>;
    /** Called when the server listens (acknowledged, ws.ts), again after a reconnection. */
    onSubscribed?: () => void;
  },
): ExpiryListener {
  let queue = Promise.resolve();
  let failed: TicklerClientError | null = null;
  let settle!: (error: TicklerClientError | null) => void;
  const ended = new Promise<TicklerClientError | null>((resolve) => (settle = resolve));
  // The shared client moves `after` along with what it delivers (reconnections and LAGGED resume there).
  const unsubscribe = ws.subscribe(ReminderExpiredSubscription, { after: options.after ?? null }, {
    next(data) {
      const expiry = data.reminderExpired;
      queue = queue.then(() => options.onExpiry(expiry)).catch((error) => {
        failed ??= error;
        unsubscribe();
        settle(error);
      });
    },
    error(error) {
      settle(error);
    },
    complete() {
      settle(null);
    },
    ...(options.onSubscribed ? { subscribed: options.onSubscribed } : {}),
  });
  const done = ended.then(async (error) => {
    await queue;
    if (error ?? failed) throw error ?? failed;
  });
  done.catch(() => undefined);
  return {
    async stop() {
      unsubscribe();
      settle(null);
      await queue;
    },
    done,
  };
}
