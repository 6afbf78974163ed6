import { useState } from 'react';
import { useMutation } from 'urql';
import type { FeedCalendarFieldsFragment } from '../../client/generated/graphql.ts';
import { Button, Card, ErrorNote, useToast } from '../ui.tsx';
import { RotateCalendarFeedTokenMutation } from '../../client/operations/feeds.ts';
import { absoluteUrl, outcomeOf } from './outcome.ts';

/** Every calendar's own secret ICS address, to add to Google, Outlook or Apple Calendar; rotating it revokes the old one. */
export function ExportList({ calendars, onChanged }: { calendars: FeedCalendarFieldsFragment[]; onChanged: () => void }) {
  return (
    <section aria-labelledby="export-heading" className="space-y-3">
      <div>
        <h2 id="export-heading" className="text-lg font-semibold text-slate-900">Your calendars as feeds</h2>
        <p className="text-sm text-slate-700">
          Each calendar has a secret address other calendar apps can subscribe to. Treat it like a password; rotate it to revoke the old one.
        </p>
      </div>
      <Card>
        <ul className="divide-y divide-slate-200">
          {calendars.map((calendar) => <ExportRow key={calendar.id} calendar={calendar} onChanged={onChanged} />)}
        </ul>
      </Card>
    </section>
  );
}

function ExportRow({ calendar, onChanged }: { calendar: FeedCalendarFieldsFragment; onChanged: () => void }) {
  const url = absoluteUrl(calendar.feedUrl, location.origin);
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [{ fetching }, rotate] = useMutation(RotateCalendarFeedTokenMutation);
  const toast = useToast();
  const inputId = `export-${calendar.id}`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // Clipboard access can be refused (an insecure origin, a denied permission): the address stays selectable.
      setNote('The browser refused the clipboard: select the address and copy it by hand.');
    }
  }

  async function confirmRotate() {
    const result = await rotate({ calendarId: calendar.id });
    const outcome = outcomeOf(result.data?.rotateCalendarFeedToken, result.error);
    setConfirming(false);
    if (!outcome.ok) return setNote(outcome.note);
    setNote(null);
    toast({ tone: 'info', title: `New address for “${calendar.name}”`, body: 'The old one no longer works: update the apps subscribed to it.' });
    onChanged();
  }

  return (
    <li className="space-y-2 p-3 sm:p-4" data-export-calendar={calendar.name}>
      <label htmlFor={inputId} className="block text-sm font-medium text-slate-900">
        {calendar.name}{calendar.feed ? <span className="font-normal text-slate-600"> (feed)</span> : null}
      </label>
      <div className="flex flex-wrap items-center gap-2">
        <input id={inputId} readOnly value={url} data-testid="export-url" onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 basis-56 rounded-md bg-slate-100 px-2 py-1.5 font-mono text-xs text-slate-900 ring-1 ring-inset ring-slate-200" />
        <div className="flex gap-2">
          <Button onClick={copy} aria-label={`${copied ? 'Copied' : 'Copy'} the address of ${calendar.name}`}>{copied ? 'Copied' : 'Copy'}</Button>
          <Button variant="danger" onClick={() => setConfirming(true)} disabled={confirming || fetching} aria-label={`Rotate the address of ${calendar.name}`}>Rotate</Button>
        </div>
      </div>
      {confirming && (
        <div role="group" aria-label={`Confirm rotating the address of ${calendar.name}`} className="space-y-2 rounded-md bg-red-50 p-3 ring-1 ring-red-200">
          <p className="text-sm text-red-900">Give “{calendar.name}” a new address? Apps subscribed to the current one stop receiving it.</p>
          <div className="flex flex-wrap gap-2">
            <Button variant="danger" onClick={confirmRotate} disabled={fetching}>Yes, new address</Button>
            <Button onClick={() => setConfirming(false)}>Keep this one</Button>
          </div>
        </div>
      )}
      <ErrorNote>{note}</ErrorNote>
    </li>
  );
}
