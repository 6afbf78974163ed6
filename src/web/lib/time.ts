// Wall-clock arithmetic in an IANA zone with nothing but Intl: the console shows and takes times in
// the account's (or calendar's) zone, whatever zone the browser is in.

export type WallTime = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of `instant` in `timeZone`. */
export function wallTime(instant: Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

function offsetMs(instant: number, timeZone: string): number {
  const w = wallTime(new Date(instant), timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant / 1000) * 1000;
}

/** The instant a wall-clock time in `timeZone` names (a time skipped by DST moves forward by the gap). */
export function fromWallTime(w: WallTime, timeZone: string): Date {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const first = guess - offsetMs(guess, timeZone);
  return new Date(guess - offsetMs(first, timeZone));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` and `HH:MM` of an instant in a zone, for date and time inputs. */
export function toInputs(instant: Date, timeZone: string): { date: string; time: string } {
  const w = wallTime(instant, timeZone);
  return { date: `${w.year}-${pad(w.month)}-${pad(w.day)}`, time: `${pad(w.hour)}:${pad(w.minute)}` };
}

/** The instant of a date input and a time input read in a zone; null when either is incomplete. */
export function fromInputs(date: string, time: string, timeZone: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!d || !t) return null;
  return fromWallTime({ year: +d[1]!, month: +d[2]!, day: +d[3]!, hour: +t[1]!, minute: +t[2]!, second: +(t[3] ?? 0) }, timeZone);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function cached(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = make()));
  return f;
}

/** "Wed 2 Dec, 14:05:09" in the zone; seconds matter for reminders due in a few seconds. */
export function formatDateTime(iso: string | Date, timeZone: string, withSeconds = false): string {
  const f = cached(`dt|${timeZone}|${withSeconds}`, () => new Intl.DateTimeFormat(undefined, {
    timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', ...(withSeconds ? { second: '2-digit' } : {}),
  }));
  return f.format(new Date(iso));
}

export function formatTime(iso: string | Date, timeZone: string): string {
  return cached(`t|${timeZone}`, () => new Intl.DateTimeFormat(undefined, { timeZone, hour: '2-digit', minute: '2-digit' })).format(new Date(iso));
}

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

const DAY_MS = 86_400_000;
/** A mean Gregorian month and year: relative times past two months are approximate by nature. */
const MONTH_MS = 30.436875 * DAY_MS;
const YEAR_MS = 365.2425 * DAY_MS;

/** "in 3 min", "2 h ago", "in 5 days", "in 4 mo.", "in 3 yr." relative to `now`. */
export function relative(iso: string, now: number): string {
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  if (abs < 60_000) return rtf.format(Math.round(diff / 1000), 'second');
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), 'minute');
  if (abs < DAY_MS) return rtf.format(Math.round(diff / 3_600_000), 'hour');
  // Days up to two months ("in 45 days" is still countable), then months, then years: not "in 1,562 days".
  if (abs < 60 * DAY_MS) return rtf.format(Math.round(diff / DAY_MS), 'day');
  if (abs < YEAR_MS) return rtf.format(Math.round(diff / MONTH_MS), 'month');
  return rtf.format(Math.round(diff / YEAR_MS), 'year');
}

/** Monday 00:00 (in the zone) of the week containing `instant`, as a wall-clock date. */
export function weekStart(instant: Date, timeZone: string): { year: number; month: number; day: number } {
  const w = wallTime(instant, timeZone);
  const utc = new Date(Date.UTC(w.year, w.month - 1, w.day));
  const weekday = (utc.getUTCDay() + 6) % 7; // Monday = 0
  utc.setUTCDate(utc.getUTCDate() - weekday);
  return { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
}

/** The calendar date `days` after a date (pure date arithmetic, no zone). */
export function addDays(d: { year: number; month: number; day: number }, days: number) {
  const utc = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
}

export function isoDate(d: { year: number; month: number; day: number }): string {
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;

/** The zone the browser runs in ("UTC", "Etc/UTC", "Europe/Paris"…), or UTC when it does not say. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Every IANA zone the browser knows, for time-zone pickers, plus UTC and the browser's own zone:
 * `supportedValuesOf` lists canonical zones only, without UTC, so a browser in UTC found its own zone
 * missing and the picker fell back to the first entry (Africa/Abidjan).
 */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const known = intl.supportedValuesOf?.('timeZone') ?? [];
  return [...new Set([...known, 'UTC', browserTimeZone()])].sort();
}
