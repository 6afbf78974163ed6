import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import {
  formatRecurrence,
  nextOccurrence,
  occurrencesBetween,
  parseRecurrence,
  validateRecurrence,
} from '../../src/reminders/recurrence.ts';
import type { RecurrenceRule } from '../../src/reminders/recurrence.ts';

/** A local time in a zone → Date. Use an explicit offset for gap/overlap times. */
function at(localIso: string, zone: string): Date {
  const dt = DateTime.fromISO(localIso, { zone });
  assert.ok(dt.isValid, `bad test time ${localIso}`);
  return dt.toJSDate();
}

/** Date → "2025-03-30T09:00:00+02:00" in the zone: tables read as wall clocks, offsets show the DST state. */
function show(date: Date | null, zone: string): string | null {
  return date && DateTime.fromJSDate(date, { zone }).toISO({ suppressMilliseconds: true });
}

function rule(text: string): RecurrenceRule {
  const parsed = parseRecurrence(text);
  if (!parsed.ok) throw new Error(`test rule '${text}' does not parse: ${parsed.message}`);
  return parsed.rule;
}

/** The first `n` occurrences of a rule (DTSTART included), shown in the zone. */
function first(n: number, text: string, startLocal: string, zone: string): (string | null)[] {
  const start = at(startLocal, zone);
  const far = new Date(start.getTime() + 1000 * 365 * 86_400_000);
  return occurrencesBetween(rule(text), start, zone, start, far, n).map((d) => show(d, zone));
}

/** The occurrences following DTSTART one by one through nextOccurrence, until null or `n` of them. */
function chain(n: number, text: string, startLocal: string, zone: string): (string | null)[] {
  const r = rule(text);
  const start = at(startLocal, zone);
  const out: (string | null)[] = [];
  let cursor: Date | null = start;
  while (cursor && out.length < n) {
    cursor = nextOccurrence(r, start, zone, cursor);
    out.push(show(cursor, zone));
  }
  return out;
}

