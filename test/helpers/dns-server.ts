// A DNS server on loopback (UDP) for tests: answers A and AAAA queries from a table after a delay,
// each query on its own timer, so that slow DNS can be played without any outside network.
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import ipaddr from 'ipaddr.js';

export type DnsQuery = { name: string; type: 'A' | 'AAAA' | 'other'; at: number };

export type DnsServerOptions = {
  /** Milliseconds before each answer (of this name). */
  delayMs: number | ((name: string) => number);
  /** The addresses of a name (the family of the query is picked from them); null: NXDOMAIN. */
  answer: (name: string) => string[] | null;
  ttlSeconds?: number;
};

export type DnsServer = {
  /** "127.0.0.1:port", for DNS_SERVERS or Resolver.setServers. */
  address: string;
  queries: DnsQuery[];
  /** Queries received and not answered yet, and the most there ever were at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
};

const TYPE_A = 1;
const TYPE_AAAA = 28;

export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  const socket = dgram.createSocket('udp4');
  const queries: DnsQuery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let maxInFlight = 0;
  socket.on('message', (message, peer) => {
    const question = parseQuestion(message);
    if (!question) return;
    const type = question.type === TYPE_A ? 'A' : question.type === TYPE_AAAA ? 'AAAA' : 'other';
    queries.push({ name: question.name, type, at: Date.now() });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const timer = setTimeout(() => {
      timers.delete(timer);
      inFlight--;
      const addresses = options.answer(question.name.toLowerCase());
      const wanted = (addresses ?? []).filter((a) => (type === 'A' ? !a.includes(':') : type === 'AAAA' ? a.includes(':') : false));
      socket.send(response(message, question.end, addresses === null ? 3 : 0, wanted, options.ttlSeconds ?? 60), peer.port, peer.address);
    }, typeof options.delayMs === 'number' ? options.delayMs : options.delayMs(question.name.toLowerCase()));
    timers.add(timer);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    queries,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      return new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

function parseQuestion(message: Buffer): { name: string; type: number; end: number } | null {
  try {
    const labels: string[] = [];
    let offset = 12;
    while (message[offset] !== 0) {
      const length = message[offset]!;
      labels.push(message.toString('ascii', offset + 1, offset + 1 + length));
      offset += length + 1;
    }
    offset += 1;
    return { name: labels.join('.'), type: message.readUInt16BE(offset), end: offset + 4 };
  } catch {
    return null;
  }
}

/** The query's header and question, then one record per address (name as a pointer to the question). */
function response(query: Buffer, questionEnd: number, rcode: number, addresses: string[], ttl: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // id
  header.writeUInt16BE(0x8180 | rcode, 2); // response, recursion desired + available
  header.writeUInt16BE(1, 4); // one question
  header.writeUInt16BE(addresses.length, 6);
  const records = addresses.map((address) => {
    const bytes = Buffer.from(ipaddr.parse(address).toByteArray());
    const record = Buffer.alloc(12);
    record.writeUInt16BE(0xc00c, 0);
    record.writeUInt16BE(bytes.length === 4 ? TYPE_A : TYPE_AAAA, 2);
    record.writeUInt16BE(1, 4); // IN
    record.writeUInt32BE(ttl, 6);
    record.writeUInt16BE(bytes.length, 10);
    return Buffer.concat([record, bytes]);
  });
  return Buffer.concat([header, query.subarray(12, questionEnd), ...records]);
}
