/**
 * RFC 5545 recurrence rules (RRULE) for reminders: the rule's types, and the rule text ↔ rule
 * side — parsing (with validation of each part and of their combinations) and formatting.
 * Expansion into occurrences lives in recurrence.ts, which re-exports this module's public names.
 *
 * A PURE module: no clock reads, no environment, no I/O.
 *
 * Rule text — the choices RFC 5545 leaves open, or that matter for reminders:
 * - UNTIL must be UTC (…Z); COUNT and UNTIL are mutually exclusive. BYSECOND stops at 59: leap
 *   seconds do not exist on the clocks reminders run on.
 */
export const FREQS = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export type Freq = (typeof FREQS)[number];
/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export type ByDay = { weekday: Weekday; nth?: number };

export type RecurrenceRule = {
  freq: Freq;
  interval: number;
  count?: number;
  until?: Date;
  byDay?: ByDay[];
  byMonthDay?: number[];
  byMonth?: number[];
  byYearDay?: number[];
  byWeekNo?: number[];
  byHour?: number[];
  byMinute?: number[];
  bySecond?: number[];
  bySetPos?: number[];
  wkst: Weekday;
};

export type ParseResult = { ok: true; rule: RecurrenceRule } | { ok: false; message: string };

const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

// ─── Parsing ────────────────────────────────────────────────────────────────────────────────

/** A user mistake in the rule text; caught by parseRecurrence and turned into a message. */
class RuleError extends Error {}

type Draft = Partial<RecurrenceRule>;
type Range = { min: number; max: number; signed: boolean };

/** Rule part name → how its value is parsed into the draft. Case-insensitive: names arrive upper-cased. */
const PARTS = new Map<string, (draft: Draft, raw: string) => void>([
  ['FREQ', (d, raw) => (d.freq = parseFreq(raw))],
  ['INTERVAL', (d, raw) => (d.interval = positiveInt('INTERVAL', raw))],
  ['COUNT', (d, raw) => (d.count = positiveInt('COUNT', raw))],
  ['UNTIL', (d, raw) => (d.until = parseUntil(raw))],
  ['WKST', (d, raw) => (d.wkst = parseWeekday('WKST', raw))],
  ['BYDAY', (d, raw) => (d.byDay = parseByDay(raw))],
  ['BYSECOND', (d, raw) => (d.bySecond = intList('BYSECOND', raw, { min: 0, max: 59, signed: false }))],
  ['BYMINUTE', (d, raw) => (d.byMinute = intList('BYMINUTE', raw, { min: 0, max: 59, signed: false }))],
  ['BYHOUR', (d, raw) => (d.byHour = intList('BYHOUR', raw, { min: 0, max: 23, signed: false }))],
  ['BYMONTH', (d, raw) => (d.byMonth = intList('BYMONTH', raw, { min: 1, max: 12, signed: false }))],
  ['BYMONTHDAY', (d, raw) => (d.byMonthDay = intList('BYMONTHDAY', raw, { min: 1, max: 31, signed: true }))],
  ['BYYEARDAY', (d, raw) => (d.byYearDay = intList('BYYEARDAY', raw, { min: 1, max: 366, signed: true }))],
  ['BYWEEKNO', (d, raw) => (d.byWeekNo = intList('BYWEEKNO', raw, { min: 1, max: 53, signed: true }))],
  ['BYSETPOS', (d, raw) => (d.bySetPos = intList('BYSETPOS', raw, { min: 1, max: 366, signed: true }))],
]);

/**
 * Parses an RRULE body such as `FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9` (an optional leading `RRULE:` is
 * accepted; names and values are case-insensitive). DTSTART is refused: it is the reminder's remindAt.
 */
export function parseRecurrence(text: string): ParseResult {
  try {
    return { ok: true, rule: parseRule(text) };
  } catch (error) {
    if (error instanceof RuleError) return { ok: false, message: error.message };
    throw error;
  }
}

