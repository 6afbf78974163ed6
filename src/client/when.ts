/**
 * Natural-language times for clients: "in 10m", "2h ago", "tomorrow 9:00", "next friday 17:30",
 * "2026-12-03T09:00+01:00", "every weekday 9:00", "daily", "FREQ=WEEKLY;BYDAY=MO" → an instant
 * and an RRULE, read in an IANA time zone.
 *
 * A PURE module: `now` and the zone are passed in; no clock reads, no environment.
 *
 * chrono-node reads wall-clock text but knows only fixed offsets, not IANA zones: a zone passed by
 * name is silently ignored. So chrono parses with the zone's offset at `now`, and the wall-clock
 * fields it found are converted to an instant with the offset in force *at that wall time* (luxon),
 * which is right across a DST change. Relative times ("in 3 hours") are instants already and are
 * read here, not by chrono.
 */
import * as chrono from 'chrono-node';
import { DateTime, IANAZone } from 'luxon';
import { TicklerClientError } from './errors.ts';

export type WhenContext = { now: Date; timeZone: string };

export type When = {
  /** The instant (the first occurrence when recurring). */
  at: Date;
  /** RFC 5545 RRULE body, or null. */
  recurrence: string | null;
  /** The text that was not part of the time expression (e.g. a reminder's message). */
  rest: string;
  /**
   * Whether the text says which day (a date, a weekday, "tomorrow", "in 3 days"), not only a time of
   * day. A recurrence's start is taken as written when it does, even on a day its rule does not
   * name: RFC 5545 counts the start as the first occurrence, and so does the server.
   */
  dated: boolean;
};

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const UNIT_WORDS: [RegExp, string][] = [
  [/^(s|secs?|seconds?)$/, 's'],
  [/^(m|mins?|minutes?)$/, 'm'],
  [/^(h|hrs?|hours?)$/, 'h'],
  [/^(d|days?)$/, 'd'],
  [/^(w|wks?|weeks?)$/, 'w'],
];
const DURATION_PART = /(\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w)(?![a-z])/gy;

function unitOf(word: string): string | null {
  const lower = word.toLowerCase();
  for (const [pattern, unit] of UNIT_WORDS) if (pattern.test(lower)) return unit;
  return null;
}

/** "10m", "1h30m", "90 s", "2 hours 15 minutes", "1.5h" → milliseconds; null when it is not one. */
export function parseDuration(text: string): number | null {
  const consumed = readDuration(text.trim());
  return consumed && consumed.length === text.trim().length ? consumed.ms : null;
}

/** A duration at the start of `text`: its length in ms and how many characters it took. */
function readDuration(text: string): { ms: number; length: number } | null {
  let ms = 0;
  let end = 0;
  DURATION_PART.lastIndex = 0;
  for (;;) {
    const rest = text.slice(end);
    const lead = rest.match(/^(\s*(,|and)?\s*)/i)![0].length;
    DURATION_PART.lastIndex = 0;
    const part = DURATION_PART.exec(rest.slice(lead).toLowerCase());
    if (!part) break;
    ms += Number(part[1]) * UNIT_MS[unitOf(part[2]!)!]!;
    end += lead + part[0].length;
  }
  return end > 0 ? { ms: Math.round(ms), length: end } : null;
}

/** Minutes, for APIs that take whole minutes ("10m" → 10); a usage error otherwise. */
export function parseMinutes(text: string, what = 'duration'): number {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0 || ms % 60_000 !== 0) {
    throw new TicklerClientError('usage', `Not a ${what} in whole minutes: '${text}' (e.g. 10m, 1h30m, 2d)`);
  }
  return ms / 60_000;
}

function checkZone(timeZone: string): void {
  if (!IANAZone.isValidZone(timeZone)) throw new TicklerClientError('usage', `Unknown time zone '${timeZone}' (use an IANA name such as Europe/Paris)`);
}

/** Offset of the zone at an instant, in minutes east of UTC (what chrono takes). */
export function offsetMinutes(timeZone: string, at: Date): number {
  return IANAZone.create(timeZone).offset(at.getTime());
}

/**
 * Local wall-clock fields to an instant in the zone. A time skipped by a DST change moves forward by
 * the gap; an ambiguous one takes its first instance (as the server's recurrence does).
 */
