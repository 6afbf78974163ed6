/**
 * Turns an iCalendar (RFC 5545) feed into the event instances it holds inside a window: recurring
 * events are expanded (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides), times are resolved to instants.
 * Pure: the window, the fallback zone and the cap come in; nothing reads the clock or the environment.
 *
 * ical.js does the parsing and the recurrence expansion. Times whose TZID the feed defines with a
 * VTIMEZONE are resolved by ical.js; a TZID without one (an IANA name, or a Windows name as Exchange
 * writes them) stays "floating" in ical.js, which would then depend on the process zone, so those
 * wall-clock times are resolved here through the tz database (luxon), with Windows names mapped by
 * the CLDR table of windows-iana.
 */
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { findIana } from 'windows-iana';
import type { TimeRange } from '../shared/time-range.ts';
import { lineOf, readLeniently } from './ics-lenient.ts';

/** One occurrence of a feed event, as it will be mirrored. */
export type FeedInstance = {
  /** UID + RECURRENCE-ID (or instance start): stable across fetches for well-behaved feeds. */
  key: string;
  /** Start, end, title: matches instances of feeds whose UIDs change on every fetch. */
  contentKey: string;
  uid: string;
  title: string;
  start: number;
  end: number;
  allDay: boolean;
  location: string | null;
  /** DESCRIPTION, trimmed; null when empty (Outlook writes `DESCRIPTION:\n`). */
  description?: string | null;
  attendees: string[];
  /** TRANSP:TRANSPARENT — shown, but the time stays free. */
  transparent: boolean;
  /** STATUS:CANCELLED — shown as cancelled, the time stays free. */
  cancelled: boolean;
};

export type ParseOptions = {
  /** Instances that end before window.start or start at/after window.end are left out. */
  window: TimeRange;
  /** Zone of all-day events and of floating times without a TZID. */
  defaultZone: string;
  /** More instances than this fails the parse (an RRULE that would expand to millions). */
  maxInstances: number;
};

/** A feed that cannot be used; the sync keeps the last good events and records the message. */
export class FeedParseError extends Error {
  override name = 'FeedParseError';
}

/** Recurrence steps walked per series before the window; bounds the cost of a FREQ=MINUTELY rule from 1970 (a daily series from 1950 fits). */
const MAX_STEPS_PER_SERIES = 30_000;
/** Overrides may move an instance into the window from later: series are walked this far past its end. */
const OVERRIDE_PAD_MS = 400 * 86_400_000;
const MAX_TITLE = 500;
const MAX_DESCRIPTION = 10_000;

export function parseFeed(text: string, options: ParseOptions): FeedInstance[] {
  return parseFeedWithWarnings(text, options).instances;
}

/** parseFeed, with what was read leniently (ics-lenient.ts): shown to the feed's owner, never fatal. */
export function parseFeedWithWarnings(text: string, options: ParseOptions): { instances: FeedInstance[]; warnings: string[] } {
  const lenient = readLeniently(text);
  try {
    return { instances: parseChecked(lenient.text, options), warnings: lenient.warnings };
  } catch (error) {
    if (error instanceof FeedParseError) throw error;
    // ical.js throws plain errors (even TypeErrors) on odd values deep in a feed: still the feed's fault,
    // but their text describes ical.js, not the feed. The message names the line instead.
    const bad = badValue(text);
    if (bad) throw new FeedParseError(`The feed could not be read: line ${bad.line} has a value that is not valid (${bad.content})`);
    throw new FeedParseError('The feed could not be read (a value ical.js could not interpret)');
  }
}

