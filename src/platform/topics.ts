import type { ExpiredRow } from '../reminders/reminder.rows.ts';

/**
 * Every pub/sub topic, keyed by routing key; the first element is the id the topic is scoped to
 * (always an account id: subscribers never hear another tenant). Payloads stay small — ids and
 * kinds — because they travel through NOTIFY (8000 bytes at most); subscribers load the rest.
 */
export type Topics = {
  'account:updated': [accountId: string, payload: { accountId: string }];
  /** An event was created, moved or changed, cancelled or deleted; `snapshot` only for DELETED (the row is gone). */
  'event:changed': [accountId: string, payload: { eventId: string; calendarIds: string[]; kind: 'CREATED' | 'UPDATED' | 'CANCELLED' | 'DELETED'; snapshot?: Record<string, unknown> }];
  /** An automatic placement found no slot; nothing was written, so the payload carries what subscribers are told. */
  'event:placement-failed': [accountId: string, payload: { calendarId: string; title: string; message: string; suggestions: { startsAt: string; endsAt: string }[] }];
  /** A feed calendar was synced or a sync failed (its feed status says which). */
  'calendar:feed-synced': [accountId: string, payload: { calendarId: string }];
  // Reminders: one notification per transaction and account, listing ids (batched to fit NOTIFY).
  'reminder:created': [accountId: string, payload: { ids: string[] }];
  'reminder:updated': [accountId: string, payload: { ids: string[] }];
  /** `rows`: the expiries themselves (in occurrenceIds' order), when a few fit (fire.job.ts); subscribers then load nothing. */
  'reminder:expired': [accountId: string, payload: { occurrenceIds: string[]; rows?: ExpiredRow[] }];
  /** Internal, scoped to 'workers' rather than an account: a reminder falls due at `at` (ISO); wakes the firing worker. */
  'reminder:due': [scope: 'workers', payload: { at: string }];
  /** Internal, to every process: drop this API token from the token cache (token-cache.ts). */
  'api-token:revoked': [scope: 'tokens', payload: { tokenId: string }];
  /** Internal, to every process: drop this account from the account cache (accounts/account-cache.ts). */
  'account:changed': [scope: 'accounts', payload: { accountId: string }];
  /**
   * Internal, to every process: the account's row was deleted (sent by a trigger on the account table,
   * migrations/Migration20261203100000_live_subscriptions.ts): end its connections, drop its tokens.
   */
  'account:deleted': [scope: 'accounts', payload: { accountId: string }];
  /** Internal: an api process has acted on a cache notice about `id` (platform/notice-acks.ts). */
  'notice:heard': [scope: 'all', payload: { id: string; process: string }];
};
