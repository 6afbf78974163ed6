import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimestamptz, pgArray, toDate } from '../../src/platform/sql.ts';

test('timestamptz text in the shapes PostgreSQL prints becomes the exact instant', () => {
  const cases: [string, string][] = [
    ['2026-11-24 08:00:00+00', '2026-11-24T08:00:00.000Z'],
    ['2026-11-24 08:00:00.1+00', '2026-11-24T08:00:00.100Z'],
    ['2026-11-24 08:00:00.123+00', '2026-11-24T08:00:00.123Z'],
    ['2026-11-24 08:00:00.123999+00', '2026-11-24T08:00:00.123Z'],
    ['2026-03-29 03:30:00.5+02', '2026-03-29T01:30:00.500Z'],
    ['2026-11-24 13:30:00+05:30', '2026-11-24T08:00:00.000Z'],
    ['2026-11-24 03:00:00-05', '2026-11-24T08:00:00.000Z'],
    ['1883-11-18 12:00:00-04:56:02', '1883-11-18T16:56:02.000Z'],
    ['2024-02-29 23:59:59.999+00', '2024-02-29T23:59:59.999Z'],
  ];
  for (const [text, iso] of cases) {
    assert.equal(new Date(parseTimestamptz(text)!).toISOString(), iso, text);
    assert.equal(toDate(text).toISOString(), iso, text);
  }
});

test('shapes it does not know are left to Date, and garbage is refused', () => {
  assert.equal(parseTimestamptz('2026-11-24T08:00:00Z'), null);
  assert.equal(parseTimestamptz('infinity'), null);
  assert.equal(parseTimestamptz('2026-11-24 08:00:00'), null);
  assert.equal(toDate('2026-11-24T08:00:00Z').toISOString(), '2026-11-24T08:00:00.000Z');
  assert.throws(() => toDate('not a time'), /not a timestamp/);
  const now = new Date();
  assert.equal(toDate(now), now);
});

test('pgArray writes uuids, numbers, timestamps and words as an array literal, and refuses what would need quoting', () => {
  assert.equal(pgArray(['0b7c1f3e-2f1a-4c55-9d1e-7a0c2b6f9e11', null, undefined]), '{0b7c1f3e-2f1a-4c55-9d1e-7a0c2b6f9e11,NULL,NULL}');
  assert.equal(pgArray([1, -2, 3.5]), '{1,-2,3.5}');
  assert.equal(pgArray([new Date('2026-11-24T08:00:00.123Z'), 'SCHEDULED']), '{2026-11-24T08:00:00.123Z,SCHEDULED}');
  assert.equal(pgArray([]), '{}');
  for (const bad of ['a,b', 'with space', '"quoted"', 'back\\slash', '{}', 'null', '']) {
    assert.throws(() => pgArray([bad]), /needs quoting/, bad);
  }
});