function parseChecked(text: string, options: ParseOptions): FeedInstance[] {
  const calendar = parseCalendar(text);
  const zone = calendar.getFirstPropertyValue('x-wr-timezone');
  const defaultZone = typeof zone === 'string' && ianaZone(zone) ? ianaZone(zone)! : options.defaultZone;
  const resolver = createResolver(defaultZone);
  const vevents = calendar.getAllSubcomponents('vevent');
  const masters = new Map<string, ICAL.Component>();
  const overrides = new Map<string, ICAL.Component[]>();
  for (const [index, vevent] of vevents.entries()) {
    if (!vevent.hasProperty('dtstart')) throw new FeedParseError(`VEVENT ${describe(vevent, index)} has no DTSTART`);
    // A PERIOD there would make ical.js take the current time as the start: outside RFC 5545, refused.
    if (!(vevent.getFirstPropertyValue('dtstart') instanceof ICAL.Time)) {
      const line = lineOf(text, /^DTSTART[;:].*VALUE=PERIOD/i);
      throw new FeedParseError(`VEVENT ${describe(vevent, index)} has a DTSTART that is neither a date nor a date-time${line ? ` (line ${line})` : ''}`);
    }
    const uid = uidOf(vevent);
    if (vevent.hasProperty('recurrence-id')) {
      overrides.set(uid, [...(overrides.get(uid) ?? []), vevent]);
    } else {
      const earlier = masters.get(uid);
      // Two masters with one UID: the later revision (SEQUENCE, then position) wins.
      if (!earlier || sequenceOf(vevent) >= sequenceOf(earlier)) masters.set(uid, vevent);
    }
  }
  const out = new Map<string, FeedInstance>();
  const add = (instance: FeedInstance) => {
    if (instance.end < options.window.start && instance.start < options.window.start) return;
    if (instance.start >= options.window.end) return;
    if (instance.end < instance.start) instance.end = instance.start;
    out.set(instance.key, instance);
    if (out.size > options.maxInstances) {
      throw new FeedParseError(`The feed expands to more than ${options.maxInstances} events in the window; it was not applied`);
    }
  };
  for (const [uid, master] of masters) {
    const related = dedupeOverrides(overrides.get(uid) ?? []);
    overrides.delete(uid);
    try {
      expandSeries(uid, master, related, resolver, options, add);
    } catch (error) {
      if (error instanceof FeedParseError) throw error;
      throw unreadable(text, uid);
    }
  }
  // Overridden instances whose master the feed left out (free/busy exports do this): events of their own.
  for (const [uid, list] of overrides) {
    for (const vevent of dedupeOverrides(list)) {
      try {
        const event = new ICAL.Event(vevent);
        add(instanceOf(uid, event, event.startDate, event.endDate, event.recurrenceId, resolver));
      } catch (error) {
        if (error instanceof FeedParseError) throw error;
        throw unreadable(text, uid);
      }
    }
  }
  return [...out.values()].sort((a, b) => a.start - b.start || (a.key < b.key ? -1 : 1));
}

function parseCalendar(text: string): ICAL.Component {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (!/^BEGIN:VCALENDAR/i.test(trimmed)) {
    const looksHtml = /^<(!doctype|html|\?xml)/i.test(trimmed);
    throw new FeedParseError(looksHtml ? 'The URL returned a web page, not an iCalendar feed' : 'The body is not an iCalendar feed (no BEGIN:VCALENDAR)');
  }
  let jcal: unknown;
  try {
    jcal = ICAL.parse(trimmed);
  } catch (error) {
    // Lines are counted in the feed as received: the blank lines trimmed off its start count too.
    const skipped = (/^\s*/.exec(text.replace(/^\uFEFF/, ''))![0].match(/\n/g) ?? []).length;
    const found = badLine(trimmed);
    const line = found === null ? null : found + skipped;
    // ical.js's parse errors quote the feed ("invalid line (no token ...)"); anything else is its own internals.
    const why = error instanceof TypeError ? 'a line ical.js could not interpret' : (error as Error).message;
    throw new FeedParseError(`The feed is malformed${line ? ` at line ${line}` : ''}: ${why}`);
  }
  const component = new ICAL.Component((Array.isArray(jcal) && Array.isArray(jcal[0]) ? jcal[0] : jcal) as never);
  if (component.name !== 'vcalendar') throw new FeedParseError('The feed is malformed: the top component is not VCALENDAR');
  preferIanaZones(component);
  return component;
}

/**
 * A VTIMEZONE whose TZID names a zone IANA knows (or a Windows name CLDR maps) is dropped, so its times
 * resolve through the tz database like a TZID without one: publishers often write only the observances
 * around their events (iCalcreator's RDATE form starts at the first change after the oldest event), and
 * ical.js reads a time before the first observance as UTC. A zone IANA does not know keeps its own
 * observances, and is given the offset in force before the first one (its TZOFFSETFROM).
 * Must run before any time is read: ical.js looks zones up lazily and caches them.
 */
