/**
 * The one gate for every request Tickler makes to a URL that an account chose (webhooks today):
 * it must not reach the server's own network (SSRF). A URL is checked twice: when it is accepted
 * (a friendly ValidationError) and on the address actually dialled, since DNS can answer
 * differently by then (rebinding). Address classification is ipaddr.js's; the connect-time check
 * is an undici connector, because fetch() alone offers no hook between the lookup and the dial.
 */
import dns from 'node:dns';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import type { Socket } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { createDnsResolver, type Resolve } from './dns-resolver.ts';

export type { Resolve } from './dns-resolver.ts';

export type OutboundGuard = {
  /** Null when the URL may be fetched, else a sentence saying why not (for a ValidationError). Resolves the host name. */
  check(url: string): Promise<string | null>;
  /**
   * check() for all of one request's URLs at once, answers in the same order: each host name is
   * resolved once, a few at a time, and all within one deadline; a name not resolved by then is
   * refused ("could not resolve … in time"), so no request waits on DNS for long.
   */
  checkAll(urls: readonly string[]): Promise<(string | null)[]>;
  /** fetch() through an undici Agent whose connect checks the address actually dialled (DNS rebinding); redirects are never followed (redirect: 'manual'). A refused target rejects with OutboundRefusedError. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
};

/** A request the guard would not send; its message says why, for the delivery's recorded error. */
export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';
}

export type OutboundGuardOptions = {
  /** How a host name becomes addresses; tests pass their own to play DNS rebinding. Default: c-ares (dns-resolver.ts). */
  resolve?: Resolve;
  /** DNS_SERVERS: the servers c-ares asks; default the system's. */
  dnsServers?: readonly string[];
  /** How long one request's checks may take in all (ms); default 1500. */
  checkDeadlineMs?: number;
  /** Host names one request resolves at once; default 64 (a capped createEvent names at most 100). */
  lookupConcurrency?: number;
};

export const DEFAULT_CHECK_DEADLINE_MS = 1500;
const DEFAULT_LOOKUP_CONCURRENCY = 64;

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Allow = { cidrs: [Address, number][]; hosts: Set<string> };

const RANGE_WORDS: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private (RFC 1918) address',
  uniqueLocal: 'a private (fc00::/7) address',
  linkLocal: 'a link-local address, where cloud metadata services live',
  unspecified: 'the unspecified address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  carrierGradeNat: 'a carrier-grade NAT (100.64.0.0/10) address',
  reserved: 'a reserved address',
  ipv4Mapped: 'an IPv4-mapped address',
  rfc6145: 'an IPv4-translated address',
  rfc6052: 'a NAT64 (64:ff9b::/96) address',
  '6to4': 'a 6to4 (2002::/16) address',
  teredo: 'a Teredo (2001::/32) address',
};

/** getaddrinfo, for OUTBOUND_ALLOW's names only: the operator's own, which may rely on search domains or nsswitch. */
const systemResolve: Resolve = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/**
 * Parses OUTBOUND_ALLOW entries: CIDRs (`10.1.0.0/16`, `::1/128`), bare addresses (one host) and
 * host names (trusted whatever they resolve to). Throws with the bad entries named, for ConfigError.
 */
