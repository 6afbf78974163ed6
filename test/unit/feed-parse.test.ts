import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FeedParseError, parseFeed, parseFeedWithWarnings, type FeedInstance } from '../../src/feeds/ics-parse.ts';
import { diffFeed, instanceHash, type StoredInstance } from '../../src/feeds/feed-diff.ts';
import { nextSyncDelayMs, syncWindow } from '../../src/feeds/feed-schedule.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/ics/${name}.ics`, import.meta.url), 'utf8');
const window = { start: Date.UTC(2030, 9, 1), end: Date.UTC(2030, 11, 31) };
const parse = (text: string, options: Partial<Parameters<typeof parseFeed>[1]> = {}) =>
  parseFeed(text, { window, defaultZone: 'Europe/Paris', maxInstances: 1000, ...options });
const utc = (instance: FeedInstance) => [new Date(instance.start).toISOString(), new Date(instance.end).toISOString()];
const byTitle = (list: FeedInstance[], title: string) => list.filter((i) => i.title === title);

describe('parsing feeds shaped like real exports', () => {
  test('Google: IANA TZIDs, a weekly series with an EXDATE and a moved instance, transparent and cancelled events', () => {
    const instances = parse(fixture('google'));
    const weekly = instances.filter((i) => i.uid === '7kukuqrfedlm2f9t6vcb1h2ma8@google.com');
    assert.deepEqual(weekly.map(utc), [
      ['2030-10-21T07:30:00.000Z', '2030-10-21T08:00:00.000Z'],
      ['2030-10-28T13:00:00.000Z', '2030-10-28T14:00:00.000Z'], // the override, after the DST change (CET)
      ['2030-11-11T08:30:00.000Z', '2030-11-11T09:00:00.000Z'], // 11-04 is excluded
    ]);
    assert.equal(weekly[1]!.title, 'Weekly sync (moved)');
    // An override keeps the key of the instance it replaces (UID + RECURRENCE-ID), not its new time.
    assert.equal(weekly[1]!.key, `7kukuqrfedlm2f9t6vcb1h2ma8@google.com#${Date.UTC(2030, 9, 28, 8, 30)}`);
    const lunch = byTitle(instances, 'Lunch with Bob, at the usual place')[0]!;
    assert.deepEqual(lunch.attendees, ['ada@example.com', 'bob@example.com']);
    assert.equal(byTitle(instances, 'Out of office (reminder only)')[0]!.transparent, true);
    assert.equal(byTitle(instances, 'Cancelled call')[0]!.cancelled, true);
  });

  test('Outlook/Exchange: Windows zone names through CLDR, all-day events, UNTIL and EXDATE in a Windows zone', () => {
    const instances = parse(fixture('outlook'));
    assert.deepEqual(utc(byTitle(instances, 'Project review')[0]!), ['2030-10-22T13:00:00.000Z', '2030-10-22T14:30:00.000Z']);
    const conference = byTitle(instances, 'Conference')[0]!;
    assert.equal(conference.allDay, true);
    assert.deepEqual(utc(conference), ['2030-10-27T23:00:00.000Z', '2030-10-29T23:00:00.000Z']); // two local days in Paris
    const standups = byTitle(instances, 'Daily stand-up').map((i) => utc(i)[0]);
    assert.deepEqual(standups, [
      '2030-10-21T07:15:00.000Z', '2030-10-22T07:15:00.000Z', '2030-10-23T07:15:00.000Z', '2030-10-24T07:15:00.000Z',
      // 10-25 excluded; weekend; 09:15 local after the DST change is 08:15Z, and UNTIL (08:15Z on 10-31) is inclusive
      '2030-10-28T08:15:00.000Z', '2030-10-29T08:15:00.000Z', '2030-10-30T08:15:00.000Z', '2030-10-31T08:15:00.000Z',
    ]);
  });

  test('iCloud: a VTIMEZONE block, local time kept across the US DST change', () => {
    const instances = parse(fixture('icloud'));
    assert.deepEqual(instances.map((i) => utc(i)[0]), ['2030-10-27T22:00:00.000Z', '2030-11-03T23:00:00.000Z', '2030-11-10T23:00:00.000Z']);
  });

  test('Nextcloud: RDATE with DTSTART across a DST change, and an override whose master is absent', () => {
    const instances = parse(fixture('nextcloud'));
    assert.deepEqual(instances.map((i) => utc(i)[0]), ['2030-10-25T08:00:00.000Z', '2030-10-26T08:00:00.000Z', '2030-10-27T09:00:00.000Z', '2030-10-29T07:30:00.000Z']);
    assert.equal(instances[3]!.title, 'Busy');
  });

  test('every instance of a series keeps the zone of its DTSTART\'s TZID, whatever the account\'s zone', () => {
    // ical.js's iterator drops a TZID it has no VTIMEZONE for; the instances used to fall back to the default zone.
    const standups = (defaultZone: string) => byTitle(parse(fixture('outlook'), { defaultZone }), 'Daily stand-up').map((i) => utc(i)[0]);
    assert.deepEqual(standups('America/Los_Angeles'), standups('Europe/Paris'));
    assert.deepEqual(byTitle(parse(fixture('icloud'), { defaultZone: 'Asia/Tokyo' }), 'Choir').map((i) => utc(i)[0]),
      ['2030-10-27T22:00:00.000Z', '2030-11-03T23:00:00.000Z', '2030-11-10T23:00:00.000Z']);
  });

  test('results do not depend on the process time zone', () => {
    const before = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Kiritimati';
      const shifted = parse(fixture('outlook')).map(utc);
      process.env.TZ = 'UTC';
      assert.deepEqual(parse(fixture('outlook')).map(utc), shifted);
    } finally {
      process.env.TZ = before;
    }
  });

  test('only instances touching the window are returned', () => {
    const instances = parse(fixture('google'), { window: { start: Date.UTC(2030, 9, 25), end: Date.UTC(2030, 10, 1) } });
    assert.deepEqual(instances.map((i) => i.title), ['Weekly sync (moved)']);
  });
});

