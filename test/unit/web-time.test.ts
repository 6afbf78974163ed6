import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from '../../src/web/lib/time.ts';

// The console's relative times, in whatever locale this process has (the expected text is built the same way).
const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const NOW = Date.parse('2026-12-03T12:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();
const DAY = 86_400_000;

test('relative times use the largest unit that reads naturally: days up to two months, then months, then years', () => {
  assert.equal(relative(at(90_000), NOW), rtf.format(2, 'minute'));
  assert.equal(relative(at(-5 * 3_600_000), NOW), rtf.format(-5, 'hour'));
  assert.equal(relative(at(45 * DAY), NOW), rtf.format(45, 'day'));
  assert.equal(relative(at(120 * DAY), NOW), rtf.format(4, 'month'));
  assert.equal(relative(at(-200 * DAY), NOW), rtf.format(-7, 'month'));
  // A reminder set for 2031 is "in 4 years", not "in 1,562 days".
  assert.equal(relative('2031-03-14T09:00:00Z', NOW), rtf.format(4, 'year'));
});