export function parseOutboundAllow(entries: readonly string[]): Allow {
  const cidrs: [Address, number][] = [];
  const hosts = new Set<string>();
  const bad: string[] = [];
  for (const raw of entries.map((e) => e.trim()).filter(Boolean)) {
    if (raw.includes('/')) {
      try {
        cidrs.push(ipaddr.parseCIDR(raw));
      } catch {
        bad.push(raw);
      }
    } else if (ipaddr.isValid(raw) && /^[0-9a-f:.]+$/i.test(raw)) {
      const address = ipaddr.parse(raw);
      cidrs.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (/^(?=.{1,253}\.?$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i.test(raw)) {
      hosts.add(normaliseHost(raw));
    } else {
      bad.push(raw);
    }
  }
  if (bad.length > 0) throw new Error(`not a CIDR, an address or a host name: ${bad.map((b) => `"${b}"`).join(', ')}`);
  return { cidrs, hosts };
}

/** Why an address is internal (e.g. "a loopback address"), or null for a public unicast one. */
export function internalRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  // process() unwraps IPv4-mapped IPv6 (::ffff:127.0.0.1) so that the IPv4 range decides.
  const parsed = ipaddr.process(address);
  // ipaddr.js calls the deprecated IPv4-compatible ::/96 (::7f00:1, which URL parsing makes of
  // [::127.0.0.1]) unicast; nothing public lives there.
  if (parsed.kind() === 'ipv6' && parsed.range() === 'unicast' && (parsed as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0)) {
    return 'an IPv4-compatible (::/96) address';
  }
  const range = parsed.range();
  return range === 'unicast' ? null : (RANGE_WORDS[range] ?? `a special-purpose (${range}) address`);
}

export function createOutboundGuard(allow: readonly string[], options: OutboundGuardOptions = {}): OutboundGuard {
  const allowed = parseOutboundAllow(allow);
  const publicResolve = options.resolve ?? createDnsResolver({ servers: options.dnsServers });
  const resolve: Resolve = options.resolve ?? ((host) => (allowed.hosts.has(normaliseHost(host)) ? systemResolve(host) : publicResolve(host)));
  const deadlineMs = options.checkDeadlineMs ?? DEFAULT_CHECK_DEADLINE_MS;
  const concurrency = options.lookupConcurrency ?? DEFAULT_LOOKUP_CONCURRENCY;

  const addressAllowed = (address: string): boolean => {
    const forms = [ipaddr.parse(address), ipaddr.process(address)];
    return allowed.cidrs.some(([net, bits]) => forms.some((form) => form.kind() === net.kind() && form.match(net, bits)));
  };
  /** Null, or why `address` (reached through `host`) may not be dialled. */
  const refuseAddress = (address: string, host: string): string | null => {
    const range = internalRange(address);
    if (range === null || addressAllowed(address)) return null;
    // ::ffff:a00:1 says little to a reader: name the IPv4 address it stands for too.
    const unwrapped = ipaddr.process(address).toString();
    const shown = unwrapped === ipaddr.parse(address).toString() ? address : `${address} (${unwrapped})`;
    return stripBrackets(host) === address ? `${shown} is ${range}` : `${host} resolves to ${shown}, ${range}`;
  };
  /** The checks that need no DNS: scheme, credentials, an address literal. */
  const refuseStatically = (text: string): { refusal: string } | { url: URL; host: string; literal: boolean } => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { refusal: 'must be an http:// or https:// URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { refusal: 'must be an http:// or https:// URL' };
    if (url.username || url.password) return { refusal: 'must not contain credentials (user:password@); sign requests with the webhook secret instead' };
    if (!url.hostname) return { refusal: 'must name a host' };
    const host = normaliseHost(url.hostname);
    if (allowed.hosts.has(host)) return { url, host, literal: false };
    // WHATWG URL parsing has already turned 2130706433, 0x7f.1, 0177.0.0.1 and 127.1 into 127.0.0.1.
    const bare = stripBrackets(host);
    if (ipaddr.isValid(bare)) {
      const refusal = refuseAddress(bare, bare);
      return refusal ? { refusal: inside(refusal) } : { url, host, literal: true };
    }
    return { url, host, literal: false };
  };

  /** dns.lookup's shape for net.connect: every address the name has must be public (or allowed). */
  const guardedLookup = (hostname: string, lookupOptions: LookupOneOptions | LookupAllOptions, callback: (...args: any[]) => void) => {
    const host = normaliseHost(hostname);
    resolve(host).then((all) => {
      const family = typeof lookupOptions === 'object' ? lookupOptions.family : undefined;
      const addresses = family === 4 || family === 6 ? all.filter((a) => a.family === family) : all;
      if (!allowed.hosts.has(host)) {
        for (const { address } of addresses) {
          const refusal = refuseAddress(address, hostname);
          if (refusal) return callback(new OutboundRefusedError(`refused: the URL ${inside(refusal)}`));
        }
      }
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }));
      if (typeof lookupOptions === 'object' && lookupOptions.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    }, (error) => callback(error));
  };

  const connect = buildConnector({ lookup: guardedLookup as never });
  const agent = new Agent({
    connect(connectOptions, callback) {
      const host = normaliseHost(connectOptions.hostname);
      // An address literal skips the lookup entirely: refuse before dialling it.
      const bare = stripBrackets(host);
      if (!allowed.hosts.has(host) && ipaddr.isValid(bare)) {
        const refusal = refuseAddress(bare, bare);
        if (refusal) return callback(new OutboundRefusedError(`refused: the URL ${inside(refusal)}`), null);
      }
      connect(connectOptions, (error, socket) => {
        if (error) return callback(error, null);
        // The last word: whatever path led here, the peer must be public (or allowed).
        const remote = (socket as Socket).remoteAddress;
        const refusal = allowed.hosts.has(host) ? null : remote ? refuseAddress(remote, connectOptions.hostname) : 'the connection has no peer address';
        if (refusal) {
          socket!.destroy();
          return callback(new OutboundRefusedError(`refused: the URL ${inside(refusal)}`), null);
        }
        callback(null, socket!);
      });
    },
  });

  /** Null, or why the addresses `host` resolved to (or its failure to resolve) refuse it. */
  const judge = (host: string, outcome: LookupOutcome): string | null => {
    if (outcome === 'late') return `could not resolve ${host} in time (${deadlineMs / 1000} s); try again later`;
    // A name that does not resolve (yet) cannot reach inside: its deliveries fail and retry,
    // and the connect-time check still judges whatever it resolves to later.
    if (outcome === 'failed') return null;
    for (const { address } of outcome) {
      const refusal = refuseAddress(address, host);
      if (refusal) return inside(refusal);
    }
    return null;
  };

  const checkAll = async (texts: readonly string[]): Promise<(string | null)[]> => {
    const firsts = texts.map(refuseStatically);
    const hosts = [...new Set(firsts.flatMap((first) => ('refusal' in first || first.literal || allowed.hosts.has(first.host) ? [] : [first.host])))];
    const outcomes = await resolveWithin(hosts, resolve, concurrency, deadlineMs);
    return firsts.map((first) => {
      if ('refusal' in first) return first.refusal;
      if (first.literal || allowed.hosts.has(first.host)) return null;
      return judge(first.host, outcomes.get(first.host) ?? 'late');
    });
  };

  return {
    checkAll,
    async check(text) {
      return (await checkAll([text]))[0]!;
    },
    async fetch(text, init = {}) {
      const first = refuseStatically(text);
      if ('refusal' in first) throw new OutboundRefusedError(`refused: the URL ${first.refusal}`);
      try {
        // undici's own fetch with its own Agent: Node's global fetch takes a dispatcher only from the
        // undici major it bundles (Node 22 ships 6, 24 ships 7), and fails on another.
        return await undiciFetch(first.url, { ...init, redirect: 'manual', dispatcher: agent } as never) as unknown as Response;
      } catch (error) {
        throw refusalIn(error) ?? error;
      }
    },
  };
}

