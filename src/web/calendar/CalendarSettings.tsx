import { useMemo, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import type { Weekday } from '../../client/generated/graphql.ts';
import { timeZones, WEEKDAYS } from '../lib/time.ts';
import { Button, Card, ErrorNote, Field, fieldError, inputClass, useToast } from '../ui.tsx';
import { UpdateCalendarMutation } from '../../client/operations/calendar.ts';

type Calendar = {
  id: string; name: string; timeZone: string; bufferMinutes: number; slotIntervalMinutes: number; horizonDays: number;
  workingHours: { weekday: Weekday; start: string; end: string }[];
};

/** Working hours as one range per weekday (the API allows several; the first is edited, the rest kept). */
export function CalendarSettings({ calendar, onSaved, onClose }: { calendar: Calendar; onSaved: () => void; onClose: () => void }) {
  const toast = useToast();
  const [name, setName] = useState(calendar.name);
  const [timeZone, setTimeZone] = useState(calendar.timeZone);
  const [buffer, setBuffer] = useState(String(calendar.bufferMinutes));
  const [grid, setGrid] = useState(String(calendar.slotIntervalMinutes));
  const [horizon, setHorizon] = useState(String(calendar.horizonDays));
  const [hours, setHours] = useState(() => Object.fromEntries(WEEKDAYS.map((d) => {
    const r = calendar.workingHours.find((w) => w.weekday === d);
    return [d, { on: !!r, start: r?.start.slice(0, 5) ?? '09:00', end: r?.end.slice(0, 5) ?? '17:00' }];
  })) as Record<Weekday, { on: boolean; start: string; end: string }>);
  const [errors, setErrors] = useState<{ path: string[]; message: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [, update] = useMutation(UpdateCalendarMutation);
  const zones = useMemo(() => timeZones(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const workingHours = WEEKDAYS.filter((d) => hours[d].on).map((d) => ({ weekday: d as Weekday, start: hours[d].start, end: hours[d].end }));
    const result = await update({ input: { id: calendar.id, name, timeZone, bufferMinutes: Number(buffer), slotIntervalMinutes: Number(grid), horizonDays: Number(horizon), workingHours } });
    const payload = result.data?.updateCalendar;
    if (!payload) return setError(result.error?.message ?? 'Could not save');
    if (payload.__typename === 'ValidationError') return setErrors(payload.fieldErrors);
    if (payload.__typename === 'NotFoundError') return setError(payload.message);
    toast({ tone: 'info', title: 'Calendar settings saved' });
    onSaved();
  }
  const err = (...n: string[]) => fieldError(errors, ...n);
  return (
    <Card className="p-4 sm:p-5">
      <form onSubmit={submit} className="space-y-4" aria-label="Calendar settings">
        <h2 className="text-lg font-semibold">Settings of {calendar.name}</h2>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Name" error={err('name')}>{(p) => <input {...p} className={inputClass} value={name} onChange={(e) => setName(e.target.value)} />}</Field>
          <Field label="Time zone" error={err('timeZone')}>{(p) => (
            <select {...p} className={inputClass} value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
              {!zones.includes(timeZone) && <option>{timeZone}</option>}
              {zones.map((z) => <option key={z}>{z}</option>)}
            </select>
          )}</Field>
          <Field label="Buffer between auto-placed events (min)" error={err('bufferMinutes')}>{(p) => <input {...p} type="number" min="0" className={inputClass} value={buffer} onChange={(e) => setBuffer(e.target.value)} />}</Field>
          <Field label="Slot grid (min)" hint="Divides a day: 5, 10, 15, 30, 60…" error={err('slotIntervalMinutes')}>{(p) => <input {...p} type="number" min="1" className={inputClass} value={grid} onChange={(e) => setGrid(e.target.value)} />}</Field>
          <Field label="Horizon (days)" error={err('horizonDays')}>{(p) => <input {...p} type="number" min="1" className={inputClass} value={horizon} onChange={(e) => setHorizon(e.target.value)} />}</Field>
        </div>
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">Working hours <span className="font-normal text-slate-600">(none ticked = around the clock)</span></legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {WEEKDAYS.map((d) => (
              <div key={d} className="flex items-center gap-2 text-sm">
                <label className="inline-flex w-32 items-center gap-2"><input type="checkbox" checked={hours[d].on} onChange={(e) => setHours({ ...hours, [d]: { ...hours[d], on: e.target.checked } })} /> {d.charAt(0) + d.slice(1).toLowerCase()}</label>
                <label className="sr-only" htmlFor={`start-${d}`}>{d} start</label>
                <input id={`start-${d}`} type="time" disabled={!hours[d].on} className={`${inputClass} w-28`} value={hours[d].start} onChange={(e) => setHours({ ...hours, [d]: { ...hours[d], start: e.target.value } })} />
                <span aria-hidden="true">–</span>
                <label className="sr-only" htmlFor={`end-${d}`}>{d} end</label>
                <input id={`end-${d}`} type="time" disabled={!hours[d].on} className={`${inputClass} w-28`} value={hours[d].end} onChange={(e) => setHours({ ...hours, [d]: { ...hours[d], end: e.target.value } })} />
              </div>
            ))}
          </div>
          {err('workingHours') && <p role="alert" className="mt-1 text-sm text-red-700">{err('workingHours')}</p>}
        </fieldset>
        <ErrorNote>{error}</ErrorNote>
        <div className="flex gap-2"><Button type="submit" variant="primary">Save settings</Button><Button onClick={onClose}>Cancel</Button></div>
      </form>
    </Card>
  );
}
