/**
 * RFC 5545 recurrence rules (RRULE) for reminders: validation and expansion into occurrences.
 * The rule's types, parsing and formatting live in rrule.ts and are re-exported from here; local
 * wall-clock and calendar arithmetic lives in wall-clock.ts.
 *
 * A PURE module: no clock reads, no environment, no I/O. "Now" is always a parameter, so every
 * answer is reproducible in tests and identical on every server.
 *
 * Semantics — the choices RFC 5545 leaves open, or that matter for reminders:
 * - DTSTART is the reminder's first remindAt and is ALWAYS occurrence #1, even when it does not
 *   match the BY* parts (RFC 5545 §3.3.10: "The DTSTART property value always counts as the first
 *   occurrence"). COUNT includes it; expansion then only yields instants strictly after it.
 * - BY* parts that are not given default from DTSTART's LOCAL fields in the reminder's zone:
 *   DAILY at 09:00 → 09:00 every day; WEEKLY → DTSTART's weekday; MONTHLY → its day of month;
 *   YEARLY → its month and day (a YEARLY rule started on Feb 29 fires in leap years only).
 * - DAILY, WEEKLY, MONTHLY and YEARLY expand in LOCAL wall-clock time of the zone; each local
 *   time is then turned into an instant:
 *     • a local time that does not exist (spring-forward gap) moves FORWARD by the gap length
 *       (02:30 → 03:30 on the European spring-forward day);
 *     • an ambiguous local time (fall-back overlap) takes its FIRST instance (the earlier,
 *       summer-time one: 01:30 EDT rather than 01:30 EST).
 *   Two local times landing on the same instant (02:30 and 03:30 on that spring day) count once.
 * - HOURLY, MINUTELY and SECONDLY step in ABSOLUTE time from DTSTART (INTERVAL × 1 h/1 min/1 s),
 *   so "every 2 hours" stays 2 real hours apart across DST while the local labels shift; the
 *   repeated fall-back hour is visited twice and the skipped spring hour not at all. BY* limits
 *   (BYHOUR, BYDAY, …) are still checked against each instant's local clock.
 * - UNTIL is inclusive. (That it is UTC, excludes COUNT, and that BYSECOND stops at 59 are
 *   parsing rules: see rrule.ts.)
 * - BYDAY ordinals (2MO, -1FR) count within the month for MONTHLY, and for YEARLY when BYMONTH is
 *   given; otherwise within the year. BYWEEKNO weeks start on WKST and week 1 is the first week
 *   with at least 4 days in the year (RFC 5545). BYSETPOS picks from each period's sorted set.
 * - DTSTART's milliseconds are carried onto every occurrence (RRULE itself has second precision).
 * - Searches are bounded: after 400 years without an occurrence (the Gregorian calendar repeats
 *   every 400 years) or 100 000 consecutive empty periods, the series is treated as ended (null).
 *   validateRecurrence reports such rules as never firing.
 */
import { MAX_INSTANT_MS } from '../shared/instant-range.ts';
import { FREQS, parseRecurrence } from './rrule.ts';
import type { ByDay, ParseResult, RecurrenceRule, Weekday } from './rrule.ts';
import {
  civil, DAY, dayNumber, daysInMonth, daysInYear, HOUR, localFields, makeClock, MINUTE, mod, SECOND, toInstant, toWall,
  weekNumber, weekStart,
} from './wall-clock.ts';
import type { Civil, Clock, Local } from './wall-clock.ts';

export {
  FREQS, formatRecurrence, parseRecurrence,
  type ByDay, type Freq, type ParseResult, type RecurrenceRule, type Weekday,
} from './rrule.ts';

/** The Gregorian calendar repeats every 400 years: a calendar pattern not met by then never is. */
const HORIZON_DAYS = 146_097;
const HORIZON_MS = HORIZON_DAYS * DAY;
/** Consecutive periods without an occurrence before a search gives up (guards e.g. SECONDLY;INTERVAL=2;BYSECOND=1). */
const MAX_EMPTY_STEPS = 100_000;
/** Expansion stops after 9999-12-31T23:59:59.999Z, the last instant PostgreSQL and RFC 3339 both hold. */
const MAX_DATE_MS = MAX_INSTANT_MS;

// ─── Day rules ──────────────────────────────────────────────────────────────────────────────