type LookupOutcome = LookupAddress[] | 'failed' | 'late';

/**
 * Resolves `hosts`, at most `concurrency` at a time, and stops waiting after `deadlineMs`: hosts
 * not answered by then are 'late' (their queries run on in c-ares and fill its cache).
 */
async function resolveWithin(hosts: string[], resolve: Resolve, concurrency: number, deadlineMs: number): Promise<Map<string, LookupOutcome>> {
  const outcomes = new Map<string, LookupOutcome>();
  if (hosts.length === 0) return outcomes;
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolveTimer) => (timer = setTimeout(resolveTimer, deadlineMs)));
  let late = false;
  const worker = async () => {
    while (!late && next < hosts.length) {
      const host = hosts[next++]!;
      const outcome = await Promise.race([resolve(host).catch((): LookupOutcome => 'failed'), expired.then((): LookupOutcome => 'late')]);
      if (outcome !== 'late') outcomes.set(host, outcome);
    }
  };
  try {
    await Promise.race([Promise.all(Array.from({ length: Math.min(concurrency, hosts.length) }, worker)), expired.then(() => (late = true))]);
  } finally {
    clearTimeout(timer);
  }
  return outcomes;
}

function inside(why: string): string {
  return `must not point inside the server's network: ${why} (OUTBOUND_ALLOW can permit it)`;
}

function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** fetch wraps connector errors ("fetch failed", cause: …): find ours in the chain. */
function refusalIn(error: unknown): OutboundRefusedError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof OutboundRefusedError) return e;
  }
  return undefined;
}
