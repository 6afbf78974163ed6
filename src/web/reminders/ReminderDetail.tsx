import { useMemo, useState, type ReactNode } from 'react';
import { useMutation } from 'urql';
import { useLiveQuery, type LiveSource } from '../lib/live.ts';
import { formatDateTime, fromInputs, toInputs } from '../lib/time.ts';
import { navigate } from '../lib/router.ts';
import { Badge, Button, Card, ErrorNote, inputClass, useToast } from '../ui.tsx';
import { CancelReminderMutation, ExpireReminderMutation, RedeliverMutation, ReminderQuery, SnoozeReminderMutation } from '../../client/operations/reminders.ts';
import { describeRule } from './recurrence.ts';
import { ReminderForm } from './ReminderForm.tsx';
import type { ReminderStore } from './store.ts';
import type { ReminderEvents } from './live.tsx';

/** One reminder: what it is, the actions on it, and every occurrence's deliveries as a timeline. */
export function ReminderDetail({ id, store, events, accountTimeZone }: { id: string; store: ReminderStore; events: ReminderEvents; accountTimeZone: string }) {
  // Read once the console's reminder subscriptions are acknowledged, and again after each live change
  // of this reminder (status, a new occurrence, a delivery's outcome), one heard while loading too.
  const source = useMemo<LiveSource>(() => ({
    gate: events.gate,
    onChange: (listener) => events.on((row) => {
      if (row.id === id) listener();
    }),
  }), [events, id]);
  const variables = useMemo(() => ({ id, occurrences: 50 }), [id]);
  const { data, fetching, error, reload } = useLiveQuery(source, ReminderQuery, variables);
  const [editing, setEditing] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [, cancel] = useMutation(CancelReminderMutation);
  const [, expire] = useMutation(ExpireReminderMutation);
  const [, snooze] = useMutation(SnoozeReminderMutation);
  const [, redeliver] = useMutation(RedeliverMutation);
  const [until, setUntil] = useState<{ date: string; time: string } | null>(null);
  const toast = useToast();

  const reminder = data?.reminder;
  if (!reminder) {
    return (
      <div className="space-y-3">
        <BackLink />
        {fetching ? <p className="text-slate-600">Loading…</p> : <ErrorNote>{error?.message ?? 'No such reminder in this account.'}</ErrorNote>}
      </div>
    );
  }
  const tz = reminder.timeZone;
  const done = reminder.status === 'CANCELLED';

  const act = async (run: () => Promise<{ error?: { message: string }; data?: unknown }>, pick: (data: any) => { __typename: string; message?: string; reminder?: any } | undefined, note: string) => {
    setActionError(null);
    const result = await run();
    if (result.error) return setActionError(result.error.message);
    const payload = pick(result.data);
    if (payload && 'message' in payload && payload.message && !payload.reminder) return setActionError(payload.message);
    if (payload?.reminder) store.upsert(payload.reminder);
    toast({ tone: 'info', title: note });
    reload();
  };

  if (editing) {
    return (
      <div className="space-y-3">
        <BackLink />
        <ReminderForm store={store} accountTimeZone={accountTimeZone} existing={reminder} onDone={() => { setEditing(false); reload(); }} />
      </div>
    );
  }

  return (
    <div className="space-y-4">
      <BackLink />
      <Card className="p-4 sm:p-6">
        <div className="flex flex-wrap items-start gap-3">
          <h1 className="mr-auto min-w-0 break-words text-xl font-semibold text-slate-900">{reminder.message}</h1>
          <span data-testid="reminder-status"><Badge status={reminder.status} /></span>
        </div>
        <dl className="mt-4 grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
          <Item term={reminder.recurrence ? 'Next occurrence' : 'When'}><time dateTime={reminder.remindAt}>{formatDateTime(reminder.remindAt, tz, true)}</time></Item>
          <Item term="Repeats">{reminder.recurrence ? <>{describeRule(reminder.recurrence)} <code className="ml-1 text-xs text-slate-600">{reminder.recurrence}</code></> : 'No'}</Item>
          <Item term="Time zone">{tz}</Item>
          <Item term="Channels">{reminder.channels.length ? reminder.channels.map((c) => `${c.kind.toLowerCase()} ${c.target}`).join(', ') : 'In-app only'}</Item>
          {reminder.graceSeconds != null && <Item term="Grace period">{reminder.graceSeconds} s</Item>}
          {reminder.event && <Item term="Event"><a className="text-indigo-700 underline" href="#/calendar">{reminder.event.title}</a></Item>}
        </dl>
        <div className="mt-5 flex flex-wrap gap-2" role="group" aria-label="Actions">
          <Button disabled={done} onClick={() => act(() => snooze({ input: { id, minutes: 10 } }), (d) => d?.snoozeReminder, 'Snoozed for 10 minutes')}>Snooze 10 min</Button>
          <Button disabled={done} onClick={() => act(() => snooze({ input: { id, minutes: 60 } }), (d) => d?.snoozeReminder, 'Snoozed for 1 hour')}>Snooze 1 h</Button>
          <Button disabled={done} onClick={() => setUntil(until ? null : toInputs(new Date(Date.now() + 86_400_000), tz))} aria-expanded={!!until}>Snooze until…</Button>
          <Button disabled={done} onClick={() => act(() => expire({ id }), (d) => d?.expireReminder, 'Expired now')}>Expire now</Button>
          <Button disabled={done} onClick={() => setEditing(true)}>Edit</Button>
          <Button variant="danger" disabled={done} onClick={() => { if (confirm('Cancel this reminder? It will never fire again.')) void act(() => cancel({ id }), (d) => d?.cancelReminder, 'Reminder cancelled'); }}>Cancel reminder</Button>
        </div>
        {until && (
          <form className="mt-3 flex flex-wrap items-end gap-2" onSubmit={(e) => {
            e.preventDefault();
            const at = fromInputs(until.date, until.time, tz);
            if (at) void act(() => snooze({ input: { id, until: at.toISOString() } }), (d) => d?.snoozeReminder, `Snoozed until ${formatDateTime(at, tz)}`).then(() => setUntil(null));
          }}>
            <div><label htmlFor="until-date" className="block text-xs font-medium text-slate-700">Date</label>
              <input id="until-date" type="date" className={inputClass} value={until.date} onChange={(e) => setUntil({ ...until, date: e.target.value })} /></div>
            <div><label htmlFor="until-time" className="block text-xs font-medium text-slate-700">Time ({tz})</label>
              <input id="until-time" type="time" className={inputClass} value={until.time} onChange={(e) => setUntil({ ...until, time: e.target.value })} /></div>
            <Button type="submit" variant="primary">Snooze</Button>
          </form>
        )}
        <div className="mt-3"><ErrorNote>{actionError}</ErrorNote></div>
      </Card>

      <Card className="p-4 sm:p-6">
        <h2 className="text-lg font-semibold">Timeline</h2>
        {reminder.occurrences.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">It has not fired yet. Its expiries and every delivery attempt will appear here live.</p>
        ) : (
          <ol className="mt-4 space-y-6" aria-label="Occurrences">
            {reminder.occurrences.map((o) => (
              <li key={o.cursor} data-occurrence className="relative border-l-2 border-slate-200 pl-5">
                <span className="absolute -left-[7px] top-1.5 h-3 w-3 rounded-full bg-indigo-600 ring-2 ring-white" aria-hidden="true" />
                <div className="flex flex-wrap items-center gap-2">
                  <p className="font-medium text-slate-900">Due <time dateTime={o.occurrenceAt}>{formatDateTime(o.occurrenceAt, tz, true)}</time></p>
                  <Badge status={o.status} />
                </div>
                <p className="text-xs text-slate-600">Fired {formatDateTime(o.firedAt, tz, true)} · {o.latenessMs} ms after its time</p>
                {o.deliveries.length === 0 && <p className="mt-1 text-sm text-slate-600">Delivered in-app to every connected client.</p>}
                {o.deliveries.map((d) => (
                  <div key={d.id} className="mt-3 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200" data-delivery>
                    <div className="flex flex-wrap items-center gap-2 text-sm">
                      <span className="font-medium">{d.channel === 'WEBHOOK' ? 'Webhook' : 'E-mail'}</span>
                      <span className="min-w-0 break-all text-slate-700">{d.target}</span>
                      <Badge status={d.status} />
                      {d.status === 'FAILED' && (
                        <Button className="ml-auto" onClick={() => act(() => redeliver({ deliveryId: d.id }), (x) => x?.redeliver, 'Sending again')}>Send again</Button>
                      )}
                    </div>
                    <ol className="mt-2 space-y-1.5 text-sm" aria-label="Attempts">
                      {d.attempts.map((a) => (
                        <li key={a.attempt} data-attempt className="flex flex-wrap items-baseline gap-x-3">
                          <span className="w-20 text-slate-600">Attempt {a.attempt}</span>
                          <time className="text-slate-800" dateTime={a.attemptedAt}>{formatDateTime(a.attemptedAt, tz, true)}</time>
                          <Badge status={a.outcome} />
                          <span className="text-xs text-slate-600">{a.durationMs} ms</span>
                          {a.error && <span className="w-full break-words pl-20 text-xs text-red-700">{a.error}</span>}
                        </li>
                      ))}
                    </ol>
                    {d.nextAttemptAt && <p className="mt-2 text-xs text-slate-700">Next attempt {formatDateTime(d.nextAttemptAt, tz, true)}</p>}
                  </div>
                ))}
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{term}</dt>
      <dd className="mt-0.5 break-words text-slate-900">{children}</dd>
    </div>
  );
}

function BackLink() {
  return <a href="#/reminders" onClick={(e) => { e.preventDefault(); navigate('/reminders'); }} className="text-sm font-medium text-indigo-700 hover:underline">← All reminders</a>;
}
