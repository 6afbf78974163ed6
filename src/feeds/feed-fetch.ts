/**
 * Fetches a feed through the outbound guard: conditional GET (ETag / Last-Modified), a timeout over the
 * whole exchange (a server sending one byte a second is cut off), a size limit while reading, and
 * redirects followed by hand, each hop checked by the guard again (the guard itself never follows one).
 */
import { createHash } from 'node:crypto';
import type { OutboundGuard } from '../platform/outbound.ts';

export type FetchLimits = { maxBytes: number; timeoutMs: number };
export type Validators = { etag: string | null; lastModified: string | null };
export type FetchOutcome =
  | { kind: 'not-modified' }
  | { kind: 'body'; text: string; sha256: string; etag: string | null; lastModified: string | null };

/** A fetch that failed for a reason worth telling the account (never the server's internals). */
export class FeedFetchError extends Error {
  override name = 'FeedFetchError';
}

const MAX_REDIRECTS = 5;

/** webcal:// (Apple's links) is https://. */
export function normaliseFeedUrl(raw: string): string {
  return raw.trim().replace(/^webcals?:\/\//i, 'https://');
}

export async function fetchFeed(guard: OutboundGuard, url: string, validators: Validators, limits: FetchLimits): Promise<FetchOutcome> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    return await fetchFollowing(guard, url, validators, limits, signal);
  } catch (error) {
    if (signal.aborted) throw new FeedFetchError(`No complete answer within ${Math.round(limits.timeoutMs / 1000)} s`);
    if (error instanceof FeedFetchError) throw error;
    const name = (error as Error).name;
    if (name === 'OutboundRefusedError') throw new FeedFetchError((error as Error).message);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code ?? '';
    throw new FeedFetchError(`The feed could not be fetched: ${explain(code) ?? cause?.message ?? (error as Error).message}${code ? ` (${code})` : ''}`);
  }
}

async function fetchFollowing(guard: OutboundGuard, url: string, validators: Validators, limits: FetchLimits, signal: AbortSignal): Promise<FetchOutcome> {
  let target = url;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { accept: 'text/calendar, text/plain;q=0.5, */*;q=0.1', 'user-agent': 'Tickler calendar sync' };
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
    const refused = await guard.check(target);
    if (refused) throw new FeedFetchError(refused);
    const response = await guard.fetch(target, { headers, signal, redirect: 'manual' });
    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      if (!location) throw new FeedFetchError(`HTTP ${response.status} without a Location`);
      if (hop >= MAX_REDIRECTS) throw new FeedFetchError(`More than ${MAX_REDIRECTS} redirects`);
      target = new URL(normaliseFeedUrl(location), target).toString();
      continue;
    }
    if (response.status === 304) {
      await response.body?.cancel().catch(() => undefined);
      return { kind: 'not-modified' };
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new FeedFetchError(`The feed server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    }
    const bytes = await readLimited(response, limits.maxBytes);
    const text = new TextDecoder('utf-8').decode(bytes);
    return {
      kind: 'body',
      text,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      etag: response.headers.get('etag')?.slice(0, 500) ?? null,
      lastModified: response.headers.get('last-modified')?.slice(0, 100) ?? null,
    };
  }
}

/** Words for the network failures people meet most, so the feed's lastError reads as a reason. */
function explain(code: string): string | null {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (code === 'ECONNREFUSED') return 'the server refused the connection';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was cut';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'the host is unreachable';
  if (/^ERR_SSL_|^ERR_TLS_|CERT|^DEPTH_ZERO/.test(code)) return 'the TLS handshake failed (is it https:// on a plain http server, or a bad certificate?)';
  return null;
}

async function readLimited(response: Response, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => new FeedFetchError(`The feed is larger than ${maxBytes} bytes (FEED_MAX_BYTES)`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