function preferIanaZones(calendar: ICAL.Component): void {
  for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) {
    const tzid = vtimezone.getFirstPropertyValue('tzid');
    if (typeof tzid === 'string' && ianaZone(tzid)) {
      calendar.removeSubcomponent(vtimezone);
      continue;
    }
    const observances = vtimezone.getAllSubcomponents()
      .filter((o) => o.hasProperty('dtstart') && o.hasProperty('tzoffsetfrom'))
      .sort((a, b) => (a.getFirstPropertyValue('dtstart') as ICAL.Time).compare(b.getFirstPropertyValue('dtstart') as ICAL.Time));
    const first = observances[0];
    if (!first || (first.getFirstPropertyValue('dtstart') as ICAL.Time).year <= 1601) continue;
    const before = (first.getFirstPropertyValue('tzoffsetfrom') as ICAL.UtcOffset).toICALString();
    vtimezone.addSubcomponent(new ICAL.Component(ICAL.parse(
      `BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nTZOFFSETFROM:${before}\r\nTZOFFSETTO:${before}\r\nEND:STANDARD\r\n`,
    ) as never));
  }
}

/** Each property line (continuation lines joined to it) with the number of its first physical line. */
function* propertyLines(text: string): Generator<{ line: number; logical: string }> {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let logical = lines[i]!;
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1]!)) logical += lines[++i]!.slice(1);
    if (/^(BEGIN|END):/i.test(logical) || logical.trim() === '') continue;
    yield { line, logical };
  }
}

