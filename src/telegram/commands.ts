/**
 * The chat side, registered in the order grammY must try it: linking and help, the reminder
 * commands, the buttons under an expiry, and last the catch-all for tokens and anything else.
 */
import type { Bot } from 'grammy';
import { registerButtons } from './buttons.ts';
import { createChat, type ChatDeps } from './chat.ts';
import { registerFallback, registerLinking } from './linking.ts';
import { registerReminderCommands } from './reminder-commands.ts';

export type { ChatDeps };

export function registerChatHandlers(bot: Bot, deps: ChatDeps): void {
  const chat = createChat(deps);
  registerLinking(bot, chat);
  registerReminderCommands(bot, chat);
  registerButtons(bot, chat);
  registerFallback(bot, chat);
}
