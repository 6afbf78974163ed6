import { useEffect, useRef } from 'react';
import type { EventFieldsFragment } from '../../client/generated/graphql.ts';
import { addDays, formatTime, wallTime, WEEKDAYS } from '../lib/time.ts';
import { cx } from '../ui.tsx';
import { allDayColumns, type Day } from './dates.ts';

const HOUR = 44; // px per hour
type Range = { weekday: string; start: string; end: string };

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Where an instant falls on the grid: which day column (0-based, or outside) and minutes since local midnight. */
function place(iso: string, first: Day, timeZone: string): { day: number; minutes: number } {
  const w = wallTime(new Date(iso), timeZone);
  const day = Math.round((Date.UTC(w.year, w.month - 1, w.day) - Date.UTC(first.year, first.month - 1, first.day)) / 86_400_000);
  return { day, minutes: w.hour * 60 + w.minute };
}

/** Splits an event into one block per day it covers among the days shown, as [day, startMinute, endMinute]. */
function segments(e: { startsAt: string; endsAt: string }, first: Day, count: number, timeZone: string): [number, number, number][] {
  const a = place(e.startsAt, first, timeZone);
  const b = place(e.endsAt, first, timeZone);
  const out: [number, number, number][] = [];
  for (let d = Math.max(0, a.day); d <= Math.min(count - 1, b.day); d++) {
    const from = d === a.day ? a.minutes : 0;
    const to = d === b.day ? b.minutes : 1440;
    if (to > from) out.push([d, from, to]);
  }
  return out;
}

/** Overlapping or touching free slots drawn as one free stretch (a 60-min slot every 30 min overlaps the next). */
function merge(slots: { startsAt: string; endsAt: string }[]) {
  const sorted = [...slots].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const out: { startsAt: string; endsAt: string }[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && Date.parse(s.startsAt) <= Date.parse(last.endsAt)) {
      if (Date.parse(s.endsAt) > Date.parse(last.endsAt)) last.endsAt = s.endsAt;
    } else out.push({ ...s });
  }
  return out;
}

/**
 * Days of a calendar as a time grid in the calendar's own zone (a week, or one day on a phone):
 * all-day events in a row above the hours, working hours white, the rest shaded, timed events as
 * blocks (CANCELLED ones struck through), free slots outlined in green when asked for.
 */
