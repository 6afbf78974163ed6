import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError, QuotaExceededError, ValidationError } from '../shared/errors.ts';
import type { Limits } from '../platform/config.ts';
import { armLimits, usageOf } from '../accounts/usage.ts';
import { Event, EventAttachment } from './event.entity.ts';

/**
 * Stores an uploaded file with an event of the account (in `em`'s transaction); over `maxBytes` is a
 * ValidationError, over the account's LIMIT_ATTACHMENT_BYTES in total a QuotaExceededError.
 */
export async function addAttachment(em: EntityManager, accountId: string, eventId: string, file: File, maxBytes: number, limits: Limits): Promise<EventAttachment> {
  if (file.size > maxBytes) throw ValidationError.field(['file'], `must be at most ${maxBytes} bytes (got ${file.size})`);
  // Refused before the bytes are read when the declared size already cannot fit; the usage trigger
  // has the last word, under the counter's lock, at the insert.
  const { attachmentBytes } = await usageOf(em, accountId);
  if (attachmentBytes + file.size > limits.attachmentBytes) throw new QuotaExceededError('attachmentBytes', limits.attachmentBytes);
  const event = await em.findOne(Event, { id: eventId, account: accountId });
  if (!event) throw new NotFoundError('event', eventId);
  const data = Buffer.from(await file.arrayBuffer());
  // The declared size of a multipart part is the client's word; the bytes read are the truth.
  if (data.length > maxBytes) throw ValidationError.field(['file'], `must be at most ${maxBytes} bytes`);
  const attachment = em.create(EventAttachment, {
    account: accountId,
    event,
    filename: cleanFilename(file.name),
    contentType: (file.type || 'application/octet-stream').slice(0, 255),
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    data,
  });
  await armLimits(em, limits, ['attachmentBytes']);
  await em.flush();
  return attachment;
}

export async function removeAttachment(em: EntityManager, accountId: string, id: string): Promise<void> {
  const deleted = await em.nativeDelete(EventAttachment, { id, account: accountId });
  if (deleted === 0) throw new NotFoundError('attachment', id);
}

/** The event's attachments without their bytes, oldest first. */
export function listAttachments(em: EntityManager, eventId: string): Promise<EventAttachment[]> {
  return em.find(EventAttachment, { event: eventId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

/** An attachment with its bytes, if it belongs to the account. */
export function loadForDownload(em: EntityManager, accountId: string, id: string): Promise<EventAttachment | null> {
  return em.findOne(EventAttachment, { id, account: accountId }, { populate: ['data'] });
}

/** The path a client downloads an attachment from (with its Authorization header). */
export function attachmentPath(id: string): string {
  return `/attachments/${id}`;
}

function cleanFilename(name: string): string {
  // Keep the last path segment only and drop control characters; never trust a client's path.
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return cleaned || 'attachment';
}
