import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useClient, useMutation } from 'urql';
import type { ChannelKind } from '../../client/generated/graphql.ts';
import { formatDateTime, fromInputs, timeZones, toInputs } from '../lib/time.ts';
import { navigate } from '../lib/router.ts';
import { Button, Card, ErrorNote, Field, fieldError, inputClass, useToast } from '../ui.tsx';
import { CreateReminderMutation, RecurrencePreviewQuery, UpdateReminderMutation } from '../../client/operations/reminders.ts';
import { DAYS, repeatOf, ruleFor, type Repeat } from './recurrence.ts';
import type { ReminderRow, ReminderStore } from './store.ts';

type FieldErrors = { path: string[]; message: string }[];
type Channel = { kind: ChannelKind; target: string };

/** Create a reminder, or edit one (`existing`): message, when, repeat with a preview, channels, grace. */
export function ReminderForm({ store, accountTimeZone, existing, onDone }: {
  store: ReminderStore; accountTimeZone: string; existing?: ReminderRow; onDone?: () => void;
}) {
  const toast = useToast();
  const [timeZone, setTimeZone] = useState(existing?.timeZone ?? accountTimeZone);
  const initial = existing ? toInputs(new Date(existing.remindAt), existing.timeZone) : toInputs(new Date(Date.now() + 3_600_000), accountTimeZone);
  const [message, setMessage] = useState(existing?.message ?? '');
  const [mode, setMode] = useState<'in' | 'at'>(existing ? 'at' : 'in');
  const [inAmount, setInAmount] = useState('10');
  const [inUnit, setInUnit] = useState<'seconds' | 'minutes' | 'hours' | 'days'>('minutes');
  const [date, setDate] = useState(initial.date);
  const [time, setTime] = useState(initial.time);
  const start = repeatOf(existing?.recurrence);
  const [repeat, setRepeat] = useState<Repeat>(start.repeat);
  const [days, setDays] = useState<string[]>(start.days);
  const [custom, setCustom] = useState(start.custom);
  const [channels, setChannels] = useState<Channel[]>([]);
  const [grace, setGrace] = useState(existing?.graceSeconds != null ? String(existing.graceSeconds) : '');
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [, create] = useMutation(CreateReminderMutation);
  const [, update] = useMutation(UpdateReminderMutation);
  const [busy, setBusy] = useState(false);

  const remindAt = (): Date | null => {
    if (mode === 'at') return fromInputs(date, time, timeZone);
    const n = Number(inAmount);
    if (!Number.isFinite(n) || n <= 0) return null;
    const unit = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[inUnit];
    return new Date(Date.now() + n * unit);
  };
  const rule = ruleFor(repeat, days, custom);
  // "In 10 minutes" moves with the clock: preview from the next whole minute so the request stays put.
  // A series is then created from that same start, so the occurrences shown (the server's
  // recurrencePreview) are the ones that fire: every later one keeps the start's time of day.
  const relativeStart = mode === 'in' ? remindAt() : null;
  const previewStart = mode === 'at' ? fromInputs(date, time, timeZone) : relativeStart && new Date(Math.ceil(relativeStart.getTime() / 60_000) * 60_000);
  const preview = useRecurrencePreview(rule, previewStart, timeZone);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const at = rule ? previewStart : remindAt();
    if (!at) {
      setErrors([{ path: ['input', 'remindAt'], message: 'Choose a date and time' }]);
      return;
    }
    setBusy(true);
    const graceSeconds = grace.trim() === '' ? null : Number(grace);
    const common = { message, remindAt: at.toISOString(), timeZone, recurrence: rule ?? (existing ? '' : null), graceSeconds };
    const result = existing
      ? await update({ input: { id: existing.id, ...common } })
      : await create({ input: { ...common, channels: channels.filter((c) => c.target.trim()) } });
    setBusy(false);
    if (result.error) return setFormError(result.error.message);
    const payload = result.data && ('createReminder' in result.data ? result.data.createReminder : result.data.updateReminder);
    if (!payload) return;
    if (payload.__typename === 'ValidationError') {
      setErrors(payload.fieldErrors);
      setFormError(payload.fieldErrors.length ? null : payload.message);
      return;
    }
    if (payload.__typename === 'NotFoundError') return setFormError(payload.message);
    setErrors([]);
    if ('reminder' in payload) {
      store.upsert(payload.reminder);
      toast({ tone: 'info', title: existing ? 'Reminder updated' : 'Reminder scheduled', body: `${payload.reminder.message} · ${formatDateTime(payload.reminder.remindAt, timeZone, true)}` });
      if (onDone) onDone();
      else navigate(`/reminders/${encodeURIComponent(payload.reminder.id)}`);
    }
  }

  const zones = useMemo(() => timeZones(), []);
  const err = (...names: string[]) => fieldError(errors, ...names);

  return (
    <Card className="p-4 sm:p-6">
      <form onSubmit={submit} className="space-y-5" noValidate aria-label={existing ? 'Edit reminder' : 'New reminder'}>
        <h2 className="text-lg font-semibold">{existing ? 'Edit reminder' : 'New reminder'}</h2>
        <Field label="Message" error={err('message')}>
          {(p) => <textarea {...p} name="message" rows={2} required className={inputClass} value={message} onChange={(e) => setMessage(e.target.value)} placeholder="Stand-up in room 4" />}
        </Field>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">When</legend>
          <div className="flex flex-wrap gap-4 text-sm">
            <label className="inline-flex items-center gap-2"><input type="radio" name="when" checked={mode === 'in'} onChange={() => setMode('in')} /> In…</label>
            <label className="inline-flex items-center gap-2"><input type="radio" name="when" checked={mode === 'at'} onChange={() => setMode('at')} /> At a date and time</label>
          </div>
          {mode === 'in' ? (
            <div className="flex max-w-sm gap-2">
              <label className="sr-only" htmlFor="in-amount">Amount</label>
              <input id="in-amount" name="inAmount" type="number" min="1" className={inputClass} value={inAmount} onChange={(e) => setInAmount(e.target.value)} />
              <label className="sr-only" htmlFor="in-unit">Unit</label>
              <select id="in-unit" name="inUnit" className={inputClass} value={inUnit} onChange={(e) => setInUnit(e.target.value as typeof inUnit)}>
                <option value="seconds">seconds</option><option value="minutes">minutes</option><option value="hours">hours</option><option value="days">days</option>
              </select>
            </div>
          ) : (
            <div className="grid max-w-md grid-cols-2 gap-2">
              <Field label="Date">{(p) => <input {...p} name="date" type="date" className={inputClass} value={date} onChange={(e) => setDate(e.target.value)} />}</Field>
              <Field label="Time">{(p) => <input {...p} name="time" type="time" step="1" className={inputClass} value={time} onChange={(e) => setTime(e.target.value)} />}</Field>
            </div>
          )}
          {err('remindAt') && <p role="alert" data-field-error className="text-sm text-red-700">{err('remindAt')}</p>}
        </fieldset>

        <Field label="Time zone" hint="Dates above and the repeat rule are read in this zone." error={err('timeZone')} className="max-w-md">
          {(p) => (
            <select {...p} name="timeZone" className={inputClass} value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
              {!zones.includes(timeZone) && <option value={timeZone}>{timeZone}</option>}
              {zones.map((z) => <option key={z} value={z}>{z}</option>)}
            </select>
          )}
        </Field>

        <div className="space-y-2">
          <Field label="Repeat" className="max-w-md">
            {(p) => (
              <select {...p} name="repeat" className={inputClass} value={repeat} onChange={(e) => {
                const next = e.target.value as Repeat;
                if (next === 'weekly' && days.length === 0) setDays(['MO']);
                setRepeat(next);
              }}>
                <option value="none">Does not repeat</option><option value="daily">Daily</option><option value="weekdays">Every weekday (Mon–Fri)</option>
                <option value="weekly">Weekly on…</option><option value="monthly">Monthly</option><option value="custom">Custom RRULE…</option>
              </select>
            )}
          </Field>
          {repeat === 'weekly' && (
            <fieldset className="flex flex-wrap gap-2">
              <legend className="sr-only">Days of the week</legend>
              {DAYS.map((d) => (
                <label key={d} className="inline-flex items-center gap-1 rounded-md px-2 py-1 text-sm ring-1 ring-slate-300">
                  <input type="checkbox" checked={days.includes(d)} onChange={(e) => setDays(e.target.checked ? [...days, d] : days.filter((x) => x !== d))} /> {d}
                </label>
              ))}
            </fieldset>
          )}
          {repeat === 'custom' && (
            <Field label="RRULE" hint={<>RFC 5545 rule body, e.g. <code>FREQ=MONTHLY;BYDAY=-1FR</code></>} error={err('recurrence') ?? preview.error}>
              {(p) => <input {...p} name="recurrence" className={`${inputClass} font-mono`} value={custom} onChange={(e) => setCustom(e.target.value)} placeholder="FREQ=WEEKLY;BYDAY=MO,WE" />}
            </Field>
          )}
          {repeat !== 'custom' && err('recurrence') && <p role="alert" data-field-error className="text-sm text-red-700">{err('recurrence')}</p>}
          {rule && preview.occurrences.length > 0 && (
            <div className="rounded-md bg-slate-50 p-3 text-sm ring-1 ring-slate-200" data-testid="next-occurrences">
              <p className="font-medium text-slate-800">Next occurrences</p>
              <ol className="mt-1 list-decimal pl-5 text-slate-700">
                {preview.occurrences.map((o) => <li key={o}><time dateTime={o}>{formatDateTime(o, timeZone)}</time></li>)}
              </ol>
            </div>
          )}
        </div>

        {!existing && (
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-800">Channels <span className="font-normal text-slate-600">(in-app is always on)</span></legend>
            {channels.map((c, i) => (
              <div key={i} className="flex flex-wrap items-start gap-2">
                <label className="sr-only" htmlFor={`channel-kind-${i}`}>Channel {i + 1} kind</label>
                <select id={`channel-kind-${i}`} className={`${inputClass} w-32`} value={c.kind}
                  onChange={(e) => setChannels(channels.map((x, j) => (j === i ? { ...x, kind: e.target.value as ChannelKind } : x)))}>
                  <option value="WEBHOOK">Webhook</option><option value="EMAIL">E-mail</option>
                </select>
                <div className="min-w-48 flex-1">
                  <label className="sr-only" htmlFor={`channel-target-${i}`}>Channel {i + 1} {c.kind === 'WEBHOOK' ? 'URL' : 'address'}</label>
                  <input id={`channel-target-${i}`} name={`channel-${i}`} className={inputClass} value={c.target} aria-invalid={!!(err('channels', String(i), 'target') ?? err('channels', String(i), 'kind'))}
                    placeholder={c.kind === 'WEBHOOK' ? 'https://example.com/hooks/tickler' : 'ada@example.com'}
                    onChange={(e) => setChannels(channels.map((x, j) => (j === i ? { ...x, target: e.target.value } : x)))} />
                  {(err('channels', String(i), 'target') ?? err('channels', String(i), 'kind')) && (
                    <p role="alert" data-field-error className="mt-1 text-sm text-red-700">{err('channels', String(i), 'target') ?? err('channels', String(i), 'kind')}</p>
                  )}
                </div>
                <Button variant="ghost" aria-label={`Remove channel ${i + 1}`} onClick={() => setChannels(channels.filter((_, j) => j !== i))}>Remove</Button>
              </div>
            ))}
            <Button onClick={() => setChannels([...channels, { kind: 'WEBHOOK', target: '' }])}>Add channel</Button>
          </fieldset>
        )}

        <Field label="Grace period (seconds, optional)" hint="Fired later than this after its time (after downtime), it is MISSED instead." error={err('graceSeconds')} className="max-w-xs">
          {(p) => <input {...p} name="graceSeconds" type="number" min="0" className={inputClass} value={grace} onChange={(e) => setGrace(e.target.value)} />}
        </Field>

        <ErrorNote>{formError}</ErrorNote>
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={busy}>{existing ? 'Save changes' : 'Schedule reminder'}</Button>
          <Button onClick={() => (onDone ? onDone() : navigate('/reminders'))}>Cancel</Button>
        </div>
      </form>
    </Card>
  );
}

/** Asks the server for the next five occurrences of the rule being typed (debounced). */
function useRecurrencePreview(rule: string | null, start: Date | null, timeZone: string) {
  const client = useClient();
  const [state, setState] = useState<{ occurrences: string[]; error: string | null }>({ occurrences: [], error: null });
  const startIso = start && !Number.isNaN(start.getTime()) ? start.toISOString() : null;
  useEffect(() => {
    if (!rule) return setState({ occurrences: [], error: null });
    if (!startIso) return setState({ occurrences: [], error: null });
    const at = startIso;
    let live = true;
    const timer = setTimeout(async () => {
      const result = await client.query(RecurrencePreviewQuery, { remindAt: at, recurrence: rule, timeZone }, { requestPolicy: 'network-only' }).toPromise();
      const preview = result.data?.recurrencePreview;
      if (!live || !preview) return;
      if (preview.__typename === 'RecurrencePreview') setState({ occurrences: preview.occurrences, error: null });
      else setState({ occurrences: [], error: preview.fieldErrors[0]?.message ?? preview.message });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, rule, startIso, timeZone]);
  return state;
}
