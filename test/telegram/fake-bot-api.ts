// A fake Telegram Bot API on loopback, for running the real bot process in tests. It speaks the
// subset of https://core.telegram.org/bots/api the bot uses, keeps chats' messages so tests can
// read what a person would see, lets a test play the person (messages, button presses), can
// answer 429 with retry_after on demand, and records a transcript of every call it received.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type TranscriptEntry = {
  /** Milliseconds since the fake started. */
  at: number;
  method: string;
  payload: Record<string, any>;
  /** What the fake answered: the result, or the error for a refused call. */
  ok: boolean;
  result?: unknown;
  error?: { error_code: number; description: string; parameters?: Record<string, unknown> };
};

export type FakeMessage = {
  message_id: number;
  chat: { id: number; type: string };
  from: { id: number; is_bot: boolean; first_name: string };
  date: number;
  text: string;
  reply_markup?: { inline_keyboard: { text: string; callback_data?: string }[][] };
  /** Set when the bot deleted it. */
  deleted?: boolean;
  /** Every text it had, oldest first (edits append). */
  history: string[];
};

type PendingFailure = { method: string; status: number; description: string; retryAfter?: number };

const BOT_USER = { id: 777000111, is_bot: true, first_name: 'Tickler', username: 'tickler_test_bot' };