function parseRule(text: string): RecurrenceRule {
  const body = text.trim().replace(/^RRULE:/i, '');
  if (body.trim() === '') throw new RuleError('The recurrence rule is empty');
  const draft: Draft = {};
  const seen = new Set<string>();
  for (const part of body.split(';')) {
    if (part.trim() === '') continue; // tolerate "FREQ=DAILY;" and ";;"
    const { name, raw } = splitPart(part);
    const parse = PARTS.get(name);
    if (!parse) throw new RuleError(`Unknown rule part '${part.split('=')[0]?.trim()}'`);
    if (seen.has(name)) throw new RuleError(`${name} is given more than once`);
    seen.add(name);
    parse(draft, raw);
  }
  return finishRule(draft);
}

function splitPart(part: string): { name: string; raw: string } {
  const eq = part.indexOf('=');
  const name = part.slice(0, eq).trim().toUpperCase();
  if (eq <= 0 || name === '') throw new RuleError(`Malformed rule part '${part.trim()}' (expected NAME=VALUE)`);
  if (name === 'DTSTART') {
    throw new RuleError("DTSTART cannot be part of the rule: the reminder's remindAt is the first occurrence");
  }
  const raw = part.slice(eq + 1).trim();
  if (raw === '' && PARTS.has(name)) throw new RuleError(`${name} has no value`);
  return { name, raw };
}

function finishRule(draft: Draft): RecurrenceRule {
  const { freq } = draft;
  if (!freq) throw new RuleError('FREQ is required (e.g. FREQ=DAILY)');
  if (draft.count !== undefined && draft.until !== undefined) {
    throw new RuleError('COUNT and UNTIL cannot both be set');
  }
  const rule: RecurrenceRule = { interval: 1, wkst: 1, ...draft, freq };
  checkCombinations(rule);
  return rule;
}

/** The RFC 5545 restrictions on which BY* parts make sense with which FREQ. */
function checkCombinations(rule: RecurrenceRule): void {
  const { freq } = rule;
  if (rule.byWeekNo && freq !== 'YEARLY') throw new RuleError('BYWEEKNO is only allowed with FREQ=YEARLY');
  if (rule.byYearDay && (freq === 'DAILY' || freq === 'WEEKLY' || freq === 'MONTHLY')) {
    throw new RuleError(`BYYEARDAY is not allowed with FREQ=${freq}`);
  }
  if (rule.byMonthDay && freq === 'WEEKLY') throw new RuleError('BYMONTHDAY is not allowed with FREQ=WEEKLY');
  const ordinals = (rule.byDay ?? []).filter((d) => d.nth !== undefined);
  if (ordinals.length > 0 && freq !== 'MONTHLY' && freq !== 'YEARLY') {
    throw new RuleError('BYDAY ordinals such as 1MO or -1FR need FREQ=MONTHLY or FREQ=YEARLY');
  }
  if (ordinals.length > 0 && rule.byWeekNo) throw new RuleError('BYDAY ordinals cannot be combined with BYWEEKNO');
  const inMonth = freq === 'MONTHLY' || rule.byMonth !== undefined;
  if (inMonth && ordinals.some((d) => Math.abs(d.nth ?? 0) > 5)) {
    throw new RuleError('BYDAY ordinals must be between -5 and 5 when counted within a month');
  }
  const hasOtherBy = rule.byDay || rule.byMonthDay || rule.byMonth || rule.byYearDay || rule.byWeekNo
    || rule.byHour || rule.byMinute || rule.bySecond;
  if (rule.bySetPos && !hasOtherBy) throw new RuleError('BYSETPOS needs another BY rule part to select from');
}

function parseFreq(raw: string): Freq {
  const freq = FREQS.find((f) => f === raw.toUpperCase());
  if (!freq) throw new RuleError(`Unknown FREQ '${raw}'`);
  return freq;
}

function positiveInt(name: string, raw: string): number {
  const n = /^\+?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new RuleError(`${name} must be a positive integer`);
  return n;
}

