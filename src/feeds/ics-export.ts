/**
 * Writes a calendar as an RFC 5545 feed that Google Calendar, Outlook and Apple Calendar import: times
 * in the calendar's zone with its VTIMEZONE (built from the tz database for the years the events span),
 * stable UIDs, SEQUENCE, STATUS, VALARM per event reminder, RFC 7986 REFRESH-INTERVAL. Pure and
 * deterministic (DTSTAMP is the event's last change), so an unchanged calendar gives the same bytes
 * and the same ETag.
 */
import ICAL from 'ical.js';
import { DateTime } from 'luxon';

export type ExportCalendar = { id: string; name: string; timeZone: string; refreshMinutes: number };
export type ExportEvent = {
  id: string; title: string; startsAt: Date; endsAt: Date; location: string | null; attendees: string[];
  cancelled: boolean; transparent: boolean; sequence: number;
  /** Written as VALUE=DATE: the local dates of startsAt and endsAt in the calendar's zone. */
  allDay?: boolean;
  description?: string | null; createdAt: Date; updatedAt: Date;
  /** One VALARM per event reminder, this many minutes before the start. */
  alarmsMinutesBefore: number[];
};

const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT']);

export function writeIcs(calendar: ExportCalendar, events: readonly ExportEvent[]): string {
  const vcalendar = new ICAL.Component('vcalendar');
  vcalendar.addPropertyWithValue('prodid', '-//Tickler//Calendar feed//EN');
  vcalendar.addPropertyWithValue('version', '2.0');
  vcalendar.addPropertyWithValue('calscale', 'GREGORIAN');
  vcalendar.addPropertyWithValue('method', 'PUBLISH');
  vcalendar.addPropertyWithValue('x-wr-calname', calendar.name);
  vcalendar.addPropertyWithValue('x-wr-timezone', calendar.timeZone);
  const refresh = new ICAL.Property('refresh-interval', vcalendar);
  refresh.setParameter('value', 'DURATION');
  refresh.setValue(`PT${calendar.refreshMinutes}M`);
  vcalendar.addProperty(refresh);
  vcalendar.addPropertyWithValue('x-published-ttl', `PT${calendar.refreshMinutes}M`);
  const utc = UTC_ZONES.has(calendar.timeZone);
  if (!utc && events.length > 0) {
    const years = events.flatMap((e) => [e.startsAt, e.endsAt]).map((d) => DateTime.fromJSDate(d, { zone: calendar.timeZone }).year);
    vcalendar.addSubcomponent(vtimezone(calendar.timeZone, Math.min(...years), Math.max(...years)));
  }
  for (const event of events) vcalendar.addSubcomponent(vevent(event, utc ? null : calendar.timeZone));
  return vcalendar.toString().replace(/\r?\n/g, '\r\n') + '\r\n';
}

function vevent(event: ExportEvent, zone: string | null): ICAL.Component {
  const v = new ICAL.Component('vevent');
  v.addPropertyWithValue('uid', `${event.id}@tickler`);
  v.addPropertyWithValue('dtstamp', utcTime(event.updatedAt));
  v.addProperty(event.allDay ? dateProperty('dtstart', event.startsAt, zone) : timeProperty('dtstart', event.startsAt, zone));
  v.addProperty(event.allDay ? dateProperty('dtend', event.endsAt, zone) : timeProperty('dtend', event.endsAt, zone));
  v.addPropertyWithValue('summary', event.title);
  if (event.location) v.addPropertyWithValue('location', event.location);
  if (event.description) v.addPropertyWithValue('description', event.description);
  v.addPropertyWithValue('sequence', event.sequence);
  v.addPropertyWithValue('status', event.cancelled ? 'CANCELLED' : 'CONFIRMED');
  v.addPropertyWithValue('transp', event.transparent || event.cancelled ? 'TRANSPARENT' : 'OPAQUE');
  v.addPropertyWithValue('created', utcTime(event.createdAt));
  v.addPropertyWithValue('last-modified', utcTime(event.updatedAt));
  for (const attendee of event.attendees) {
    const property = new ICAL.Property('attendee', v);
    property.setParameter('cn', attendee);
    property.setValue(`mailto:${attendee}`);
    v.addProperty(property);
  }
  if (!event.cancelled) {
    for (const minutes of event.alarmsMinutesBefore) {
      const alarm = new ICAL.Component('valarm');
      alarm.addPropertyWithValue('action', 'DISPLAY');
      alarm.addPropertyWithValue('description', event.title);
      alarm.addPropertyWithValue('trigger', ICAL.Duration.fromSeconds(-minutes * 60));
      v.addSubcomponent(alarm);
    }
  }
  return v;
}