export class FakeBotApi {
  readonly token: string;
  readonly transcript: TranscriptEntry[] = [];
  /** Every message in every chat, from the person and from the bot, by chat. */
  readonly chats = new Map<number, FakeMessage[]>();
  /** Epoch ms when the fake was made; transcript times count from it. */
  readonly startedAt = Date.now();
  private readonly events = new EventEmitter();
  private readonly updates: Record<string, any>[] = [];
  private readonly failures: PendingFailure[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private server: http.Server | null = null;
  private readonly holdMs: number;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(options: { token?: string; holdMs?: number } = {}) {
    this.token = options.token ?? '123456:TEST-fake-bot-token';
    this.holdMs = options.holdMs ?? 1000;
    this.events.setMaxListeners(0);
  }

  /** Listens on a free loopback port; returns the apiRoot to give the bot. */
  async start(): Promise<string> {
    this.server = http.createServer((request, response) => void this.handle(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.events.emit('update');
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The person in `chatId` sends `text`; returns the message. */
  say(chatId: number, text: string): FakeMessage {
    const message = this.addMessage(chatId, text, { id: chatId > 0 ? chatId : 4242, is_bot: false, first_name: 'Ada' });
    this.push({ message: this.wire(message) });
    return message;
  }

  /** The person presses the inline button whose callback_data is `data` under `messageId`. */
  press(chatId: number, messageId: number, data: string): string {
    const message = this.find(chatId, messageId);
    const id = `cb${this.nextUpdateId}`;
    this.push({
      callback_query: {
        id,
        from: { id: chatId > 0 ? chatId : 4242, is_bot: false, first_name: 'Ada' },
        chat_instance: String(chatId),
        message: this.wire(message),
        data,
      },
    });
    return id;
  }

  /** The next call of `method` is refused with 429 Too Many Requests and this retry_after. */
  failNextWith429(method: string, retryAfterSeconds: number): void {
    this.failures.push({ method, status: 429, description: `Too Many Requests: retry after ${retryAfterSeconds}`, retryAfter: retryAfterSeconds });
  }

  /** Messages the bot sent to `chatId`, in order (deleted ones included, flagged). */
  botMessages(chatId: number): FakeMessage[] {
    return (this.chats.get(chatId) ?? []).filter((message) => message.from.is_bot);
  }

  /** Resolves with the first transcript entry (past or future) that matches, or rejects after `timeoutMs`. */
  waitForCall(match: (entry: TranscriptEntry) => boolean, timeoutMs = 10_000, from = 0): Promise<TranscriptEntry> {
    return this.waitFor(() => this.transcript.slice(from).find(match), timeoutMs, 'a matching Bot API call');
  }

  /** Resolves once `check` returns something other than undefined/false, re-checked on every call received. */
  waitFor<T>(check: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
    const now = check();
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const onCall = () => {
        const value = check();
        if (!value) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${what} did not happen within ${timeoutMs} ms; last calls:\n${this.transcript.filter((e) => e.method !== 'getUpdates').slice(-8).map(brief).join('\n')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off('call', onCall);
      };
      this.events.on('call', onCall);
    });
  }

  /** The transcript without polling noise, one line per call: for reading and for reports. */
  readableTranscript(): string {
    return this.transcript
      .filter((entry) => entry.method !== 'getUpdates')
      .map((entry) => `${(entry.at / 1000).toFixed(3).padStart(8)}s ${brief(entry)}`)
      .join('\n');
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(request.url ?? '');
    let payload: Record<string, any> = {};
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString();
      if (body) payload = JSON.parse(body);
    } catch {
      return this.answer(response, 'unknown', payload, 400, { description: 'Bad Request: invalid JSON' });
    }
    if (!match) return this.answer(response, 'unknown', payload, 404, { description: 'Not Found' });
    const [, token, method] = match;
    if (token !== this.token) return this.answer(response, method!, payload, 401, { description: 'Unauthorized' });
    const failure = this.failures.findIndex((f) => f.method === method);
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return this.answer(response, method!, payload, f!.status, {
        description: f!.description,
        ...(f!.retryAfter !== undefined ? { parameters: { retry_after: f!.retryAfter } } : {}),
      });
    }
    if (method === 'getUpdates') {
      const updates = await this.takeUpdates(payload, request);
      return this.answer(response, method, payload, 200, { result: updates });
    }
    try {
      return this.answer(response, method!, payload, 200, { result: this.call(method!, payload) });
    } catch (error) {
      return this.answer(response, method!, payload, 400, { description: `Bad Request: ${(error as Error).message}` });
    }
  }

  private call(method: string, payload: Record<string, any>): unknown {
    switch (method) {
      case 'getMe':
        return BOT_USER;
      case 'deleteWebhook':
      case 'setMyCommands':
      case 'answerCallbackQuery':
        return true;
      case 'sendMessage': {
        if (typeof payload.text !== 'string' || !payload.text) throw new Error('message text is empty');
        const message = this.addMessage(Number(payload.chat_id), payload.text, BOT_USER);
        if (payload.reply_markup) message.reply_markup = payload.reply_markup;
        return this.wire(message);
      }
      case 'editMessageText': {
        const message = this.find(Number(payload.chat_id), Number(payload.message_id));
        if (!message.from.is_bot) throw new Error("message can't be edited");
        if (message.text === payload.text && JSON.stringify(message.reply_markup) === JSON.stringify(payload.reply_markup)) {
          throw new Error('message is not modified');
        }
        message.text = payload.text;
        message.history.push(payload.text);
        if (payload.reply_markup) message.reply_markup = payload.reply_markup;
        else delete message.reply_markup;
        return this.wire(message);
      }
      case 'deleteMessage': {
        const message = this.find(Number(payload.chat_id), Number(payload.message_id));
        if (message.deleted) throw new Error('message to delete not found');
        message.deleted = true;
        return true;
      }
      default:
        throw new Error(`method ${method} is not faked`);
    }
  }

  /** Long polling: answers at once when updates wait, else holds the request up to holdMs. */
  private async takeUpdates(payload: Record<string, any>, request: http.IncomingMessage): Promise<Record<string, any>[]> {
    const offset = Number(payload.offset ?? 0);
    // Telegram forgets updates below the offset: they were confirmed.
    while (this.updates.length && this.updates[0]!.update_id < offset) this.updates.shift();
    const timeoutMs = Math.min(Number(payload.timeout ?? 0) * 1000, this.holdMs);
    if (!this.updates.length && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.events.once('update', done);
        request.once('close', done);
      });
    }
    return this.updates.slice(0, Number(payload.limit ?? 100));
  }

  private answer(
    response: http.ServerResponse,
    method: string,
    payload: Record<string, any>,
    status: number,
    body: { result?: unknown; description?: string; parameters?: Record<string, unknown> },
  ): void {
    const ok = status === 200;
    const entry: TranscriptEntry = { at: Date.now() - this.startedAt, method, payload, ok };
    if (ok) entry.result = body.result;
    else entry.error = { error_code: status, description: body.description ?? '', ...(body.parameters ? { parameters: body.parameters } : {}) };
    this.transcript.push(entry);
    const json = ok ? { ok: true, result: body.result } : { ok: false, ...entry.error };
    if (!response.destroyed) {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(json));
    }
    this.events.emit('call', entry);
  }

  private push(update: Record<string, any>): void {
    const full = { update_id: this.nextUpdateId++, ...update };
    this.updates.push(full);
    // The person's side goes into the transcript too, so it reads as a conversation.
    this.transcript.push({ at: Date.now() - this.startedAt, method: 'update', payload: full, ok: true });
    this.events.emit('update');
  }

  private addMessage(chatId: number, text: string, from: FakeMessage['from']): FakeMessage {
    const message: FakeMessage = {
      message_id: this.nextMessageId++,
      chat: { id: chatId, type: chatId > 0 ? 'private' : 'group' },
      from,
      date: Math.floor(Date.now() / 1000),
      text,
      history: [text],
    };
    const list = this.chats.get(chatId) ?? [];
    list.push(message);
    this.chats.set(chatId, list);
    return message;
  }

  private find(chatId: number, messageId: number): FakeMessage {
    const message = this.chats.get(chatId)?.find((m) => m.message_id === messageId);
    if (!message) throw new Error('message not found');
    return message;
  }

  /** A message as the Bot API sends it (without the fake's bookkeeping). */
  private wire(message: FakeMessage): Record<string, unknown> {
    const { deleted: _deleted, history: _history, ...rest } = message;
    const entities = message.text.startsWith('/')
      ? [{ type: 'bot_command', offset: 0, length: message.text.split(/\s/)[0]!.length }]
      : undefined;
    return { ...rest, chat: chatFor(message.chat.id), ...(entities && !message.from.is_bot ? { entities } : {}) };
  }
}

function chatFor(id: number) {
  return id > 0 ? { id, type: 'private', first_name: 'Ada' } : { id, type: 'group', title: 'Team' };
}

function brief(entry: TranscriptEntry): string {
  const p = entry.payload;
  if (entry.method === 'update') {
    if (p.message) return `person says ${JSON.stringify(p.message.text)} (chat=${p.message.chat.id} message=${p.message.message_id})`;
    return `person presses ${JSON.stringify(p.callback_query.data)} under message=${p.callback_query.message.message_id}`;
  }
  const parts: string[] = [entry.method];
  if (p.chat_id !== undefined) parts.push(`chat=${p.chat_id}`);
  if (p.message_id !== undefined) parts.push(`message=${p.message_id}`);
  if (typeof p.text === 'string') parts.push(JSON.stringify(p.text));
  const buttons = p.reply_markup?.inline_keyboard?.flat().map((b: { text: string }) => `[${b.text}]`);
  if (buttons?.length) parts.push(buttons.join(' '));
  if (typeof p.text !== 'string' && p.callback_query_id !== undefined) parts.push(`query=${p.callback_query_id}`);
  if (!entry.ok) parts.push(`→ ${entry.error!.error_code} ${entry.error!.description}`);
  return parts.join(' ');
}
