import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { Button, Card, ErrorNote, Field, fieldError, inputClass, useToast } from '../ui.tsx';
import { SubscribeCalendarFeedMutation } from '../../client/operations/feeds.ts';
import { outcomeOf, type FieldErrors } from './outcome.ts';

/** Subscribes to a feed; the server fetches it at once, so a bad address is refused here, beside its field. */
export function SubscribeForm({ onSubscribed }: { onSubscribed: () => void }) {
  const [url, setUrl] = useState('');
  const [name, setName] = useState('');
  const [refresh, setRefresh] = useState('60');
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [note, setNote] = useState<string | null>(null);
  const [{ fetching }, subscribe] = useMutation(SubscribeCalendarFeedMutation);
  const toast = useToast();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = { url: url.trim(), name: name.trim() || null, refreshMinutes: refresh ? Number(refresh) : null };
    const result = await subscribe({ input });
    const outcome = outcomeOf(result.data?.subscribeCalendarFeed, result.error);
    if (!outcome.ok) {
      setErrors(outcome.fieldErrors);
      setNote(outcome.note);
      return;
    }
    setErrors([]);
    setNote(null);
    setUrl('');
    setName('');
    const feed = outcome.calendar?.feed;
    toast({ tone: 'success', title: `Subscribed to “${outcome.calendar?.name}”`, body: feed ? `${feed.eventCount} events read` : undefined });
    onSubscribed();
  }

  return (
    <Card className="p-4 sm:p-5">
      <form onSubmit={submit} noValidate className="space-y-4" aria-label="Subscribe to a feed">
        <h2 className="text-lg font-semibold text-slate-900">Subscribe to a feed</h2>
        <Field label="Feed URL" hint="The calendar's secret iCal address (https:// or webcal://). It is fetched at once." error={fieldError(errors, 'url')}>
          {(p) => <input {...p} name="url" type="url" inputMode="url" autoComplete="off" required className={`${inputClass} font-mono`} value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://calendar.google.com/calendar/ical/…/basic.ics" />}
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Name (optional)" hint="Default: the feed's own name" error={fieldError(errors, 'name')}>
            {(p) => <input {...p} name="name" className={inputClass} value={name} onChange={(e) => setName(e.target.value)} placeholder="Work (Google)" />}
          </Field>
          <Field label="Refresh every (minutes)" hint="At least 5" error={fieldError(errors, 'refreshMinutes')}>
            {(p) => <input {...p} name="refreshMinutes" type="number" min="5" className={inputClass} value={refresh} onChange={(e) => setRefresh(e.target.value)} />}
          </Field>
        </div>
        <ErrorNote>{note}</ErrorNote>
        <Button type="submit" variant="primary" disabled={fetching || !url.trim()}>{fetching ? 'Fetching the feed…' : 'Subscribe'}</Button>
      </form>
    </Card>
  );
}
