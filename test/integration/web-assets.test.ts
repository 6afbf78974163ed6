import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { createSchema, createYoga } from 'graphql-yoga';
import { createLogger } from '../../src/platform/logger.ts';
import { useWebConsole } from '../../src/platform/static-assets.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const schema = createSchema({ typeDefs: 'type Query { ok: Boolean }' });
const log = createLogger({ logLevel: 'silent', logFormat: 'json' });

describe('the console build is served at / from memory, compressed and cached right', () => {
  let dir: string;
  let yoga: ReturnType<typeof createYoga>;
  const js = 'console.log("tickler");'.repeat(50);
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tickler-web-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><script src="/assets/index-abc123.js"></script>');
    await writeFile(path.join(dir, 'assets/index-abc123.js'), js);
    await writeFile(path.join(dir, 'assets/index-abc123.js.br'), brotliCompressSync(js));
    await writeFile(path.join(dir, 'assets/index-abc123.js.gz'), gzipSync(js));
    yoga = createYoga({ schema, logging: false, plugins: [await useWebConsole({ log, dir })] });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('index.html is revalidated every time (no-cache + ETag → 304)', async () => {
    const first = await yoga.fetch('http://localhost/', { headers: { accept: 'text/html' } });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('cache-control'), 'no-cache');
    assert.match(first.headers.get('content-type')!, /text\/html/);
    const again = await yoga.fetch('http://localhost/', { headers: { 'if-none-match': first.headers.get('etag')! } });
    assert.equal(again.status, 304);
  });

  test('fingerprinted assets are immutable for a year and sent precompressed: brotli first, then gzip', async () => {
    const br = await yoga.fetch('http://localhost/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(br.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.equal(br.headers.get('vary'), 'accept-encoding');
    assert.equal(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString(), js);
    const gz = await yoga.fetch('http://localhost/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString(), js);
    const plain = await yoga.fetch('http://localhost/assets/index-abc123.js');
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(await plain.text(), js);
  });

  test('an unknown asset is a 404, and GraphQL still answers beside the console', async () => {
    assert.equal((await yoga.fetch('http://localhost/assets/nope.js')).status, 404);
    const gql = await yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ ok }"}' });
    assert.equal(gql.status, 200);
  });

  test('without a build, / says how to build it', async () => {
    const bare = createYoga({ schema, logging: false, plugins: [await useWebConsole({ log, dir: path.join(dir, 'missing') })] });
    const response = await bare.fetch('http://localhost/');
    assert.equal(response.status, 503);
    assert.match(await response.text(), /npm run build:web/);
  });
});

describe('GraphiQL at /graphql', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('is served compressed, with an ETag that turns later visits into a bodiless 304', async () => {
    const page = await fetch(server.url, { headers: { accept: 'text/html', 'accept-encoding': 'br' } });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-encoding'), 'br');
    const wire = Number(page.headers.get('content-length'));
    const html = await page.text(); // fetch decodes brotli
    assert.match(html, /<title>Tickler<\/title>/);
    // Without it a phone lays the page out 980 px wide (the layout itself is checked in test/browser/phone.test.ts).
    assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1" \/>/);
    assert.ok(wire < html.length / 3, `compressed ${wire} bytes of ${html.length}`);
    const again = await fetch(server.url, { headers: { accept: 'text/html', 'if-none-match': page.headers.get('etag')! } });
    assert.equal(again.status, 304);
    assert.equal((await again.arrayBuffer()).byteLength, 0);
  });
});
