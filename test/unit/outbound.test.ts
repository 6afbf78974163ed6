import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOutboundGuard, OutboundRefusedError, parseOutboundAllow, type Resolve } from '../../src/platform/outbound.ts';
import { ConfigError, parseConfig } from '../../src/platform/config.ts';

/** DNS as the test says: names map to addresses; unknown names do not resolve. */
function fakeDns(table: Record<string, string[]>): Resolve {
  return async (hostname) => {
    const addresses = table[hostname.toLowerCase()];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const dns = fakeDns({
  'localhost': ['127.0.0.1', '::1'],
  'internal.example': ['10.1.2.3'],
  'split.example': ['93.184.215.14', '192.168.0.10'],
  'metadata.example': ['169.254.169.254'],
  'public.example': ['93.184.215.14', '2606:4700::1111'],
});

describe('the outbound guard refuses addresses inside the server\'s network, in every notation', () => {
  const guard = createOutboundGuard([], { resolve: dns });
  const refused: [string, RegExp][] = [
    ['http://127.0.0.1:5432/', /127\.0\.0\.1 is a loopback address/],
    ['http://127.1/', /127\.0\.0\.1 is a loopback address/],
    ['http://2130706433/', /127\.0\.0\.1 is a loopback address/],
    ['http://0x7f000001/', /127\.0\.0\.1 is a loopback address/],
    ['http://0x7f.0.0.1/', /127\.0\.0\.1 is a loopback address/],
    ['http://017700000001/', /127\.0\.0\.1 is a loopback address/],
    ['http://0177.0.0.1/', /127\.0\.0\.1 is a loopback address/],
    ['http://127.0.0.2/', /loopback/],
    ['http://[::1]/', /::1 is a loopback address/],
    ['http://[0:0:0:0:0:0:0:1]/', /loopback/],
    ['http://[::ffff:127.0.0.1]/', /loopback/],
    ['http://[::ffff:7f00:1]/', /loopback/],
    ['http://[::127.0.0.1]/', /IPv4-compatible/],
    ['http://10.0.0.5/', /10\.0\.0\.5 is a private \(RFC 1918\) address/],
    ['http://172.16.0.1/', /private \(RFC 1918\)/],
    ['http://192.168.1.1/', /192\.168\.1\.1 is a private \(RFC 1918\) address/],
    ['http://[::ffff:10.0.0.1]/', /::ffff:a00:1 \(10\.0\.0\.1\) is a private \(RFC 1918\) address/],
    ['http://[fc00::1]/', /private \(fc00::\/7\)/],
    ['http://[fd12:3456::1]/', /private \(fc00::\/7\)/],
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address, where cloud metadata services live/],
    ['http://[::ffff:169.254.169.254]/', /link-local/],
    ['http://[fe80::1]/', /link-local/],
    ['http://0.0.0.0:4000/graphql', /0\.0\.0\.0 is the unspecified address/],
    ['http://0/', /unspecified/],
    ['http://[::]/', /unspecified/],
    ['http://224.0.0.1/', /multicast/],
    ['http://[ff02::1]/', /multicast/],
    ['http://100.64.0.1/', /carrier-grade NAT/],
    ['http://255.255.255.255/', /broadcast/],
    ['http://240.0.0.1/', /reserved/],
    ['http://192.0.2.1/', /reserved/],
    ['http://[2001:db8::1]/', /reserved/],
    ['http://[64:ff9b::7f00:1]/', /NAT64/],
    ['http://[2002:7f00:1::]/', /6to4/],
    ['https://localhost/admin', /localhost resolves to 127\.0\.0\.1, a loopback address/],
    ['http://LOCALHOST./', /localhost resolves to 127\.0\.0\.1/],
    ['http://internal.example/', /internal\.example resolves to 10\.1\.2\.3, a private \(RFC 1918\) address/],
    ['http://split.example/', /split\.example resolves to 192\.168\.0\.10/],
    ['http://metadata.example/', /link-local/],
  ];
  for (const [url, why] of refused) {
    test(`${url} is refused`, async () => {
      const refusal = await guard.check(url);
      assert.ok(refusal, `${url} was accepted`);
      assert.match(refusal, /^must not point inside the server's network: /);
      assert.match(refusal, why);
      assert.match(refusal, /OUTBOUND_ALLOW can permit it/);
    });
  }

  const malformed: [string, RegExp][] = [
    ['ftp://example.com/x', /must be an http:\/\/ or https:\/\/ URL/],
    ['file:///etc/passwd', /must be an http:\/\/ or https:\/\/ URL/],
    ['gopher://example.com/', /must be an http:\/\/ or https:\/\/ URL/],
    ['javascript:alert(1)', /must be an http:\/\/ or https:\/\/ URL/],
    ['not a url', /must be an http:\/\/ or https:\/\/ URL/],
    ['http://user:secret@public.example/', /must not contain credentials/],
    ['http://user@public.example/', /must not contain credentials/],
  ];
  for (const [url, why] of malformed) {
    test(`${url} is refused: ${why.source}`, async () => {
      assert.match((await guard.check(url)) ?? 'accepted', why);
    });
  }

  for (const url of ['https://93.184.215.14/hook', 'http://[2606:4700::1111]/', 'http://[::ffff:93.184.215.14]/', 'https://public.example/hooks/tickler', 'https://unresolvable.example/']) {
    test(`${url} is accepted`, async () => {
      assert.equal(await guard.check(url), null);
    });
  }
});

describe('OUTBOUND_ALLOW', () => {
  test('a CIDR, a bare address or a host name lets exactly that through', async () => {
    const guard = createOutboundGuard(['127.0.0.1/32', '10.0.0.0/8', '::1', 'internal.example'], { resolve: dns });
    for (const url of ['http://127.0.0.1:8080/', 'http://2130706433/', 'http://[::ffff:127.0.0.1]/', 'http://10.200.0.1/', 'http://[::1]/', 'http://internal.example/', 'http://INTERNAL.example./']) {
      assert.equal(await guard.check(url), null, url);
    }
    for (const url of ['http://127.0.0.2/', 'http://192.168.1.1/', 'http://169.254.169.254/', 'http://metadata.example/']) {
      assert.ok(await guard.check(url), `${url} should stay refused`);
    }
    // localhost resolves to 127.0.0.1 (allowed) and ::1 (allowed): every address must be.
    const loopbackOnly = createOutboundGuard(['127.0.0.0/8'], { resolve: dns });
    assert.match((await loopbackOnly.check('http://localhost/')) ?? '', /localhost resolves to ::1/);
  });

  test('entries that are neither a CIDR, an address nor a host name stop the start with a ConfigError', () => {
    assert.throws(() => parseOutboundAllow(['10.0.0.0/33']), /"10\.0\.0\.0\/33"/);
    assert.throws(() => parseOutboundAllow(['http://hooks.internal']), /"http:\/\/hooks\.internal"/);
    assert.deepEqual(parseOutboundAllow([' 127.0.0.1/32 ', 'Hooks.Internal.', '']).hosts, new Set(['hooks.internal']));
    assert.throws(() => parseConfig({ OUTBOUND_ALLOW: '127.0.0.1/32, bad entry,10.0.0.0/99' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /OUTBOUND_ALLOW must list CIDRs/);
      assert.match(error.message, /"bad entry", "10\.0\.0\.0\/99"/);
      return true;
    });
    assert.deepEqual(parseConfig({ OUTBOUND_ALLOW: '127.0.0.1/32,::1/128' }).outboundAllow, ['127.0.0.1/32', '::1/128']);
    assert.deepEqual(parseConfig({}).outboundAllow, []);
  });
});

describe('fetch through the guard checks the address actually dialled', () => {
  let server: Server;
  let port: number;
  const seen: string[] = [];
  let connections = 0;

  before(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` });
        return res.end();
      }
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections(); // the guard's agent keeps connections alive
  }));

  test('an address literal inside the network is refused before any connection', async () => {
    const guard = createOutboundGuard([]);
    const before = connections;
    for (const url of [`http://127.0.0.1:${port}/`, `http://2130706433:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`]) {
      await assert.rejects(guard.fetch(url, { method: 'POST', body: '{}' }), (error: unknown) => {
        assert.ok(error instanceof OutboundRefusedError, String(error));
        assert.match(error.message, /^refused: the URL must not point inside the server's network: .*loopback/);
        return true;
      });
    }
    assert.equal(connections, before);
  });

  test('DNS rebinding: a name that resolved to a public address when checked, and to loopback when dialled, is refused', async () => {
    let answer = '93.184.215.14';
    const guard = createOutboundGuard([], { resolve: async () => [{ address: answer, family: 4 }] });
    assert.equal(await guard.check(`http://hooks.rebind.test:${port}/hook`), null);
    answer = '127.0.0.1';
    const before = connections;
    await assert.rejects(guard.fetch(`http://hooks.rebind.test:${port}/hook`, { method: 'POST', body: '{}' }), (error: unknown) => {
      assert.ok(error instanceof OutboundRefusedError, String(error));
      assert.match(error.message, /hooks\.rebind\.test resolves to 127\.0\.0\.1, a loopback address/);
      return true;
    });
    assert.equal(connections, before, 'nothing was dialled');
  });

  test('an allowed target is fetched, and a redirect is returned as it is, never followed', async () => {
    const guard = createOutboundGuard(['127.0.0.1/32']);
    seen.length = 0;
    const ok = await guard.fetch(`http://127.0.0.1:${port}/hook`, { method: 'POST', body: '{"a":1}' });
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'ok');
    const redirect = await guard.fetch(`http://127.0.0.1:${port}/redirect`, { redirect: 'follow' });
    assert.equal(redirect.status, 302);
    assert.deepEqual(seen, ['POST /hook', 'GET /redirect']);
  });

  test('a name allowed by OUTBOUND_ALLOW is dialled whatever it resolves to', async () => {
    const guard = createOutboundGuard(['hooks.internal'], { resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    const response = await guard.fetch(`http://hooks.internal:${port}/named`);
    assert.equal(response.status, 200);
    await response.text();
  });
});
