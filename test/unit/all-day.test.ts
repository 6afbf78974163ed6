import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { allDayDates, allDayRange } from '../../src/calendar/placement.ts';
import { updatedDays, type UpdateEventInput } from '../../src/calendar/event-input.ts';
import { ValidationError } from '../../src/shared/errors.ts';
import { allDayColumns, monthsHeading } from '../../src/web/calendar/dates.ts';
import { eventWhen } from '../../src/cli/output.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe('allDayRange: whole local days as instants', () => {
  const cases: [what: string, date: string, lastDate: string, zone: string, start: string, end: string, minutes: number][] = [
    ['an ordinary day in Paris', '2028-12-24', '2028-12-24', 'Europe/Paris', '2028-12-23T23:00:00.000Z', '2028-12-24T23:00:00.000Z', 1440],
    ['the autumn change in Paris (25 hours)', '2028-10-29', '2028-10-29', 'Europe/Paris', '2028-10-28T22:00:00.000Z', '2028-10-29T23:00:00.000Z', 1500],
    ['the spring change in Paris (23 hours)', '2028-03-26', '2028-03-26', 'Europe/Paris', '2028-03-25T23:00:00.000Z', '2028-03-26T22:00:00.000Z', 1380],
    ['a half-hour zone', '2028-11-03', '2028-11-03', 'Asia/Kolkata', '2028-11-02T18:30:00.000Z', '2028-11-03T18:30:00.000Z', 1440],
    ['a day whose midnight is skipped (Santiago starts it at 01:00)', '2028-09-03', '2028-09-03', 'America/Santiago', '2028-09-03T04:00:00.000Z', '2028-09-04T03:00:00.000Z', 1380],
    ['several days across a month end', '2028-11-29', '2028-12-02', 'UTC', '2028-11-29T00:00:00.000Z', '2028-12-03T00:00:00.000Z', 4 * 1440],
  ];
  for (const [what, date, lastDate, zone, start, end, minutes] of cases) {
    test(`${what}: ${date}–${lastDate} in ${zone}, and back to the same dates`, () => {
      const range = allDayRange(date, lastDate, zone);
      assert.deepEqual([iso(range.start), iso(range.end), (range.end - range.start) / 60_000], [start, end, minutes]);
      assert.deepEqual(allDayDates(range, zone), { date, lastDate });
    });
  }
});

describe('updatedDays: what an update makes of an event\'s days', () => {
  const day = { allDay: true, date: '2028-07-03', lastDate: '2028-07-05' };
  const timed = { allDay: false, date: '2028-07-03', lastDate: '2028-07-03' };
  const cases: [what: string, input: UpdateEventInput, current: typeof day, expected: { date: string; lastDate: string } | null | string][] = [
    ['a title alone keeps an all-day event\'s days', { title: 'x' }, day, { date: '2028-07-03', lastDate: '2028-07-05' }],
    ['a new first day moves it and keeps three days', { date: '2028-07-30' }, day, { date: '2028-07-30', lastDate: '2028-08-01' }],
    ['a new last day alone changes its length', { lastDate: '2028-07-03' }, day, { date: '2028-07-03', lastDate: '2028-07-03' }],
    ['both dates are taken as given', { date: '2028-07-10', lastDate: '2028-07-10' }, day, { date: '2028-07-10', lastDate: '2028-07-10' }],
    ['allDay: true turns a timed event into its start\'s day', { allDay: true }, timed, { date: '2028-07-03', lastDate: '2028-07-03' }],
    ['allDay: true with a date takes that one day', { allDay: true, date: '2028-07-09' }, timed, { date: '2028-07-09', lastDate: '2028-07-09' }],
    ['a timed event stays timed', { title: 'x' }, timed, null],
    ['a time for an all-day event is refused', { startsAt: new Date('2028-07-03T10:00:00Z') }, day, 'input.startsAt'],
    ['a duration for an all-day event is refused', { durationMinutes: 30 }, day, 'input.durationMinutes'],
    ['made timed without a duration is refused', { allDay: false, startsAt: new Date('2028-07-03T10:00:00Z') }, day, 'input.durationMinutes'],
    ['made timed without a start is refused', { allDay: false, durationMinutes: 30 }, day, 'input.startsAt'],
    ['dates for a timed event are refused', { date: '2028-07-04' }, timed, 'input.date'],
    ['a last day before the first is refused', { lastDate: '2028-07-02' }, day, 'input.lastDate'],
    ['more than 366 days is refused', { lastDate: '2029-07-05' }, day, 'input.lastDate'],
  ];
  for (const [what, input, current, expected] of cases) {
    test(what, () => {
      if (typeof expected !== 'string') return assert.deepEqual(updatedDays(input, current), expected);
      assert.throws(() => updatedDays(input, current), (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.deepEqual(error.fieldErrors.map((e) => e.path.join('.')), [expected]);
        return true;
      });
    });
  }
});

describe('the console\'s calendar days', () => {
  test('a week heading names the month, or both months, of the days shown', () => {
    // ICU puts thin spaces around the range dash.
    const heading = (...args: Parameters<typeof monthsHeading>) => monthsHeading(...args).replace(/\s+/g, ' ');
    assert.equal(heading({ year: 2027, month: 12, day: 6 }, { year: 2027, month: 12, day: 12 }, 'en-GB'), 'December 2027');
    assert.equal(heading({ year: 2027, month: 11, day: 29 }, { year: 2027, month: 12, day: 5 }, 'en-US'), 'Nov – Dec 2027');
    assert.equal(heading({ year: 2027, month: 12, day: 27 }, { year: 2028, month: 1, day: 2 }, 'en-GB'), 'Dec 2027 – Jan 2028');
  });

  test('an all-day event covers the columns of its days, clipped to the days shown', () => {
    const monday = { year: 2027, month: 11, day: 29 };
    // Wed 1 – Thu 2 Dec in Paris: ends at the midnight that begins Friday.
    const offsite = { startsAt: '2027-11-30T23:00:00.000Z', endsAt: '2027-12-02T23:00:00.000Z' };
    assert.deepEqual(allDayColumns(offsite, 'Europe/Paris', monday, 7), [2, 3]);
    assert.deepEqual(allDayColumns(offsite, 'Europe/Paris', { year: 2027, month: 12, day: 2 }, 1), [0, 0]);
    assert.equal(allDayColumns(offsite, 'Europe/Paris', { year: 2027, month: 12, day: 3 }, 1), null);
    const fortnight = { startsAt: '2027-11-20T23:00:00.000Z', endsAt: '2027-12-10T23:00:00.000Z' };
    assert.deepEqual(allDayColumns(fortnight, 'Europe/Paris', monday, 7), [0, 6]);
  });
});

describe('the CLI\'s event lines', () => {
  test('an all-day event reads as its days, not as 00:00–00:00', () => {
    const paris = { timeZone: 'Europe/Paris' };
    assert.equal(eventWhen({ startsAt: '2028-12-23T23:00:00.000Z', endsAt: '2028-12-24T23:00:00.000Z', allDay: true, calendar: paris }), 'Sun 24 Dec 2028 all day');
    assert.equal(eventWhen({ startsAt: '2028-12-26T23:00:00.000Z', endsAt: '2028-12-29T23:00:00.000Z', allDay: true, calendar: paris }), 'Wed 27 Dec 2028–Fri 29 Dec all day');
    assert.equal(eventWhen({ startsAt: '2028-12-27T08:00:00.000Z', endsAt: '2028-12-27T08:30:00.000Z', allDay: false, calendar: paris }), 'Wed 27 Dec 2028 09:00–09:30 +01:00');
  });
});
