import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ReminderStatus } from '../../client/generated/graphql.ts';
import { formatDateTime, relative } from '../lib/time.ts';
import { navigate } from '../lib/router.ts';
import { Badge, Button, Card, ErrorNote, inputClass, useNow } from '../ui.tsx';
import type { Order, ReminderStore } from './store.ts';
import { describeRule } from './recurrence.ts';

const STATUSES: ReminderStatus[] = ['SCHEDULED', 'PROCESSING', 'SENT', 'RETRIED', 'FAILED', 'MISSED', 'CANCELLED'];
const ROW_HEIGHT = 68;

/** Every reminder of the account, virtualised: only the rows in view are in the DOM, so 5,000 scroll smoothly. */
export function ReminderList({ store, timeZone }: { store: ReminderStore; timeZone: string }) {
  const { rows, loading, hasMore, error } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const now = useNow(5000);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const items = virtualizer.getVirtualItems();

  useEffect(() => {
    store.setView(store.status, store.order);
  }, [store]);

  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (hasMore && !loading && lastIndex >= rows.length - 20) void store.loadMore();
  }, [lastIndex, rows.length, hasMore, loading, store]);

  return (
    <div className="flex h-full flex-col gap-3">
      {/* On a phone the heading and New reminder share the first line and the two filters the second
          (in source order the filters split the line and the button wrapped alone). */}
      <div className="flex flex-wrap items-end gap-3">
        <h1 className="mr-auto text-xl font-semibold text-slate-900 max-sm:order-first">Reminders</h1>
        <div>
          <label htmlFor="status-filter" className="block text-xs font-medium text-slate-700">Status</label>
          <select id="status-filter" className={inputClass} value={store.status ?? ''}
            onChange={(e) => store.setView((e.target.value || null) as ReminderStatus | null, store.order)}>
            <option value="">All</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s.charAt(0) + s.slice(1).toLowerCase()}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="order" className="block text-xs font-medium text-slate-700">Order</label>
          <select id="order" className={inputClass} value={store.order} onChange={(e) => store.setView(store.status, e.target.value as Order)}>
            <option value="soonest">Soonest first</option>
            <option value="latest">Latest first</option>
          </select>
        </div>
        <Button variant="primary" className="max-sm:order-first" onClick={() => navigate('/reminders/new')}>New reminder</Button>
      </div>
      <ErrorNote>{error}</ErrorNote>
      <Card className="min-h-0 flex-1 overflow-hidden">
        <div className="hidden grid-cols-[1fr_14rem_7rem] gap-4 border-b border-slate-200 px-4 py-2 text-xs font-semibold uppercase tracking-wide text-slate-600 sm:grid" aria-hidden="true">
          <span>Message</span><span>When</span><span className="text-right">Status</span>
        </div>
        <div ref={scroller} className="h-[calc(100%-2rem)] overflow-auto" data-testid="reminder-scroller">
          {rows.length === 0 && !loading && (
            <div className="p-10 text-center text-slate-600">
              <p className="font-medium text-slate-800">No reminders {store.status ? `with status ${store.status}` : 'yet'}.</p>
              <p className="mt-1 text-sm">Schedule one with “New reminder”: it will appear here and change live.</p>
            </div>
          )}
          <ul aria-label="Reminders" aria-busy={loading} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const r = rows[item.index]!;
              return (
                <li key={r.id} data-reminder-id={r.id} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                  className="border-b border-slate-100">
                  {/* On a phone the due time takes the row's second line, across the row's width (the status
                      sits beside the message), instead of a column of its own: both still fit ROW_HEIGHT. */}
                  <a href={`#/reminders/${encodeURIComponent(r.id)}`}
                    className="grid h-full grid-cols-[1fr_auto] content-center items-center gap-x-4 px-4 hover:bg-slate-50 focus-visible:bg-indigo-50 sm:grid-cols-[1fr_14rem_7rem]">
                    <span className="col-start-1 row-start-1 min-w-0">
                      <span className="block truncate font-medium text-slate-900">{r.message}</span>
                      <span className="block truncate text-xs text-slate-600">
                        {r.recurrence ? `↻ ${describeRule(r.recurrence)}` : 'Once'}
                        {r.channels.length > 0 && ` · ${r.channels.map((c) => c.kind.toLowerCase()).join(', ')}`}
                      </span>
                    </span>
                    <span data-due className="col-span-2 row-start-2 min-w-0 truncate text-xs text-slate-700 sm:col-span-1 sm:col-start-2 sm:row-start-1 sm:text-sm">
                      <time dateTime={r.remindAt}>{formatDateTime(r.remindAt, timeZone)}</time>
                      <span className="text-slate-600 sm:block sm:text-xs"><span aria-hidden="true" className="sm:hidden"> · </span>{relative(r.remindAt, now)}</span>
                    </span>
                    <span className="col-start-2 row-start-1 text-right sm:col-start-3"><Badge status={r.status} /></span>
                  </a>
                </li>
              );
            })}
          </ul>
          {loading && <p className="p-3 text-center text-sm text-slate-600">Loading…</p>}
        </div>
      </Card>
      <p className="text-xs text-slate-600" aria-live="polite">{rows.length.toLocaleString()} shown{hasMore ? ', more as you scroll' : ''} · times in {timeZone}</p>
    </div>
  );
}
