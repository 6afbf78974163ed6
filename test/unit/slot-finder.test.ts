import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { findSlots, firstSlot } from '../../src/calendar/slot-finder.ts';
import type { SlotQuery } from '../../src/calendar/slot-finder.ts';
import type { Weekday, WorkingHoursRule } from '../../src/calendar/working-hours.ts';
import type { TimeRange } from '../../src/shared/time-range.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const PARIS = 'Europe/Paris';
const NEW_YORK = 'America/New_York';

/** A local time in `zone` → epoch ms; an explicit offset ('02:00+01:00') picks one side of a fall-back. */
const at = (iso: string, zone: string): number => DateTime.fromISO(iso, { zone }).toMillis();
const span = ([from, to]: [string, string], zone: string): TimeRange => ({ start: at(from, zone), end: at(to, zone) });
const local = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toFormat('MM-dd HH:mmZZ');
const rule = (weekday: Weekday, start: string, end: string): WorkingHoursRule => ({ weekday, start, end });
const weekdays = (start: string, end: string): WorkingHoursRule[] =>
  (['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as const).map((d) => rule(d, start, end));

type Case = {
  name: string;
  zone?: string;
  rules?: WorkingHoursRule[];
  window: [string, string];
  minutes: number;
  grid: number;
  calendars?: { busy: [string, string][]; bufferMinutes: number }[];
  limit?: number;
  expected: string[];
};

function queryFor(c: Case): SlotQuery {
  const zone = c.zone ?? PARIS;
  return {
    window: span(c.window, zone),
    durationMs: c.minutes * MINUTE,
    timeZone: zone,
    workingHours: c.rules ?? [],
    slotIntervalMinutes: c.grid,
    calendars: (c.calendars ?? []).map((cal) => ({ busy: cal.busy.map((b) => span(b, zone)), bufferMs: cal.bufferMinutes * MINUTE })),
    limit: c.limit ?? 100,
  };
}

function startsOf(q: SlotQuery): string[] {
  const slots = findSlots(q);
  for (const slot of slots) assert.equal(slot.end - slot.start, q.durationMs, 'every slot lasts the duration');
  return slots.map((slot) => local(slot.start, q.timeZone));
}

// Paris unless noted; 2026-01-09 is a Friday, 2026-01-12 a Monday.
const cases: Case[] = [
  {
    name: 'working hours over several days skip the weekend',
    rules: weekdays('09:00', '17:00'), window: ['2026-01-09T16:00', '2026-01-13T00:00'], minutes: 60, grid: 60, limit: 3,
    expected: ['01-09 16:00+01:00', '01-12 09:00+01:00', '01-12 10:00+01:00'],
  },
  {
    name: 'with several ranges a day a slot never spans the lunch break',
    rules: [rule('MONDAY', '09:00', '12:00'), rule('MONDAY', '13:00', '17:00')], window: ['2026-01-12T00:00', '2026-01-13T00:00'], minutes: 120, grid: 60,
    expected: ['01-12 09:00+01:00', '01-12 10:00+01:00', '01-12 13:00+01:00', '01-12 14:00+01:00', '01-12 15:00+01:00'],
  },
  {
    name: 'buffers keep time free on both sides of a busy range',
    window: ['2026-01-12T09:00', '2026-01-12T12:00'], minutes: 30, grid: 15,
    calendars: [{ busy: [['2026-01-12T10:00', '2026-01-12T11:00']], bufferMinutes: 15 }],
    expected: ['01-12 09:00+01:00', '01-12 09:15+01:00', '01-12 11:15+01:00', '01-12 11:30+01:00'],
  },
  {
    name: 'an unbuffered busy range may be touched exactly on both sides',
    window: ['2026-01-12T09:00', '2026-01-12T10:30'], minutes: 30, grid: 30,
    calendars: [{ busy: [['2026-01-12T09:30', '2026-01-12T10:00']], bufferMinutes: 0 }],
    expected: ['01-12 09:00+01:00', '01-12 10:00+01:00'],
  },
  {
    name: 'a free gap starting at 09:05 starts on the 15-minute grid at 09:15',
    window: ['2026-01-12T08:00', '2026-01-12T10:00'], minutes: 30, grid: 15, limit: 2,
    calendars: [{ busy: [['2026-01-12T08:00', '2026-01-12T09:05']], bufferMinutes: 0 }],
    expected: ['01-12 09:15+01:00', '01-12 09:30+01:00'],
  },
  {
    name: 'a window starting off the grid starts at the next grid point',
    window: ['2026-01-12T09:07', '2026-01-12T10:00'], minutes: 15, grid: 15,
    expected: ['01-12 09:15+01:00', '01-12 09:30+01:00', '01-12 09:45+01:00'],
  },
  {
    name: 'slots must end inside the window too',
    window: ['2026-01-12T09:00', '2026-01-12T09:50'], minutes: 30, grid: 15,
    expected: ['01-12 09:00+01:00', '01-12 09:15+01:00'],
  },
  {
    name: 'in Asia/Kolkata a 30-minute grid lands on 09:00 and 09:30 local time',
    zone: 'Asia/Kolkata', rules: [rule('MONDAY', '09:00', '17:00')], window: ['2026-01-12T00:00', '2026-01-13T00:00'], minutes: 30, grid: 30, limit: 3,
    expected: ['01-12 09:00+05:30', '01-12 09:30+05:30', '01-12 10:00+05:30'],
  },
  {
    name: 'in Asia/Kathmandu a 45-minute grid is anchored at local midnight',
    zone: 'Asia/Kathmandu', window: ['2026-01-12T05:45', '2026-01-12T08:45'], minutes: 45, grid: 45,
    expected: ['01-12 06:00+05:45', '01-12 06:45+05:45', '01-12 07:30+05:45'],
  },
  {
    name: 'attendee calendars block time but do not impose working hours',
    rules: weekdays('09:00', '17:00'), window: ['2026-01-12T06:00', '2026-01-12T12:00'], minutes: 60, grid: 60, limit: 2,
    calendars: [{ busy: [], bufferMinutes: 0 }, { busy: [['2026-01-12T09:00', '2026-01-12T10:00']], bufferMinutes: 0 }],
    expected: ['01-12 10:00+01:00', '01-12 11:00+01:00'],
  },
  {
    name: 'each calendar keeps its own buffer',
    window: ['2026-01-12T09:00', '2026-01-12T12:30'], minutes: 30, grid: 30,
    calendars: [
      { busy: [['2026-01-12T09:00', '2026-01-12T09:30']], bufferMinutes: 0 },
      { busy: [['2026-01-12T11:00', '2026-01-12T11:30']], bufferMinutes: 30 },
    ],
    expected: ['01-12 09:30+01:00', '01-12 10:00+01:00', '01-12 12:00+01:00'],
  },
  {
    name: 'a window crossing midnight yields slots on both days, including ones spanning midnight',
    window: ['2026-01-12T23:00', '2026-01-13T01:00'], minutes: 60, grid: 30,
    expected: ['01-12 23:00+01:00', '01-12 23:30+01:00', '01-13 00:00+01:00'],
  },
  {
    name: 'a gap exactly as long as the event fits it',
    window: ['2026-01-12T09:00', '2026-01-12T12:00'], minutes: 45, grid: 15,
    calendars: [{ busy: [['2026-01-12T09:00', '2026-01-12T10:00'], ['2026-01-12T10:45', '2026-01-12T12:00']], bufferMinutes: 0 }],
    expected: ['01-12 10:00+01:00'],
  },
  {
    name: 'no gap long enough means no slots',
    window: ['2026-01-12T09:00', '2026-01-12T12:00'], minutes: 45, grid: 15,
    calendars: [{ busy: [['2026-01-12T09:00', '2026-01-12T10:00'], ['2026-01-12T10:30', '2026-01-12T12:00']], bufferMinutes: 0 }],
    expected: [],
  },
  {
    name: 'a window shorter than the event has no slots',
    window: ['2026-01-12T09:00', '2026-01-12T09:20'], minutes: 30, grid: 15,
    expected: [],
  },
  {
    name: 'the limit caps the result at the earliest slots',
    window: ['2026-01-12T00:00', '2026-01-13T00:00'], minutes: 30, grid: 30, limit: 4,
    expected: ['01-12 00:00+01:00', '01-12 00:30+01:00', '01-12 01:00+01:00', '01-12 01:30+01:00'],
  },
  {
    name: 'unsorted, overlapping busy ranges across calendars are combined',
    window: ['2026-01-12T09:00', '2026-01-12T14:30'], minutes: 30, grid: 30,
    calendars: [
      { busy: [['2026-01-12T10:00', '2026-01-12T11:00'], ['2026-01-12T13:00', '2026-01-12T14:00']], bufferMinutes: 0 },
      { busy: [['2026-01-12T10:45', '2026-01-12T11:30'], ['2026-01-12T09:30', '2026-01-12T10:15']], bufferMinutes: 0 },
    ],
    expected: ['01-12 09:00+01:00', '01-12 11:30+01:00', '01-12 12:00+01:00', '01-12 12:30+01:00', '01-12 14:00+01:00'],
  },
  {
    name: 'a zero-length busy range occupies nothing, buffer included',
    window: ['2026-01-12T09:00', '2026-01-12T10:00'], minutes: 30, grid: 30,
    calendars: [{ busy: [['2026-01-12T09:30', '2026-01-12T09:30']], bufferMinutes: 15 }],
    expected: ['01-12 09:00+01:00', '01-12 09:30+01:00'],
  },
  {
    name: 'an event longer than a day fits a multi-day gap exactly',
    window: ['2026-01-12T00:00', '2026-01-22T00:00'], minutes: 48 * 60, grid: 60, limit: 2,
    calendars: [{ busy: [['2026-01-12T00:00', '2026-01-14T12:00'], ['2026-01-16T12:00', '2026-01-20T00:00']], bufferMinutes: 0 }],
    expected: ['01-14 12:00+01:00', '01-20 00:00+01:00'],
  },
  {
    name: 'in a long window a slot straddling a day boundary is found',
    window: ['2026-01-12T12:00', '2026-01-16T12:00'], minutes: 60, grid: 30,
    calendars: [{ busy: [['2026-01-12T12:00', '2026-01-13T11:30'], ['2026-01-13T12:30', '2026-01-16T12:00']], bufferMinutes: 0 }],
    expected: ['01-13 11:30+01:00'],
  },
  {
    name: 'Paris spring-forward: working hours 01:00–04:00 hold only 01:00 and 03:00 hour slots',
    rules: [rule('SUNDAY', '01:00', '04:00')], window: ['2026-03-29T00:00', '2026-03-30T00:00'], minutes: 60, grid: 60,
    expected: ['03-29 01:00+01:00', '03-29 03:00+02:00'],
  },
  {
    name: 'Paris spring-forward: a slot from 01:30 spans the jump and lasts one real hour',
    window: ['2026-03-29T01:30', '2026-03-29T04:00'], minutes: 60, grid: 30,
    expected: ['03-29 01:30+01:00', '03-29 03:00+02:00'],
  },
  {
    name: 'Paris fall-back: both 02:00 instants are grid points',
    window: ['2026-10-25T01:30', '2026-10-25T03:30'], minutes: 30, grid: 30,
    expected: ['10-25 01:30+02:00', '10-25 02:00+02:00', '10-25 02:30+02:00', '10-25 02:00+01:00', '10-25 02:30+01:00', '10-25 03:00+01:00'],
  },
  {
    name: 'New York fall-back: both 01:00 instants are grid points',
    zone: NEW_YORK, window: ['2026-11-01T00:30', '2026-11-01T02:00'], minutes: 30, grid: 30,
    expected: ['11-01 00:30-04:00', '11-01 01:00-04:00', '11-01 01:30-04:00', '11-01 01:00-05:00', '11-01 01:30-05:00'],
  },
];

describe('findSlots', () => {
  for (const c of cases) test(c.name, () => assert.deepEqual(startsOf(queryFor(c)), c.expected));
});

describe('findSlots across DST days, around the clock', () => {
  const days: { name: string; zone: string; day: string; next: string; hours: number; skippedHour?: string; repeatedHour?: string }[] = [
    { name: 'Paris spring-forward (2026-03-29)', zone: PARIS, day: '2026-03-29', next: '2026-03-30', hours: 23, skippedHour: '02' },
    { name: 'Paris fall-back (2026-10-25)', zone: PARIS, day: '2026-10-25', next: '2026-10-26', hours: 25, repeatedHour: '02' },
    { name: 'New York spring-forward (2026-03-08)', zone: NEW_YORK, day: '2026-03-08', next: '2026-03-09', hours: 23, skippedHour: '02' },
    { name: 'New York fall-back (2026-11-01)', zone: NEW_YORK, day: '2026-11-01', next: '2026-11-02', hours: 25, repeatedHour: '01' },
  ];
  for (const d of days) {
    for (const grid of [60, 15]) {
      test(`${d.name} has ${d.hours} hours of ${grid}-minute slots`, () => {
        const starts = startsOf(queryFor({ name: '', zone: d.zone, window: [`${d.day}T00:00`, `${d.next}T00:00`], minutes: grid, grid, limit: 1000, expected: [] }));
        assert.equal(starts.length, (d.hours * 60) / grid);
        assert.equal(new Set(starts).size, starts.length, 'no instant is offered twice');
        const inHour = (h: string) => starts.filter((s) => s.slice(6, 8) === h).length;
        if (d.skippedHour !== undefined) assert.equal(inHour(d.skippedHour), 0, 'the nonexistent hour holds no slot');
        if (d.repeatedHour !== undefined) assert.equal(inHour(d.repeatedHour), (2 * 60) / grid, 'the repeated hour counts twice');
      });
    }
  }
});

describe('firstSlot', () => {
  test('returns the earliest fitting slot', () => {
    const q = queryFor(cases.find((c) => c.name.startsWith('working hours over several days'))!);
    assert.deepEqual(firstSlot(q), findSlots(q)[0]);
    assert.equal(local(firstSlot(q)!.start, PARIS), '01-09 16:00+01:00');
  });
  test('returns null when nothing fits', () => {
    assert.equal(firstSlot(queryFor({ name: '', window: ['2026-01-12T09:00', '2026-01-12T09:20'], minutes: 30, grid: 15, expected: [] })), null);
  });
  test('finds a fit late in a ten-year window behind a long busy stretch', () => {
    const q = queryFor({
      name: '', rules: weekdays('09:00', '17:00'), window: ['2026-01-12T00:00', '2036-01-01T00:00'], minutes: 60, grid: 30, expected: [],
      calendars: [{ busy: [['2026-01-01T00:00', '2031-06-03T10:10']], bufferMinutes: 0 }],
    });
    assert.equal(local(firstSlot(q)!.start, PARIS), '06-03 10:30+02:00');
  });
});

describe('findSlots with many busy ranges', () => {
  test('100,000 unsorted busy ranges outside the window do not change the answer', () => {
    const base = queryFor(cases.find((c) => c.name.startsWith('unsorted, overlapping'))!);
    const window = base.window;
    const noise: TimeRange[] = [];
    for (let i = 0; i < 100_000; i++) {
      // Alternate far before and far after the window, out of order and overlapping each other.
      const anchor = i % 2 === 0 ? window.start - (i + 1) * 7 * MINUTE - HOUR : window.end + ((i * 7919) % 100_000) * MINUTE;
      noise.push({ start: anchor, end: anchor + 45 * MINUTE });
    }
    const calendars = [{ busy: [...noise, ...base.calendars[0]!.busy], bufferMs: 0 }, ...base.calendars.slice(1)];
    assert.deepEqual(findSlots({ ...base, calendars }), findSlots(base));
  });

  test('100,000 overlapping busy ranges inside the window leave exactly the gaps between them', () => {
    const window = span(['2026-01-12T00:00', '2026-01-19T00:00'], 'UTC');
    const busy: TimeRange[] = [];
    for (let i = 0; i < 100_000; i++) {
      // Every hour is covered by many overlapping short ranges except hh:40–hh:60.
      const hour = window.start + ((i * 7919) % 168) * HOUR;
      const offset = ((i * 104729) % 31) * MINUTE;
      busy.push({ start: hour + offset, end: hour + Math.min(offset + 10 * MINUTE, 40 * MINUTE) });
    }
    busy.push(...Array.from({ length: 168 }, (_, h) => ({ start: window.start + h * HOUR, end: window.start + h * HOUR + 40 * MINUTE })));
    const slots = findSlots({ window, durationMs: 20 * MINUTE, timeZone: 'UTC', workingHours: [], slotIntervalMinutes: 20, calendars: [{ busy, bufferMs: 0 }], limit: 1000 });
    assert.equal(slots.length, 168);
    assert.ok(slots.every((s, h) => s.start === window.start + h * HOUR + 40 * MINUTE));
  });
});

describe('findSlots agrees with a minute-by-minute brute force', () => {
  /** Deterministic PRNG (mulberry32) so failures reproduce. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const scenarios = [
    { zone: PARIS, from: '2026-10-24T07:13', days: 4 },
    { zone: NEW_YORK, from: '2026-03-06T10:07', days: 4 },
    { zone: 'Asia/Kathmandu', from: '2026-01-09T22:00', days: 4 },
  ];
  for (const [n, s] of scenarios.entries()) {
    test(`random busy calendars in ${s.zone} around ${s.from.slice(0, 10)}`, () => {
      const rand = random(n + 1);
      const window = { start: at(s.from, s.zone), end: at(s.from, s.zone) + s.days * 24 * HOUR };
      const rules = [...weekdays('08:00', '12:00'), ...weekdays('12:00', '18:30'), rule('SATURDAY', '01:00', '04:00'), rule('SUNDAY', '00:00', '03:15')];
      const calendars = [0, 1, 2].map((c) => ({
        bufferMs: c * 10 * MINUTE,
        busy: Array.from({ length: 6 }, () => {
          const start = window.start + Math.floor(rand() * s.days * 24 * 60) * MINUTE;
          return { start, end: start + Math.floor(rand() * 120) * MINUTE };
        }),
      }));
      for (const [minutes, grid] of [[45, 15], [60, 30], [20, 20]] as const) {
        const q: SlotQuery = { window, durationMs: minutes * MINUTE, timeZone: s.zone, workingHours: rules, slotIntervalMinutes: grid, calendars, limit: 10_000 };
        const expected = bruteForce(q);
        assert.ok(expected.length > 10, 'the scenario leaves room for slots');
        assert.deepEqual(findSlots(q), expected, `${minutes}-minute slots on a ${grid}-minute grid`);
      }
    });
  }
});

/** Checks every minute of the window with luxon directly; slow but obviously right. */
function bruteForce(q: SlotQuery): TimeRange[] {
  const minutes = (q.window.end - q.window.start) / MINUTE;
  const ok: boolean[] = [];
  const onGrid: boolean[] = [];
  for (let m = 0; m < minutes; m++) {
    const t = q.window.start + m * MINUTE;
    const wall = DateTime.fromMillis(t, { zone: q.timeZone });
    const clock = wall.toFormat('HH:mm');
    const weekday = wall.setLocale('en-US').toFormat('cccc').toUpperCase();
    const working = q.workingHours.some((r) => r.weekday === weekday && r.start <= clock && clock < r.end);
    const busy = q.calendars.some((c) => c.busy.some((b) => b.start < b.end && b.start - c.bufferMs <= t && t < b.end + c.bufferMs));
    ok.push(working && !busy);
    onGrid.push((wall.hour * 60 + wall.minute) % q.slotIntervalMinutes === 0);
  }
  const length = q.durationMs / MINUTE;
  const slots: TimeRange[] = [];
  for (let m = 0; m + length <= minutes; m++) {
    if (!onGrid[m] || ok.slice(m, m + length).some((free) => !free)) continue;
    const start = q.window.start + m * MINUTE;
    slots.push({ start, end: start + q.durationMs });
  }
  return slots;
}

describe('findSlots rejects malformed queries', () => {
  const valid = queryFor({ name: '', window: ['2026-01-12T09:00', '2026-01-12T12:00'], minutes: 30, grid: 15, expected: [] });
  const cases: { name: string; change: Partial<SlotQuery> }[] = [
    { name: 'a grid that does not divide the day', change: { slotIntervalMinutes: 7 } },
    { name: 'a zero duration', change: { durationMs: 0 } },
    { name: 'a negative buffer', change: { calendars: [{ busy: [], bufferMs: -1 }] } },
    { name: 'an unknown time zone', change: { timeZone: 'Mars/Olympus_Mons' } },
    { name: 'invalid working hours', change: { workingHours: [rule('MONDAY', '17:00', '09:00')] } },
  ];
  for (const c of cases) test(`${c.name} is a RangeError`, () => assert.throws(() => findSlots({ ...valid, ...c.change }), RangeError));

  test('a zero limit or an empty window simply finds nothing', () => {
    assert.deepEqual(findSlots({ ...valid, limit: 0 }), []);
    assert.deepEqual(findSlots({ ...valid, window: { start: valid.window.end, end: valid.window.start } }), []);
  });
});
