import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation } from 'urql';
import type { FeedCalendarFieldsFragment } from '../../client/generated/graphql.ts';
import { formatDateTime, relative } from '../lib/time.ts';
import { Button, Card, ErrorNote, Field, cx, fieldError, inputClass, useNow, useToast } from '../ui.tsx';
import { RefreshCalendarFeedMutation, UnsubscribeCalendarFeedMutation, UpdateCalendarFeedMutation } from '../../client/operations/feeds.ts';
import { outcomeOf, type FieldErrors } from './outcome.ts';

type Feed = NonNullable<FeedCalendarFieldsFragment['feed']>;
type Health = 'ok' | 'warnings' | 'failing' | 'pending';

function healthOf(feed: Feed): Health {
  if (feed.lastError) return 'failing';
  if (!feed.lastSyncedAt) return 'pending';
  return feed.warnings.length ? 'warnings' : 'ok';
}

const HEALTH: Record<Health, { label: string; style: string }> = {
  ok: { label: 'In sync', style: 'bg-emerald-50 text-emerald-800 ring-emerald-600/30' },
  warnings: { label: 'In sync, with warnings', style: 'bg-amber-50 text-amber-900 ring-amber-600/30' },
  failing: { label: 'Last sync failed', style: 'bg-red-50 text-red-800 ring-red-600/30' },
  pending: { label: 'Not synced yet', style: 'bg-slate-100 text-slate-700 ring-slate-500/30' },
};

/** One subscribed feed: how its syncs went, and refresh now, edit, unsubscribe (after a confirmation). */
export function FeedCard({ calendar, timeZone, onChanged }: { calendar: FeedCalendarFieldsFragment; timeZone: string; onChanged: () => void }) {
  const feed = calendar.feed!;
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm'>('view');
  const [note, setNote] = useState<string | null>(null);
  const [{ fetching: refreshing }, refresh] = useMutation(RefreshCalendarFeedMutation);
  const [{ fetching: removing }, unsubscribe] = useMutation(UnsubscribeCalendarFeedMutation);
  const toast = useToast();
  // Re-read every 30 s, so a sync that just happened is later than `now`: it is shown as "now", never "in 5 sec.".
  const now = useNow(30_000);
  const health = healthOf(feed);
  const headingId = `feed-${calendar.id}`;

  async function refreshNow() {
    setNote(null);
    const result = await refresh({ calendarId: calendar.id });
    const payload = result.data?.refreshCalendarFeed;
    const outcome = outcomeOf(payload, result.error);
    if (!outcome.ok) return setNote(outcome.fieldErrors[0]?.message ?? outcome.note);
    const after = outcome.calendar?.feed;
    if (after?.lastError) toast({ tone: 'error', title: `“${calendar.name}” could not be synced`, body: after.lastError });
    else if (payload?.__typename === 'RefreshCalendarFeedPayload') {
      toast({ tone: 'success', title: `“${calendar.name}” synced`, body: `${payload.created} new, ${payload.updated} changed, ${payload.deleted} removed` });
    }
    onChanged();
  }

  async function remove() {
    const result = await unsubscribe({ calendarId: calendar.id });
    const outcome = outcomeOf(result.data?.unsubscribeCalendarFeed, result.error);
    if (!outcome.ok) {
      setMode('view');
      setNote(outcome.note);
    } else toast({ tone: 'info', title: `Unsubscribed from “${calendar.name}”` });
    onChanged();
  }

  return (
    <Card className="space-y-3 p-4 sm:p-5">
      <article aria-labelledby={headingId} data-feed-id={calendar.id} data-feed-health={health} className="space-y-3">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="min-w-0">
            <h3 id={headingId} className="text-base font-semibold text-slate-900">{calendar.name}</h3>
            <p className="break-all font-mono text-xs text-slate-600">{feed.url}</p>
          </div>
          <span data-testid="feed-health" className={cx('inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset', HEALTH[health].style)}>
            {HEALTH[health].label}
          </span>
        </div>
        <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4">
          <Stat label="Events"><span data-testid="event-count">{feed.eventCount}</span></Stat>
          <Stat label="Last sync">
            {feed.lastSyncedAt
              ? <time dateTime={feed.lastSyncedAt} title={formatDateTime(feed.lastSyncedAt, timeZone, true)}>{relative(feed.lastSyncedAt, Math.max(now, Date.parse(feed.lastSyncedAt)))}</time>
              : 'never'}
          </Stat>
          <Stat label="Refresh">every {feed.refreshMinutes} min</Stat>
          <Stat label="Next sync">
            {feed.nextSyncAt ? <time dateTime={feed.nextSyncAt} title={formatDateTime(feed.nextSyncAt, timeZone, true)}>{relative(feed.nextSyncAt, now)}</time> : '—'}
          </Stat>
        </dl>
        {feed.lastError && (
          <div role="alert" data-testid="feed-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900 ring-1 ring-red-200">
            <p className="font-semibold">
              The last attempt{feed.lastAttemptAt ? ` (${formatDateTime(feed.lastAttemptAt, timeZone)})` : ''} failed; the calendar keeps its last good events:
            </p>
            <p className="mt-0.5 break-words">{feed.lastError}</p>
          </div>
        )}
        {feed.warnings.length > 0 && (
          <div data-testid="feed-warnings" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950 ring-1 ring-amber-200">
            <p className="font-semibold">Read leniently (the publisher does not follow RFC 5545 here):</p>
            <ul className="mt-1 list-disc space-y-0.5 pl-5">
              {feed.warnings.map((w) => <li key={w} className="break-words">{w}</li>)}
            </ul>
          </div>
        )}
        <ErrorNote>{note}</ErrorNote>
        {mode === 'edit' && <EditFeed calendar={calendar} onDone={(saved) => { setMode('view'); if (saved) onChanged(); }} />}
        {mode === 'confirm' && (
          <div role="group" aria-label={`Confirm unsubscribing from ${calendar.name}`} className="space-y-2 rounded-md bg-red-50 p-3 ring-1 ring-red-200">
            <p className="text-sm text-red-900">
              Unsubscribe from “{calendar.name}”? Its calendar and its {feed.eventCount} events are deleted from Tickler (the feed itself is not touched).
            </p>
            <div className="flex flex-wrap gap-2">
              <Button variant="danger" onClick={remove} disabled={removing}>Yes, unsubscribe</Button>
              <Button onClick={() => setMode('view')}>Keep it</Button>
            </div>
          </div>
        )}
        {mode === 'view' && (
          <div className="flex flex-wrap gap-2">
            <Button onClick={refreshNow} disabled={refreshing}>{refreshing ? 'Syncing…' : 'Refresh now'}</Button>
            <Button onClick={() => setMode('edit')}>Edit</Button>
            <Button variant="danger" onClick={() => setMode('confirm')}>Unsubscribe</Button>
          </div>
        )}
      </article>
    </Card>
  );
}

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className="text-slate-900">{children}</dd>
    </div>
  );
}

