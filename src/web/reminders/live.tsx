import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useClient } from 'urql';
import type { LiveLink } from '../lib/client.ts';
import { LiveGate } from '../lib/live.ts';
import { formatDateTime } from '../lib/time.ts';
import { useToast } from '../ui.tsx';
import { ReminderCreatedSubscription, ReminderExpiredSubscription, ReminderUpdatedSubscription } from '../../client/operations/reminders.ts';
import type { ReminderStore, ReminderRow } from './store.ts';

type Listener = (row: ReminderRow) => void;

/** Views that show one reminder (the detail page) hear about its changes here. */
export class ReminderEvents {
  /** Open once the server listens for all three reminder subscriptions (LiveReminders): a view reads after. */
  readonly gate = new LiveGate(['created', 'updated', 'expired']);
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
 * reminderExpired shows a toast (and a browser notification when allowed). The shared client resumes
 * reminderExpired after the last cursor delivered, after a drop or a LAGGED end (the server replays
 * what was missed, once); after a drop the list is reloaded too, so nothing that changed meanwhile is missing.
 *
 * The list is read only once the server has acknowledged all three subscriptions (store.setLive), on
 * the first connection and again after every reconnection: a reminder that fires while the list
 * loads reaches it as an event (it was once missed, and the row stayed SCHEDULED until a reload).
 */
export function LiveReminders({ store, events, link, timeZone }: { store: ReminderStore; events: ReminderEvents; link: LiveLink; timeZone: string }) {
  const client = useClient();
  const toast = useToast();
  const generation = useSyncExternalStore(link.subscribe, () => link.generation);
  // Read at each expiry, so that a change of zone does not tear the subscriptions down (and miss what fires meanwhile).
  const latest = useRef({ timeZone, toast });
  latest.current = { timeZone, toast };

  useEffect(() => {
    const { gate } = events;
    const stopGate = gate.subscribe(() => store.setLive(gate.live));
    // After a drop, acknowledgements count afresh.
    const stopFollowing = gate.follow(link);
    const acknowledge = (stream: string) => () => gate.acknowledge(stream);
    const take = (row: ReminderRow | undefined) => {
      if (!row) return;
      store.upsert(row);
      events.emit(row);
    };
    const created = client.subscription(ReminderCreatedSubscription, {}, { onSubscribed: acknowledge('created') })
      .subscribe((r) => take(r.data?.reminderCreated));
    const updated = client.subscription(ReminderUpdatedSubscription, {}, { onSubscribed: acknowledge('updated') })
      .subscribe((r) => take(r.data?.reminderUpdated));
    const expired = client
      .subscription(ReminderExpiredSubscription, { after: null }, { onSubscribed: acknowledge('expired') })
      .subscribe((result) => {
        const expiry = result.data?.reminderExpired;
        if (!expiry) return;
        take(expiry.reminder);
        const { timeZone, toast } = latest.current;
        const when = formatDateTime(expiry.occurrenceAt, timeZone, true);
        toast({ tone: 'success', title: expiry.reminder.message, body: `Due ${when}${expiry.latenessMs > 1000 ? ` · ${Math.round(expiry.latenessMs / 1000)} s late` : ''}` });
        if (typeof Notification !== 'undefined' && Notification.permission === 'granted' && document.hidden) {
          new Notification('Tickler', { body: expiry.reminder.message, tag: expiry.cursor });
        }
      });
    return () => {
      stopFollowing();
      gate.reset();
      stopGate();
      store.setLive(false);
      created.unsubscribe();
      updated.unsubscribe();
      expired.unsubscribe();
    };
  }, [client, store, events, link]);

  useEffect(() => {
    if (generation > 0) void store.reload();
  }, [store, generation]);

  return null;
}
