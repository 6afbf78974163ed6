import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useClient } from 'urql';
import type { LiveLink } from '../lib/client.ts';
import { formatDateTime } from '../lib/time.ts';
import { useToast } from '../ui.tsx';
import { ReminderCreatedSubscription, ReminderExpiredSubscription, ReminderUpdatedSubscription } from '../operations.ts';
import type { ReminderStore, ReminderRow } from './store.ts';

type Listener = (row: ReminderRow) => void;

/** Views that show one reminder (the detail page) hear about its changes here. */
export class ReminderEvents {
  private readonly listeners = new Set<Listener>();
  on(listener: Listener) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  emit(row: ReminderRow) {
    for (const l of this.listeners) l(row);
  }
}

/**
 * Keeps the console current: reminderCreated and reminderUpdated upsert rows in place; each
 * reminderExpired shows a toast (and a browser notification when allowed). After the link comes back
 * it resumes reminderExpired after the last cursor seen (the server replays what was missed) and
 * reloads the list, so nothing that happened meanwhile is missing.
 */
export function LiveReminders({ store, events, link, timeZone }: { store: ReminderStore; events: ReminderEvents; link: LiveLink; timeZone: string }) {
  const client = useClient();
  const toast = useToast();
  const generation = useSyncExternalStore(link.subscribe, () => link.generation);
  const lastCursor = useRef<string | null>(null);
  const seen = useRef(new Set<string>());

  useEffect(() => {
    const take = (row: ReminderRow | undefined) => {
      if (!row) return;
      store.upsert(row);
      events.emit(row);
    };
    const created = client.subscription(ReminderCreatedSubscription, {}).subscribe((r) => take(r.data?.reminderCreated));
    const updated = client.subscription(ReminderUpdatedSubscription, {}).subscribe((r) => take(r.data?.reminderUpdated));
    return () => {
      created.unsubscribe();
      updated.unsubscribe();
    };
  }, [client, store, events]);

  useEffect(() => {
    if (generation > 0) void store.reload();
    const expired = client
      .subscription(ReminderExpiredSubscription, { after: lastCursor.current })
      .subscribe((result) => {
        const expiry = result.data?.reminderExpired;
        if (!expiry || seen.current.has(expiry.cursor)) return;
        seen.current.add(expiry.cursor);
        lastCursor.current = expiry.cursor;
        store.upsert(expiry.reminder);
        events.emit(expiry.reminder);
        const when = formatDateTime(expiry.occurrenceAt, timeZone, true);
        toast({ tone: 'success', title: expiry.reminder.message, body: `Due ${when}${expiry.latenessMs > 1000 ? ` · ${Math.round(expiry.latenessMs / 1000)} s late` : ''}` });
        if (typeof Notification !== 'undefined' && Notification.permission === 'granted' && document.hidden) {
          new Notification('Tickler', { body: expiry.reminder.message, tag: expiry.cursor });
        }
      });
    return () => expired.unsubscribe();
  }, [client, store, events, generation, timeZone, toast]);

  return null;
}
