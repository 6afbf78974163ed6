// Bursts of reminders due at one instant, created through the API, for the crash and restart tests.
import { graphqlData } from './clients.ts';
import { createReminder, expire, inMs, nextAbout, subscribe, waitUntilLive, type Account } from './reminders.ts';

const PER_REQUEST = 10; // aliased createReminder mutations per request (the alias limit is 15)
const IN_FLIGHT = 4;
const PACE = PER_REQUEST * 2; // reminders created first, due much later, to measure the pace

async function createMany(url: string, account: Account, inputs: Record<string, unknown>[]): Promise<string[]> {
  const ids: string[] = [];
  const requests: Record<string, unknown>[][] = [];
  for (let i = 0; i < inputs.length; i += PER_REQUEST) requests.push(inputs.slice(i, i + PER_REQUEST));
  let next = 0;
  const lane = async () => {
    while (next < requests.length) {
      const batch = requests[next++]!;
      const args = batch.map((_, i) => `$i${i}: CreateReminderInput!`).join(', ');
      const fields = batch.map((_, i) => `r${i}: createReminder(input: $i${i}) { __typename ... on CreateReminderPayload { reminder { id } } ... on Error { message } }`).join('\n');
      const data = await graphqlData<Record<string, any>>(url, {
        token: account.token,
        query: `mutation(${args}) { ${fields} }`,
        variables: Object.fromEntries(batch.map((input, i) => [`i${i}`, input])),
      });
      for (let i = 0; i < batch.length; i++) {
        const result = data[`r${i}`];
        if (result.__typename !== 'CreateReminderPayload') throw new Error(`createReminder: ${JSON.stringify(result)}`);
        ids.push(result.reminder.id);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return ids;
}

/**
 * Creates `count` reminders due at one instant, far enough ahead for this machine: the lead is
 * measured by creating a first batch (due much later), not fixed. Returns the ids and the due time.
 */
export async function createBurst(url: string, account: Account, count: number, input: Record<string, unknown> = {}, extraLeadMs = 0): Promise<{ ids: string[]; dueAt: number }> {
  const started = performance.now();
  await createMany(url, account, Array.from({ length: PACE }, (_, i) => ({ message: `pace ${i}`, remindAt: new Date(Date.now() + 86_400_000).toISOString() })));
  const perReminderMs = (performance.now() - started) / PACE;
  const dueAt = Date.now() + Math.ceil(count * perReminderMs * 1.3) + 1000 + extraLeadMs;
  const ids = await createMany(url, account, Array.from({ length: count }, (_, i) => ({ message: `burst ${i}`, remindAt: new Date(dueAt).toISOString(), ...input })));
  if (Date.now() >= dueAt) throw new Error('the burst was not created before it fell due');
  return { ids, dueAt };
}

/** A reminderExpired cursor from before anything else happens, to replay everything after it. */
export async function expiryCursor(url: string, account: Account): Promise<string> {
  const listener = subscribe(url, account, 'subscription { reminderExpired { cursor reminder { id } } }');
  try {
    await waitUntilLive(url, account, [listener.subscription], 'expired');
    const probe = await createReminder(url, account, { message: 'cursor probe', remindAt: inMs(3_600_000) });
    await expire(url, account, probe.id);
    return (await nextAbout(listener.subscription, 'reminderExpired', probe.id)).cursor;
  } finally {
    await listener.close();
  }
}

export type Heard = { id: string; latenessMs: number; firedAt: string };

/**
 * Collects reminderExpired messages (replayed after `cursor`, then live) until every id in `ids`
 * was heard, then waits `quietMs` more to catch any duplicate. Returns every message about `ids`.
 */
export async function hearAll(url: string, account: Account, ids: string[], cursor: string, timeoutMs: number, quietMs = 1000): Promise<Heard[]> {
  const wanted = new Set(ids);
  const listener = subscribe(url, account, 'subscription($after: String) { reminderExpired(after: $after) { latenessMs firedAt reminder { id } } }', { after: cursor });
  const heard: Heard[] = [];
  const missing = new Set(ids);
  const deadline = Date.now() + timeoutMs;
  try {
    while (missing.size > 0) {
      const message = await listener.subscription.next(Math.max(1, deadline - Date.now())).catch((error: Error) => {
        throw new Error(`${missing.size} of ${ids.length} never expired: ${error.message}`);
      });
      const event = message.data?.reminderExpired;
      if (!event) throw new Error(JSON.stringify(message));
      if (!wanted.has(event.reminder.id)) continue;
      heard.push({ id: event.reminder.id, latenessMs: event.latenessMs, firedAt: event.firedAt });
      missing.delete(event.reminder.id);
    }
    for (;;) {
      const more = await listener.subscription.next(quietMs).catch(() => null);
      if (!more) break;
      const event = more.data?.reminderExpired;
      if (event && wanted.has(event.reminder.id)) heard.push({ id: event.reminder.id, latenessMs: event.latenessMs, firedAt: event.firedAt });
    }
    return heard;
  } finally {
    await listener.close();
  }
}

/** Occurrences per reminder of the account, counted through the API. */
export async function occurrenceCounts(url: string, account: Account): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let after: string | null = null;
  for (;;) {
    const data: any = await graphqlData(url, {
      token: account.token,
      query: 'query($after: String) { reminders(first: 1000, after: $after) { edges { node { id occurrences(first: 5) { firedAt } } } pageInfo { hasNextPage endCursor } } }',
      variables: { after },
    });
    for (const { node } of data.reminders.edges) counts.set(node.id, node.occurrences.length);
    if (!data.reminders.pageInfo.hasNextPage) return counts;
    after = data.reminders.pageInfo.endCursor;
  }
}
