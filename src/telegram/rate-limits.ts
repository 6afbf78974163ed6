/**
 * When the bot may send its next message, from Telegram's published limits
 * (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this): about one
 * message a second per chat, 20 a minute per group, about 30 a second overall, and whatever a 429's
 * retry_after says. Pure: every function takes the time it should consider as `now`.
 */

export type Limits = Readonly<{
  /** Minimum gap between two messages to the same chat. */
  perChatIntervalMs: number;
  groupMax: number;
  groupWindowMs: number;
  globalMax: number;
  globalWindowMs: number;
}>;

export const TELEGRAM_LIMITS: Limits = Object.freeze({
  perChatIntervalMs: 1000,
  groupMax: 20,
  groupWindowMs: 60_000,
  globalMax: 30,
  globalWindowMs: 1000,
});

/** The sends that still count against a limit, and the pauses that 429 answers asked for. */
export type SendLedger = {
  lastByChat: Map<number, number>;
  /** Send times per group chat within the group window, oldest first. */
  groupSends: Map<number, number[]>;
  /** Send times within the global window, oldest first. */
  globalSends: number[];
  /** Set by a 429 on a call that names no chat: nothing is sent before it. */
  pausedUntil: number;
  chatPausedUntil: Map<number, number>;
};

export function emptyLedger(): SendLedger {
  return { lastByChat: new Map(), groupSends: new Map(), globalSends: [], pausedUntil: 0, chatPausedUntil: new Map() };
}

/** Telegram gives groups, supergroups and channels negative ids and private chats positive ones. */
export function isGroupChat(chatId: number): boolean {
  return chatId < 0;
}

/** The earliest moment, not before `now`, at which a message to `chatId` keeps within every limit. */
export function earliestSendAt(ledger: SendLedger, chatId: number, now: number, limits: Limits = TELEGRAM_LIMITS): number {
  let at = Math.max(now, ledger.pausedUntil, ledger.chatPausedUntil.get(chatId) ?? 0);
  const last = ledger.lastByChat.get(chatId);
  if (last !== undefined) at = Math.max(at, last + limits.perChatIntervalMs);
  if (isGroupChat(chatId)) {
    const sends = ledger.groupSends.get(chatId) ?? [];
    if (sends.length >= limits.groupMax) at = Math.max(at, sends[sends.length - limits.groupMax]! + limits.groupWindowMs);
  }
  const global = ledger.globalSends;
  if (global.length >= limits.globalMax) at = Math.max(at, global[global.length - limits.globalMax]! + limits.globalWindowMs);
  return at;
}

/** Counts a message sent to `chatId` at `at`, and forgets sends that no longer count. */
export function recordSend(ledger: SendLedger, chatId: number, at: number, limits: Limits = TELEGRAM_LIMITS): void {
  ledger.lastByChat.set(chatId, at);
  ledger.globalSends.push(at);
  prune(ledger.globalSends, at - limits.globalWindowMs, limits.globalMax);
  if (isGroupChat(chatId)) {
    const sends = ledger.groupSends.get(chatId) ?? [];
    sends.push(at);
    prune(sends, at - limits.groupWindowMs, limits.groupMax);
    ledger.groupSends.set(chatId, sends);
  }
}

/** A 429 answered at `now`: `chatId`'s messages (or every message, for null) wait `retryAfterSeconds`. */
export function recordRetryAfter(ledger: SendLedger, chatId: number | null, now: number, retryAfterSeconds: number): void {
  const until = now + Math.max(0, retryAfterSeconds) * 1000;
  if (chatId === null) ledger.pausedUntil = Math.max(ledger.pausedUntil, until);
  else ledger.chatPausedUntil.set(chatId, Math.max(ledger.chatPausedUntil.get(chatId) ?? 0, until));
}

export type Head = { chatId: number; seq: number };

/**
 * Which waiting chat goes next and when: the one that may send soonest; on a tie, the message
 * enqueued first, so a burst is sent in the order it arrived.
 */
export function pickNext(ledger: SendLedger, heads: readonly Head[], now: number, limits: Limits = TELEGRAM_LIMITS): { chatId: number; at: number } | null {
  let best: { chatId: number; at: number; seq: number } | null = null;
  for (const head of heads) {
    const at = earliestSendAt(ledger, head.chatId, now, limits);
    if (!best || at < best.at || (at === best.at && head.seq < best.seq)) best = { chatId: head.chatId, at, seq: head.seq };
  }
  return best && { chatId: best.chatId, at: best.at };
}

/** Drops times before `since`, and keeps at most `keep` of the newest (older ones cannot matter). */
function prune(times: number[], since: number, keep: number): void {
  let drop = 0;
  while (drop < times.length && (times[drop]! <= since || times.length - drop > keep)) drop += 1;
  if (drop) times.splice(0, drop);
}
