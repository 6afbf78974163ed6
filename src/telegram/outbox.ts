/**
 * Everything the bot puts into a chat goes through here, so that one SendQueue paces it: replies,
 * expiries, edits and deletions alike count against the chat's limit.
 */
import type { Api } from 'grammy';
import type { Logger } from '../platform/logger.ts';
import { QueueStoppedError, type SendQueue } from './send-queue.ts';

type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };

export class Outbox {
  private readonly api: Api;
  private readonly queue: SendQueue;
  private readonly log: Logger;

  constructor(api: Api, queue: SendQueue, log: Logger) {
    this.api = api;
    this.queue = queue;
    this.log = log;
  }

  /**
   * Sends a message; `text` may be a function, called at the moment of sending (an expiry's
   * lateness is only known then). A replayable message is dropped, not drained, on stop.
   */
  send(chatId: number, text: string | (() => string), options: { keyboard?: Keyboard; replayable?: boolean } = {}) {
    return this.queue.enqueue(
      chatId,
      () => this.api.sendMessage(chatId, typeof text === 'function' ? text() : text, options.keyboard ? { reply_markup: options.keyboard } : {}),
      { replayable: options.replayable ?? false },
    );
  }

  /** A reply whose failure is logged, not awaited: update handling must not wait for the queue. */
  reply(chatId: number, text: string): void {
    this.send(chatId, text).catch((error) => this.failed('sendMessage', chatId, error));
  }

  edit(chatId: number, messageId: number, text: string, keyboard?: Keyboard) {
    return this.queue.enqueue(chatId, () => this.api.editMessageText(chatId, messageId, text, keyboard ? { reply_markup: keyboard } : {}));
  }

  delete(chatId: number, messageId: number) {
    return this.queue.enqueue(chatId, () => this.api.deleteMessage(chatId, messageId));
  }

  failed(method: string, chatId: number, error: unknown): void {
    if (error instanceof QueueStoppedError) return;
    this.log.warn({ method, chatId, err: error }, `Telegram refused ${method}`);
  }
}