/** The day-level BY* parts in force, after the DTSTART defaults. */
type DayRules = {
  months?: number[];
  monthDays?: number[];
  yearDays?: number[];
  weekNos?: number[];
  byDay?: ByDay[];
  nthInMonth: boolean;
  wkst: Weekday;
};

/** Positive values count from the start, negative ones from the end (-1 = last). */
function matchesOrdinal(values: number[], position: number, total: number): boolean {
  return values.some((v) => (v > 0 ? v : total + v + 1) === position);
}

function matchesNth(nth: number, c: Civil, inMonth: boolean): boolean {
  const position = inMonth ? c.day : c.yearDay;
  const total = inMonth ? daysInMonth(c.year, c.month) : daysInYear(c.year);
  return nth > 0 ? Math.ceil(position / 7) === nth : Math.floor((total - position) / 7) + 1 === -nth;
}

function matchesDay(rules: DayRules, c: Civil): boolean {
  if (rules.months && !rules.months.includes(c.month)) return false;
  if (rules.monthDays && !matchesOrdinal(rules.monthDays, c.day, daysInMonth(c.year, c.month))) return false;
  if (rules.yearDays && !matchesOrdinal(rules.yearDays, c.yearDay, daysInYear(c.year))) return false;
  if (rules.weekNos) {
    const { week, weeks } = weekNumber(c, rules.wkst);
    if (!matchesOrdinal(rules.weekNos, week, weeks)) return false;
  }
  if (!rules.byDay) return true;
  return rules.byDay.some((d) => d.weekday === c.weekday && (d.nth === undefined || matchesNth(d.nth, c, rules.nthInMonth)));
}

function hasDayRules(rules: DayRules): boolean {
  return Boolean(rules.months || rules.monthDays || rules.yearDays || rules.weekNos || rules.byDay);
}

/** The first day from `fromDay` matching the day rules, scanning at most one 400-year cycle. */
function nextMatchingDay(rules: DayRules, fromDay: number): number | null {
  for (let day = fromDay; day < fromDay + HORIZON_DAYS; day++) if (matchesDay(rules, civil(day))) return day;
  return null;
}

/** RFC 5545 defaults: a rule without day parts takes its day from DTSTART, at the FREQ's granularity. */
function dayRules(rule: RecurrenceRule, start: Local): DayRules {
  const rules: DayRules = {
    months: rule.byMonth, monthDays: rule.byMonthDay, yearDays: rule.byYearDay, weekNos: rule.byWeekNo,
    byDay: rule.byDay, wkst: rule.wkst,
    nthInMonth: rule.freq === 'MONTHLY' || (rule.freq === 'YEARLY' && rule.byMonth !== undefined),
  };
  if (rule.byWeekNo || rule.byYearDay || rule.byMonthDay || rule.byDay) return rules;
  if (rule.freq === 'YEARLY') return { ...rules, months: rule.byMonth ?? [start.month], monthDays: [start.day] };
  if (rule.freq === 'MONTHLY') return { ...rules, monthDays: [start.day] };
  if (rule.freq === 'WEEKLY') return { ...rules, byDay: [{ weekday: start.weekday }] };
  return rules;
}

// ─── Plans ──────────────────────────────────────────────────────────────────────────────────

type Common = {
  rule: RecurrenceRule;
  clock: Clock;
  start: number; // DTSTART instant
  ms: number; // DTSTART's milliseconds, carried onto every occurrence
  untilMs: number;
  startLocal: Local; // DTSTART's wall-clock fields (whole seconds)
  days: DayRules;
};
/** DAILY and coarser: periods are local days/weeks/months/years; `times` are the ms-of-day to expand. */
type LocalPlan = Common & { kind: 'local'; times: number[] };
/** HOURLY and finer: period k starts at the instant origin + k·step. */
type AbsolutePlan = Common & {
  kind: 'absolute';
  origin: number;
  step: number;
  expandMinutes?: number[];
  expandSeconds?: number[];
  limitHours?: number[];
  limitMinutes?: number[];
  limitSeconds?: number[];
  hasLimits: boolean;
};
type Plan = LocalPlan | AbsolutePlan;