function EditFeed({ calendar, onDone }: { calendar: FeedCalendarFieldsFragment; onDone: (saved: boolean) => void }) {
  const feed = calendar.feed!;
  const [name, setName] = useState(calendar.name);
  const [url, setUrl] = useState(feed.url);
  const [refresh, setRefresh] = useState(String(feed.refreshMinutes));
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [note, setNote] = useState<string | null>(null);
  const [{ fetching }, update] = useMutation(UpdateCalendarFeedMutation);

  async function submit(e: FormEvent) {
    e.preventDefault();
    // Only what changed is sent: a URL sent again would be checked (and fetched) again for nothing.
    const input = {
      calendarId: calendar.id,
      name: name.trim() !== calendar.name ? name.trim() : null,
      url: url.trim() !== feed.url ? url.trim() : null,
      refreshMinutes: Number(refresh) !== feed.refreshMinutes ? Number(refresh) : null,
    };
    const result = await update({ input });
    const outcome = outcomeOf(result.data?.updateCalendarFeed, result.error);
    if (!outcome.ok) {
      setErrors(outcome.fieldErrors);
      setNote(outcome.note);
      return;
    }
    onDone(true);
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Edit ${calendar.name}`} className="space-y-3 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
      <Field label="Name" error={fieldError(errors, 'name')}>
        {(p) => <input {...p} className={inputClass} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Feed URL" hint="A new address is fetched from scratch at once" error={fieldError(errors, 'url')}>
        {(p) => <input {...p} type="url" className={`${inputClass} font-mono`} value={url} onChange={(e) => setUrl(e.target.value)} />}
      </Field>
      <Field label="Refresh every (minutes)" error={fieldError(errors, 'refreshMinutes')}>
        {(p) => <input {...p} type="number" min="5" className={inputClass} value={refresh} onChange={(e) => setRefresh(e.target.value)} />}
      </Field>
      <ErrorNote>{note}</ErrorNote>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" disabled={fetching}>Save</Button>
        <Button onClick={() => onDone(false)}>Cancel</Button>
      </div>
    </form>
  );
}