export function WeekGrid({ first, count, timeZone, workingHours, events, freeSlots, now, onSelect }: {
  first: Day; count: number; timeZone: string; workingHours: Range[]; events: EventFieldsFragment[]; freeSlots: { startsAt: string; endsAt: string }[]; now: number;
  onSelect: (event: EventFieldsFragment) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = HOUR * 7.5;
  }, []);
  const days = Array.from({ length: count }, (_, i) => addDays(first, i));
  const dayLabel = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  const nowAt = place(new Date(now).toISOString(), first, timeZone);
  const free = merge(freeSlots);
  const columns = { gridTemplateColumns: `3.5rem repeat(${count}, minmax(0, 1fr))` };
  const dayColumns = { gridTemplateColumns: `repeat(${count}, minmax(0, 1fr))` };
  // All-day events are days, not 24-hour blocks: a row of their own (README, Calendar), in their calendar's zone.
  const allDay = events.flatMap((e) => {
    if (!e.allDay) return [];
    const span = allDayColumns(e, e.calendar.timeZone, first, count);
    return span ? [{ event: e, span }] : [];
  });
  const timed = events.filter((e) => !e.allDay);
  return (
    <div className="overflow-x-auto">
      <div className={count > 1 ? 'min-w-[720px]' : undefined}>
        <div className="grid border-b border-slate-200 text-center text-xs font-medium text-slate-700" style={columns}>
          <span />
          {days.map((d, i) => (
            <span key={i} className={cx('py-2', nowAt.day === i && 'font-bold text-indigo-700')}>{dayLabel.format(new Date(Date.UTC(d.year, d.month - 1, d.day)))}</span>
          ))}
        </div>
        {allDay.length > 0 && (
          <div className="grid grid-flow-row-dense border-b border-slate-200 py-1" style={columns} data-testid="all-day-row" role="group" aria-label="All-day events">
            <span className="self-center pr-2 text-right text-[11px] text-slate-600" style={{ gridColumn: 1, gridRow: 1 }}>All day</span>
            {allDay.map(({ event: e, span: [from, to] }) => {
              const cancelled = e.status === 'CANCELLED';
              return (
                <button type="button" key={e.id} data-event-title={e.title} data-event-status={e.status} data-all-day onClick={() => onSelect(e)}
                  className={cx('mx-1 my-0.5 truncate rounded-md px-1.5 py-0.5 text-left text-xs font-semibold shadow-sm ring-1',
                    cancelled ? 'bg-slate-50 text-slate-600 line-through ring-slate-300' : 'bg-amber-100 text-amber-950 ring-amber-300')}
                  style={{ gridColumn: `${from + 2} / ${to + 3}` }}
                  title={`${e.title} · all day${e.location ? ` · ${e.location}` : ''}${cancelled ? ' (cancelled)' : ''}`}>
                  {e.title}
                </button>
              );
            })}
          </div>
        )}
        <div ref={scroller} className="relative h-[34rem] overflow-y-auto" data-testid="week-grid" tabIndex={0} role="region" aria-label={count > 1 ? 'Week grid' : 'Day grid'}>
          <div className="relative grid" style={{ ...columns, height: HOUR * 24 }}>
            <div className="relative">
              {Array.from({ length: 24 }, (_, h) => (
                <span key={h} className="absolute right-2 -translate-y-1/2 text-[11px] text-slate-600" style={{ top: h * HOUR }}>{h === 0 ? '' : `${String(h).padStart(2, '0')}:00`}</span>
              ))}
            </div>
            {days.map((d, i) => {
              const weekday = WEEKDAYS[(new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7];
              const hours = workingHours.filter((r) => r.weekday === weekday);
              const open = workingHours.length === 0 ? [[0, 1440]] : hours.map((r) => [minutesOf(r.start), minutesOf(r.end)]);
              return (
                <div key={i} className="relative border-l border-slate-200 bg-slate-100" data-day={i}>
                  {open.map(([from, to], j) => (
                    <div key={j} className="absolute inset-x-0 bg-white" style={{ top: (from! / 60) * HOUR, height: ((to! - from!) / 60) * HOUR }} />
                  ))}
                  {Array.from({ length: 24 }, (_, h) => <div key={h} className="absolute inset-x-0 border-t border-slate-200/70" style={{ top: h * HOUR }} />)}
                </div>
              );
            })}
            {/* Overlays: positioned against the whole grid, column by column. */}
            <div className="pointer-events-none absolute inset-0 left-14 grid" style={dayColumns}>
              {days.map((_, i) => (
                <div key={i} className="relative">
                  {nowAt.day === i && <div className="absolute inset-x-0 z-20 border-t-2 border-red-500" style={{ top: (nowAt.minutes / 60) * HOUR }} aria-hidden="true" />}
                  {free.flatMap((s) => segments(s, first, count, timeZone).filter(([d]) => d === i).map(([, from, to]) => (
                    <div key={`${s.startsAt}-${from}`} data-free-slot className="absolute inset-x-1 rounded border-2 border-dashed border-emerald-500 bg-emerald-50/60"
                      style={{ top: (from / 60) * HOUR, height: Math.max(8, ((to - from) / 60) * HOUR) }} title={`Free ${formatTime(s.startsAt, timeZone)}–${formatTime(s.endsAt, timeZone)}`} />
                  )))}
                </div>
              ))}
            </div>
            <div className="absolute inset-0 left-14 grid" style={dayColumns}>
              {days.map((_, i) => (
                <div key={i} className="relative">
                  {timed.flatMap((e) => segments(e, first, count, timeZone).filter(([d]) => d === i).map(([, from, to]) => {
                    const cancelled = e.status === 'CANCELLED';
                    return (
                      <button type="button" key={`${e.id}-${from}`} data-event-title={e.title} data-event-status={e.status} onClick={() => onSelect(e)}
                        className={cx('absolute inset-x-1 z-10 overflow-hidden rounded-md px-1.5 py-0.5 text-left text-xs shadow-sm ring-1',
                          cancelled ? 'bg-slate-50 text-slate-600 line-through ring-slate-300' : e.placement === 'AUTO' ? 'bg-indigo-600 text-white ring-indigo-700' : 'bg-sky-100 text-sky-950 ring-sky-300')}
                        style={{ top: (from / 60) * HOUR + 1, height: Math.max(18, ((to - from) / 60) * HOUR - 2) }}
                        title={`${e.title} · ${formatTime(e.startsAt, timeZone)}–${formatTime(e.endsAt, timeZone)}${e.location ? ` · ${e.location}` : ''}${cancelled ? ' (cancelled)' : ''}`}>
                        <span className="block truncate font-semibold">{e.title}</span>
                        <span className="block truncate opacity-90">{formatTime(e.startsAt, timeZone)}–{formatTime(e.endsAt, timeZone)}{e.placement === 'AUTO' ? ' · auto' : ''}</span>
                      </button>
                    );
                  }))}
                </div>
              ))}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