function makePlan(input: RecurrenceRule, start: Date, timeZone: string): Plan {
  const rule = checkedRule(input);
  const clock = makeClock(timeZone);
  const startMs = instantOf(start, 'start');
  const ms = mod(startMs, SECOND);
  const startLocal = localFields(toWall(clock, startMs - ms));
  const untilMs = rule.until?.getTime() ?? Infinity;
  const common: Common = { rule, clock, start: startMs, ms, untilMs, startLocal, days: dayRules(rule, startLocal) };
  return FREQS.indexOf(rule.freq) >= FREQS.indexOf('DAILY') ? localPlan(common) : absolutePlan(common);
}

function localPlan(c: Common): LocalPlan {
  const s = c.startLocal;
  const times: number[] = [];
  for (const h of c.rule.byHour ?? [s.hour]) {
    for (const m of c.rule.byMinute ?? [s.minute]) {
      for (const sec of c.rule.bySecond ?? [s.second]) times.push(h * HOUR + m * MINUTE + sec * SECOND);
    }
  }
  return { ...c, kind: 'local', times: [...new Set(times)].sort((a, b) => a - b) };
}

/** Periods align to DTSTART's local second/minute/hour; finer BY* parts expand, coarser ones limit. */
function absolutePlan(c: Common): AbsolutePlan {
  const { rule, startLocal: s } = c;
  const startSecond = c.start - c.ms;
  const limitHours = rule.byHour;
  const base = { ...c, kind: 'absolute' as const, limitHours };
  const hasLimits = (...lists: (number[] | undefined)[]) => hasDayRules(c.days) || lists.some(Boolean);
  if (rule.freq === 'SECONDLY') {
    const { byMinute: limitMinutes, bySecond: limitSeconds } = rule;
    const limits = { limitMinutes, limitSeconds, hasLimits: hasLimits(limitHours, limitMinutes, limitSeconds) };
    return { ...base, origin: startSecond, step: SECOND * rule.interval, ...limits };
  }
  const expandSeconds = rule.bySecond ?? [s.second];
  if (rule.freq === 'MINUTELY') {
    const limits = { limitMinutes: rule.byMinute, hasLimits: hasLimits(limitHours, rule.byMinute) };
    return { ...base, origin: startSecond - s.second * SECOND, step: MINUTE * rule.interval, expandSeconds, ...limits };
  }
  const origin = startSecond - s.minute * MINUTE - s.second * SECOND;
  const expandMinutes = rule.byMinute ?? [s.minute];
  return { ...base, origin, step: HOUR * rule.interval, expandMinutes, expandSeconds, hasLimits: hasLimits(limitHours) };
}

/** Rules built by hand (not parsed) still get a sanity check; empty lists mean "not given". */
function checkedRule(rule: RecurrenceRule): RecurrenceRule {
  if (!FREQS.includes(rule.freq)) throw new Error(`Unknown FREQ '${String(rule.freq)}'`);
  if (!Number.isSafeInteger(rule.interval) || rule.interval < 1) throw new Error('interval must be a positive integer');
  if (rule.count !== undefined && (!Number.isSafeInteger(rule.count) || rule.count < 1)) {
    throw new Error('count must be a positive integer');
  }
  if (rule.until !== undefined) instantOf(rule.until, 'until');
  const copy: RecurrenceRule = { ...rule };
  const lists = ['byDay', 'byMonthDay', 'byMonth', 'byYearDay', 'byWeekNo', 'byHour', 'byMinute', 'bySecond', 'bySetPos'] as const;
  for (const key of lists) if (copy[key]?.length === 0) delete copy[key];
  return copy;
}

function instantOf(date: Date, name: string): number {
  const ms = date instanceof Date ? date.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new Error(`${name} must be a valid Date`);
  return ms;
}

// ─── Periods ────────────────────────────────────────────────────────────────────────────────

/** The local days making up period k of a DAILY/WEEKLY/MONTHLY/YEARLY plan. */
function periodDays(plan: LocalPlan, k: number): { first: number; length: number } {
  const { rule, startLocal: s } = plan;
  const n = k * rule.interval;
  switch (rule.freq) {
    case 'DAILY':
      return { first: s.dayNum + n, length: 1 };
    case 'WEEKLY':
      return { first: weekStart(s.dayNum, rule.wkst) + 7 * n, length: 7 };
    case 'MONTHLY': {
      const index = s.year * 12 + (s.month - 1) + n;
      const year = Math.floor(index / 12);
      const month = index - year * 12 + 1;
      return { first: dayNumber(year, month, 1), length: daysInMonth(year, month) };
    }
    default:
      return { first: dayNumber(s.year + n, 1, 1), length: daysInYear(s.year + n) };
  }
}

