/**
 * What every chat handler shares: the chat's API client (with the token of the chat's own link),
 * replies through the send queue, and one way of turning failures into words a person can act on,
 * so that no handler ever stays silent.
 */
import type { Context } from 'grammy';
import { fieldName, TicklerClientError } from '../client/errors.ts';
import { createHttpClient, type HttpClient } from '../client/http.ts';
import type { Logger } from '../platform/logger.ts';
import type { ExpiryDelivery } from './expiries.ts';
import { NOT_LINKED } from './messages.ts';
import type { Outbox } from './outbox.ts';
import type { Link, StateStore } from './state-store.ts';

export type ChatDeps = {
  ticklerUrl: string;
  store: StateStore;
  outbox: Outbox;
  expiries: ExpiryDelivery;
  log: Logger;
  now: () => Date;
};

export type Chat = ChatDeps & {
  /** The reminder ids of each chat's last /list, for "/cancel 2". */
  lists: Map<number, string[]>;
  api(token: string): HttpClient;
  say(chatId: number, text: string): void;
  /** A failure as a reply; an auth failure also unlinks the chat. */
  explain(error: unknown, chatId: number): Promise<string>;
  /** Forgets the chat's link and stops its expiries. */
  forget(chatId: number): Promise<void>;
  /** Wraps a command that needs a linked chat; failures become replies. */
  linked(handler: (ctx: Context, chatId: number, link: Link) => Promise<void>): (ctx: Context) => Promise<void>;
};

export function createChat(deps: ChatDeps): Chat {
  const lists = new Map<number, string[]>();
  const say = (chatId: number, text: string) => deps.outbox.reply(chatId, text);
  const forget = async (chatId: number) => {
    lists.delete(chatId);
    void deps.expiries.unwatch(chatId);
    await deps.store.unlink(chatId);
  };
  const explain = async (error: unknown, chatId: number): Promise<string> => {
    if (!(error instanceof TicklerClientError)) {
      deps.log.error({ chatId, err: error }, 'command failed');
      return 'Something went wrong on my side; please try again.';
    }
    if (error.kind === 'auth') {
      await forget(chatId);
      return 'Tickler refused this chat\'s token (revoked?), so I unlinked the chat. Send a new token to link it again.';
    }
    if (error.kind === 'network') return `I cannot reach Tickler right now (${error.message}). Please try again in a moment.`;
    if (error.kind === 'usage') return error.message;
    if (error.fieldErrors.length) return `Tickler refused that: ${error.fieldErrors.map((e) => `${fieldName(e.path)} ${e.message}`).join('; ')}`;
    return `Tickler said: ${error.message}`;
  };
  return {
    ...deps,
    lists,
    api: (token) => createHttpClient({ url: deps.ticklerUrl, token, userAgent: 'tickler-telegram' }),
    say,
    explain,
    forget,
    linked: (handler) => async (ctx) => {
      const chatId = ctx.chat!.id;
      const link = deps.store.get(chatId);
      if (!link) return say(chatId, NOT_LINKED);
      try {
        await handler(ctx, chatId, link);
      } catch (error) {
        say(chatId, await explain(error, chatId));
      }
    },
  };
}
