/**
 * Working hours: weekly rules in a calendar's local time, their validation,
 * and their expansion into real instants (epoch ms) over a window.
 *
 * Zone math works on "local ms" = epoch ms + UTC offset, i.e. the wall clock
 * read as if it were UTC. Within a stretch of constant offset this is a plain
 * shift, so days, weekdays and grid points become integer arithmetic; the only
 * luxon calls are the offset look-ups that find where offsets change.
 */
import { IANAZone } from 'luxon';
import type { FieldError } from '../shared/errors.ts';
import { merge } from '../shared/time-range.ts';
import type { TimeRange } from '../shared/time-range.ts';
import { isValidTimeZone } from '../shared/time-zone.ts';

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** `start`/`end` are 'HH:MM' or 'HH:MM:SS' local times; `end` may be '24:00' (end of day). Overnight shifts are two rules. */
export type WorkingHoursRule = { weekday: Weekday; start: string; end: string };
/** A stretch of time during which the zone's UTC offset is constant. */
export type OffsetSegment = TimeRange & { offsetMs: number };

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1440;
// Offsets are probed this often; a zone would have to change offset and change
// it back within this span for a transition to be missed (none does).
const OFFSET_PROBE_MS = 12 * 60 * MINUTE_MS;

const TIME_PATTERN = /^(\d{2}):([0-5]\d)(?::([0-5]\d))?$/;

/** Milliseconds since local midnight for 'HH:MM[:SS]', or null. '24:00[:00]' only if `isEnd`. */
export function parseTimeOfDay(text: string, isEnd: boolean): number | null {
  const match = TIME_PATTERN.exec(text);
  if (match === null) return null;
  const hours = Number(match[1]);
  const seconds = Number(match[2]) * 60 + Number(match[3] ?? 0);
  if (hours > 24 || (hours === 24 && (!isEnd || seconds !== 0))) return null;
  return (hours * 3600 + seconds) * 1000;
}

/** Error message (a 'must …' fragment, like FieldError messages) for a slot grid interval, or null when usable. */
export function validateSlotInterval(minutes: number): string | null {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MINUTES_PER_DAY) {
    return 'must be a whole number of minutes from 1 to 1440';
  }
  if (MINUTES_PER_DAY % minutes !== 0) {
    return 'must divide a day (1440 minutes) evenly, e.g. 5, 10, 15, 20, 30 or 60';
  }
  return null;
}

type ParsedRule = { index: number; day: number; start: number; end: number };

/** All problems with a rule set; [] when valid. Paths are relative to `path` (e.g. ['workingHours', '2', 'end']). */
export function validateWorkingHours(
  rules: readonly WorkingHoursRule[],
  path: readonly string[] = ['workingHours'],
): FieldError[] {
  const issues: FieldError[] = [];
  const parsed: ParsedRule[] = [];
  rules.forEach((rule, index) => {
    const at = (field: string): string[] => [...path, String(index), field];
    const rangeIssue = checkRule(rule);
    if (rangeIssue !== null) issues.push({ path: at(rangeIssue.field), message: rangeIssue.message });
    else parsed.push(parseRule(rule, index));
  });
  for (const { later, earlier } of findOverlaps(parsed)) {
    const other = rules[earlier.index]!;
    issues.push({
      path: [...path, String(later.index), 'start'],
      message: `overlaps ${other.start}–${other.end} on ${other.weekday} (entry ${earlier.index})`,
    });
  }
  return issues;
}

function checkRule(rule: WorkingHoursRule): { field: string; message: string } | null {
  if (!(WEEKDAYS as readonly string[]).includes(rule.weekday)) {
    return { field: 'weekday', message: `must be one of ${WEEKDAYS.join(', ')}` };
  }
  const start = parseTimeOfDay(rule.start, false);
  if (start === null) return { field: 'start', message: 'must be a time from 00:00 to 23:59:59 (HH:MM or HH:MM:SS)' };
  const end = parseTimeOfDay(rule.end, true);
  if (end === null) return { field: 'end', message: 'must be a time from 00:00 to 24:00 (HH:MM or HH:MM:SS)' };
  if (end <= start) return { field: 'end', message: 'must be after start; split overnight hours over two days' };
  return null;
}

function parseRule(rule: WorkingHoursRule, index: number): ParsedRule {
  const day = WEEKDAYS.indexOf(rule.weekday);
  return { index, day, start: parseTimeOfDay(rule.start, false)!, end: parseTimeOfDay(rule.end, true)! };
}

