import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gapShorterThan, parseRecurrence } from '../../src/reminders/recurrence.ts';
import { recurrenceTooFrequent } from '../../src/reminders/reminder.input.ts';

function rule(text: string) {
  const parsed = parseRecurrence(text);
  if (!parsed.ok) throw new Error(`test rule '${text}' does not parse: ${parsed.message}`);
  return parsed.rule;
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;
// 09:00:30 local in Paris, a week before the autumn DST change (2025-10-26).
const START = new Date('2025-10-19T07:00:30Z');

describe('gapShorterThan: the rule\'s own rhythm against a minimum', () => {
  // [rule, minimum, the first gap under it (null: none)]
  const cases: [string, number, number | null, string?][] = [
    ['FREQ=SECONDLY', M, 1 * S],
    ['FREQ=SECONDLY;INTERVAL=59', M, 59 * S],
    ['FREQ=SECONDLY;INTERVAL=60', M, null],
    ['FREQ=SECONDLY;COUNT=2', M, 1 * S, 'COUNT ends the series, not its rhythm'],
    ['FREQ=SECONDLY;UNTIL=20251019T070031Z', M, 1 * S],
    ['FREQ=SECONDLY;BYSECOND=0', M, null, 'a limit that leaves one second a minute'],
    ['FREQ=SECONDLY;BYSECOND=0,1', M, 1 * S],
    ['FREQ=SECONDLY;BYSECOND=59,0', M, 1 * S, 'across the minute'],
    ['FREQ=MINUTELY', M, null],
    ['FREQ=MINUTELY', 2 * M, 1 * M],
    ['FREQ=MINUTELY;BYSECOND=0,30', M, 30 * S],
    ['FREQ=MINUTELY;INTERVAL=15;BYHOUR=9', 20 * M, 15 * M],
    ['FREQ=HOURLY;BYMINUTE=0,1', M, null],
    ['FREQ=HOURLY;BYMINUTE=0,30;BYSECOND=0,59', M, 59 * S],
    ['FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0,10', M, 10 * S],
    ['FREQ=DAILY;BYHOUR=0,23;BYMINUTE=0,59;BYSECOND=59', 2 * H, 59 * M, 'the first short gap found, not the shortest'],
    ['FREQ=DAILY', 24 * H, null, 'across the DST change too: wall-clock days'],
    ['FREQ=DAILY;BYHOUR=1,2', 2 * H, 1 * H],
    ['FREQ=WEEKLY;BYDAY=MO,TU;BYHOUR=23,0;BYMINUTE=30', 2 * H, 1 * H, 'Monday 23:30, Tuesday 00:30'],
    ['FREQ=MONTHLY;BYMONTHDAY=1,-1;BYSETPOS=1,2', 2 * 24 * H, 24 * H, 'the last of a month and the first of the next'],
    ['FREQ=YEARLY;COUNT=3', 24 * H, null],
  ];
  for (const [text, minMs, expected, why] of cases) {
    test(`${text} under ${minMs / S} s → ${expected === null ? 'none' : `${expected / S} s`}${why ? ` (${why})` : ''}`, () => {
      assert.equal(gapShorterThan(rule(text), START, 'Europe/Paris', minMs), expected);
    });
  }

  test('a rule that fires every second of one day years away is found, however far its first instant', () => {
    assert.equal(gapShorterThan(rule('FREQ=SECONDLY;BYYEARDAY=366'), START, 'UTC', M), 1 * S);
  });

  test('an hourly rule across the repeated autumn hour stays an hour apart', () => {
    assert.equal(gapShorterThan(rule('FREQ=HOURLY;BYMINUTE=30'), new Date('2025-10-25T23:30:00Z'), 'Europe/Paris', H), null);
  });

  test('checking stays cheap: it runs on every createReminder and updateReminder with a recurrence', () => {
    const rules = ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9', 'FREQ=DAILY', 'FREQ=MONTHLY;BYDAY=-1FR', 'FREQ=HOURLY;BYHOUR=9,10,11;BYMINUTE=0,30', 'FREQ=SECONDLY;BYSECOND=0'];
    for (const text of rules) {
      const started = performance.now();
      gapShorterThan(rule(text), START, 'Europe/Paris', M);
      const ms = performance.now() - started;
      assert.ok(ms < 150, `${text}: ${ms.toFixed(1)} ms`);
    }
  });
});

describe('recurrenceTooFrequent', () => {
  test('names the shortest gap and the setting; null at or above the minimum', () => {
    assert.match(recurrenceTooFrequent(rule('FREQ=SECONDLY'), START, 'UTC', 60)!, /1 second apart.*60 seconds.*MIN_RECURRENCE_SECONDS/);
    assert.equal(recurrenceTooFrequent(rule('FREQ=MINUTELY'), START, 'UTC', 60), null);
    assert.equal(recurrenceTooFrequent(rule('FREQ=SECONDLY;COUNT=1'), START, 'UTC', 60), 'fires 1 second apart at the shortest; occurrences must be at least 60 seconds apart (MIN_RECURRENCE_SECONDS)');
  });
});
