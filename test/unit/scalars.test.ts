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

describe('DateTime holds what PostgreSQL and RFC 3339 both hold: years 0001 to 9999 after the offset', () => {
  const edges: [string, string][] = [
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['0001-01-01T01:00:00+01:00', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ['9999-12-31T12:00:00-11:59', '9999-12-31T23:59:00.000Z'],
  ];
  for (const [input, utc] of edges) {
    test(`${input} is accepted`, () => assert.equal(parseDateTime(input).toISOString(), utc));
  }
  for (const input of ['0000-01-01T00:00:00Z', '0001-01-01T00:30:00+01:00', '9999-12-31T23:59:59-12:00', '9999-12-31T20:00:00-04:00']) {
    test(`${input} is refused, saying the range`, () => assert.throws(() => parseDateTime(input), /between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z/));
  }
  test('an expanded year (+010000) is no RFC 3339 date-time', () => assert.throws(() => parseDateTime('+010000-01-01T00:00:00Z'), /RFC 3339/));
  test('Date refuses year 0000', () => {
    assert.equal(parseDate('0001-01-01'), '0001-01-01');
    assert.equal(parseDate('9999-12-31'), '9999-12-31');
    assert.throws(() => parseDate('0000-01-01'), /years 0001 to 9999/);
  });
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