/** Pairs of same-day rules that share time; touching (09–12, 12–17) is allowed. */
function findOverlaps(parsed: readonly ParsedRule[]): { later: ParsedRule; earlier: ParsedRule }[] {
  const sorted = [...parsed].sort((a, b) => a.day - b.day || a.start - b.start || a.index - b.index);
  const found: { later: ParsedRule; earlier: ParsedRule }[] = [];
  let reach: ParsedRule | undefined; // the rule reaching furthest so far on the current day
  for (const rule of sorted) {
    if (reach !== undefined && reach.day === rule.day && rule.start < reach.end) found.push({ later: rule, earlier: reach });
    if (reach === undefined || reach.day !== rule.day || rule.end > reach.end) reach = rule;
  }
  return found;
}

/**
 * Instants in `window` that fall within working hours in `timeZone`'s local
 * time. [] rules means around the clock. A local range is the set of instants
 * whose wall-clock time lies in it, so on a spring-forward day 01:00–04:00 is
 * 2 real hours, and on a fall-back day the repeated hour counts twice.
 */
export function expandWorkingHours(
  rules: readonly WorkingHoursRule[],
  timeZone: string,
  window: TimeRange,
): TimeRange[] {
  if (!(window.start < window.end)) return [];
  if (rules.length === 0) return [{ start: window.start, end: window.end }];
  return workingHoursInSegments(rules, utcOffsetSegments(timeZone, window));
}

/** Like expandWorkingHours over the window covered by `segments` (from utcOffsetSegments), reusing them. */
export function workingHoursInSegments(
  rules: readonly WorkingHoursRule[],
  segments: readonly OffsetSegment[],
): TimeRange[] {
  const first = segments[0];
  const last = segments[segments.length - 1];
  if (first === undefined || last === undefined) return [];
  if (rules.length === 0) return [{ start: first.start, end: last.end }];
  const byDay = compileRules(rules);
  const out: TimeRange[] = [];
  for (const segment of segments) expandSegment(byDay, segment, out);
  // Pieces touch across midnight ('24:00' then '00:00') and offset changes; coalesce them.
  return merge(out);
}

/** Per weekday (0 = Monday), [start, end) ms since local midnight, sorted. */
function compileRules(rules: readonly WorkingHoursRule[]): [number, number][][] {
  const issue = validateWorkingHours(rules)[0];
  if (issue !== undefined) throw new RangeError(`${issue.path.join('.')} ${issue.message}`);
  const byDay: [number, number][][] = WEEKDAYS.map(() => []);
  for (const [index, rule] of rules.entries()) {
    const { day, start, end } = parseRule(rule, index);
    byDay[day]!.push([start, end]);
  }
  for (const ranges of byDay) ranges.sort((a, b) => a[0] - b[0]);
  return byDay;
}

function expandSegment(byDay: readonly [number, number][][], segment: OffsetSegment, out: TimeRange[]): void {
  const offset = segment.offsetMs;
  const localStart = segment.start + offset;
  const localEnd = segment.end + offset;
  for (let day = Math.floor(localStart / DAY_MS); day * DAY_MS < localEnd; day++) {
    const midnight = day * DAY_MS;
    for (const [from, to] of byDay[weekdayIndex(day)]!) {
      const start = Math.max(midnight + from, localStart);
      const end = Math.min(midnight + to, localEnd);
      if (start < end) out.push({ start: start - offset, end: end - offset });
    }
  }
}

/** 0 = Monday for a count of days since 1970-01-01, which was a Thursday. */
function weekdayIndex(daysSinceEpoch: number): number {
  return (((daysSinceEpoch + 3) % 7) + 7) % 7;
}

/** Splits `window` into maximal stretches of constant UTC offset in `timeZone`. Throws RangeError for an unknown zone. */
export function utcOffsetSegments(timeZone: string, window: TimeRange): OffsetSegment[] {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone: ${timeZone}`);
  if (!(window.start < window.end)) return [];
  const zone = IANAZone.create(timeZone);
  const offsetAt = (t: number): number => Math.round(zone.offset(t) * MINUTE_MS);
  const segments: OffsetSegment[] = [];
  let start = window.start;
  let offset = offsetAt(start);
  const lastInstant = window.end - 1;
  for (let probe = start; probe < lastInstant; ) {
    const next = Math.min(probe + OFFSET_PROBE_MS, lastInstant);
    if (offsetAt(next) === offset) {
      probe = next;
      continue;
    }
    const change = firstChange(offsetAt, probe, next, offset);
    segments.push({ start, end: change, offsetMs: offset });
    start = probe = change;
    offset = offsetAt(change);
  }
  segments.push({ start, end: window.end, offsetMs: offset });
  return segments;
}

/** First instant in (from, to] whose offset differs from `offset` (which holds at `from` but not at `to`). */
function firstChange(offsetAt: (t: number) => number, from: number, to: number, offset: number): number {
  let lo = from;
  let hi = to;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid) === offset) lo = mid;
    else hi = mid;
  }
  return hi;
}
