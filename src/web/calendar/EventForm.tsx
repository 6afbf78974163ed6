import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import type { CreateEventInput, EventFieldsFragment } from '../../client/generated/graphql.ts';
import { formatDateTime, formatTime, fromInputs } from '../lib/time.ts';
import { Button, Card, ErrorNote, Field, fieldError, inputClass, useToast } from '../ui.tsx';
import { CreateEventMutation } from '../../client/operations/calendar.ts';
import { daysLabel } from './dates.ts';

type Slot = { startsAt: string; endsAt: string };
type Clash = { message: string; conflicts: EventFieldsFragment[]; suggestions: Slot[] };

/**
 * Create an event: auto-placed at the earliest open slot (optionally on a date or within a window)
 * or at an exact time. When the time is taken, the conflicts are listed and each suggestion books in one click.
 */
export function EventForm({ calendar, calendars, onPlaced, onClose }: {
  calendar: { id: string; name: string; timeZone: string };
  calendars: { id: string; name: string; feed?: unknown }[];
  onPlaced: (event: EventFieldsFragment) => void;
  onClose: () => void;
}) {
  const tz = calendar.timeZone;
  const toast = useToast();
  const [title, setTitle] = useState('');
  const [duration, setDuration] = useState('30');
  const [mode, setMode] = useState<'auto' | 'exact'>('auto');
  const [allDay, setAllDay] = useState(false);
  const [date, setDate] = useState('');
  const [lastDate, setLastDate] = useState('');
  const [time, setTime] = useState('');
  const [notBefore, setNotBefore] = useState('');
  const [notAfter, setNotAfter] = useState('');
  const [location, setLocation] = useState('');
  const [attendees, setAttendees] = useState('');
  const [attendeeCalendarIds, setAttendeeCalendarIds] = useState<string[]>([]);
  const [reminderMinutes, setReminderMinutes] = useState('');
  const [errors, setErrors] = useState<{ path: string[]; message: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [clash, setClash] = useState<Clash | null>(null);
  const [, createEvent] = useMutation(CreateEventMutation);
  const [busy, setBusy] = useState(false);

  const split = (local: string) => local.split('T') as [string, string];
  const input = (override?: Partial<CreateEventInput>): CreateEventInput => {
    const base: CreateEventInput = {
      calendarId: calendar.id,
      title,
      durationMinutes: Number(duration),
      location: location.trim() || null,
      attendees: attendees.split(',').map((a) => a.trim()).filter(Boolean),
      attendeeCalendarIds: attendeeCalendarIds.length ? attendeeCalendarIds : null,
      reminders: reminderMinutes.trim() ? [{ minutesBefore: Number(reminderMinutes) }] : null,
    };
    if (allDay) {
      // The schema requires a duration; an all-day event's days give its length (README, Calendar).
      Object.assign(base, { allDay: true, durationMinutes: 1440, date: date || null, lastDate: lastDate || null });
    } else if (mode === 'exact') base.startsAt = fromInputs(date, time, tz)?.toISOString() ?? null;
    else {
      if (date) base.date = date;
      if (notBefore) base.notBefore = fromInputs(...split(notBefore), tz)?.toISOString() ?? null;
      if (notAfter) base.notAfter = fromInputs(...split(notAfter), tz)?.toISOString() ?? null;
    }
    return { ...base, ...override };
  };

  async function send(payloadInput: CreateEventInput) {
    setBusy(true);
    setError(null);
    const result = await createEvent({ input: payloadInput });
    setBusy(false);
    const payload = result.data?.createEvent;
    if (!payload) return setError(result.error?.message ?? 'Could not create the event');
    setErrors([]);
    switch (payload.__typename) {
      case 'ValidationError':
        setErrors(payload.fieldErrors);
        if (!payload.fieldErrors.length) setError(payload.message);
        return;
      case 'NotFoundError':
        return setError(payload.message);
      case 'SlotUnavailableError':
        return setClash({ message: payload.message, conflicts: payload.conflicts, suggestions: payload.suggestions });
      case 'CreateEventPayload': {
        setClash(null);
        const moved = payload.displaced.map((d) => `${d.title} (now ${formatDateTime(d.startsAt, tz)})`).join(', ');
        const when = payload.event.allDay ? `${daysLabel(payload.event, tz)} · all day` : formatDateTime(payload.event.startsAt, tz);
        toast({ tone: 'success', title: `“${payload.event.title}” placed`, body: `${when}${moved ? ` · moved aside: ${moved}` : ''}` });
        onPlaced(payload.event);
      }
    }
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (allDay && !date) return setErrors([{ path: ['input', 'date'], message: 'Choose the first day' }]);
    if (!allDay && mode === 'exact' && !fromInputs(date, time, tz)) return setErrors([{ path: ['input', 'startsAt'], message: 'Choose a date and a time' }]);
    void send(input());
  };
  const err = (...names: string[]) => fieldError(errors, ...names);
  const others = calendars.filter((c) => c.id !== calendar.id && !c.feed);

  return (
    <Card className="p-4 sm:p-5">
      <form onSubmit={submit} className="space-y-4" aria-label="New event" noValidate>
        <div className="flex items-center justify-between gap-2">
          <h2 className="text-lg font-semibold">New event in {calendar.name}</h2>
          <Button variant="ghost" onClick={onClose}>Close</Button>
        </div>
        <div className={allDay ? 'grid gap-4' : 'grid gap-4 sm:grid-cols-[1fr_10rem]'}>
          <Field label="Title" error={err('title')}>{(p) => <input {...p} name="title" className={inputClass} value={title} onChange={(e) => setTitle(e.target.value)} />}</Field>
          {!allDay && <Field label="Duration (minutes)" error={err('durationMinutes')}>{(p) => <input {...p} name="duration" type="number" min="1" max="1440" className={inputClass} value={duration} onChange={(e) => setDuration(e.target.value)} />}</Field>}
        </div>
        <label className="inline-flex items-center gap-2 text-sm font-medium text-slate-800">
          <input type="checkbox" name="all-day" checked={allDay} onChange={(e) => setAllDay(e.target.checked)} /> All day
        </label>
        {allDay ? (
          <div className="grid max-w-md grid-cols-2 gap-3">
            <Field label="First day" error={err('date')}>{(p) => <input {...p} name="date" type="date" className={inputClass} value={date} onChange={(e) => setDate(e.target.value)} />}</Field>
            <Field label="Last day (optional)" error={err('lastDate')}>{(p) => <input {...p} name="last-date" type="date" min={date || undefined} className={inputClass} value={lastDate} onChange={(e) => setLastDate(e.target.value)} />}</Field>
          </div>
        ) : (
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-800">Placement</legend>
            <div className="flex flex-wrap gap-4 text-sm">
              <label className="inline-flex items-center gap-2"><input type="radio" name="placement" checked={mode === 'auto'} onChange={() => setMode('auto')} /> Find the earliest slot</label>
              <label className="inline-flex items-center gap-2"><input type="radio" name="placement" checked={mode === 'exact'} onChange={() => setMode('exact')} /> At an exact time</label>
            </div>
            {mode === 'auto' ? (
              <div className="grid gap-3 sm:grid-cols-3">
                <Field label="On date (optional)" error={err('date')}>{(p) => <input {...p} type="date" className={inputClass} value={date} onChange={(e) => setDate(e.target.value)} />}</Field>
                <Field label="Not before (optional)" error={err('notBefore')}>{(p) => <input {...p} type="datetime-local" className={inputClass} value={notBefore} onChange={(e) => setNotBefore(e.target.value)} />}</Field>
                <Field label="Not after (optional)" error={err('notAfter')}>{(p) => <input {...p} type="datetime-local" className={inputClass} value={notAfter} onChange={(e) => setNotAfter(e.target.value)} />}</Field>
              </div>
            ) : (
              <div className="grid max-w-md grid-cols-2 gap-3">
                <Field label="Date" error={err('startsAt') ?? err('date')}>{(p) => <input {...p} name="date" type="date" className={inputClass} value={date} onChange={(e) => setDate(e.target.value)} />}</Field>
                <Field label={`Start (${tz})`} error={err('startTime')}>{(p) => <input {...p} name="time" type="time" className={inputClass} value={time} onChange={(e) => setTime(e.target.value)} />}</Field>
              </div>
            )}
          </fieldset>
        )}
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label="Location" error={err('location')}>{(p) => <input {...p} className={inputClass} value={location} onChange={(e) => setLocation(e.target.value)} />}</Field>
          <Field label="Attendees" hint="Comma-separated" error={err('attendees')}>{(p) => <input {...p} className={inputClass} value={attendees} onChange={(e) => setAttendees(e.target.value)} />}</Field>
          <Field label="Remind minutes before" hint="Optional, in-app" error={err('reminders')}>{(p) => <input {...p} type="number" min="0" className={inputClass} value={reminderMinutes} onChange={(e) => setReminderMinutes(e.target.value)} />}</Field>
        </div>
        {others.length > 0 && (
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium text-slate-800">Also keep free (attendee calendars)</legend>
            <div className="flex flex-wrap gap-2">
              {others.map((c) => (
                <label key={c.id} className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-sm ring-1 ring-slate-300">
                  <input type="checkbox" checked={attendeeCalendarIds.includes(c.id)}
                    onChange={(e) => setAttendeeCalendarIds(e.target.checked ? [...attendeeCalendarIds, c.id] : attendeeCalendarIds.filter((x) => x !== c.id))} /> {c.name}
                </label>
              ))}
            </div>
          </fieldset>
        )}
        <ErrorNote>{error}</ErrorNote>
        {clash && (
          <div role="alert" className="space-y-3 rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-300" data-testid="clash">
            <p className="font-medium text-amber-950">{clash.message}</p>
            {clash.conflicts.length > 0 && (
              <div>
                <p className="text-amber-950">In the way:</p>
                <ul className="list-disc pl-5 text-amber-950">
                  {clash.conflicts.map((c) => <li key={c.id} data-conflict>{c.title} · {formatDateTime(c.startsAt, tz)}–{formatTime(c.endsAt, tz)}</li>)}
                </ul>
              </div>
            )}
            {clash.suggestions.length > 0 && (
              <div>
                <p className="text-amber-950">Free instead:</p>
                <div className="mt-1 flex flex-wrap gap-2">
                  {clash.suggestions.map((s) => (
                    <Button key={s.startsAt} data-suggestion disabled={busy} onClick={() => void send(input({ startsAt: s.startsAt, date: null, startTime: null, notBefore: null, notAfter: null }))}>
                      Book {formatDateTime(s.startsAt, tz)}
                    </Button>
                  ))}
                </div>
              </div>
            )}
          </div>
        )}
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={busy}>{mode === 'auto' && !allDay ? 'Find a slot and create' : 'Create event'}</Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Card>
  );
}
