/**
 * What a sync must change so that a feed calendar mirrors the feed: created, updated (only what
 * changed) and deleted instances. Pure: stored instances and parsed ones in, a diff out.
 *
 * Instances are matched by key (UID + RECURRENCE-ID). Feeds whose UIDs change on every fetch, and
 * instances that lost their key, are matched next by content (start, end, title), so an unchanged
 * event is never deleted and created again (Nextcloud's replace-everything refresh is what we avoid).
 */
import { createHash } from 'node:crypto';
import type { FeedInstance } from './ics-parse.ts';

/** A mirrored instance as stored: its event, key, content hash and content key. */
export type StoredInstance = { eventId: string; key: string; hash: string; contentKey: string };

export type FeedDiff = {
  create: FeedInstance[];
  /** Instances whose content changed (the hash differs); `instance.key` may be a new key. */
  update: { eventId: string; instance: FeedInstance }[];
  /** Same content under a new key: only the key is rewritten, subscribers hear nothing. */
  rekey: { eventId: string; key: string }[];
  delete: string[];
};

/** A digest of everything mirrored about an instance: equal digests mean nothing to write. */
export function instanceHash(instance: FeedInstance): string {
  const { title, start, end, allDay, location, attendees, transparent, cancelled, description } = instance;
  // The description is appended only when there is one, so the digests of events without one did not change when it was added.
  const fields = [title, start, end, allDay, location, attendees, transparent, cancelled, ...(description ? [description] : [])];
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url').slice(0, 32);
}

export function contentKeyOf(start: number, end: number, title: string): string {
  return `${start}|${end}|${title}`;
}

export function diffFeed(stored: readonly StoredInstance[], incoming: readonly FeedInstance[]): FeedDiff {
  const diff: FeedDiff = { create: [], update: [], rekey: [], delete: [] };
  const byKey = new Map(stored.map((s) => [s.key, s]));
  const unmatched: FeedInstance[] = [];
  for (const instance of incoming) {
    const found = byKey.get(instance.key);
    if (!found) {
      unmatched.push(instance);
      continue;
    }
    byKey.delete(instance.key);
    if (found.hash !== instanceHash(instance)) diff.update.push({ eventId: found.eventId, instance });
  }
  // What is left on both sides: pair by content before creating and deleting.
  const leftByContent = new Map<string, StoredInstance[]>();
  for (const s of byKey.values()) leftByContent.set(s.contentKey, [...(leftByContent.get(s.contentKey) ?? []), s]);
  for (const instance of unmatched) {
    const candidates = leftByContent.get(instance.contentKey);
    const found = candidates?.shift();
    if (!found) {
      diff.create.push(instance);
      continue;
    }
    byKey.delete(found.key);
    if (found.hash !== instanceHash(instance)) diff.update.push({ eventId: found.eventId, instance });
    else diff.rekey.push({ eventId: found.eventId, key: instance.key });
  }
  diff.delete = [...byKey.values()].map((s) => s.eventId);
  return diff;
}

export function isEmptyDiff(diff: FeedDiff): boolean {
  return diff.create.length + diff.update.length + diff.rekey.length + diff.delete.length === 0;
}