/** A DATE value: the local date of the instant (midnight of an all-day event) in the calendar's zone. */
function dateProperty(name: string, instant: Date, zone: string | null): ICAL.Property {
  const local = DateTime.fromJSDate(instant, { zone: zone ?? 'UTC' });
  const property = new ICAL.Property(name);
  property.resetType('date');
  property.setValue(ICAL.Time.fromData({ year: local.year, month: local.month, day: local.day, isDate: true }));
  return property;
}

function timeProperty(name: string, instant: Date, zone: string | null): ICAL.Property {
  const property = new ICAL.Property(name);
  if (!zone) {
    property.setValue(utcTime(instant));
    return property;
  }
  const local = DateTime.fromJSDate(instant, { zone });
  if (isAmbiguous(local)) {
    // The repeated hour of a DST change: readers disagree on which instance a local time names
    // (RFC 5545 says the first, ical.js takes the second), so such a time is written in UTC.
    property.setValue(utcTime(instant));
    return property;
  }
  property.setParameter('tzid', zone);
  property.setValue(ICAL.Time.fromData({ year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute, second: local.second, isDate: false }));
  return property;
}

/** Whether the local time also names another instant (the hour repeated when clocks go back). */
function isAmbiguous(local: DateTime): boolean {
  for (const shift of [-3, 3]) {
    const other = local.plus({ hours: shift }).offset;
    if (other === local.offset) continue;
    const twin = local.plus({ minutes: local.offset - other });
    if (twin.toFormat('yyyyMMddHHmmss') === local.toFormat('yyyyMMddHHmmss')) return true;
  }
  return false;
}

function utcTime(date: Date): ICAL.Time {
  return ICAL.Time.fromJSDate(date, true);
}

/**
 * A VTIMEZONE with one observance per UTC-offset change from the year before `fromYear` to the end of
 * `toYear`, found by walking the tz database day by day and narrowing each change to the minute.
 */
export function vtimezone(zone: string, fromYear: number, toYear: number): ICAL.Component {
  const component = new ICAL.Component('vtimezone');
  component.addPropertyWithValue('tzid', zone);
  const start = DateTime.fromObject({ year: fromYear - 1, month: 1, day: 1 }, { zone: 'UTC' }).toMillis();
  const end = DateTime.fromObject({ year: toYear + 1, month: 1, day: 1 }, { zone: 'UTC' }).toMillis();
  const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  const transitions: { at: number; from: number; to: number }[] = [];
  const day = 86_400_000;
  for (let t = start; t < end; t += day) {
    const from = offsetAt(t);
    if (offsetAt(t + day) === from) continue;
    let lo = t;
    let hi = t + day;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetAt(mid) === from) lo = mid;
      else hi = mid;
    }
    transitions.push({ at: hi, from, to: offsetAt(hi) });
  }
  const standardOffset = Math.min(offsetAt(start), ...transitions.map((t) => t.to));
  if (transitions.length === 0) {
    const offset = offsetAt(start);
    transitions.push({ at: start, from: offset, to: offset });
  }
  for (const transition of transitions) {
    const observance = new ICAL.Component(transition.to > standardOffset ? 'daylight' : 'standard');
    // DTSTART is the local time of the change in the offset that was in force before it.
    const local = DateTime.fromMillis(transition.at, { zone: 'UTC' }).plus({ minutes: transition.from });
    observance.addPropertyWithValue('dtstart', ICAL.Time.fromData({ year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute, second: 0, isDate: false }));
    observance.addPropertyWithValue('tzoffsetfrom', ICAL.UtcOffset.fromSeconds(transition.from * 60));
    observance.addPropertyWithValue('tzoffsetto', ICAL.UtcOffset.fromSeconds(transition.to * 60));
    component.addSubcomponent(observance);
  }
  return component;
}
