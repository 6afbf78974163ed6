import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pbkdf2 } from 'node:crypto';
import dns from 'node:dns';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDnsResolver, parseDnsServers, readHostsFile } from '../../src/platform/dns-resolver.ts';
import { createOutboundGuard } from '../../src/platform/outbound.ts';
import { startDnsServer, type DnsServer } from '../helpers/dns-server.ts';

const PUBLIC_V4 = '93.184.215.14';
const PUBLIC_V6 = '2606:2800:21f:cb07:6820:80da:af6b:8b2c';

let server: DnsServer;
let dir: string;
let hostsFile: string;
before(async () => {
  server = await startDnsServer({
    delayMs: 50,
    answer: (name) => (name.endsWith('.missing.test') ? null : name === 'inside.test' ? ['10.1.2.3'] : [PUBLIC_V4, PUBLIC_V6]),
    ttlSeconds: 30,
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'tickler-dns-'));
  hostsFile = path.join(dir, 'hosts');
  await writeFile(hostsFile, '# comment\n10.9.8.7  Intranet.Example intranet   # internal\n127.0.0.1 localhost\nnot-an-address foo\n');
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const queriesFor = (name: string) => server.queries.filter((q) => q.name === name).length;

describe('the c-ares resolver', () => {
  test('asks the configured server for A and AAAA records and returns both families', async () => {
    const resolve = createDnsResolver({ servers: [server.address], hostsFile: null });
    const addresses = await resolve('Both.Example.');
    assert.deepEqual(addresses.map((a) => [a.address, a.family]).sort(), [[PUBLIC_V6, 6], [PUBLIC_V4, 4]].sort());
    assert.deepEqual(server.queries.filter((q) => q.name === 'both.example').map((q) => q.type).sort(), ['A', 'AAAA']);
  });

  test('keeps an answer for its TTL and asks again after it, and concurrent callers share one query', async () => {
    let now = 1_000_000;
    const resolve = createDnsResolver({ servers: [server.address], hostsFile: null, now: () => now });
    await Promise.all([resolve('cached.example'), resolve('cached.example'), resolve('CACHED.example')]);
    assert.equal(queriesFor('cached.example'), 2, 'one A and one AAAA query for three callers');
    now += 29_000;
    await resolve('cached.example');
    assert.equal(queriesFor('cached.example'), 2, 'still within the 30 s TTL');
    now += 2_000;
    await resolve('cached.example');
    assert.equal(queriesFor('cached.example'), 4);
  });

  test('caps a long TTL and keeps "no such name" for a few seconds only', async () => {
    let now = 0;
    const resolve = createDnsResolver({ servers: [server.address], hostsFile: null, now: () => now, maxTtlSeconds: 10 });
    await resolve('capped.example');
    now += 11_000;
    await resolve('capped.example');
    assert.equal(queriesFor('capped.example'), 4);
    await assert.rejects(resolve('nobody.missing.test'), (error: NodeJS.ErrnoException) => error.code === 'ENOTFOUND');
    await assert.rejects(resolve('nobody.missing.test'));
    assert.equal(queriesFor('nobody.missing.test'), 2);
    now += 6_000;
    await assert.rejects(resolve('nobody.missing.test'));
    assert.equal(queriesFor('nobody.missing.test'), 4);
  });

  test('answers names of the hosts file from it, localhost always, and address literals without any query', async () => {
    const resolve = createDnsResolver({ servers: [server.address], hostsFile });
    const before = server.queries.length;
    assert.deepEqual(await resolve('INTRANET.example'), [{ address: '10.9.8.7', family: 4 }]);
    assert.deepEqual(await resolve('localhost'), [{ address: '127.0.0.1', family: 4 }]);
    assert.deepEqual(await resolve('192.0.2.1'), [{ address: '192.0.2.1', family: 4 }]);
    assert.deepEqual(await resolve('[::1]'), [{ address: '::1', family: 6 }]);
    assert.equal(server.queries.length, before);
    const builtIn = readHostsFile(null);
    assert.deepEqual(builtIn.get('localhost')?.map((a) => a.address), ['127.0.0.1', '::1']);
  });

  test('does not wait for libuv\'s thread pool, which dns.lookup queues behind', async () => {
    const resolve = createDnsResolver({ servers: [server.address], hostsFile: null });
    // Occupy all four pool threads for a while, as a burst of getaddrinfo calls would.
    const busy = Array.from({ length: 4 }, () => new Promise((done) => pbkdf2('x', 'y', 1_500_000, 32, 'sha512', done)));
    const started = performance.now();
    let poolFree = 0;
    void Promise.all(busy).then(() => (poolFree = performance.now() - started));
    await resolve('pool.example');
    const resolvedAfter = performance.now() - started;
    await Promise.all(busy);
    assert.ok(poolFree > 300, `the pool was busy for ${poolFree.toFixed(0)} ms (needs longer work to prove anything)`);
    assert.ok(resolvedAfter < poolFree / 2, `resolved after ${resolvedAfter.toFixed(0)} ms, the pool was busy for ${poolFree.toFixed(0)} ms`);
    // The contrast, so the test would notice a resolver that fell back to getaddrinfo.
    const busyAgain = Array.from({ length: 4 }, () => new Promise((done) => pbkdf2('x', 'y', 1_500_000, 32, 'sha512', done)));
    const lookupStarted = performance.now();
    await dns.promises.lookup('localhost');
    const lookupAfter = performance.now() - lookupStarted;
    await Promise.all(busyAgain);
    assert.ok(lookupAfter > resolvedAfter, `getaddrinfo took ${lookupAfter.toFixed(0)} ms behind the busy pool, c-ares ${resolvedAfter.toFixed(0)} ms`);
  });

  test('DNS_SERVERS entries are checked like the resolver reads them', () => {
    assert.deepEqual(parseDnsServers(['1.1.1.1', '127.0.0.1:5353', '[::1]:53', '::1']), ['1.1.1.1', '127.0.0.1:5353', '[::1]:53', '::1']);
    assert.throws(() => parseDnsServers(['dns.example', '1.1.1.1']), /"dns\.example"/);
  });
});

describe('the outbound guard\'s checks of one request', () => {
  test('resolve many names a few at a time, each once, and accept public ones', async () => {
    const slow = await startDnsServer({ delayMs: 100, answer: () => [PUBLIC_V4] });
    after(() => slow.close());
    const guard = createOutboundGuard([], { dnsServers: [slow.address], lookupConcurrency: 8 });
    const urls = Array.from({ length: 40 }, (_, i) => `https://hook-${i % 20}.example/path/${i}`);
    const started = performance.now();
    const refusals = await guard.checkAll(urls);
    const took = performance.now() - started;
    assert.deepEqual(refusals, urls.map(() => null));
    assert.equal(slow.queries.filter((q) => q.type === 'A').length, 20, 'each of the 20 names asked once');
    assert.ok(slow.maxInFlight <= 16, `at most 8 names (A + AAAA) at once, saw ${slow.maxInFlight}`);
    assert.ok(took >= 250 && took < 1500, `20 names 8 at a time at 100 ms took ${took.toFixed(0)} ms`);
  });

  test('refuse what is not resolved by the deadline, naming the host, and answer at the deadline', async () => {
    const stuck = await startDnsServer({ delayMs: 5_000, answer: () => [PUBLIC_V4] });
    after(() => stuck.close());
    const guard = createOutboundGuard([], { dnsServers: [stuck.address], checkDeadlineMs: 400 });
    const started = performance.now();
    const refusals = await guard.checkAll(['https://late.example/x', 'http://192.0.2.10/', 'https://93.184.215.14/ok', 'ftp://late.example/']);
    const took = performance.now() - started;
    assert.match(refusals[0] ?? '', /could not resolve late\.example in time/);
    assert.match(refusals[1] ?? '', /reserved/);
    assert.equal(refusals[2], null);
    assert.match(refusals[3] ?? '', /http:\/\/ or https:\/\//);
    assert.ok(took >= 380 && took < 1000, `answered after ${took.toFixed(0)} ms`);
  });

  test('a name of the hosts file or one resolving inside is refused like an address literal', async () => {
    const guard = createOutboundGuard([], { dnsServers: [server.address] });
    const [hosts, inside, literal] = await guard.checkAll(['http://localhost:4000/', 'https://inside.test/', 'http://127.0.0.1/']);
    assert.match(hosts ?? '', /localhost resolves to 127\.0\.0\.1, a loopback address/);
    assert.match(inside ?? '', /inside\.test resolves to 10\.1\.2\.3, a private/);
    assert.match(literal ?? '', /127\.0\.0\.1 is a loopback address/);
  });
});
