import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useClient, useMutation, useQuery, useSubscription } from 'urql';
import type { CalendarsQuery as CalendarsResult, EventFieldsFragment } from '../../client/generated/graphql.ts';
import type { LiveLink } from '../lib/client.ts';
import { useLiveQuery, useLiveSubscriptions } from '../lib/live.ts';
import { addDays, formatDateTime, fromWallTime, isoDate } from '../lib/time.ts';
import { dayHeading, dayOf, daysLabel, mondayOf, monthsHeading, parseDay, type Day } from './dates.ts';
import { Button, Card, ErrorNote, inputClass, useNow, useToast } from '../ui.tsx';
import { CalendarsQuery, CancelEventMutation, EventChangedSubscription, EventPlacementFailedSubscription, EventsQuery, FreeSlotsQuery } from '../../client/operations/calendar.ts';
import { WeekGrid } from './WeekGrid.tsx';
import { EventForm } from './EventForm.tsx';
import { CalendarSettings } from './CalendarSettings.tsx';
import { Attachments } from './Attachments.tsx';

/** Below Tailwind's `sm` breakpoint a week of seven columns cuts every title: one day is shown instead. */
const NARROW = '(max-width: 639px)';

function onWidthChange(onChange: () => void): () => void {
  const query = window.matchMedia(NARROW);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

function useNarrow(): boolean {
  return useSyncExternalStore(onWidthChange, () => window.matchMedia(NARROW).matches);
}

/** A calendar's week (one day on a phone): switch calendars and days, create events, show free slots, edit settings. */
export default function CalendarPage({ link }: { me: { timeZone: string }; link: LiveLink }) {
  const [{ data, error }, refetchCalendars] = useQuery({ query: CalendarsQuery });
  const [calendarId, setCalendarId] = useState<string | null>(null);
  const calendars = data?.me.calendars ?? [];
  const calendar = calendars.find((c) => c.id === (calendarId ?? data?.me.defaultCalendar.id)) ?? calendars[0];
  if (!calendar) return error ? <ErrorNote>{error.message}</ErrorNote> : <p className="text-slate-600">Loading…</p>;
  return <CalendarWeek key={calendar.id} calendar={calendar} calendars={calendars} onSwitch={setCalendarId} link={link} onSettingsSaved={() => refetchCalendars({ requestPolicy: 'network-only' })} />;
}

type CalendarRow = CalendarsResult['me']['calendars'][number];

function CalendarWeek({ calendar, calendars, onSwitch, link, onSettingsSaved }: {
  calendar: CalendarRow; calendars: CalendarRow[]; onSwitch: (id: string) => void; link: LiveLink; onSettingsSaved: () => void;
}) {
  const tz = calendar.timeZone;
  const now = useNow(60_000);
  const narrow = useNarrow();
  // The day in view: its week on a wide screen, the day itself on a narrow one, so that turning a
  // phone or resizing keeps the same place.
  const [anchor, setAnchor] = useState<Day>(() => dayOf(new Date(), tz));
  const count = narrow ? 1 : 7;
  const first = narrow ? anchor : mondayOf(anchor);
  const from = fromWallTime({ ...first, hour: 0, minute: 0, second: 0 }, tz).toISOString();
  const to = fromWallTime({ ...addDays(first, count), hour: 0, minute: 0, second: 0 }, tz).toISOString();
  const variables = useMemo(() => ({ calendarId: calendar.id, from, to, first: 2000 }), [calendar.id, from, to]);
  // Subscribe first, then load (lib/live.ts): an event changed while the week loads is shown too.
  const changes = useLiveSubscriptions(link, useMemo(() => [{ query: EventChangedSubscription, variables: { calendarId: calendar.id } }], [calendar.id]));
  const { data, error, fetching, reload } = useLiveQuery(changes, EventsQuery, variables);
  const [panel, setPanel] = useState<'none' | 'event' | 'settings'>('none');
  const [slotMinutes, setSlotMinutes] = useState('30');
  const [slots, setSlots] = useState<{ startsAt: string; endsAt: string }[]>([]);
  const [slotError, setSlotError] = useState<string | null>(null);
  const [selected, setSelected] = useState<EventFieldsFragment | null>(null);
  const client = useClient();
  const toast = useToast();

  useSubscription({ query: EventPlacementFailedSubscription }, (_prev, failure) => {
    const f = failure.eventPlacementFailed;
    toast({ tone: 'error', title: `No slot for “${f.title}”`, body: `${f.calendar.name}: ${f.message}` });
    return failure;
  });
  useEffect(() => setSlots([]), [from]);

  async function showFreeSlots() {
    setSlotError(null);
    const result = await client.query(FreeSlotsQuery, { calendarId: calendar.id, durationMinutes: Number(slotMinutes), from, to }, { requestPolicy: 'network-only' }).toPromise();
    if (result.error) return setSlotError(result.error.graphQLErrors[0]?.message ?? result.error.message);
    setSlots(result.data?.freeSlots ?? []);
  }

  const events = data?.events.edges.map((e) => e.node) ?? [];
  const title = narrow ? dayHeading(anchor) : monthsHeading(first, addDays(first, 6));
  const step = narrow ? 1 : 7;
  const unit = narrow ? 'day' : 'week';
  const readOnly = !!calendar.feed;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <h1 className="mr-auto text-xl font-semibold text-slate-900">{title}</h1>
        <div>
          <label htmlFor="calendar-picker" className="block text-xs font-medium text-slate-700">Calendar</label>
          <select id="calendar-picker" className={inputClass} value={calendar.id} onChange={(e) => onSwitch(e.target.value)}>
            {calendars.map((c) => <option key={c.id} value={c.id}>{c.name}{c.feed ? ' (feed)' : ''}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="calendar-go-to" className="block text-xs font-medium text-slate-700">Go to date</label>
          <input id="calendar-go-to" type="date" className={`${inputClass} w-40`} value={isoDate(anchor)} onChange={(e) => {
            const day = parseDay(e.target.value);
            if (day) setAnchor(day);
          }} />
        </div>
        <div className="flex gap-1" role="group" aria-label={narrow ? 'Day' : 'Week'}>
          <Button aria-label={`Previous ${unit}`} onClick={() => setAnchor(addDays(anchor, -step))}>←</Button>
          <Button onClick={() => setAnchor(dayOf(new Date(), tz))}>{narrow ? 'Today' : 'This week'}</Button>
          <Button aria-label={`Next ${unit}`} onClick={() => setAnchor(addDays(anchor, step))}>→</Button>
        </div>
        {!readOnly && <Button variant="primary" onClick={() => setPanel(panel === 'event' ? 'none' : 'event')} aria-expanded={panel === 'event'}>New event</Button>}
        {!readOnly && <Button onClick={() => setPanel(panel === 'settings' ? 'none' : 'settings')} aria-expanded={panel === 'settings'}>Settings</Button>}
      </div>
      {calendar.feed && (
        <p className="rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900 ring-1 ring-sky-200">
          Read-only mirror of <span className="break-all">{calendar.feed.url}</span>
          {calendar.feed.lastSyncedAt ? ` · synced ${formatDateTime(calendar.feed.lastSyncedAt, tz)}` : ''}
          {calendar.feed.lastError ? ` · last error: ${calendar.feed.lastError}` : ''}
        </p>
      )}
      {panel === 'event' && (
        <EventForm calendar={calendar} calendars={calendars} onClose={() => setPanel('none')} onPlaced={(event) => {
          setPanel('none');
          setAnchor(dayOf(event.startsAt, tz));
          reload();
        }} />
      )}
      {panel === 'settings' && <CalendarSettings calendar={calendar} onSaved={() => { setPanel('none'); onSettingsSaved(); }} onClose={() => setPanel('none')} />}
      <Card>
        <div className="flex flex-wrap items-end gap-2 border-b border-slate-200 px-3 py-2 text-sm">
          <span className="mr-auto text-slate-700">Times in {tz}{fetching ? ' · loading…' : ''} · {narrow ? isoDate(anchor) : `week of ${isoDate(first)}`}</span>
          <div>
            <label htmlFor="slot-minutes" className="block text-xs font-medium text-slate-700">Free slots for (min)</label>
            <input id="slot-minutes" type="number" min="1" max="1440" className={`${inputClass} w-24`} value={slotMinutes} onChange={(e) => setSlotMinutes(e.target.value)} />
          </div>
          <Button onClick={() => void showFreeSlots()}>Show free slots</Button>
          {slots.length > 0 && <Button variant="ghost" onClick={() => setSlots([])}>Hide ({slots.length})</Button>}
        </div>
        <ErrorNote>{error?.message ?? slotError}</ErrorNote>
        {selected && <EventDetails event={selected} timeZone={tz} onClose={() => setSelected(null)} onCancelled={() => { setSelected(null); reload(); }} />}
        <WeekGrid first={first} count={count} timeZone={tz} workingHours={calendar.workingHours} events={events} freeSlots={slots} now={now} onSelect={setSelected} />
      </Card>
      <p className="text-xs text-slate-600">White: working hours · shaded: outside them · amber, above the hours: all day · indigo: auto-placed · light blue: exact · struck through: cancelled · red line: now</p>
    </div>
  );
}

/** The event clicked on the grid: its details, and cancelling it (it stays, struck through). */
function EventDetails({ event, timeZone, onClose, onCancelled }: { event: EventFieldsFragment; timeZone: string; onClose: () => void; onCancelled: () => void }) {
  const [, cancel] = useMutation(CancelEventMutation);
  const [error, setError] = useState<string | null>(null);
  return (
    <div role="dialog" aria-label={`Event ${event.title}`} className="flex flex-wrap items-start gap-3 border-b border-slate-200 bg-indigo-50/50 px-4 py-3 text-sm">
      <div className="mr-auto min-w-0">
        <p className={`font-semibold text-slate-900 ${event.status === 'CANCELLED' ? 'line-through' : ''}`}>{event.title}</p>
        <p className="text-slate-700">
          {event.allDay ? `${daysLabel(event, event.calendar.timeZone)} · all day` : `${formatDateTime(event.startsAt, timeZone)} · ${event.durationMinutes} min · ${event.placement === 'AUTO' ? 'auto-placed' : 'exact'}`}
          {` · ${event.status.toLowerCase().replace('_', ' ')}`}
        </p>
        {(event.location || event.attendees.length > 0) && <p className="text-slate-700">{[event.location, event.attendees.join(', ')].filter(Boolean).join(' · ')}</p>}
        <ErrorNote>{error}</ErrorNote>
        <Attachments eventId={event.id} />
      </div>
      {event.status !== 'CANCELLED' && (
        <Button variant="danger" onClick={async () => {
          const result = await cancel({ id: event.id });
          if (result.data?.cancelEvent.__typename === 'CancelEventPayload') onCancelled();
          else setError(result.error?.message ?? 'Could not cancel');
        }}>Cancel event</Button>
      )}
      <Button variant="ghost" onClick={onClose}>Close</Button>
    </div>
  );
}