export function wallToInstant(timeZone: string, wall: { year: number; month: number; day: number; hour: number; minute: number; second?: number }): Date {
  const zone = IANAZone.create(timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
  // The earlier of the two candidate offsets around the wall time gives the first instance.
  const candidates = [zone.offset(asUtc - 86_400_000), zone.offset(asUtc + 86_400_000)].sort((a, b) => b - a);
  for (const offset of candidates) {
    const instant = asUtc - offset * 60_000;
    if (zone.offset(instant) === offset) return new Date(instant);
  }
  // In a gap: read the wall time with the offset from before the change, i.e. forward by the gap.
  return new Date(asUtc - zone.offset(asUtc - 86_400_000) * 60_000);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?(?=\s|$)/i;

/** ISO 8601 / RFC 3339 at the start of the text; without an offset it is local time in the zone. */
function readIso(text: string, timeZone: string): { at: Date; length: number } | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [whole, y, mo, d, h, mi, s, zone] = m;
  if (zone) {
    const hasTime = h !== undefined;
    if (!hasTime) return null;
    const normalised = zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${normalised}`);
    if (Number.isNaN(at.getTime())) throw new TicklerClientError('usage', `Not a valid time: '${whole}'`);
    return { at, length: whole.length };
  }
  const wall = { year: Number(y), month: Number(mo), day: Number(d), hour: h === undefined ? 0 : Number(h), minute: mi === undefined ? 0 : Number(mi), second: s === undefined ? 0 : Number(s) };
  const check = DateTime.fromObject(wall, { zone: 'UTC' });
  if (!check.isValid) throw new TicklerClientError('usage', `Not a valid date: '${whole}'`);
  return { at: wallToInstant(timeZone, wall), length: whole.length };
}

/** chrono in the zone: the first expression found, converted with the offset at its own wall time. */
function readChrono(text: string, context: WhenContext, mustStart: boolean): { at: Date; index: number; length: number; dated: boolean } | null {
  const ref = { instant: context.now, timezone: offsetMinutes(context.timeZone, context.now) };
  const results = chrono.parse(text, ref, { forwardDate: true });
  const result = mustStart ? results.find((r) => text.slice(0, r.index).trim() === '') : results[0];
  if (!result) return null;
  const start = result.start;
  let at: Date;
  if (start.isCertain('timezoneOffset')) {
    at = start.date();
  } else {
    at = wallToInstant(context.timeZone, {
      year: start.get('year')!,
      month: start.get('month')!,
      day: start.get('day')!,
      hour: start.get('hour') ?? 0,
      minute: start.get('minute') ?? 0,
      second: start.get('second') ?? 0,
    });
    // "9:00" read before 9:00 local on the day of a DST change can land behind `now` after correction.
    if (!start.isCertain('day') && at.getTime() <= context.now.getTime()) {
      const local = DateTime.fromJSDate(at, { zone: context.timeZone }).plus({ days: 1 });
      at = wallToInstant(context.timeZone, local.toObject() as never);
    }
  }
  const dated = start.isCertain('day') || start.isCertain('weekday');
  return { at, index: result.index, length: result.text.length, dated };
}

/** An instant: "in 10m", "10m", an ISO time, or anything chrono reads ("tomorrow 9:00", "fri 17:30"). */
export function parseInstant(text: string, context: WhenContext): Date {
  const when = parseWhen(text, context);
  if (when.recurrence) throw new TicklerClientError('usage', `'${text}' is a recurrence, not a time (use --every for that)`);
  if (when.rest.trim()) throw new TicklerClientError('usage', `Cannot read '${text}' as a time ('${when.rest.trim()}' is left over)`);
  return when.at;
}

const WEEKDAYS: [RegExp, string][] = [
  [/^mo(n(day)?)?s?$/, 'MO'],
  [/^tu(e(s(day)?)?)?s?$/, 'TU'],
  [/^we(d(nesday)?)?s?$/, 'WE'],
  [/^th(u(r(s(day)?)?)?)?s?$/, 'TH'],
  [/^fr(i(day)?)?s?$/, 'FR'],
  [/^sa(t(urday)?)?s?$/, 'SA'],
  [/^su(n(day)?)?s?$/, 'SU'],
];
const ISO_WEEKDAY: Record<string, number> = { MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6, SU: 7 };

export type Recurrence = {
  rrule: string;
  /** Weekdays the first occurrence must fall on (ISO 1–7), when the rule names them. */
  weekdays: number[] | null;
  /** For sub-daily rules: the interval, so that the first occurrence can default to now + interval. */
  intervalMs: number | null;
};

/**
 * A recurrence at the start of the text: "daily", "weekdays", "every weekday", "every 2 hours",
 * "every mon, wed and fri", "weekly", "FREQ=…" (or "RRULE:FREQ=…"). Returns how much it took.
 */
export function readRecurrence(text: string): { recurrence: Recurrence; length: number } | null {
  const raw = /^(?:RRULE:)?(FREQ=[A-Z0-9=;,+-]+)/i.exec(text);
  if (raw) {
    const rrule = raw[1]!.toUpperCase();
    const byday = /BYDAY=([A-Z,]+)/.exec(rrule)?.[1];
    const days = byday && /^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$/.test(byday) ? byday.split(',').map((d) => ISO_WEEKDAY[d]!) : null;
    return { recurrence: { rrule, weekdays: days, intervalMs: null }, length: raw[0].length };
  }
  const lower = text.toLowerCase();
  const simple: [RegExp, string, number[] | null, number | null][] = [
    [/^(daily|every\s+day)\b/, 'FREQ=DAILY', null, null],
    [/^(weekdays|every\s+weekday|every\s+work\s*day|workdays)\b/, 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', [1, 2, 3, 4, 5], null],
    [/^(weekends|every\s+weekend(\s+day)?)\b/, 'FREQ=WEEKLY;BYDAY=SA,SU', [6, 7], null],
    [/^(weekly|every\s+week)\b/, 'FREQ=WEEKLY', null, null],
    [/^(monthly|every\s+month)\b/, 'FREQ=MONTHLY', null, null],
    [/^(yearly|annually|every\s+year)\b/, 'FREQ=YEARLY', null, null],
    [/^(hourly|every\s+hour)\b/, 'FREQ=HOURLY', null, 3_600_000],
    [/^(every\s+minute)\b/, 'FREQ=MINUTELY', null, 60_000],
  ];
  for (const [pattern, rrule, weekdays, intervalMs] of simple) {
    const m = pattern.exec(lower);
    if (m) return { recurrence: { rrule, weekdays, intervalMs }, length: m[0].length };
  }
  const interval = /^every\s+(\d+)\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|months?)\b/.exec(lower);
  if (interval) {
    const n = Number(interval[1]);
    if (n < 1) return null;
    const unit = interval[2]!;
    const [freq, ms] = unit.startsWith('mo') ? ['MONTHLY', null] : (({ m: ['MINUTELY', 60_000], h: ['HOURLY', 3_600_000], d: ['DAILY', null], w: ['WEEKLY', null] }) as Record<string, [string, number | null]>)[unitOf(unit)!]!;
    return { recurrence: { rrule: n === 1 ? `FREQ=${freq}` : `FREQ=${freq};INTERVAL=${n}`, weekdays: null, intervalMs: ms === null ? null : ms * n }, length: interval[0].length };
  }
  const days = /^every\s+((?:[a-z]+)(?:\s*(?:,|and|&)\s*[a-z]+)*)/.exec(lower);
  if (days) {
    const words = days[1]!.split(/\s*(?:,|\band\b|&)\s*/);
    const codes: string[] = [];
    let used = 0;
    for (const word of words) {
      const code = WEEKDAYS.find(([p]) => p.test(word))?.[1];
      if (!code) break;
      if (!codes.includes(code)) codes.push(code);
      used++;
    }
    if (codes.length) {
      // Length of "every" plus the weekday words that matched (and their separators).
      const consumed = new RegExp(`^every\\s+${words.slice(0, used).map(escape).join('\\s*(?:,|and|&)\\s*')}`).exec(lower)![0].length;
      codes.sort((a, b) => ISO_WEEKDAY[a]! - ISO_WEEKDAY[b]!);
      return { recurrence: { rrule: `FREQ=WEEKLY;BYDAY=${codes.join(',')}`, weekdays: codes.map((c) => ISO_WEEKDAY[c]!), intervalMs: null }, length: consumed };
    }
  }
  return null;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Parses a whole `--every` value; a usage error when it is not a recurrence. */
export function parseRecurrence(text: string): Recurrence {
  const read = readRecurrence(text.trim());
  if (!read || read.length !== text.trim().length) {
    throw new TicklerClientError('usage', `Cannot read '${text}' as a recurrence (e.g. daily, weekdays, "every mon,wed", "every 2 hours", FREQ=WEEKLY;BYDAY=MO)`);
  }
  return read.recurrence;
}

/** Moves `at` forward, by whole local days keeping its wall time, to the first of the given weekdays. */
export function alignToWeekdays(at: Date, weekdays: readonly number[] | null, timeZone: string): Date {
  if (!weekdays?.length) return at;
  let local = DateTime.fromJSDate(at, { zone: timeZone });
  const wall = { hour: local.hour, minute: local.minute, second: local.second };
  for (let i = 0; i < 7 && !weekdays.includes(local.weekday); i++) local = local.plus({ days: 1 });
  return wallToInstant(timeZone, { year: local.year, month: local.month, day: local.day, ...wall });
}

/**
 * Reads a time expression at the start of `text` (or anywhere, for chrono's phrases) and returns
 * the instant, the RRULE when it recurs, and the rest of the text:
 * "in 10m call mom", "tomorrow 9am stand-up", "every weekday 9:00 stand-up", "2026-12-03T09:00+01:00".
 */
export function parseWhen(text: string, context: WhenContext): When {
  checkZone(context.timeZone);
  const input = text.trim();
  const recurring = readRecurrence(input);
  if (recurring) {
    let rest = input.slice(recurring.length).trim();
    const { recurrence } = recurring;
    let at: Date;
    const timeText = rest.replace(/^at\s+/i, '');
    const time = timeText ? readStart(timeText, context) : null;
    if (time) {
      at = time.at;
      rest = timeText.slice(time.length).trim();
    } else if (recurrence.intervalMs) {
      at = new Date(context.now.getTime() + recurrence.intervalMs);
    } else {
      throw new TicklerClientError('usage', `Say when '${input.slice(0, recurring.length)}' starts, e.g. '${input.slice(0, recurring.length)} 9:00' or --at`);
    }
    // "every mon 9:00" says its day through its rule: it starts on the first of those days. A day
    // written out ("every mon 2030-01-08 10:00") is the start as written.
    if (time?.dated) return { at, recurrence: recurrence.rrule, rest, dated: true };
    return { at: alignToWeekdays(at, recurrence.weekdays, context.timeZone), recurrence: recurrence.rrule, rest, dated: false };
  }
  const start = readStart(input, context);
  if (start) return { at: start.at, recurrence: null, rest: input.slice(start.length).trim(), dated: start.dated };
  const anywhere = readChrono(input, context, false);
  if (anywhere) {
    const rest = `${input.slice(0, anywhere.index)} ${input.slice(anywhere.index + anywhere.length)}`.replace(/\s+/g, ' ').trim();
    return { at: anywhere.at, recurrence: null, rest, dated: anywhere.dated };
  }
  throw new TicklerClientError('usage', `Cannot read a time in '${input}' (e.g. "in 10m", "tomorrow 9:00", "2026-12-03T09:00+01:00")`);
}

/** A time at the very start of the text: "in 10m", "10m", ISO, or a chrono phrase. */
function readStart(text: string, context: WhenContext): { at: Date; length: number; dated: boolean } | null {
  const relative = /^(in\s+)?/i.exec(text)![0];
  const duration = readDuration(text.slice(relative.length));
  const after = duration ? text.slice(relative.length + duration.length) : '';
  if (duration && /^(\s|$)/.test(after) && !/^\s*(am|pm)\b/i.test(after)) {
    const ago = !relative && /^\s+ago\b/i.exec(after);
    const trailing = ago ? ago[0].length : (/^\s+(from now|later)\b/i.exec(after)?.[0].length ?? 0);
    return { at: new Date(context.now.getTime() + (ago ? -duration.ms : duration.ms)), length: relative.length + duration.length + trailing, dated: true };
  }
  const iso = readIso(text, context.timeZone);
  if (iso) return { ...iso, dated: true };
  const phrase = readChrono(text, context, true);
  if (phrase) return { at: phrase.at, length: phrase.index + phrase.length, dated: phrase.dated };
  return null;
}

/** "Thu 3 Dec 2026, 09:00 Europe/Paris (08:00 UTC)": how a client echoes an instant back. */
export function describeInstant(at: Date, timeZone: string): string {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const utc = DateTime.fromJSDate(at, { zone: 'UTC' });
  const sameDay = local.toISODate() === utc.toISODate();
  return `${local.toFormat('ccc d LLL yyyy, HH:mm')} ${timeZone} (${utc.toFormat(sameDay ? 'HH:mm' : 'd LLL HH:mm')} UTC)`;
}
