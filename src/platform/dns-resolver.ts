/**
 * Host-name resolution for the outbound guard that never queues one account behind another.
 * Node's `dns.lookup` (getaddrinfo) runs on libuv's thread pool, four threads shared by the whole
 * process: one request resolving 200 slow names made every other account's lookups (and file I/O)
 * wait for seconds. `dns.promises.Resolver` is c-ares, which sends its queries from the event loop
 * and holds no thread, so a slow name only costs its own caller time.
 *
 * c-ares reads neither /etc/hosts nor nsswitch: names in the hosts file (localhost among them) are
 * answered from it here, as getaddrinfo would, so that a name mapped to an internal address there
 * cannot slip past the guard by resolving differently. Search domains are not applied: webhook
 * targets must be fully qualified names.
 */
import dns from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';

export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export type ResolverOptions = {
  /** DNS servers ("1.1.1.1", "127.0.0.1:5353", "[::1]:53"); default: the system's (/etc/resolv.conf). */
  servers?: readonly string[];
  /** Default /etc/hosts; null reads none. */
  hostsFile?: string | null;
  /**
   * c-ares's wait for one answer before asking again (ms; c-ares lengthens it on each try); default 500,
   * three tries. Short, so that a lost UDP answer (a burst of answers can overflow the socket's buffer) is
   * asked again well inside a request's 1.5 s deadline rather than after it.
   */
  timeoutMs?: number;
  /** Answers are kept for their TTL, at most this long (s); default 60. */
  maxTtlSeconds?: number;
  /** Names kept at most; default 10,000 (the oldest go first). */
  maxEntries?: number;
  now?: () => number;
};

type Entry = { expires: number; addresses: Promise<LookupAddress[]> };

/** Negative answers (no such name) are kept briefly, so that a burst naming one bad host asks once. */
const NEGATIVE_TTL_SECONDS = 5;
const NO_ANSWER = new Set(['ENODATA', 'ENOTFOUND', 'ENONAME', 'NXDOMAIN']);

/** A cached, coalesced c-ares resolver with /etc/hosts in front of it. */
export function createDnsResolver(options: ResolverOptions = {}): Resolve {
  const resolver = new dns.promises.Resolver({ timeout: options.timeoutMs ?? 500, tries: 3 });
  if (options.servers?.length) resolver.setServers([...options.servers]);
  const hosts = readHostsFile(options.hostsFile === undefined ? '/etc/hosts' : options.hostsFile);
  const maxTtl = options.maxTtlSeconds ?? 60;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, Entry>();

  const query = async (host: string): Promise<{ addresses: LookupAddress[]; ttl: number }> => {
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(host, { ttl: true }), resolver.resolve6(host, { ttl: true })]);
    const records = [
      ...(v4.status === 'fulfilled' ? v4.value.map((r) => ({ ...r, family: 4 })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((r) => ({ ...r, family: 6 })) : []),
    ];
    if (records.length === 0) {
      // Prefer the more telling failure: a timeout or refusal over "no AAAA record".
      const errors = [v4, v6].map((r) => (r.status === 'rejected' ? r.reason as NodeJS.ErrnoException : null)).filter((e) => e !== null);
      throw errors.find((e) => !NO_ANSWER.has(e.code ?? '')) ?? errors[0] ?? Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
    }
    const ttl = Math.max(1, Math.min(maxTtl, ...records.map((r) => r.ttl)));
    return { addresses: records.map(({ address, family }) => ({ address, family })), ttl };
  };

  return (hostname) => {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    const fromHosts = hosts.get(host);
    if (fromHosts) return Promise.resolve(fromHosts);
    const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    if (ipaddr.isValid(bare) && /^[0-9a-f:.]+$/i.test(bare)) return Promise.resolve([{ address: bare, family: bare.includes(':') ? 6 : 4 }]);
    const cached = cache.get(host);
    if (cached && cached.expires > now()) return cached.addresses;
    if (cached) cache.delete(host);
    // Concurrent callers of one name share one query; the entry lives as long as the answer's TTL.
    const entry: Entry = { expires: Number.POSITIVE_INFINITY, addresses: Promise.resolve([]) };
    entry.addresses = query(host).then(
      ({ addresses, ttl }) => {
        entry.expires = now() + ttl * 1000;
        return addresses;
      },
      (error: NodeJS.ErrnoException) => {
        // Only "no such name" is worth keeping; a timeout must be asked again.
        if (NO_ANSWER.has(error.code ?? '')) entry.expires = now() + NEGATIVE_TTL_SECONDS * 1000;
        else if (cache.get(host) === entry) cache.delete(host);
        throw error;
      },
    );
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(host, entry);
    return entry.addresses;
  };
}

/** Names of the hosts file, lower-cased, to their addresses ("localhost" always has loopback ones). */
export function readHostsFile(file: string | null): Map<string, LookupAddress[]> {
  const names = new Map<string, LookupAddress[]>();
  const add = (name: string, address: string) => {
    const family = address.includes(':') ? 6 : 4;
    const list = names.get(name) ?? [];
    if (!list.some((a) => a.address === address)) list.push({ address, family });
    names.set(name, list);
  };
  let text = '';
  try {
    text = file ? readFileSync(file, 'utf8') : '';
  } catch {
    // No hosts file: only the built-in localhost below.
  }
  for (const line of text.split('\n')) {
    const [address, ...aliases] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!address || !ipaddr.isValid(address.replace(/%.*$/, ''))) continue;
    for (const alias of aliases) add(alias.toLowerCase().replace(/\.$/, ''), address.replace(/%.*$/, ''));
  }
  for (const name of ['localhost', 'localhost.localdomain']) {
    if (!names.has(name)) {
      add(name, '127.0.0.1');
      add(name, '::1');
    }
  }
  return names;
}

/** Checks DNS_SERVERS entries ("1.1.1.1", "127.0.0.1:5353", "[::1]:53"); throws naming the bad ones, for ConfigError. */
export function parseDnsServers(entries: readonly string[]): string[] {
  const bad = entries.filter((entry) => {
    try {
      new dns.Resolver().setServers([entry]);
      return false;
    } catch {
      return true;
    }
  });
  if (bad.length > 0) throw new Error(`not an address or address:port: ${bad.map((b) => `"${b}"`).join(', ')}`);
  return [...entries];
}
