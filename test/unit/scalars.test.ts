import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDate, parseDateTime, parseLocalTime } from '../../src/graphql/scalars.ts';
import { isValidTimeZone } from '../../src/shared/time-zone.ts';

describe('DateTime', () => {
  const accepted: [string, string][] = [
    ['2026-11-24T09:00:00+01:00', '2026-11-24T08:00:00.000Z'],
    ['2026-11-24T09:00:00Z', '2026-11-24T09:00:00.000Z'],
    ['2026-11-24T09:00Z', '2026-11-24T09:00:00.000Z'],
    ['2026-11-24T09:00:00.123-05:30', '2026-11-24T14:30:00.123Z'],
  ];
  for (const [input, utc] of accepted) {
    test(`${input} is the instant ${utc}`, () => assert.equal(parseDateTime(input).toISOString(), utc));
  }
  const refused = ['2026-11-24T09:00:00', '2026-11-24', '2026-02-30T09:00:00Z', 'tomorrow', '', 42, null];
  for (const input of refused) {
    test(`${JSON.stringify(input)} is refused with an example of the right form`, () => {
      assert.throws(() => parseDateTime(input), /RFC 3339 date-time with an offset, e\.g\./);
    });
  }
});

describe('Date and LocalTime', () => {
  test('a real calendar date passes and an impossible one does not', () => {
    assert.equal(parseDate('2028-02-29'), '2028-02-29');
    assert.throws(() => parseDate('2026-02-29'), /calendar date/);
    assert.throws(() => parseDate('24/11/2026'), /calendar date/);
  });

  test('local times take minutes or seconds, and 24:00 ends a day', () => {
    assert.equal(parseLocalTime('09:30'), '09:30');
    assert.equal(parseLocalTime('09:30:00'), '09:30');
    assert.equal(parseLocalTime('09:30:15'), '09:30:15');
    assert.equal(parseLocalTime('24:00'), '24:00');
    for (const bad of ['24:01', '9:30', '09:60', '25:00', 'noon']) assert.throws(() => parseLocalTime(bad), /LocalTime/);
  });
});

describe('isValidTimeZone', () => {
  test('IANA names are valid', () => {
    for (const zone of ['Europe/Paris', 'UTC', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'Etc/GMT+1']) assert.ok(isValidTimeZone(zone), zone);
  });
  test('unknown names and bare offsets are not', () => {
    for (const zone of ['Mars/Olympus', '+01:00', 'GMT+1:00', '', 'Europe/Paris; drop table']) assert.equal(isValidTimeZone(zone), false, zone);
  });
});
