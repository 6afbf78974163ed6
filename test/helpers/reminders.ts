import { graphqlData, Subscription, wsClient } from './clients.ts';

export const REMINDER = 'id message remindAt timeZone recurrence status firedAt graceSeconds channels { kind target }';
export const EXPIRED = `reminderExpired { cursor occurrenceAt firedAt latenessMs reminder { id message status } }`;

export const CREATE = `mutation($input: CreateReminderInput!) { createReminder(input: $input) {
  __typename ... on CreateReminderPayload { reminder { ${REMINDER} } }
  ... on ValidationError { message fieldErrors { path message } } ... on NotFoundError { message } } }`;

export type Account = { id: string; token: string };

/** ISO time `ms` from now. */
export function inMs(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

export async function createReminder(url: string, account: Account, input: Record<string, unknown>): Promise<Record<string, any>> {
  const data = await graphqlData(url, { token: account.token, query: CREATE, variables: { input } });
  if (data.createReminder.__typename !== 'CreateReminderPayload') throw new Error(`createReminder: ${JSON.stringify(data.createReminder)}`);
  return data.createReminder.reminder;
}

export async function mutate(url: string, account: Account, field: string, args: string, variables: Record<string, unknown>, extra = '') {
  const data = await graphqlData(url, {
    token: account.token,
    variables,
    query: `mutation(${args}) { ${field}(${args.split(',').map((a) => a.trim().split(':')[0]!.slice(1)).map((n) => `${n}: $${n}`).join(', ')}) {
      __typename ... on Error { code message } ${field === 'cancelReminder' ? '' : '... on ValidationError { fieldErrors { path message } }'}
      ${extra} } }`,
  });
  return data[field];
}

export async function expire(url: string, account: Account, id: string) {
  return mutate(url, account, 'expireReminder', '$id: ID!', { id }, '... on ExpireReminderPayload { reminder { id } }');
}

/** A subscription on its own WebSocket client; `close` ends both. */
export function subscribe(url: string, account: Account, query: string, variables?: Record<string, unknown>) {
  const { client } = wsClient(url, account.token);
  const subscription = new Subscription(client, { query, variables });
  return {
    subscription,
    close: async () => {
      subscription.close();
      await client.dispose();
    },
  };
}

/**
 * Waits until a reminderExpired (or reminderCreated) subscription is live: creates throwaway reminders
 * and expires them until one is heard, then drops what else arrived. Returns the ids used, to ignore.
 */
export async function waitUntilLive(url: string, account: Account, subscriptions: Subscription[], kind: 'expired' | 'created'): Promise<Set<string>> {
  const probes = new Set<string>();
  const live = new Set<Subscription>();
  for (let attempt = 0; attempt < 40 && live.size < subscriptions.length; attempt++) {
    const probe = await createReminder(url, account, { message: 'probe', remindAt: inMs(3_600_000) });
    probes.add(probe.id);
    if (kind === 'expired') await expire(url, account, probe.id);
    await Promise.all(subscriptions.map((s) => s.next(300).then(() => live.add(s), () => undefined)));
  }
  if (live.size < subscriptions.length) throw new Error('subscription never became live');
  for (const s of subscriptions) while (s.pending) await s.next(0);
  return probes;
}

/** The next message about `reminderId`, skipping others (probes, other reminders). */
export async function nextAbout(subscription: Subscription, field: string, reminderId: string, timeoutMs = 5000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no ${field} message about ${reminderId} within ${timeoutMs} ms`);
    const message = await subscription.next(left);
    if (message.errors) throw new Error(`subscription error: ${JSON.stringify(message.errors)}`);
    const value = message.data?.[field];
    const id = value?.reminder?.id ?? value?.id;
    if (id === reminderId) return value;
  }
}
