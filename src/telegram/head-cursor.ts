/**
 * Where a newly linked chat's reminderExpired subscription starts. Subscribing with no cursor
 * would be live-only, and until its first expiry the chat would have no cursor to resume from, so
 * a bot restart in that window could lose what expired meanwhile. The API has no "current cursor",
 * so the bot takes the cursor of the account's most recently fired occurrence: everything after it
 * is replayed, and nothing before it is (occurrences fired in the very same instant aside).
 */
import type { ResultOf } from '@graphql-typed-document-node/core';
import type { HttpClient } from '../client/http.ts';
import { OccurrencesQuery } from '../client/operations/reminders.ts';

const PAGE = 1000;

export async function latestExpiryCursor(client: HttpClient): Promise<string | null> {
  let best: { cursor: string; at: number } | null = null;
  let after: string | null = null;
  for (;;) {
    const data: ResultOf<typeof OccurrencesQuery> = await client.request(OccurrencesQuery, { first: PAGE, after, occurrences: 1 });
    for (const edge of data.reminders.edges) {
      const latest = edge.node.occurrences[0];
      if (!latest) continue;
      const at = Date.parse(String(latest.firedAt));
      if (!best || at > best.at) best = { cursor: latest.cursor, at };
    }
    if (!data.reminders.pageInfo.hasNextPage) return best?.cursor ?? null;
    after = data.reminders.pageInfo.endCursor ?? null;
  }
}
