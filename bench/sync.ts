// `npm run bench sync`: calendar feed sync through the API, against a real server (child process).
// A 5,000-instance feed (4,000 single events and 100 weekly series of 10) is served from loopback by
// this process; we time, from the client, the first sync (subscribeCalendarFeed: fetch, parse, expand,
// write, publish), a resync after one event changed (refreshCalendarFeed), a resync of an unchanged
// body without validators (hash match) and one with an ETag (304). Rows written are the sync's own
// counts (created + updated + deleted event rows).
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { startBenchServer, percentiles, type BenchServer } from './lib/server.ts';

const SINGLES = 4000;
const SERIES = 100;
const PER_SERIES = 10;
const RUNS = 7;

const REFRESH = `mutation($id: ID!) { refreshCalendarFeed(calendarId: $id) { __typename
  ... on RefreshCalendarFeedPayload { created updated deleted calendar { feed { lastError eventCount } } } } }`;

export default async function sync(): Promise<Record<string, unknown>> {
  const feed = { body: '', etag: false };
  const http = createServer((request, response) => {
    const etag = `"${createHash('sha1').update(feed.body).digest('hex')}"`;
    if (feed.etag && request.headers['if-none-match'] === etag) return void response.writeHead(304, { etag }).end();
    response.writeHead(200, { 'content-type': 'text/calendar', ...(feed.etag ? { etag } : {}) }).end(feed.body);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const feedUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/feed.ics`;
  let server: BenchServer | undefined;
  try {
    server = await startBenchServer();
    const admin = client(server.url, server.adminToken);
    const created = await admin(`mutation { createAccount(input: { name: "Bench", timeZone: "Europe/Paris" }) { ... on CreateAccountPayload { token } } }`);
    const gql = client(server.url, created.createAccount.token);

    const firstSync: number[] = [];
    let calendarId = '';
    for (let run = 0; run < 3; run++) {
      feed.body = buildFeed(0);
      const t0 = performance.now();
      const data = await gql(`mutation($url: String!) { subscribeCalendarFeed(input: { url: $url }) { __typename
        ... on SubscribeCalendarFeedPayload { calendar { id feed { eventCount } } } ... on ValidationError { message } } }`, { url: feedUrl });
      firstSync.push(performance.now() - t0);
      const calendar = data.subscribeCalendarFeed.calendar;
      if (!calendar || calendar.feed.eventCount !== SINGLES + SERIES * PER_SERIES) throw new Error(`first sync: ${JSON.stringify(data)}`);
      if (run < 2) await gql('mutation($id: ID!) { unsubscribeCalendarFeed(calendarId: $id) { __typename } }', { id: calendar.id });
      calendarId = calendar.id;
    }

    const timed = async (prepare: (run: number) => void) => {
      const times: number[] = [];
      const rows: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        prepare(run);
        const t0 = performance.now();
        const result = (await gql(REFRESH, { id: calendarId })).refreshCalendarFeed;
        times.push(performance.now() - t0);
        if (result.__typename !== 'RefreshCalendarFeedPayload' || result.calendar.feed.lastError) throw new Error(JSON.stringify(result));
        rows.push(result.created + result.updated + result.deleted);
      }
      return { times, rows };
    };
    // One more event renamed per run: each run is one real change.
    const oneChange = await timed((run) => { feed.body = buildFeed(run + 1); });
    const unchangedBody = await timed(() => undefined);
    feed.etag = true;
    const notModified = await timed(() => undefined);

    const ms = (values: number[]) => ({ p50Ms: round(percentiles(values).p50!), maxMs: round(Math.max(...values)) });
    const rows = {
      'first sync, 5,000 instances (subscribe)': { ...ms(firstSync), rowsWritten: SINGLES + SERIES * PER_SERIES, target: '< 5000 ms' },
      'resync, one event changed': { ...ms(oneChange.times), rowsWritten: Math.max(...oneChange.rows), target: '< 500 ms, 1 row' },
      'resync, same body (hash match)': { ...ms(unchangedBody.times), rowsWritten: Math.max(...unchangedBody.rows), target: '< 50 ms' },
      'resync, 304 Not Modified': { ...ms(notModified.times), rowsWritten: Math.max(...notModified.rows), target: '< 50 ms' },
    };
    console.table(rows);
    return { ...rows, feedBytes: Buffer.byteLength(feed.body), serverRssMiB: Math.round((await server.rssBytes()) / 2 ** 20) };
  } finally {
    await server?.stop();
    await new Promise((resolve) => http.close(resolve));
  }
}

/** The feed, with the first `renamed` single events carrying a different title. */
function buildFeed(renamed: number): string {
  const start = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1, 6);
  const utc = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Bench//EN', 'X-WR-CALNAME:Bench feed'];
  for (let i = 0; i < SINGLES; i++) {
    // Spread over 80 days, 30-minute events at quarter hours between 06:00 and 18:00 UTC; overlaps allowed.
    const at = start + Math.floor(i / 50) * 86_400_000 + (i % 48) * 15 * 60_000;
    lines.push('BEGIN:VEVENT', `UID:single-${i}@bench`, 'DTSTAMP:20260101T000000Z', `DTSTART:${utc(at)}`, `DTEND:${utc(at + 1_800_000)}`,
      `SUMMARY:Meeting ${i}${i < renamed ? ' (renamed)' : ''}`, 'END:VEVENT');
  }
  for (let s = 0; s < SERIES; s++) {
    const at = start + (s % 7) * 86_400_000 + (s % 12) * 3_600_000;
    lines.push('BEGIN:VEVENT', `UID:series-${s}@bench`, 'DTSTAMP:20260101T000000Z', `DTSTART:${utc(at)}`, `DTEND:${utc(at + 3_600_000)}`,
      `RRULE:FREQ=WEEKLY;COUNT=${PER_SERIES}`, `SUMMARY:Series ${s}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}

function client(url: string, token: string) {
  return async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: any; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