describe('feeds as publishers write them, beyond RFC 5545', () => {
  test('WordPress/iCalcreator: an RDATE-style VTIMEZONE for an IANA name is read with the IANA rules, also before its first observance', () => {
    const instances = parse(fixture('wordpress-rdate-vtimezone'), { window: { start: Date.UTC(2029, 0, 1), end: Date.UTC(2030, 11, 31) } });
    const at = (title: string) => utc(byTitle(instances, title)[0]!);
    // The feed's Europe/Berlin starts at the 2030-10-27 change: before it, ical.js alone read 19:00 as UTC.
    assert.deepEqual(at('Mitgliederversammlung'), ['2030-10-24T17:00:00.000Z', '2030-10-24T19:30:00.000Z']); // CEST
    assert.deepEqual(at('Stammtisch'), ['2030-11-07T18:00:00.000Z', '2030-11-07T19:00:00.000Z']); // CET
  });

  test('a VTIMEZONE IANA does not know keeps its RDATE observances, with its first TZOFFSETFROM before them', () => {
    const instances = parse(fixture('wordpress-rdate-vtimezone'), { window: { start: Date.UTC(2029, 0, 1), end: Date.UTC(2030, 11, 31) } });
    const starts = (title: string) => utc(byTitle(instances, title)[0]!)[0];
    assert.equal(starts('Vorstand (Sommerzeit)'), '2030-10-24T08:00:00.000Z'); // after the RDATE 2030-03-31: +0200
    assert.equal(starts('Vorstand (Winterzeit)'), '2030-11-07T09:00:00.000Z'); // after the RDATE 2030-10-27: +0100
    assert.equal(starts('Sommerfest (vor der ersten Umstellung)'), '2029-06-01T08:00:00.000Z'); // before 2029-10-28: +0200, not UTC
  });

  test('Exchange: a date-time RECURRENCE-ID overrides the all-day instance of its local date', () => {
    const instances = parse(fixture('exchange-allday-override'), { window: { start: Date.UTC(2020, 3, 1), end: Date.UTC(2020, 4, 1) }, defaultZone: 'Europe/London' });
    assert.deepEqual(instances.map((i) => [i.title, utc(i)[0], i.allDay]), [
      ['Bin day', '2020-04-01T23:00:00.000Z', true],
      ['Bin day', '2020-04-08T23:00:00.000Z', true],
      ['Bin day (bank holiday, one day late)', '2020-04-16T23:00:00.000Z', true], // Friday 17 April instead of Thursday 16
      ['Bin day', '2020-04-22T23:00:00.000Z', true],
      ['Bin day', '2020-04-29T23:00:00.000Z', true],
    ]);
    // It keeps the key of the instance it replaces, so a resync updates that event in place.
    assert.equal(instances[2]!.key.split('#')[1], String(Date.UTC(2020, 3, 15, 23)));
  });

  test('a bare 8-digit date is a date and an empty RRULE is no rule, each with a warning naming its line', () => {
    const { instances, warnings } = parseFeedWithWarnings(fixture('lenient-bare-date-empty-rrule'),
      { window: { start: Date.UTC(2029, 11, 1), end: Date.UTC(2030, 11, 1) }, defaultZone: 'Europe/Berlin', maxInstances: 100 });
    assert.deepEqual(instances.map((i) => [i.title, utc(i)[0], i.allDay]), [
      ['1. Weihnachtstag', '2029-12-24T23:00:00.000Z', true],
      ['Neujahr', '2029-12-31T23:00:00.000Z', true],
      ['Sprechstunde', '2030-10-22T10:00:00.000Z', false],
    ]);
    assert.deepEqual(warnings, [
      'Line 8: DTSTART:20300101 has no VALUE=DATE; read as a date',
      'Line 9: DTEND:20300102 has no VALUE=DATE; read as a date',
      'Line 15: DTSTART:20291225 has no VALUE=DATE; read as a date',
      'Line 25: an empty RRULE was ignored (the event does not repeat)',
    ]);
    assert.deepEqual(parseFeedWithWarnings(fixture('google'), { window, defaultZone: 'UTC', maxInstances: 1000 }).warnings, []);
  });

  test('a line ical.js refuses is named by its number', () => {
    const text = 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:odd\r\nDTSTART:20301022T120000Z\r\nRRULE:FREQ=WEEKLY;\r\n BYDAY=\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    assert.throws(() => parse(text), (error: unknown) => error instanceof FeedParseError && error.message === 'The feed is malformed at line 5: invalid BYDAY value ""');
    assert.throws(() => parse(fixture('broken-line')), /malformed at line 6/);
    assert.throws(() => parse(`\uFEFF\r\n\r\n${fixture('broken-line')}`), /malformed at line 8/);
  });

  test('a value ical.js reads but cannot use (a DTSTART "tomorrow-ish") is named by its line, never in ical.js\'s words', () => {
    const text = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:tomorrow-ish\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    assert.throws(() => parse(text), (error: unknown) => error instanceof FeedParseError
      && error.message === 'The feed could not be read: line 5 has a value that is not valid (DTSTART:tomorrow-ish)');
  });

  test('RDATE;VALUE=PERIOD instances keep their own length; a DTSTART that is a period is refused, naming its line', () => {
    const event = (lines: string) => `BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:p\r\n${lines}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    const instances = parse(event('DTSTART;TZID=Europe/Paris:20301022T120000\r\nDTEND;TZID=Europe/Paris:20301022T123000\r\nRDATE;VALUE=PERIOD:20301023T120000Z/PT1H,20301024T120000Z/20301024T150000Z'));
    assert.deepEqual(instances.map(utc), [
      ['2030-10-22T10:00:00.000Z', '2030-10-22T10:30:00.000Z'],
      ['2030-10-23T12:00:00.000Z', '2030-10-23T13:00:00.000Z'],
      ['2030-10-24T12:00:00.000Z', '2030-10-24T15:00:00.000Z'],
    ]);
    // ical.js alone put this event at the current time.
    assert.throws(() => parse(event('DTSTART;VALUE=PERIOD:20301022T120000Z/PT1H')),
      (error: unknown) => error instanceof FeedParseError && error.message === 'VEVENT "p" has a DTSTART that is neither a date nor a date-time (line 4)');
  });
});

describe('bad feeds are refused with a clear message', () => {
  const cases: [string, string, RegExp][] = [
    ['a web page', '<!DOCTYPE html><html><body>Sign in</body></html>', /web page/],
    ['plain text', 'hello', /not an iCalendar feed/],
    ['a VEVENT without DTSTART', fixture('broken-no-dtstart'), /"no-start" has no DTSTART/],
    ['a malformed line', fixture('broken-line'), /malformed/],
    ['a TZID nobody knows', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID=Mars/Olympus:20301022T120000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n', /Unknown time zone "Mars\/Olympus"/],
    ['an RRULE with millions of instances', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20301001T000000Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n', /more than 1000 events/],
    ['an RRULE stepping from long ago', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:19700101T000000Z\r\nRRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n', /repeats more than/],
  ];
  for (const [what, text, message] of cases) {
    test(what, () => assert.throws(() => parse(text), (error: unknown) => error instanceof FeedParseError && message.test(error.message)));
  }

  test('two VEVENTs with the same UID and RECURRENCE-ID: the higher SEQUENCE wins, no error', () => {
    const event = (sequence: number, title: string) => `BEGIN:VEVENT\r\nUID:u\r\nRECURRENCE-ID:20301022T120000Z\r\nDTSTART:20301022T130000Z\r\nDTEND:20301022T140000Z\r\nSEQUENCE:${sequence}\r\nSUMMARY:${title}\r\nEND:VEVENT\r\n`;
    const instances = parse(`BEGIN:VCALENDAR\r\n${event(2, 'new')}${event(1, 'old')}END:VCALENDAR\r\n`);
    assert.deepEqual(instances.map((i) => i.title), ['new']);
  });
});

describe('diffing a feed against what is stored', () => {
  const instance = (key: string, start: number, title = 'T'): FeedInstance => ({
    key, contentKey: `${start}|${start + 3600_000}|${title}`, uid: key, title, start, end: start + 3600_000,
    allDay: false, location: null, attendees: [], transparent: false, cancelled: false,
  });
  const stored = (eventId: string, i: FeedInstance): StoredInstance => ({ eventId, key: i.key, hash: instanceHash(i), contentKey: i.contentKey });

  test('an unchanged feed changes nothing', () => {
    const list = [instance('a', 0), instance('b', 1)];
    assert.deepEqual(diffFeed(list.map((i, n) => stored(`e${n}`, i)), list), { create: [], update: [], rekey: [], delete: [] });
  });

  test('creates, updates only what changed, and deletes', () => {
    const a = instance('a', 0);
    const b = instance('b', 10_000_000);
    const diff = diffFeed([stored('ea', a), stored('eb', b)], [a, { ...b, title: 'moved' }, instance('c', 5)]);
    assert.deepEqual(diff.create.map((i) => i.key), ['c']);
    assert.deepEqual(diff.update.map((u) => [u.eventId, u.instance.title]), [['eb', 'moved']]);
    assert.deepEqual(diff.delete, []);
    assert.deepEqual(diffFeed([stored('ea', a), stored('eb', b)], [a]).delete, ['eb']);
  });

  test('UIDs that change on every fetch are matched by content, so nothing is deleted and created again', () => {
    const before = [instance('random-1', 0), instance('random-2', 7_200_000)];
    const after = [instance('random-3', 0), instance('random-4', 7_200_000)];
    const diff = diffFeed(before.map((i, n) => stored(`e${n}`, i)), after);
    assert.deepEqual(diff.rekey, [{ eventId: 'e0', key: 'random-3' }, { eventId: 'e1', key: 'random-4' }]);
    assert.deepEqual([diff.create, diff.update, diff.delete], [[], [], []]);
  });
});

describe('sync schedule', () => {
  test('the window runs in whole UTC days from 30 days back to the end of the furthest horizon\'s day', () => {
    const day = 86_400_000;
    assert.deepEqual(syncWindow(100 * day, 90), { start: 70 * day, end: 191 * day });
    assert.deepEqual(syncWindow(100 * day + 13 * 3_600_000, 90), syncWindow(100 * day, 90));
  });

  test('failures retry after 1, 2, 4… minutes, never later than the refresh interval', () => {
    assert.deepEqual([0, 1, 2, 3, 7, 40].map((n) => nextSyncDelayMs(60, n) / 60_000), [60, 1, 2, 4, 60, 60]);
  });
});
