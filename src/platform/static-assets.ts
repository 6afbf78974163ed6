import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from './logger.ts';

/** Where `npm run build:web` (src/web/vite.config.ts) writes the console. */
export const CONSOLE_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8',
};

/** One file ready to send in each encoding the client may accept. */
export type Asset = { type: string; etag: string; cacheControl: string; identity: Uint8Array; readonly br?: Uint8Array; readonly gzip?: Uint8Array };

/**
 * An asset compressed at run time (GraphiQL's 9 MB page), each encoding on its first request only and
 * then kept: brotli 5 and gzip 6 take ~0.3 s and ~0.7 s for GraphiQL, where brotli 9 takes ~3.5 s for 5% less.
 */
export function compressedLazily(body: string | Uint8Array, type: string, cacheControl: string): Asset {
  const identity = typeof body === 'string' ? Buffer.from(body) : body;
  let br: Uint8Array | undefined;
  let gzip: Uint8Array | undefined;
  return {
    type, cacheControl, identity,
    etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}"`,
    get br() {
      return (br ??= brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }));
    },
    get gzip() {
      return (gzip ??= gzipSync(identity, { level: 6 }));
    },
  };
}

/** The response for an asset: the best encoding the request accepts, 304 when its ETag matches. */
export function assetResponse(request: Request, asset: Asset, ResponseClass: typeof Response): Response {
  const headers: Record<string, string> = {
    'content-type': asset.type, 'cache-control': asset.cacheControl, etag: asset.etag, vary: 'accept-encoding', 'x-content-type-options': 'nosniff',
  };
  if (request.headers.get('if-none-match') === asset.etag) return new ResponseClass(null, { status: 304, headers });
  const accepted = request.headers.get('accept-encoding') ?? '';
  let body = asset.identity;
  if (/\bbr\b/.test(accepted) && asset.br) [body, headers['content-encoding']] = [asset.br, 'br'];
  else if (/\bgzip\b/.test(accepted) && asset.gzip) [body, headers['content-encoding']] = [asset.gzip, 'gzip'];
  headers['content-length'] = String(body.length);
  return new ResponseClass(request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), { status: 200, headers });
}

async function loadConsole(dir: string): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  const walk = async (sub: string): Promise<void> => {
    for (const entry of await readdir(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.posix.join(sub, entry.name);
      if (entry.isDirectory()) await walk(rel);
      else if (!/\.(br|gz)$/.test(entry.name)) {
        const file = path.join(dir, rel);
        const identity = await readFile(file);
        const optional = (suffix: string) => (existsSync(file + suffix) ? readFile(file + suffix) : Promise.resolve(undefined));
        // Vite fingerprints everything under assets/: those never change, so they are cached for a year.
        // index.html names the current ones, so browsers revalidate it every time (a 304 when unchanged).
        const immutable = rel.startsWith('assets/');
        assets.set(`/${rel}`, {
          type: TYPES[path.extname(entry.name)] ?? 'application/octet-stream',
          etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}"`,
          cacheControl: immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
          identity, br: await optional('.br'), gzip: await optional('.gz'),
        });
      }
    }
  };
  await walk('');
  return assets;
}

/**
 * Serves the web console at `/` (and its fingerprinted files under /assets/) from the build in
 * dist/web, read into memory once at start with the .br/.gz the build wrote beside each file.
 * Without a build, `/` explains how to make one and the start log says so.
 */
export async function useWebConsole(options: { log: Logger; dir?: string }): Promise<Plugin> {
  const dir = options.dir ?? CONSOLE_DIR;
  const assets = existsSync(path.join(dir, 'index.html')) ? await loadConsole(dir) : null;
  if (!assets) options.log.warn(`The web console is not built (${dir} is missing): run \`npm run build:web\` (\`npm install\` does it too), then restart.`);
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const pathname = url.pathname === '/' ? '/index.html' : url.pathname;
      if (!assets) {
        if (pathname === '/index.html') {
          endResponse(new fetchAPI.Response('The Tickler console is not built yet. Run `npm run build:web` (npm install runs it), then restart Tickler.\nGraphiQL is at /graphql.\n', {
            status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
          }));
        }
        return;
      }
      const asset = assets.get(pathname);
      if (asset) endResponse(assetResponse(request, asset, fetchAPI.Response));
      else if (pathname.startsWith('/assets/')) endResponse(new fetchAPI.Response('Not found', { status: 404, headers: { 'cache-control': 'no-store' } }));
    },
  };
}