/** Index of the period containing a wall-clock time (negative before DTSTART's period). */
function localPeriodIndex(plan: LocalPlan, wall: number): number {
  const { rule, startLocal: s } = plan;
  const c = civil(Math.floor(wall / DAY));
  switch (rule.freq) {
    case 'DAILY':
      return Math.floor((c.dayNum - s.dayNum) / rule.interval);
    case 'WEEKLY':
      return Math.floor((weekStart(c.dayNum, rule.wkst) - weekStart(s.dayNum, rule.wkst)) / (7 * rule.interval));
    case 'MONTHLY':
      return Math.floor((c.year * 12 + c.month - (s.year * 12 + s.month)) / rule.interval);
    default:
      return Math.floor((c.year - s.year) / rule.interval);
  }
}

/** Where period k begins: a wall for local plans, an instant for absolute ones (both only compared coarsely). */
function periodStart(plan: Plan, k: number): number {
  return plan.kind === 'local' ? periodDays(plan, k).first * DAY : plan.origin + k * plan.step;
}

/**
 * A period no later than the one holding the first occurrence after `instant`. For local plans the
 * two-day margin covers the zone offset (≤ 14 h) plus any DST shift of a wall time (≤ 1 day).
 */
function periodNear(plan: Plan, instant: number): number {
  const k = plan.kind === 'local'
    ? localPeriodIndex(plan, instant - 2 * DAY)
    : Math.floor((instant - plan.origin) / plan.step) - 1;
  return Math.max(0, k);
}

/** BYSETPOS: keep the given 1-based positions (negative from the end) of a period's sorted set. */
function applySetPos(sorted: number[], setPos: number[] | undefined): number[] {
  if (!setPos) return sorted;
  const picked = new Set<number>();
  for (const position of setPos) {
    const value = sorted[position > 0 ? position - 1 : sorted.length + position];
    if (value !== undefined) picked.add(value);
  }
  return [...picked].sort((a, b) => a - b);
}

function localOccurrences(plan: LocalPlan, k: number): number[] {
  const { first, length } = periodDays(plan, k);
  const walls: number[] = [];
  for (let day = first; day < first + length; day++) {
    if (!matchesDay(plan.days, civil(day))) continue;
    for (const time of plan.times) walls.push(day * DAY + time);
  }
  const instants = applySetPos(walls, plan.rule.bySetPos).map((wall) => toInstant(plan.clock, wall) + plan.ms);
  return instants.sort((a, b) => a - b); // a gap shift can reorder neighbours (02:30 → 03:30 passes 03:00)
}

function matchesLimits(plan: AbsolutePlan, f: Local): boolean {
  const inList = (list: number[] | undefined, value: number) => !list || list.includes(value);
  return matchesDay(plan.days, f) && inList(plan.limitHours, f.hour)
    && inList(plan.limitMinutes, f.minute) && inList(plan.limitSeconds, f.second);
}

/** Candidate instants of the absolute period starting at `begin`, expanding BYMINUTE/BYSECOND on the local clock. */
function absoluteCandidates(plan: AbsolutePlan, begin: number): number[] {
  if (!plan.expandSeconds) return [begin];
  const base = localFields(toWall(plan.clock, begin));
  const candidates: number[] = [];
  for (const minute of plan.expandMinutes ?? [base.minute]) {
    for (const second of plan.expandSeconds) {
      candidates.push(begin + (mod(minute - base.minute, 60) * 60 + mod(second - base.second, 60)) * SECOND);
    }
  }
  return candidates.sort((a, b) => a - b);
}

function absoluteOccurrences(plan: AbsolutePlan, k: number): number[] {
  const candidates = absoluteCandidates(plan, plan.origin + k * plan.step);
  const matching = plan.hasLimits
    ? candidates.filter((instant) => matchesLimits(plan, localFields(toWall(plan.clock, instant))))
    : candidates;
  return applySetPos(matching, plan.rule.bySetPos).map((instant) => instant + plan.ms);
}

/**
 * Absolute plans step through seconds or minutes, so a limit that fails for a whole day, hour or
 * minute jumps straight past it instead of visiting every period inside. Returns the period to
 * process (k itself when no jump applies) or null when no later day can ever match.
 */
