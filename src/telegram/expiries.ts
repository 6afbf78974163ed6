/**
 * Expiries to chats: one resumable reminderExpired subscription per linked chat, with that chat's
 * token (so a chat only ever hears its own account; chats linked with the same token share one
 * WebSocket, graphql-ws multiplexing their subscriptions), each expiry sent with its buttons through the
 * send queue, and the chat's cursor stored once Telegram has the message. A restart resumes after
 * the last message Telegram accepted: nothing is lost, and nothing is sent twice unless the process
 * dies in the instant between Telegram's answer and the cursor's write.
 */
import { TicklerClientError } from '../client/errors.ts';
import { listenForExpiries, type Expiry, type ExpiryListener } from '../client/resume.ts';
import { createWsClient, type WsClient } from '../client/ws.ts';
import WebSocket from 'ws';
import type { Logger } from '../platform/logger.ts';
import { BUTTONS, buttonData, expiryText } from './messages.ts';
import type { Outbox } from './outbox.ts';
import { QueueStoppedError } from './send-queue.ts';
import type { Link, StateStore } from './state-store.ts';

type Watch = { listener: ExpiryListener; token: string };

export type ExpiryDeliveryOptions = {
  ticklerUrl: string;
  store: StateStore;
  outbox: Outbox;
  log: Logger;
  lateAfterMs: number;
  now: () => Date;
  /** Told when Tickler refuses a chat's token (revoked): the chat is then unlinked. */
  onTokenRefused: (chatId: number) => void;
};

export class ExpiryDelivery {
  private readonly options: ExpiryDeliveryOptions;
  private readonly watches = new Map<number, Watch>();
  /** One connection per token, with the number of chats using it. */
  private readonly sockets = new Map<string, { ws: WsClient; users: number }>();
  /** Subscriptions that ended in an error, in a row, by chat: they back off. */
  private readonly failures = new Map<number, number>();
  private stopped = false;

  constructor(options: ExpiryDeliveryOptions) {
    this.options = options;
  }

  /** Starts (or restarts, after a re-link) the chat's subscription from its stored cursor. */
  async watch(link: Link): Promise<void> {
    await this.unwatch(link.chatId);
    const { log } = this.options;
    const listener = listenForExpiries(this.socketFor(link.token), { after: link.cursor, onExpiry: (expiry) => this.deliver(link.chatId, expiry) });
    listener.done.catch((error: unknown) => {
      if (error instanceof QueueStoppedError || this.watches.get(link.chatId)?.listener !== listener) return;
      if (error instanceof TicklerClientError && error.kind === 'auth') {
        log.warn({ chatId: link.chatId }, 'Tickler refused the chat\'s token: unlinking it');
        this.options.onTokenRefused(link.chatId);
        return;
      }
      void this.resubscribe(link.chatId, error);
    });
    this.watches.set(link.chatId, { listener, token: link.token });
    log.info({ chatId: link.chatId, resumeFrom: link.cursor }, 'listening for the chat\'s expiries');
  }

  /** After a subscription failed for good: again from the stored cursor, backing off up to a minute. */
  private async resubscribe(chatId: number, error: unknown): Promise<void> {
    const { log, store } = this.options;
    const failures = (this.failures.get(chatId) ?? 0) + 1;
    this.failures.set(chatId, failures);
    if (error instanceof TicklerClientError && /not a reminderExpired cursor/.test(error.message)) {
      // Tickler no longer knows the cursor (its database was replaced): resuming from it can never work.
      log.warn({ chatId }, 'Tickler does not know the stored cursor any more: listening from now on');
      await store.update(chatId, { cursor: null });
    } else {
      log.error({ chatId, err: error }, 'reminderExpired subscription ended; resubscribing from the stored cursor');
    }
    // (A subscriber that fell behind, LAGGED, never gets here: the shared client resumes it from the cursor.)
    const delay = Math.min(60_000, 1000 * 2 ** (failures - 1));
    setTimeout(() => {
      const current = store.get(chatId);
      if (!this.stopped && current) void this.watch(current);
    }, delay).unref();
  }

  async unwatch(chatId: number): Promise<void> {
    const watch = this.watches.get(chatId);
    if (!watch) return;
    this.watches.delete(chatId);
    await Promise.allSettled([watch.listener.stop()]);
    await this.release(watch.token);
  }

  private socketFor(token: string): WsClient {
    let entry = this.sockets.get(token);
    if (!entry) {
      const { log } = this.options;
      const ws = createWsClient({
        url: this.options.ticklerUrl,
        token,
        webSocketImpl: WebSocket,
        onConnection: (event) => (event.state === 'lagged' ? log.info(event, 'a subscription fell behind; the shared client resumes it from its cursor') : log.debug(event, 'Tickler connection')),
      });
      entry = { ws, users: 0 };
      this.sockets.set(token, entry);
    }
    entry.users += 1;
    return entry.ws;
  }

  private async release(token: string): Promise<void> {
    const entry = this.sockets.get(token);
    if (!entry || --entry.users > 0) return;
    this.sockets.delete(token);
    await entry.ws.dispose().catch(() => undefined);
  }

  async stopAll(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.watches.keys()].map((chatId) => this.unwatch(chatId)));
  }

  private async deliver(chatId: number, expiry: Expiry): Promise<void> {
    const { outbox, store, log, lateAfterMs, now } = this.options;
    const id = expiry.reminder.id;
    const view = { message: expiry.reminder.message, occurrenceAt: expiry.occurrenceAt, timeZone: expiry.reminder.timeZone, recurrence: expiry.reminder.recurrence };
    let sentReminder: string | undefined;
    try {
      const sent = await outbox.send(chatId, () => expiryText(view, now(), lateAfterMs), {
        replayable: true,
        keyboard: {
          inline_keyboard: [[BUTTONS.snooze10, BUTTONS.snooze60, BUTTONS.done].map((b) => ({ text: b.text, callback_data: buttonData(b.action, id) }))],
        },
      });
      sentReminder = id;
      this.failures.delete(chatId);
      log.info({ chatId, reminderId: id, messageId: sent.message_id, latenessMs: now().getTime() - Date.parse(String(expiry.occurrenceAt)) }, 'expiry sent');
    } catch (error) {
      // Stopping: leave the cursor where it is, the expiry is replayed on the next start.
      if (error instanceof QueueStoppedError) throw error;
      // Telegram refused for good (bot blocked, chat gone): retrying the same message cannot help.
      log.warn({ chatId, reminderId: id, err: error }, 'Telegram refused an expiry; skipping it');
    }
    // One write: the cursor, and the reminder "/snooze 30m" refers to (it survives restarts too).
    if (this.watches.has(chatId)) await store.update(chatId, { cursor: expiry.cursor, ...(sentReminder ? { lastReminderId: sentReminder } : {}) });
  }
}