describe('expansion in local time across DST', () => {
  test('a DAILY rule keeps 09:00 local across both Europe/Paris DST transitions', () => {
    const zone = 'Europe/Paris';
    const r = rule('FREQ=DAILY');
    const start = at('2025-03-28T09:00', zone);
    const spring = occurrencesBetween(r, start, zone, start, at('2025-04-01T00:00', zone), 10).map((d) => show(d, zone));
    assert.deepEqual(spring, [
      '2025-03-28T09:00:00+01:00',
      '2025-03-29T09:00:00+01:00',
      '2025-03-30T09:00:00+02:00',
      '2025-03-31T09:00:00+02:00',
    ]);
    const autumn = occurrencesBetween(r, start, zone, at('2025-10-25T00:00', zone), at('2025-10-28T00:00', zone), 10);
    assert.deepEqual(autumn.map((d) => show(d, zone)), [
      '2025-10-25T09:00:00+02:00',
      '2025-10-26T09:00:00+01:00',
      '2025-10-27T09:00:00+01:00',
    ]);
  });

  test('a 02:30 daily rule fires at 03:30 local on the Europe/Paris spring-forward day, then 02:30 again', () => {
    assert.deepEqual(first(4, 'FREQ=DAILY', '2025-03-28T02:30', 'Europe/Paris'), [
      '2025-03-28T02:30:00+01:00',
      '2025-03-29T02:30:00+01:00',
      '2025-03-30T03:30:00+02:00',
      '2025-03-31T02:30:00+02:00',
    ]);
  });

  test('a 01:30 daily rule takes the first (EDT) instance on the America/New_York fall-back day', () => {
    const zone = 'America/New_York';
    const next = nextOccurrence(rule('FREQ=DAILY'), at('2025-10-31T01:30', zone), zone, at('2025-11-01T12:00', zone));
    assert.equal(show(next, zone), '2025-11-02T01:30:00-04:00');
    assert.equal(next?.toISOString(), '2025-11-02T05:30:00.000Z');
  });

  test('two local times landing on the same instant in the spring gap give one occurrence', () => {
    assert.deepEqual(first(3, 'FREQ=DAILY;BYHOUR=2,3;BYMINUTE=30', '2025-03-29T02:30', 'Europe/Paris'), [
      '2025-03-29T02:30:00+01:00',
      '2025-03-29T03:30:00+01:00',
      '2025-03-30T03:30:00+02:00',
    ]);
  });

  test('a daily rule in the half-hour Asia/Kolkata zone stays at 09:00 local (03:30 UTC)', () => {
    const zone = 'Asia/Kolkata';
    const dates = occurrencesBetween(rule('FREQ=DAILY'), at('2025-01-01T09:00', zone), zone, at('2025-01-01T00:00', zone), at('2025-01-04T00:00', zone), 10);
    assert.deepEqual(dates.map((d) => d.toISOString()), [
      '2025-01-01T03:30:00.000Z',
      '2025-01-02T03:30:00.000Z',
      '2025-01-03T03:30:00.000Z',
    ]);
  });

  test('HOURLY steps in absolute time, so the repeated fall-back hour is visited twice', () => {
    assert.deepEqual(first(4, 'FREQ=HOURLY', '2025-11-02T00:30', 'America/New_York'), [
      '2025-11-02T00:30:00-04:00',
      '2025-11-02T01:30:00-04:00',
      '2025-11-02T01:30:00-05:00',
      '2025-11-02T02:30:00-05:00',
    ]);
  });

  test('HOURLY;INTERVAL=2 stays two real hours apart across the spring-forward gap', () => {
    assert.deepEqual(first(3, 'FREQ=HOURLY;INTERVAL=2', '2025-03-30T00:00', 'Europe/Paris'), [
      '2025-03-30T00:00:00+01:00',
      '2025-03-30T03:00:00+02:00',
      '2025-03-30T05:00:00+02:00',
    ]);
  });
});