/** One property line parsed alone, inside a VEVENT: throws what ical.js throws on it. */
function parseAlone(logical: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n${logical}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`) as never);
}

/**
 * The first line ical.js refuses on its own, for a message that points at it. Only on the failure path:
 * each property line is parsed alone, which costs a parse per line.
 */
function badLine(text: string): number | null {
  for (const { line, logical } of propertyLines(text)) {
    try {
      parseAlone(logical);
    } catch {
      return line;
    }
  }
  return null;
}

/**
 * The first property line whose value ical.js cannot decode (a date-time "tomorrow-ish", an UNTIL that
 * is not a date), each line read alone with its values decoded. Only on the failure path.
 */
function badValue(text: string): { line: number; content: string } | null {
  for (const { line, logical } of propertyLines(text)) {
    const content = logical.length > 80 ? `${logical.slice(0, 77)}...` : logical;
    try {
      for (const property of parseAlone(logical).getFirstSubcomponent('vevent')?.getAllProperties() ?? []) {
        for (const value of property.getValues()) {
          if (value instanceof ICAL.Time && !Number.isFinite(value.toUnixTime())) return { line, content };
        }
      }
    } catch {
      return { line, content };
    }
  }
  return null;
}

/** An event ical.js failed on: the message names the event and its line, never ical.js's own words. */
function unreadable(text: string, uid: string): FeedParseError {
  const escaped = uid.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const line = lineOf(text, new RegExp(`^UID:${escaped}\\s*$`, 'i'));
  return new FeedParseError(`The event "${uid}"${line ? ` (line ${line})` : ''} could not be read; the feed was not applied`);
}

/**
 * Exchange writes the RECURRENCE-ID of an override of an all-day series as a date-time at midnight in
 * its own zone (`RECURRENCE-ID;TZID=GMT Standard Time:20200416T000000`), which never equals the series'
 * DATE instances, so ical.js would drop the override. It is matched by its local date instead.
 */
function dateRecurrenceIds(related: ICAL.Component[], resolver: Resolver): void {
  for (const vevent of related) {
    const property = vevent.getFirstProperty('recurrence-id');
    const id = property?.getFirstValue();
    if (!property || !(id instanceof ICAL.Time) || id.isDate) continue;
    const utc = id.zone?.tzid === 'UTC';
    const local = utc ? DateTime.fromMillis(id.toUnixTime() * 1000, { zone: resolver.defaultZone }) : id;
    property.removeParameter('tzid');
    property.resetType('date');
    property.setValue(ICAL.Time.fromData({ year: local.year, month: local.month, day: local.day, isDate: true }));
  }
}

function expandSeries(uid: string, master: ICAL.Component, related: ICAL.Component[], feedResolver: Resolver, options: ParseOptions, add: (i: FeedInstance) => void): void {
  // ical.js's recurrence iterator clones times without the TZID a floating DTSTART kept: its instances
  // belong to the DTSTART's zone, not the feed's default one.
  const seriesTzid = master.getFirstProperty('dtstart')?.getParameter('tzid');
  const resolver = typeof seriesTzid === 'string' ? createResolver(feedResolver.defaultZone, seriesTzid) : feedResolver;
  const start = master.getFirstPropertyValue('dtstart');
  if (start instanceof ICAL.Time && start.isDate) dateRecurrenceIds(related, resolver);
  // Overrides are handed over: without `exceptions`, ical.js scans every VEVENT of the feed for each
  // master (quadratic: 7 s for 5,000 events).
  const event = new ICAL.Event(master, { exceptions: related });
  if (!event.isRecurring()) {
    add(instanceOf(uid, event, event.startDate, event.endDate, null, resolver));
    return;
  }
  floatUtcRecurrenceTimes(master, event.startDate, resolver);
  if (!master.hasProperty('rrule')) {
    // RFC 5545: DTSTART is always the first instance; ical.js leaves it out of an RDATE-only set.
    const details = event.getOccurrenceDetails(event.startDate);
    add(instanceOf(uid, details.item, details.startDate, details.endDate, details.recurrenceId, resolver));
  }
  const iterator = event.iterator();
  const stopAt = options.window.end + OVERRIDE_PAD_MS;
  for (let steps = 0; ; steps++) {
    let next: ICAL.Time | null;
    let period: ICAL.Period | null = null;
    try {
      const value = iterator.next() as ICAL.Time | ICAL.Period | null;
      // RDATE;VALUE=PERIOD: ical.js hands back the period; the instance starts at its start and keeps its own length.
      if (value instanceof ICAL.Period) period = value;
      next = value instanceof ICAL.Period ? value.start : value;
    } catch (error) {
      throw new FeedParseError(`The recurrence of event ${uid} cannot be expanded: ${(error as Error).message}`);
    }
    if (!next) return;
    if (steps >= MAX_STEPS_PER_SERIES) {
      throw new FeedParseError(`The recurrence of event ${uid} repeats more than ${MAX_STEPS_PER_SERIES} times before the window ends; it was not applied`);
    }
    const recurrenceStart = resolver.instant(next);
    if (recurrenceStart >= stopAt) return;
    const details = event.getOccurrenceDetails(next);
    const end = period && details.item === event ? period.getEnd() : details.endDate;
    add(instanceOf(uid, details.item, details.startDate, end, details.recurrenceId, resolver));
  }
}

/**
 * A DTSTART whose TZID the feed does not define is a wall-clock (floating) time to ical.js, which then
 * compares it with UTC values of UNTIL, EXDATE and RDATE as if they were wall-clock times too. Those
 * values are rewritten as wall-clock times of the DTSTART's zone, so expansion compares like with like.
 */
function floatUtcRecurrenceTimes(master: ICAL.Component, start: ICAL.Time, resolver: Resolver): void {
  if (start.isDate || (start.zone?.tzid && start.zone.tzid !== 'floating')) return;
  const zone = resolver.zoneOf(start);
  const toFloating = (time: ICAL.Time): ICAL.Time => {
    if (time.isDate || time.zone?.tzid !== 'UTC') return time;
    const local = DateTime.fromMillis(time.toUnixTime() * 1000, { zone });
    return ICAL.Time.fromData({ year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute, second: local.second, isDate: false });
  };
  for (const property of master.getAllProperties('rrule')) {
    const recur = property.getFirstValue() as ICAL.Recur;
    if (recur.until) recur.until = toFloating(recur.until);
  }
  for (const name of ['exdate', 'rdate']) {
    for (const property of master.getAllProperties(name)) {
      const values = property.getValues();
      if (values.every((v) => v instanceof ICAL.Time)) property.setValues((values as ICAL.Time[]).map(toFloating));
    }
  }
}

function instanceOf(uid: string, event: ICAL.Event, startDate: ICAL.Time, endDate: ICAL.Time | null, recurrenceId: ICAL.Time | null, resolver: Resolver): FeedInstance {
  const start = resolver.instant(startDate);
  const allDay = startDate.isDate;
  // ical.js applies RFC 5545 3.6.1: no DTEND and no DURATION is one day for a date, zero length for a date-time.
  const end = endDate ? resolver.instant(endDate) : start;
  const title = (event.summary ?? '').toString().trim().slice(0, MAX_TITLE) || '(busy)';
  const status = String(event.component.getFirstPropertyValue('status') ?? '').toUpperCase();
  const transp = String(event.component.getFirstPropertyValue('transp') ?? '').toUpperCase();
  const location = event.location ? String(event.location).slice(0, MAX_TITLE) : null;
  const description = String(event.description ?? '').trim().slice(0, MAX_DESCRIPTION) || null;
  const instanceId = recurrenceId ? String(resolver.instant(recurrenceId)) : '';
  return {
    key: recurrenceId ? `${uid}#${instanceId}` : uid,
    contentKey: `${start}|${end}|${title}`,
    uid,
    title,
    start,
    end,
    allDay,
    location: location || null,
    description,
    attendees: attendeesOf(event.component),
    transparent: transp === 'TRANSPARENT',
    cancelled: status === 'CANCELLED',
  };
}

