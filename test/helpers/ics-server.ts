// A loopback HTTP server that serves ICS feeds the way a test tells it to: bodies that change between
// fetches, ETag/304, failures, redirects, slowness. It records every request it receives.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export type Route = {
  body?: string;
  status?: number;
  contentType?: string;
  /** Send an ETag (the body's hash) and answer If-None-Match with 304. */
  etag?: boolean;
  /** Redirect (302) to this URL. */
  location?: string;
  /** Send the body one byte every this many milliseconds. */
  dribbleMs?: number;
  /** Hold the answer until this promise settles (to keep a sync in flight). */
  hold?: Promise<unknown>;
};

export type IcsServer = {
  url(path: string): string;
  set(path: string, route: Route): void;
  /** Requests received for a path: their If-None-Match header and the status answered. */
  requests(path: string): { ifNoneMatch: string | undefined; status: number }[];
  close(): Promise<void>;
};

export async function startIcsServer(): Promise<IcsServer> {
  const routes = new Map<string, Route>();
  const log = new Map<string, { ifNoneMatch: string | undefined; status: number }[]>();
  const server: Server = createServer(async (request: IncomingMessage, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const route = routes.get(path) ?? { status: 404, body: 'not found' };
    // Logged on arrival (status 0 until answered), so a test can see a request that is being held.
    const entry = { ifNoneMatch: request.headers['if-none-match'], status: 0 };
    log.set(path, [...(log.get(path) ?? []), entry]);
    const record = (status: number) => void (entry.status = status);
    if (route.hold) await route.hold.catch(() => undefined);
    if (route.location) {
      record(302);
      response.writeHead(302, { location: route.location }).end();
      return;
    }
    const body = route.body ?? '';
    const headers: Record<string, string> = { 'content-type': route.contentType ?? 'text/calendar; charset=utf-8' };
    if (route.etag) {
      headers.etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      if (request.headers['if-none-match'] === headers.etag) {
        record(304);
        response.writeHead(304, headers).end();
        return;
      }
    }
    const status = route.status ?? 200;
    record(status);
    if (!route.dribbleMs) {
      response.writeHead(status, headers).end(body);
      return;
    }
    response.writeHead(status, headers);
    let i = 0;
    const timer = setInterval(() => {
      if (i >= body.length || response.destroyed) {
        clearInterval(timer);
        response.end();
        return;
      }
      response.write(body[i++]);
    }, route.dribbleMs);
    response.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    set: (path, route) => void routes.set(path, route),
    requests: (path) => log.get(path) ?? [],
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export type IcsEvent = {
  uid: string; start: Date; end: Date; title: string; rrule?: string; exdates?: Date[]; recurrenceId?: Date;
  status?: 'CANCELLED' | 'CONFIRMED'; transparent?: boolean;
};

/** An ICS document (UTC times) shaped like a Google export. */
export function ics(events: IcsEvent[], name = 'Test feed'): string {
  const utc = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const lines = ['BEGIN:VCALENDAR', 'PRODID:-//Google Inc//Google Calendar 70.9054//EN', 'VERSION:2.0', `X-WR-CALNAME:${name}`];
  for (const e of events) {
    lines.push('BEGIN:VEVENT', `UID:${e.uid}`, `DTSTAMP:20260101T000000Z`, `DTSTART:${utc(e.start)}`, `DTEND:${utc(e.end)}`, `SUMMARY:${e.title}`);
    if (e.rrule) lines.push(`RRULE:${e.rrule}`);
    for (const x of e.exdates ?? []) lines.push(`EXDATE:${utc(x)}`);
    if (e.recurrenceId) lines.push(`RECURRENCE-ID:${utc(e.recurrenceId)}`);
    if (e.status) lines.push(`STATUS:${e.status}`);
    if (e.transparent) lines.push('TRANSP:TRANSPARENT');
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}
