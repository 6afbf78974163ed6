import type { EntityManager } from '@mikro-orm/postgresql';
import type { Plugin } from 'graphql-yoga';
import { identify } from '../platform/auth.ts';
import { loadForDownload } from './attachment.service.ts';

const PATH = /^\/attachments\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * GET /attachments/:id with `Authorization: Bearer <token>`: the file's bytes, to its own account only
 * (another account's attachment is 404, exactly like an absent one).
 */
export function useAttachmentDownloads(options: { forkEm: () => EntityManager; adminToken: string | undefined }): Plugin {
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      const match = PATH.exec(url.pathname);
      if (!match) return;
      const json = (status: number, message: string, headers: Record<string, string> = {}) =>
        endResponse(new fetchAPI.Response(JSON.stringify({ error: message }), { status, headers: { 'content-type': 'application/json', ...headers } }));
      if (request.method !== 'GET' && request.method !== 'HEAD') return json(405, 'Use GET', { allow: 'GET, HEAD' });
      const em = options.forkEm();
      const identity = await identify(em, request.headers.get('authorization'), options.adminToken);
      if (!identity.viewer) return json(401, identity.failure ?? 'Send Authorization: Bearer <token>', { 'www-authenticate': 'Bearer' });
      const attachment = await loadForDownload(em, identity.viewer.accountId, match[1]!.toLowerCase());
      if (!attachment) return json(404, 'No such attachment');
      const body = request.method === 'HEAD' ? null : new Uint8Array(attachment.data);
      endResponse(new fetchAPI.Response(body, {
        status: 200,
        headers: {
          'content-type': attachment.contentType,
          'content-length': String(attachment.size),
          'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
          'x-content-type-options': 'nosniff',
          'cache-control': 'private, no-store',
          etag: `"${attachment.sha256}"`,
        },
      }));
    },
  };
}