describe('rule shapes', () => {
  const zone = 'Europe/Paris';
  const cases: { name: string; rule: string; start: string; expected: string[] }[] = [
    {
      name: 'WEEKLY;BYDAY=MO,WE,FR fires on those three weekdays at the start time',
      rule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR',
      start: '2025-06-02T10:00', // a Monday
      expected: ['2025-06-02T10:00:00+02:00', '2025-06-04T10:00:00+02:00', '2025-06-06T10:00:00+02:00', '2025-06-09T10:00:00+02:00'],
    },
    {
      name: 'weekdays at 9:00 started on a Friday at 08:15 count DTSTART, then fire at 9:00 that Friday and on Monday',
      rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0',
      start: '2025-06-06T08:15',
      expected: ['2025-06-06T08:15:00+02:00', '2025-06-06T09:00:00+02:00', '2025-06-09T09:00:00+02:00', '2025-06-10T09:00:00+02:00'],
    },
    {
      name: 'MONTHLY;BYMONTHDAY=31 skips the months without a 31st',
      rule: 'FREQ=MONTHLY;BYMONTHDAY=31',
      start: '2025-01-31T08:00',
      expected: ['2025-01-31T08:00:00+01:00', '2025-03-31T08:00:00+02:00', '2025-05-31T08:00:00+02:00', '2025-07-31T08:00:00+02:00'],
    },
    {
      name: 'a plain MONTHLY rule started on the 31st also skips short months (the day comes from DTSTART)',
      rule: 'FREQ=MONTHLY',
      start: '2025-01-31T08:00',
      expected: ['2025-01-31T08:00:00+01:00', '2025-03-31T08:00:00+02:00', '2025-05-31T08:00:00+02:00'],
    },
    {
      name: 'MONTHLY;BYDAY=-1FR fires on the last Friday of each month',
      rule: 'FREQ=MONTHLY;BYDAY=-1FR',
      start: '2025-01-31T17:00',
      expected: ['2025-01-31T17:00:00+01:00', '2025-02-28T17:00:00+01:00', '2025-03-28T17:00:00+01:00', '2025-04-25T17:00:00+02:00'],
    },
    {
      name: 'YEARLY from Feb 29 fires only in leap years, skipping 2100',
      rule: 'FREQ=YEARLY',
      start: '2092-02-29T12:00',
      expected: ['2092-02-29T12:00:00+01:00', '2096-02-29T12:00:00+01:00', '2104-02-29T12:00:00+01:00'],
    },
    {
      name: 'WEEKLY;INTERVAL=2 fires every other week',
      rule: 'FREQ=WEEKLY;INTERVAL=2',
      start: '2025-06-03T07:00',
      expected: ['2025-06-03T07:00:00+02:00', '2025-06-17T07:00:00+02:00', '2025-07-01T07:00:00+02:00'],
    },
    {
      name: 'MONTHLY workdays with BYSETPOS=-1 give the last workday of each month',
      rule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
      start: '2025-05-30T16:00',
      expected: ['2025-05-30T16:00:00+02:00', '2025-06-30T16:00:00+02:00', '2025-07-31T16:00:00+02:00', '2025-08-29T16:00:00+02:00'],
    },
    {
      name: 'a DTSTART that does not match the rule is still the first occurrence',
      rule: 'FREQ=MONTHLY;BYMONTHDAY=15',
      start: '2025-06-03T09:00',
      expected: ['2025-06-03T09:00:00+02:00', '2025-06-15T09:00:00+02:00', '2025-07-15T09:00:00+02:00'],
    },
    {
      name: 'MINUTELY;INTERVAL=15 steps a quarter of an hour',
      rule: 'FREQ=MINUTELY;INTERVAL=15',
      start: '2025-06-03T09:00',
      expected: ['2025-06-03T09:00:00+02:00', '2025-06-03T09:15:00+02:00', '2025-06-03T09:30:00+02:00'],
    },
    {
      name: 'HOURLY;BYMINUTE=0,30 expands each hour into its two half hours',
      rule: 'FREQ=HOURLY;BYMINUTE=0,30',
      start: '2025-06-03T09:10',
      expected: ['2025-06-03T09:10:00+02:00', '2025-06-03T09:30:00+02:00', '2025-06-03T10:00:00+02:00', '2025-06-03T10:30:00+02:00'],
    },
    {
      name: 'SECONDLY limited by BYHOUR jumps straight to the next matching hour',
      rule: 'FREQ=SECONDLY;BYHOUR=10;BYMINUTE=0;BYSECOND=0,30',
      start: '2025-06-03T09:00',
      expected: ['2025-06-03T09:00:00+02:00', '2025-06-03T10:00:00+02:00', '2025-06-03T10:00:30+02:00', '2025-06-04T10:00:00+02:00'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(first(c.expected.length, c.rule, c.start, zone), c.expected));
  }
});

describe('RFC 5545 examples (DTSTART 1997-09-02 09:00 America/New_York unless noted)', () => {
  const zone = 'America/New_York';
  const dates = (list: string[]) => list.map((d) => d.slice(0, 10));
  const cases: { rule: string; start?: string; expected: string[] }[] = [
    { rule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO', start: '1997-08-05T09:00', expected: ['1997-08-05', '1997-08-10', '1997-08-19', '1997-08-24'] },
    { rule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU', start: '1997-08-05T09:00', expected: ['1997-08-05', '1997-08-17', '1997-08-19', '1997-08-31'] },
    { rule: 'FREQ=YEARLY;BYDAY=20MO', start: '1997-05-19T09:00', expected: ['1997-05-19', '1998-05-18', '1999-05-17'] },
    { rule: 'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO', start: '1997-05-12T09:00', expected: ['1997-05-12', '1998-05-11', '1999-05-17'] },
    { rule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=TH', start: '1997-03-13T09:00', expected: ['1997-03-13', '1997-03-20', '1997-03-27', '1998-03-05'] },
    { rule: 'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13', expected: ['1997-09-02', '1998-02-13', '1998-03-13', '1998-11-13', '1999-08-13'] },
    { rule: 'FREQ=MONTHLY;BYMONTHDAY=-3', start: '1997-09-28T09:00', expected: ['1997-09-28', '1997-10-29', '1997-11-28', '1997-12-29'] },
    { rule: 'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU', start: '1997-09-07T09:00', expected: ['1997-09-07', '1997-09-28', '1997-11-02', '1997-11-30'] },
    { rule: 'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8', start: '1996-11-05T09:00', expected: ['1996-11-05', '2000-11-07', '2004-11-02'] },
    { rule: 'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3', start: '1997-09-04T09:00', expected: ['1997-09-04', '1997-10-07', '1997-11-06'] },
    { rule: 'FREQ=YEARLY;BYYEARDAY=1,100,200', start: '1997-01-01T09:00', expected: ['1997-01-01', '1997-04-10', '1997-07-19', '1998-01-01'] },
  ];
  for (const c of cases) {
    test(`${c.rule} gives ${c.expected.slice(0, 3).join(', ')}…`, () => {
      const got = first(c.expected.length, c.rule, c.start ?? '1997-09-02T09:00', zone);
      assert.deepEqual(dates(got.map(String)), c.expected);
    });
  }
});

describe('COUNT and UNTIL', () => {
  const zone = 'Europe/Paris';

  test('COUNT=5 yields exactly five occurrences, DTSTART included', () => {
    assert.deepEqual(first(100, 'FREQ=DAILY;COUNT=5', '2025-06-01T09:00', zone), [
      '2025-06-01T09:00:00+02:00',
      '2025-06-02T09:00:00+02:00',
      '2025-06-03T09:00:00+02:00',
      '2025-06-04T09:00:00+02:00',
      '2025-06-05T09:00:00+02:00',
    ]);
    assert.equal(chain(10, 'FREQ=DAILY;COUNT=5', '2025-06-01T09:00', zone).length, 5, 'four more, then null');
  });

  test('COUNT counts a non-matching DTSTART as the first occurrence', () => {
    assert.deepEqual(first(100, 'FREQ=WEEKLY;BYDAY=MO;COUNT=3', '2025-06-04T09:00', zone), [
      '2025-06-04T09:00:00+02:00',
      '2025-06-09T09:00:00+02:00',
      '2025-06-16T09:00:00+02:00',
    ]);
  });

  test('UNTIL is inclusive', () => {
    const r = rule('FREQ=DAILY;UNTIL=20250603T070000Z');
    const start = at('2025-06-01T09:00', zone); // 07:00 UTC
    const all = occurrencesBetween(r, start, zone, start, at('2026-01-01T00:00', zone), 100);
    assert.deepEqual(all.map((d) => d.toISOString()), [
      '2025-06-01T07:00:00.000Z',
      '2025-06-02T07:00:00.000Z',
      '2025-06-03T07:00:00.000Z',
    ]);
    assert.equal(nextOccurrence(r, start, zone, all[2]!), null);
  });

  test('SECONDLY;COUNT=3 gives start, +1 s, +2 s, then null', () => {
    const r = rule('FREQ=SECONDLY;COUNT=3');
    const start = new Date('2025-06-01T07:00:00.000Z');
    const steps: (string | undefined)[] = [];
    let cursor: Date | null = new Date(start.getTime() - 1);
    for (let i = 0; i < 4; i++) {
      cursor = cursor && nextOccurrence(r, start, 'Europe/Paris', cursor);
      steps.push(cursor?.toISOString());
    }
    assert.deepEqual(steps, ['2025-06-01T07:00:00.000Z', '2025-06-01T07:00:01.000Z', '2025-06-01T07:00:02.000Z', undefined]);
  });

  test("DTSTART's milliseconds are carried onto later occurrences", () => {
    const next = nextOccurrence(rule('FREQ=DAILY'), new Date('2025-06-01T07:00:00.250Z'), 'UTC', new Date('2025-06-01T07:00:00.250Z'));
    assert.equal(next?.toISOString(), '2025-06-02T07:00:00.250Z');
  });
});

describe('nextOccurrence and occurrencesBetween', () => {
  const zone = 'Europe/Paris';
  const r = rule('FREQ=DAILY');
  const start = at('2025-06-01T09:00', zone);

  test('before DTSTART the next occurrence is DTSTART itself', () => {
    assert.equal(nextOccurrence(r, start, zone, at('2025-01-01T00:00', zone))?.getTime(), start.getTime());
  });

  test('the next occurrence is strictly after the given instant', () => {
    assert.equal(show(nextOccurrence(r, start, zone, at('2025-06-03T09:00', zone)), zone), '2025-06-04T09:00:00+02:00');
  });

  test('occurrencesBetween includes from, excludes to, and honours the limit', () => {
    const got = occurrencesBetween(r, start, zone, at('2025-06-02T09:00', zone), at('2025-06-05T09:00', zone), 10);
    assert.deepEqual(got.map((d) => show(d, zone)), ['2025-06-02T09:00:00+02:00', '2025-06-03T09:00:00+02:00', '2025-06-04T09:00:00+02:00']);
    assert.equal(occurrencesBetween(r, start, zone, start, at('2030-01-01T00:00', zone), 2).length, 2);
    assert.deepEqual(occurrencesBetween(r, start, zone, start, at('2030-01-01T00:00', zone), 0), []);
  });

  test('an unknown time zone throws a clear Error', () => {
    assert.throws(() => nextOccurrence(r, start, 'Mars/Olympus', start), /Unknown time zone 'Mars\/Olympus'/);
  });

  test('a search near the end of the Date range ends with null instead of an Invalid Date', () => {
    assert.equal(nextOccurrence(r, start, zone, new Date(8.64e15 - 3_600_000)), null);
  });

  test('an invalid Date throws a clear Error', () => {
    assert.throws(() => nextOccurrence(r, new Date(NaN), zone, start), /start must be a valid Date/);
  });
});

describe('efficiency', () => {
  const elapsed = (fn: () => unknown): number => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };

  test('nextOccurrence for a daily rule 10 and 1000 years past DTSTART is fast', () => {
    const zone = 'Europe/Paris';
    const start = at('2025-06-01T09:00', zone);
    let next: Date | null = null;
    const ms = elapsed(() => {
      next = nextOccurrence(rule('FREQ=DAILY'), start, zone, at('2035-06-01T12:00', zone));
    });
    assert.equal(show(next, zone), '2035-06-02T09:00:00+02:00');
    assert.ok(ms < 50, `took ${ms} ms`);
    const far = elapsed(() => nextOccurrence(rule('FREQ=WEEKLY;BYDAY=MO,FR'), start, zone, at('3025-06-01T12:00', zone)));
    assert.ok(far < 50, `took ${far} ms`);
  });

  test('a SECONDLY rule a year past DTSTART jumps rather than iterating every second', () => {
    const start = new Date('2025-06-01T07:00:00Z');
    let next: Date | null = null;
    const ms = elapsed(() => {
      next = nextOccurrence(rule('FREQ=SECONDLY;INTERVAL=7'), start, 'Europe/Paris', new Date('2026-06-01T07:00:00Z'));
    });
    assert.equal(next!.getTime() - start.getTime(), Math.ceil((365 * 86_400 + 1) / 7) * 7 * 1000);
    assert.ok(ms < 50, `took ${ms} ms`);
  });

  test('proving that a rule never fires stays well under a second', () => {
    for (const text of ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31', 'FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=SECONDLY;INTERVAL=2;BYSECOND=1']) {
      const ms = elapsed(() => assert.equal(validateRecurrence(text, new Date('2025-06-01T07:00:00Z'), 'Europe/Paris').ok, false));
      assert.ok(ms < 1000, `${text} took ${ms} ms`);
    }
  });
});

describe('parseRecurrence', () => {
  test('parses a full rule with defaults for INTERVAL and WKST', () => {
    assert.deepEqual(parseRecurrence('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0'), {
      ok: true,
      rule: {
        freq: 'WEEKLY', interval: 1, wkst: 1, byHour: [9], byMinute: [0],
        byDay: [{ weekday: 1 }, { weekday: 2 }, { weekday: 3 }, { weekday: 4 }, { weekday: 5 }],
      },
    });
  });

  test('accepts a leading RRULE:, lower case and ordinals', () => {
    const parsed = parseRecurrence('rrule:freq=monthly;byday=-1fr,+2mo;interval=3');
    assert.deepEqual(parsed, { ok: true, rule: { freq: 'MONTHLY', interval: 3, wkst: 1, byDay: [{ weekday: 5, nth: -1 }, { weekday: 1, nth: 2 }] } });
  });

  test('formatRecurrence round-trips a parsed rule', () => {
    const text = 'FREQ=YEARLY;INTERVAL=2;UNTIL=20301231T235959Z;BYMONTH=3;BYDAY=-1SU;BYHOUR=1;BYSETPOS=1;WKST=SU';
    assert.equal(formatRecurrence(rule(text)), text);
  });

  const errors: { name: string; text: string; message: string | RegExp }[] = [
    { name: 'garbage', text: 'hello world', message: "Malformed rule part 'hello world' (expected NAME=VALUE)" },
    { name: 'an empty rule', text: '  ', message: 'The recurrence rule is empty' },
    { name: 'an unknown FREQ', text: 'FREQ=HOURLYY', message: "Unknown FREQ 'HOURLYY'" },
    { name: 'a missing FREQ', text: 'COUNT=3', message: 'FREQ is required (e.g. FREQ=DAILY)' },
    { name: 'an unknown part', text: 'FREQ=DAILY;FOO=1', message: "Unknown rule part 'FOO'" },
    { name: 'COUNT together with UNTIL', text: 'FREQ=DAILY;COUNT=2;UNTIL=20300101T000000Z', message: 'COUNT and UNTIL cannot both be set' },
    { name: 'BYMONTHDAY=32', text: 'FREQ=MONTHLY;BYMONTHDAY=32', message: 'BYMONTHDAY must be between -31 and 31 (excluding 0)' },
    { name: 'BYMONTHDAY=0', text: 'FREQ=MONTHLY;BYMONTHDAY=0', message: 'BYMONTHDAY must be between -31 and 31 (excluding 0)' },
    { name: 'a non-numeric BYHOUR', text: 'FREQ=DAILY;BYHOUR=9,ten', message: "BYHOUR value 'ten' is not an integer" },
    { name: 'BYHOUR=24', text: 'FREQ=DAILY;BYHOUR=24', message: 'BYHOUR must be between 0 and 23' },
    { name: 'a negative BYMINUTE', text: 'FREQ=DAILY;BYMINUTE=-5', message: 'BYMINUTE must be between 0 and 59' },
    { name: 'INTERVAL=0', text: 'FREQ=DAILY;INTERVAL=0', message: 'INTERVAL must be a positive integer' },
    { name: 'COUNT=1.5', text: 'FREQ=DAILY;COUNT=1.5', message: 'COUNT must be a positive integer' },
    { name: 'a date-only UNTIL', text: 'FREQ=DAILY;UNTIL=20301231', message: 'UNTIL must be a UTC date-time such as 20251231T235959Z' },
    { name: 'an impossible UNTIL date', text: 'FREQ=DAILY;UNTIL=20300231T000000Z', message: 'UNTIL must be a UTC date-time such as 20251231T235959Z' },
    { name: 'a bad BYDAY', text: 'FREQ=WEEKLY;BYDAY=MO,XX', message: /BYDAY weekdays must be one of MO, TU/ },
    { name: 'an ordinal BYDAY with FREQ=WEEKLY', text: 'FREQ=WEEKLY;BYDAY=1MO', message: /BYDAY ordinals such as 1MO/ },
    { name: 'BYDAY=6FR in a monthly rule', text: 'FREQ=MONTHLY;BYDAY=6FR', message: /between -5 and 5/ },
    { name: 'DTSTART inside the rule', text: 'FREQ=DAILY;DTSTART=20250101T090000Z', message: /DTSTART cannot be part of the rule/ },
    { name: 'a part given twice', text: 'FREQ=DAILY;FREQ=WEEKLY', message: 'FREQ is given more than once' },
    { name: 'a part without a value', text: 'FREQ=DAILY;COUNT=', message: 'COUNT has no value' },
    { name: 'BYWEEKNO outside YEARLY', text: 'FREQ=MONTHLY;BYWEEKNO=3', message: 'BYWEEKNO is only allowed with FREQ=YEARLY' },
    { name: 'BYSETPOS alone', text: 'FREQ=MONTHLY;BYSETPOS=1', message: 'BYSETPOS needs another BY rule part to select from' },
  ];
  for (const e of errors) {
    test(`rejects ${e.name}`, () => {
      const parsed = parseRecurrence(e.text);
      assert.equal(parsed.ok, false);
      if (parsed.ok) return;
      if (typeof e.message === 'string') assert.equal(parsed.message, e.message);
      else assert.match(parsed.message, e.message);
    });
  }
});

describe('validateRecurrence', () => {
  const zone = 'Europe/Paris';
  const start = at('2025-06-01T09:00', zone);

  test('accepts a rule that fires again', () => {
    assert.equal(validateRecurrence('FREQ=WEEKLY;BYDAY=MO', start, zone).ok, true);
  });

  test('accepts a rare but real rule: a fifth Friday in February first comes in 2036', () => {
    const result = validateRecurrence('FREQ=YEARLY;BYMONTH=2;BYDAY=5FR', start, zone);
    assert.equal(result.ok, true);
    if (result.ok) assert.equal(show(nextOccurrence(result.rule, start, zone, start), zone), '2036-02-29T09:00:00+01:00');
  });

  test('passes parse errors through', () => {
    assert.deepEqual(validateRecurrence('FREQ=HOURLYY', start, zone), { ok: false, message: "Unknown FREQ 'HOURLYY'" });
  });

  const neverFires: { name: string; text: string; message: RegExp }[] = [
    { name: 'February 30th', text: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', message: /never fires after its first occurrence \(2025-06-01T07:00:00.000Z\)/ },
    { name: 'an UNTIL before the start', text: 'FREQ=DAILY;UNTIL=20250101T000000Z', message: /UNTIL \(2025-01-01T00:00:00.000Z\) is before the first occurrence/ },
    { name: 'an UNTIL before the second occurrence', text: 'FREQ=DAILY;UNTIL=20250601T120000Z', message: /never fires after its first occurrence .* before UNTIL/ },
    { name: 'COUNT=1', text: 'FREQ=DAILY;COUNT=1', message: /COUNT=1 allows only the first occurrence/ },
    { name: 'the 31st of April or June', text: 'FREQ=MONTHLY;BYMONTH=4,6;BYMONTHDAY=31', message: /never fires/ },
    { name: 'odd seconds from an even-second grid', text: 'FREQ=SECONDLY;INTERVAL=2;BYSECOND=1', message: /never fires/ },
  ];
  for (const c of neverFires) {
    test(`rejects a rule that never fires: ${c.name}`, () => {
      const result = validateRecurrence(c.text, start, zone);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.message, c.message);
    });
  }
});