/** A comma list of integers, checked against its range; returned sorted and without duplicates. */
function intList(name: string, raw: string, range: Range): number[] {
  const values = raw.split(',').map((item) => {
    const text = item.trim();
    if (!/^[+-]?\d+$/.test(text)) throw new RuleError(`${name} value '${text}' is not an integer`);
    const n = Number(text);
    const size = Math.abs(n);
    if ((!range.signed && n < 0) || size < range.min || size > range.max) throw new RuleError(rangeMessage(name, range));
    return n;
  });
  return [...new Set(values)].sort((a, b) => a - b);
}

function rangeMessage(name: string, { min, max, signed }: Range): string {
  return signed ? `${name} must be between -${max} and ${max} (excluding 0)` : `${name} must be between ${min} and ${max}`;
}

function parseWeekday(name: string, raw: string): Weekday {
  const index = WEEKDAY_CODES.findIndex((code) => code === raw.toUpperCase());
  if (index < 0) throw new RuleError(`${name} must be one of ${WEEKDAY_CODES.join(', ')}`);
  return (index + 1) as Weekday;
}

function parseByDay(raw: string): ByDay[] {
  const days = new Map<string, ByDay>();
  for (const item of raw.split(',')) {
    const match = /^([+-]?\d{1,2})?([A-Z]{2})$/i.exec(item.trim());
    if (!match) throw new RuleError(`BYDAY value '${item.trim()}' is not a weekday such as MO, 2TU or -1FR`);
    const weekday = parseWeekday('BYDAY weekdays', match[2] ?? '');
    const nth = match[1] === undefined ? undefined : Number(match[1]);
    if (nth !== undefined && (nth === 0 || Math.abs(nth) > 53)) {
      throw new RuleError('BYDAY ordinals must be between -53 and 53 (excluding 0)');
    }
    days.set(`${nth ?? ''}${weekday}`, nth === undefined ? { weekday } : { weekday, nth });
  }
  return [...days.values()];
}

/** UNTIL must be UTC: a floating or date-only UNTIL would need the zone, which the text does not carry. */
function parseUntil(raw: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/i.exec(raw);
  const [year, month, day, hour, minute, second] = (m ?? []).slice(1).map(Number);
  const date = new Date(Date.UTC(year ?? NaN, (month ?? NaN) - 1, day, hour, minute, second));
  const roundTrips = m !== null && formatUntil(date) === raw.toUpperCase();
  if (!roundTrips) throw new RuleError('UNTIL must be a UTC date-time such as 20251231T235959Z');
  return date;
}

// ─── Formatting ─────────────────────────────────────────────────────────────────────────────

/** The canonical RRULE text of a rule (parseRecurrence(formatRecurrence(r)) gives r back). */
export function formatRecurrence(rule: RecurrenceRule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  if (rule.until) parts.push(`UNTIL=${formatUntil(rule.until)}`);
  const lists: [string, number[] | undefined][] = [
    ['BYMONTH', rule.byMonth], ['BYWEEKNO', rule.byWeekNo], ['BYYEARDAY', rule.byYearDay],
    ['BYMONTHDAY', rule.byMonthDay],
  ];
  for (const [name, values] of lists) if (values?.length) parts.push(`${name}=${values.join(',')}`);
  if (rule.byDay?.length) parts.push(`BYDAY=${rule.byDay.map(formatByDay).join(',')}`);
  const times: [string, number[] | undefined][] = [
    ['BYHOUR', rule.byHour], ['BYMINUTE', rule.byMinute], ['BYSECOND', rule.bySecond], ['BYSETPOS', rule.bySetPos],
  ];
  for (const [name, values] of times) if (values?.length) parts.push(`${name}=${values.join(',')}`);
  if (rule.wkst !== 1) parts.push(`WKST=${WEEKDAY_CODES[rule.wkst - 1]}`);
  return parts.join(';');
}

function formatByDay({ weekday, nth }: ByDay): string {
  return `${nth ?? ''}${WEEKDAY_CODES[weekday - 1]}`;
}

function formatUntil(date: Date): string {
  return date.toISOString().replace(/\.\d{3}/, '').replace(/[-:]/g, '');
}