function absoluteSkip(plan: AbsolutePlan, k: number): number | null {
  if (!plan.hasLimits) return k;
  const wall = toWall(plan.clock, plan.origin + k * plan.step);
  const f = localFields(wall);
  let boundary: number;
  if (!matchesDay(plan.days, f)) {
    const day = nextMatchingDay(plan.days, f.dayNum + 1);
    if (day === null) return null;
    boundary = day * DAY;
  } else if (plan.limitHours && !plan.limitHours.includes(f.hour)) {
    boundary = (Math.floor(wall / HOUR) + 1) * HOUR;
  } else if (plan.rule.freq === 'SECONDLY' && plan.limitMinutes && !plan.limitMinutes.includes(f.minute)) {
    boundary = (Math.floor(wall / MINUTE) + 1) * MINUTE;
  } else {
    return k;
  }
  // The period containing the boundary may hold matches after it, so land on it rather than past it.
  return Math.max(k, Math.floor((toInstant(plan.clock, boundary) - plan.origin) / plan.step));
}

// ─── Iteration ──────────────────────────────────────────────────────────────────────────────

/**
 * Occurrences generated by the rule strictly after DTSTART, ascending, from period `firstPeriod` on.
 * Ends past UNTIL, after 400 years without an occurrence, or after MAX_EMPTY_STEPS empty periods.
 */
function* expansion(plan: Plan, firstPeriod: number): Generator<number> {
  let last = plan.start;
  let progress = periodStart(plan, firstPeriod); // where the latest occurrence was found
  let emptySteps = 0;
  let k = firstPeriod;
  while (emptySteps < MAX_EMPTY_STEPS) {
    const begin = periodStart(plan, k);
    const ended = begin - 2 * DAY > Math.min(plan.untilMs, MAX_DATE_MS);
    if (ended || begin - progress > HORIZON_MS) return;
    const target = plan.kind === 'absolute' ? absoluteSkip(plan, k) : k;
    if (target === null) return;
    emptySteps++;
    if (target > k) {
      k = target;
      continue;
    }
    const instants = plan.kind === 'local' ? localOccurrences(plan, k) : absoluteOccurrences(plan, k);
    for (const instant of instants) {
      if (instant <= last) continue; // before DTSTART, or an instant reached twice (DST gap)
      last = instant;
      progress = begin;
      emptySteps = 0;
      yield instant;
    }
    k++;
  }
}

/**
 * The whole series: DTSTART first (always occurrence #1), then the expansion, cut by COUNT and
 * UNTIL. Without COUNT nothing needs counting, so expansion starts near `hint` instead of at DTSTART.
 */
function* series(plan: Plan, hint: number): Generator<number> {
  const { count } = plan.rule;
  if (plan.start > plan.untilMs) return;
  yield plan.start;
  let emitted = 1;
  const firstPeriod = count === undefined ? periodNear(plan, hint) : 0;
  for (const instant of expansion(plan, firstPeriod)) {
    if (instant > Math.min(plan.untilMs, MAX_DATE_MS) || (count !== undefined && emitted >= count)) return;
    emitted++;
    yield instant;
  }
}

// ─── Public API ─────────────────────────────────────────────────────────────────────────────

/**
 * The first occurrence strictly after `after` (DTSTART = `start` itself when `after` precedes it),
 * honouring COUNT (DTSTART included) and UNTIL; null when the series has ended.
 * Throws an Error for an unknown time zone or an invalid Date.
 */
export function nextOccurrence(rule: RecurrenceRule, start: Date, timeZone: string, after: Date): Date | null {
  const plan = makePlan(rule, start, timeZone);
  const afterMs = instantOf(after, 'after');
  for (const instant of series(plan, afterMs)) if (instant > afterMs) return new Date(instant);
  return null;
}

/** Occurrences in [from, to) — `from` inclusive, `to` exclusive — at most `limit` of them, ascending. */
export function occurrencesBetween(
  rule: RecurrenceRule, start: Date, timeZone: string, from: Date, to: Date, limit: number,
): Date[] {
  const plan = makePlan(rule, start, timeZone);
  const fromMs = instantOf(from, 'from');
  const toMs = instantOf(to, 'to');
  const found: Date[] = [];
  if (limit <= 0 || toMs <= fromMs) return found;
  for (const instant of series(plan, fromMs - 1)) {
    if (instant >= toMs) break;
    if (instant >= fromMs) found.push(new Date(instant));
    if (found.length >= limit) break;
  }
  return found;
}