/** Two VEVENTs with one UID and RECURRENCE-ID: the later revision wins. */
function dedupeOverrides(list: ICAL.Component[]): ICAL.Component[] {
  const byId = new Map<string, ICAL.Component>();
  for (const vevent of list) {
    const id = String(vevent.getFirstPropertyValue('recurrence-id'));
    const earlier = byId.get(id);
    if (!earlier || sequenceOf(vevent) >= sequenceOf(earlier)) byId.set(id, vevent);
  }
  return [...byId.values()];
}

function attendeesOf(vevent: ICAL.Component): string[] {
  return vevent.getAllProperties('attendee')
    .map((p) => String(p.getFirstValue() ?? '').replace(/^mailto:/i, '').trim())
    .filter((a) => a.length > 0 && a.length <= 320)
    .slice(0, 100);
}

function uidOf(vevent: ICAL.Component): string {
  const uid = vevent.getFirstPropertyValue('uid');
  if (typeof uid === 'string' && uid.trim()) return uid.trim().slice(0, 400);
  // No UID (allowed in some exports): the content is the identity.
  return `nouid:${String(vevent.getFirstPropertyValue('dtstart'))}:${String(vevent.getFirstPropertyValue('summary') ?? '')}`.slice(0, 400);
}

function sequenceOf(vevent: ICAL.Component): number {
  const value = Number(vevent.getFirstPropertyValue('sequence'));
  return Number.isFinite(value) ? value : 0;
}

function describe(vevent: ICAL.Component, index: number): string {
  const uid = vevent.getFirstPropertyValue('uid');
  return typeof uid === 'string' ? `"${uid}"` : `#${index + 1}`;
}

type Resolver = { instant(time: ICAL.Time): number; zoneOf(time: ICAL.Time): string; defaultZone: string };

/** Instants of ical.js times; wall-clock (floating) times go through the tz database. */
function createResolver(defaultZone: string, seriesTzid?: string): Resolver {
  const zones = new Map<string, string | null>();
  const zoneFor = (name: string): string => {
    if (!zones.has(name)) zones.set(name, ianaZone(name));
    const iana = zones.get(name);
    if (!iana) throw new FeedParseError(`Unknown time zone "${name}" (no VTIMEZONE in the feed and not an IANA or Windows zone name)`);
    return iana;
  };
  return {
    defaultZone,
    zoneOf: (time) => zoneFor(tzidOf(time) ?? seriesTzid ?? defaultZone),
    instant(time) {
      const tzid = time.zone?.tzid;
      if (!time.isDate && tzid && tzid !== 'floating') return time.toUnixTime() * 1000;
      const zone = time.isDate ? defaultZone : zoneFor(tzidOf(time) ?? seriesTzid ?? defaultZone);
      const local = DateTime.fromObject(
        { year: time.year, month: time.month, day: time.day, hour: time.isDate ? 0 : time.hour, minute: time.isDate ? 0 : time.minute, second: time.isDate ? 0 : time.second },
        { zone },
      );
      return local.toMillis();
    },
  };
}

/** The TZID parameter a floating time kept (ical.js types leave it out). */
function tzidOf(time: ICAL.Time): string | undefined {
  return (time as ICAL.Time & { timezone?: string }).timezone;
}

/** The IANA zone a TZID names: itself, a Windows name via CLDR, or a TZID with a vendor prefix such as "/Europe/Paris". */
export function ianaZone(name: string): string | null {
  const candidates = [name.trim(), name.trim().replace(/^\/(?:[^/]+\/[^/]+\/)?/, '')];
  for (const candidate of candidates) {
    if (candidate && DateTime.local().setZone(candidate).isValid && /\//.test(candidate)) return candidate;
    if (candidate === 'UTC' || candidate === 'GMT') return 'UTC';
    const windows = findIana(candidate)[0];
    if (windows) return windows;
  }
  return null;
}
