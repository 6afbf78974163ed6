import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TicklerClientError } from '../../src/client/errors.ts';
import { describeInstant, parseDuration, parseInstant, parseMinutes, parseRecurrence, parseWhen } from '../../src/client/when.ts';

const paris = (iso: string) => ({ now: new Date(iso), timeZone: 'Europe/Paris' });
const iso = (d: Date) => d.toISOString();

describe('when: natural-language times in an IANA zone', () => {
  const cases: { name: string; text: string; now: string; zone?: string; at: string; rrule?: string | null; rest?: string }[] = [
    // Europe/Paris goes to summer time on Sun 29 Mar 2026 and back on Sun 25 Oct 2026.
    { name: '"tomorrow 9:00" over the spring-forward night is 09:00 summer time', text: 'tomorrow 9:00', now: '2026-03-28T09:00:00Z', at: '2026-03-29T07:00:00.000Z' },
    { name: '"tomorrow 9:00" over the fall-back night is 09:00 winter time', text: 'tomorrow 9:00', now: '2026-10-24T08:00:00Z', at: '2026-10-25T08:00:00.000Z' },
    { name: '"next friday 17:30" a week before the spring change', text: 'next friday 17:30', now: '2026-03-26T12:00:00Z', at: '2026-04-03T15:30:00.000Z' },
    { name: '"friday 17:30" across the autumn change', text: 'friday 17:30', now: '2026-10-22T12:00:00Z', at: '2026-10-23T15:30:00.000Z' },
    { name: '"monday 9am" after the autumn change', text: 'monday 9am', now: '2026-10-24T12:00:00Z', at: '2026-10-26T08:00:00.000Z' },
    { name: '"9:00" later the same day', text: '9:00', now: '2026-12-02T06:00:00Z', at: '2026-12-02T08:00:00.000Z' },
    { name: '"9:00" already past means tomorrow', text: '9:00', now: '2026-12-02T10:00:00Z', at: '2026-12-03T08:00:00.000Z' },
    { name: '"in 10m" is ten minutes after now', text: 'in 10m', now: '2026-12-02T10:00:00Z', at: '2026-12-02T10:10:00.000Z' },
    { name: '"in 1h30m" adds exact time even over the spring change', text: 'in 1h30m', now: '2026-03-29T00:30:00Z', at: '2026-03-29T02:00:00.000Z' },
    { name: '"2h ago" is in the past (listen --since)', text: '2h ago', now: '2026-12-02T10:00:00Z', at: '2026-12-02T08:00:00.000Z' },
    { name: '"10 minutes" without "in"', text: '10 minutes', now: '2026-12-02T10:00:00Z', at: '2026-12-02T10:10:00.000Z' },
    { name: 'an RFC 3339 time keeps its offset', text: '2026-12-03T09:00+01:00', now: '2026-12-02T10:00:00Z', at: '2026-12-03T08:00:00.000Z' },
    { name: 'an ISO time without offset is local, summer', text: '2026-07-01T09:00', now: '2026-06-01T00:00:00Z', at: '2026-07-01T07:00:00.000Z' },
    { name: 'a nonexistent local time moves forward by the gap', text: '2026-03-29 02:30', now: '2026-03-01T00:00:00Z', at: '2026-03-29T01:30:00.000Z' },
    { name: 'an ambiguous local time takes its first instance', text: '2026-10-25 02:30', now: '2026-10-01T00:00:00Z', at: '2026-10-25T00:30:00.000Z' },
    { name: 'New York: "tomorrow 9am" over its spring change', text: 'tomorrow 9am', now: '2026-03-07T15:00:00Z', zone: 'America/New_York', at: '2026-03-08T13:00:00.000Z' },
    { name: 'New York: "tomorrow 9am" over its autumn change', text: 'tomorrow 9am', now: '2026-10-31T15:00:00Z', zone: 'America/New_York', at: '2026-11-01T14:00:00.000Z' },
    { name: 'Kolkata (half-hour offset): "tomorrow 9:00"', text: 'tomorrow 9:00', now: '2026-12-02T10:00:00Z', zone: 'Asia/Kolkata', at: '2026-12-03T03:30:00.000Z' },
    // Recurrences: the instant is the first occurrence, on a matching day.
    { name: '"every weekday 9:00" on a Friday after 9 starts Monday, summer time', text: 'every weekday 9:00', now: '2026-03-27T09:00:00Z', at: '2026-03-30T07:00:00.000Z', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' },
    { name: '"every weekday at 9:00" on a Saturday starts Monday, winter time', text: 'every weekday at 9:00', now: '2026-10-24T09:00:00Z', at: '2026-10-26T08:00:00.000Z', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' },
    { name: '"daily 8:00"', text: 'daily 8:00', now: '2026-12-02T10:00:00Z', at: '2026-12-03T07:00:00.000Z', rrule: 'FREQ=DAILY' },
    { name: '"every mon, wed and fri 7:15"', text: 'every mon, wed and fri 7:15', now: '2026-12-02T10:00:00Z', at: '2026-12-04T06:15:00.000Z', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR' },
    // A day written out is the start as written, even on a day the rule does not name (RFC 5545, as the server expands it).
    { name: '"every mon, wed 2030-01-08 10:00" starts on that Tuesday', text: 'every mon, wed 2030-01-08 10:00', now: '2026-12-02T10:00:00Z', at: '2030-01-08T09:00:00.000Z', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE' },
    { name: '"every monday thursday 9:00" starts on the Thursday', text: 'every monday thursday 9:00', now: '2026-12-02T10:00:00Z', at: '2026-12-03T08:00:00.000Z', rrule: 'FREQ=WEEKLY;BYDAY=MO' },
    { name: '"every 2 hours" starts two hours from now', text: 'every 2 hours', now: '2026-12-02T10:00:00Z', at: '2026-12-02T12:00:00.000Z', rrule: 'FREQ=HOURLY;INTERVAL=2' },
    { name: 'a raw RRULE with a start', text: 'FREQ=DAILY;COUNT=3 2026-12-05T09:00Z', now: '2026-12-02T10:00:00Z', at: '2026-12-05T09:00:00.000Z', rrule: 'FREQ=DAILY;COUNT=3' },
    // The rest of the text is the message.
    { name: 'the message after "in 10m"', text: 'in 10m call mom', now: '2026-12-02T10:00:00Z', at: '2026-12-02T10:10:00.000Z', rest: 'call mom' },
    { name: 'the message after "tomorrow 9am"', text: 'tomorrow 9am stand-up', now: '2026-12-02T10:00:00Z', at: '2026-12-03T08:00:00.000Z', rest: 'stand-up' },
    { name: 'the message after a recurrence', text: 'every weekday 9:00 stand-up', now: '2026-12-02T06:00:00Z', at: '2026-12-02T08:00:00.000Z', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', rest: 'stand-up' },
    { name: 'a time at the end of the message', text: 'water the plants tomorrow at 18:00', now: '2026-12-02T10:00:00Z', at: '2026-12-03T17:00:00.000Z', rest: 'water the plants' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const when = parseWhen(c.text, { now: new Date(c.now), timeZone: c.zone ?? 'Europe/Paris' });
      assert.equal(iso(when.at), c.at);
      assert.equal(when.recurrence, c.rrule ?? null);
      if (c.rest !== undefined) assert.equal(when.rest, c.rest);
    });
  }

  test('a recurrence without a start time is refused with an example', () => {
    assert.throws(() => parseWhen('daily', paris('2026-12-02T10:00:00Z')), (e: unknown) => e instanceof TicklerClientError && e.kind === 'usage' && /daily 9:00/.test(e.message));
  });

  test('text without a time and an unknown zone are usage errors', () => {
    assert.throws(() => parseWhen('call mom', paris('2026-12-02T10:00:00Z')), /Cannot read a time/);
    assert.throws(() => parseWhen('in 10m', { now: new Date(), timeZone: 'Mars/Olympus' }), /Unknown time zone/);
    assert.throws(() => parseInstant('every day 9:00', paris('2026-12-02T10:00:00Z')), /recurrence/);
  });

  test('durations, minutes and --every values', () => {
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('90 s'), 90_000);
    assert.equal(parseDuration('2 hours 15 minutes'), 8_100_000);
    assert.equal(parseDuration('soon'), null);
    assert.equal(parseMinutes('2d'), 2880);
    assert.throws(() => parseMinutes('90s'), /whole minutes/);
    assert.deepEqual(parseRecurrence('weekdays'), { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', weekdays: [1, 2, 3, 4, 5], intervalMs: null });
    assert.equal(parseRecurrence('FREQ=MONTHLY;BYDAY=-1FR').rrule, 'FREQ=MONTHLY;BYDAY=-1FR');
    assert.throws(() => parseRecurrence('now and then'), /recurrence/);
  });

  test('an instant is echoed in the zone and in UTC', () => {
    assert.equal(describeInstant(new Date('2026-03-29T07:00:00Z'), 'Europe/Paris'), 'Sun 29 Mar 2026, 09:00 Europe/Paris (07:00 UTC)');
  });
});
