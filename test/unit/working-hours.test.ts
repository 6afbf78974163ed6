import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import {
  expandWorkingHours,
  utcOffsetSegments,
  validateSlotInterval,
  validateWorkingHours,
} from '../../src/calendar/working-hours.ts';
import type { Weekday, WorkingHoursRule } from '../../src/calendar/working-hours.ts';
import type { TimeRange } from '../../src/shared/time-range.ts';

const HOUR = 3_600_000;
const PARIS = 'Europe/Paris';
const NEW_YORK = 'America/New_York';

/** A local wall-clock time in `zone` (unambiguous ones only) → epoch ms. */
const at = (iso: string, zone: string): number => DateTime.fromISO(iso, { zone }).toMillis();
const win = (from: string, to: string, zone: string): TimeRange => ({ start: at(from, zone), end: at(to, zone) });
const local = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mmZZ");
const show = (ranges: TimeRange[], zone: string): string[] => ranges.map((x) => `${local(x.start, zone)}/${local(x.end, zone)}`);
const hours = (ranges: TimeRange[]): number => ranges.reduce((sum, x) => sum + x.end - x.start, 0) / HOUR;
const rule = (weekday: Weekday, start: string, end: string): WorkingHoursRule => ({ weekday, start, end });
const weekdays = (start: string, end: string): WorkingHoursRule[] =>
  (['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as const).map((d) => rule(d, start, end));

describe('expandWorkingHours', () => {
  const cases: { name: string; zone: string; rules: WorkingHoursRule[]; window: [string, string]; expected: string[]; hours?: number }[] = [
    {
      name: 'weekday hours across a weekend leave Saturday and Sunday empty',
      zone: PARIS, rules: weekdays('09:00', '17:00'), window: ['2026-01-09T00:00', '2026-01-13T00:00'],
      expected: ['2026-01-09T09:00+01:00/2026-01-09T17:00+01:00', '2026-01-12T09:00+01:00/2026-01-12T17:00+01:00'],
    },
    {
      name: 'several ranges on one day stay separate',
      zone: PARIS, rules: [rule('MONDAY', '13:00', '17:00'), rule('MONDAY', '09:00', '12:00')], window: ['2026-01-12T00:00', '2026-01-13T00:00'],
      expected: ['2026-01-12T09:00+01:00/2026-01-12T12:00+01:00', '2026-01-12T13:00+01:00/2026-01-12T17:00+01:00'],
    },
    {
      name: 'the window clips ranges it cuts through',
      zone: PARIS, rules: [rule('MONDAY', '09:00', '12:00'), rule('MONDAY', '13:00', '17:00')], window: ['2026-01-12T10:30', '2026-01-12T14:00'],
      expected: ['2026-01-12T10:30+01:00/2026-01-12T12:00+01:00', '2026-01-12T13:00+01:00/2026-01-12T14:00+01:00'],
    },
    {
      name: 'no rules means around the clock',
      zone: PARIS, rules: [], window: ['2026-01-10T05:00', '2026-01-12T07:00'],
      expected: ['2026-01-10T05:00+01:00/2026-01-12T07:00+01:00'],
    },
    {
      name: 'an end of 24:00 joins the next day starting at 00:00 into one range',
      zone: PARIS, rules: [rule('MONDAY', '20:00', '24:00'), rule('TUESDAY', '00:00', '02:00')], window: ['2026-01-12T00:00', '2026-01-14T00:00'],
      expected: ['2026-01-12T20:00+01:00/2026-01-13T02:00+01:00'],
    },
    {
      name: 'times with seconds are honoured',
      zone: 'UTC', rules: [rule('MONDAY', '09:00:30', '09:00:45')], window: ['2026-01-12T00:00', '2026-01-13T00:00'],
      expected: ['2026-01-12T09:00+00:00/2026-01-12T09:00+00:00'], hours: 15 / 3600,
    },
    {
      name: 'Asia/Kolkata hours are local to its half-hour offset',
      zone: 'Asia/Kolkata', rules: [rule('MONDAY', '09:00', '17:30')], window: ['2026-01-12T00:00', '2026-01-13T00:00'],
      expected: ['2026-01-12T09:00+05:30/2026-01-12T17:30+05:30'],
    },
    {
      name: 'Paris spring-forward: 01:00–04:00 is only two real hours',
      zone: PARIS, rules: [rule('SUNDAY', '01:00', '04:00')], window: ['2026-03-29T00:00', '2026-03-30T00:00'],
      expected: ['2026-03-29T01:00+01:00/2026-03-29T04:00+02:00'], hours: 2,
    },
    {
      name: 'Paris spring-forward: the nonexistent 02:00–03:00 holds nothing',
      zone: PARIS, rules: [rule('SUNDAY', '02:00', '03:00')], window: ['2026-03-29T00:00', '2026-03-30T00:00'],
      expected: [],
    },
    {
      name: 'Paris spring-forward: a range starting in the gap starts when the clock resumes',
      zone: PARIS, rules: [rule('SUNDAY', '02:30', '05:00')], window: ['2026-03-29T00:00', '2026-03-30T00:00'],
      expected: ['2026-03-29T03:00+02:00/2026-03-29T05:00+02:00'], hours: 2,
    },
    {
      name: 'Paris fall-back: a whole day is 25 hours',
      zone: PARIS, rules: [rule('SUNDAY', '00:00', '24:00')], window: ['2026-10-25T00:00', '2026-10-26T00:00'],
      expected: ['2026-10-25T00:00+02:00/2026-10-26T00:00+01:00'], hours: 25,
    },
    {
      name: 'Paris fall-back: a range inside the repeated hour happens twice',
      zone: PARIS, rules: [rule('SUNDAY', '02:00', '02:30')], window: ['2026-10-25T00:00', '2026-10-26T00:00'],
      expected: ['2026-10-25T02:00+02:00/2026-10-25T02:30+02:00', '2026-10-25T02:00+01:00/2026-10-25T02:30+01:00'], hours: 1,
    },
    {
      name: 'Paris fall-back: 01:00–04:00 spans four real hours',
      zone: PARIS, rules: [rule('SUNDAY', '01:00', '04:00')], window: ['2026-10-25T00:00', '2026-10-26T00:00'],
      expected: ['2026-10-25T01:00+02:00/2026-10-25T04:00+01:00'], hours: 4,
    },
    {
      name: 'New York spring-forward: a whole day is 23 hours',
      zone: NEW_YORK, rules: [rule('SUNDAY', '00:00', '24:00')], window: ['2026-03-08T00:00', '2026-03-09T00:00'],
      expected: ['2026-03-08T00:00-05:00/2026-03-09T00:00-04:00'], hours: 23,
    },
    {
      name: 'New York fall-back: a whole day is 25 hours',
      zone: NEW_YORK, rules: [rule('SUNDAY', '00:00', '24:00')], window: ['2026-11-01T00:00', '2026-11-02T00:00'],
      expected: ['2026-11-01T00:00-04:00/2026-11-02T00:00-05:00'], hours: 25,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const ranges = expandWorkingHours(c.rules, c.zone, win(c.window[0], c.window[1], c.zone));
      assert.deepEqual(show(ranges, c.zone), c.expected);
      if (c.hours !== undefined) assert.equal(hours(ranges), c.hours);
    });
  }

  test('an empty or inverted window holds nothing', () => {
    assert.deepEqual(expandWorkingHours([], PARIS, { start: 10, end: 10 }), []);
    assert.deepEqual(expandWorkingHours(weekdays('09:00', '17:00'), PARIS, { start: 10, end: 5 }), []);
  });

  test('ten years of weekday hours give one range per weekday, each eight hours, across every DST change', () => {
    const ranges = expandWorkingHours(weekdays('09:00', '17:00'), NEW_YORK, win('2026-01-01T00:00', '2036-01-01T00:00', NEW_YORK));
    assert.equal(ranges.length, 2608, '3652 days, 2608 of them Monday to Friday');
    assert.ok(ranges.every((x) => x.end - x.start === 8 * HOUR));
    assert.ok(ranges.every((x) => local(x.start, NEW_YORK).includes('T09:00')));
  });

  test('invalid rules and unknown zones are rejected with RangeError', () => {
    const window = win('2026-01-12T00:00', '2026-01-13T00:00', PARIS);
    assert.throws(() => expandWorkingHours([rule('MONDAY', '17:00', '09:00')], PARIS, window), RangeError);
    assert.throws(() => expandWorkingHours(weekdays('09:00', '17:00'), 'Mars/Olympus_Mons', window), RangeError);
  });
});

describe('utcOffsetSegments', () => {
  test('a year in Paris splits at both DST changes, exactly at the transition instants', () => {
    const segments = utcOffsetSegments(PARIS, { start: Date.parse('2026-01-01T00:00Z'), end: Date.parse('2027-01-01T00:00Z') });
    assert.deepEqual(
      segments.map((s) => [new Date(s.start).toISOString(), s.offsetMs / HOUR]),
      [['2026-01-01T00:00:00.000Z', 1], ['2026-03-29T01:00:00.000Z', 2], ['2026-10-25T01:00:00.000Z', 1]],
    );
  });
  test('a zone without DST is a single segment', () => {
    const segments = utcOffsetSegments('Asia/Kathmandu', { start: Date.parse('2026-01-01T00:00Z'), end: Date.parse('2027-01-01T00:00Z') });
    assert.deepEqual(segments.map((s) => s.offsetMs), [5.75 * HOUR]);
  });
});

describe('validateWorkingHours', () => {
  const cases: { name: string; rules: WorkingHoursRule[]; expected: [string, RegExp][] }[] = [
    { name: 'no rules are valid', rules: [], expected: [] },
    { name: 'separate ranges on one day are valid', rules: [rule('MONDAY', '09:00', '12:00'), rule('MONDAY', '13:00', '17:00')], expected: [] },
    { name: 'touching ranges on one day are valid', rules: [rule('MONDAY', '09:00', '12:00'), rule('MONDAY', '12:00', '17:00')], expected: [] },
    { name: 'the same hours on different days are valid', rules: [rule('MONDAY', '09:00', '17:00'), rule('TUESDAY', '09:00', '17:00')], expected: [] },
    { name: 'an end of 24:00 and times with seconds are valid', rules: [rule('FRIDAY', '18:30:15', '24:00'), rule('SUNDAY', '00:00:00', '24:00:00')], expected: [] },
    { name: 'an inverted range is reported on its end', rules: [rule('MONDAY', '17:00', '09:00')], expected: [['workingHours.0.end', /must be after start/]] },
    { name: 'an empty range is reported on its end', rules: [rule('MONDAY', '09:00', '09:00')], expected: [['workingHours.0.end', /must be after start/]] },
    { name: 'a start without two-digit hours is malformed', rules: [rule('MONDAY', '9:00', '17:00')], expected: [['workingHours.0.start', /HH:MM/]] },
    { name: 'a start of 24:00 is malformed', rules: [rule('MONDAY', '24:00', '24:00')], expected: [['workingHours.0.start', /23:59:59/]] },
    { name: 'an end past 24:00 is malformed', rules: [rule('MONDAY', '09:00', '24:30')], expected: [['workingHours.0.end', /24:00/]] },
    { name: 'sixty minutes is malformed', rules: [rule('MONDAY', '09:60', '17:00')], expected: [['workingHours.0.start', /HH:MM/]] },
    { name: 'an unknown weekday is reported on the weekday', rules: [rule('FUNDAY' as Weekday, '09:00', '17:00')], expected: [['workingHours.0.weekday', /MONDAY/]] },
    {
      name: 'overlapping ranges on one day are reported on the later-starting one',
      rules: [rule('MONDAY', '13:00', '17:00'), rule('MONDAY', '09:00', '14:00')],
      expected: [['workingHours.0.start', /overlaps 09:00–14:00 on MONDAY \(entry 1\)/]],
    },
    {
      name: 'every range inside a long one is reported',
      rules: [rule('MONDAY', '09:00', '17:00'), rule('MONDAY', '10:00', '11:00'), rule('MONDAY', '12:00', '13:00')],
      expected: [['workingHours.1.start', /entry 0/], ['workingHours.2.start', /entry 0/]],
    },
    {
      name: 'each bad rule is reported and the good ones are still checked for overlaps',
      rules: [rule('MONDAY', '09:00', '12:00'), rule('MONDAY', '11:00', '10:00'), rule('MONDAY', '11:00', '13:00')],
      expected: [['workingHours.1.end', /must be after start/], ['workingHours.2.start', /entry 0/]],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const issues = validateWorkingHours(c.rules);
      assert.deepEqual(issues.map((i) => i.path.join('.')), c.expected.map(([path]) => path));
      issues.forEach((issue, n) => assert.match(issue.message, c.expected[n]![1]));
    });
  }

  test('paths are rooted where the caller says', () => {
    const issues = validateWorkingHours([rule('MONDAY', '17:00', '09:00')], ['input', 'workingHours']);
    assert.deepEqual(issues[0]?.path, ['input', 'workingHours', '0', 'end']);
  });
});

describe('validateSlotInterval', () => {
  const cases: { minutes: number; valid: boolean }[] = [
    { minutes: 1, valid: true }, { minutes: 15, valid: true }, { minutes: 45, valid: true },
    { minutes: 90, valid: true }, { minutes: 1440, valid: true },
    { minutes: 0, valid: false }, { minutes: -15, valid: false }, { minutes: 7, valid: false },
    { minutes: 7.5, valid: false }, { minutes: 2880, valid: false }, { minutes: Number.NaN, valid: false },
  ];
  for (const c of cases) {
    test(`${c.minutes} minutes is ${c.valid ? 'accepted' : 'rejected'}`, () => {
      const message = validateSlotInterval(c.minutes);
      if (c.valid) assert.equal(message, null);
      else assert.equal(typeof message, 'string');
    });
  }
});