/**
 * Parses the rule and rejects one that never fires after its first occurrence (`start`): UNTIL
 * before start, COUNT=1, or BY* parts no date satisfies (FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30).
 */
export function validateRecurrence(text: string, start: Date, timeZone: string): ParseResult {
  const parsed = parseRecurrence(text);
  if (!parsed.ok) return parsed;
  const { rule } = parsed;
  const first = new Date(instantOf(start, 'start')).toISOString();
  if (rule.until && rule.until.getTime() < start.getTime()) {
    return { ok: false, message: `UNTIL (${rule.until.toISOString()}) is before the first occurrence (${first})` };
  }
  if (nextOccurrence(rule, start, timeZone, start) !== null) return parsed;
  if (rule.count === 1) return { ok: false, message: 'COUNT=1 allows only the first occurrence, so the rule never repeats' };
  const until = rule.until ? ` before UNTIL (${rule.until.toISOString()})` : '';
  return { ok: false, message: `The rule never fires after its first occurrence (${first})${until}: no date matches it` };
}

// ─── Rhythm ─────────────────────────────────────────────────────────────────────────────────

/** How many generated instants a rule's rhythm is looked for in, when it cannot be read off the rule. */
const GAP_SAMPLE = 200;
const FREQ_STEP: Partial<Record<RecurrenceRule['freq'], number>> = { SECONDLY: SECOND, MINUTELY: MINUTE, HOURLY: HOUR };

/**
 * A gap shorter than `minMs` between two consecutive occurrences the rule generates, or null when it
 * has none, so that a rule firing more often than a minimum (MIN_RECURRENCE_SECONDS) can be refused.
 * - COUNT and UNTIL are set aside: they end a series, they do not change its rhythm (SECONDLY;COUNT=2
 *   still fires a second apart).
 * - DTSTART is left out: it is the reminder's first remindAt, chosen freely, and a first gap shorter
 *   than the rule's own (DAILY at 09:00 created at 08:59:30) is not a rhythm.
 * - Read off the rule when it can be: without BY* parts, HOURLY and finer step INTERVAL × FREQ in
 *   absolute time; DAILY and coarser without BYSETPOS repeat the same local times on every day they
 *   fire, so no gap is shorter than the closest two of those times (across midnight included).
 * - Otherwise expanded: the first GAP_SAMPLE generated instants, however far ahead they start
 *   (SECONDLY;BYYEARDAY=366 fires every second of a day years away), stopping at the first short gap.
 * - A gap is the longer of its real duration and its wall-clock one, so a daily rule is 24 h apart
 *   across a DST change (23 h real) and an hourly one 1 h apart across the repeated hour (0 h on the wall).
 *   (A BYSETPOS choice of times that a spring-forward gap pushes together is not looked for.)
 */
export function gapShorterThan(rule: RecurrenceRule, start: Date, timeZone: string, minMs: number): number | null {
  const hasParts = Boolean(rule.byDay?.length || rule.byMonthDay?.length || rule.byMonth?.length || rule.byYearDay?.length
    || rule.byWeekNo?.length || rule.byHour?.length || rule.byMinute?.length || rule.bySecond?.length || rule.bySetPos?.length);
  const step = FREQ_STEP[rule.freq];
  if (step !== undefined && !hasParts) return step * rule.interval < minMs ? step * rule.interval : null;
  const plan = makePlan({ ...rule, count: undefined, until: undefined }, start, timeZone);
  if (plan.kind === 'local' && !plan.rule.bySetPos && minMs <= DAY) {
    const { times } = plan;
    let closest = DAY - (times[times.length - 1]! - times[0]!);
    for (let i = 1; i < times.length; i++) closest = Math.min(closest, times[i]! - times[i - 1]!);
    if (times.length === 1 || closest >= minMs) return null;
  }
  let previous: number | null = null;
  let seen = 0;
  for (const instant of expansion(plan, 0)) {
    if (previous !== null) {
      const gap = Math.max(instant - previous, toWall(plan.clock, instant) - toWall(plan.clock, previous));
      if (gap < minMs) return gap;
    }
    previous = instant;
    if (++seen >= GAP_SAMPLE) break;
  }
  return null;
}
