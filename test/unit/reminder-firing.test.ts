import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decideFiring, occurrenceStatusOf, reminderStatusAfterDelivery, type FiringRow } from '../../src/reminders/firing.ts';
import { parseSnooze, parseCreateReminder } from '../../src/reminders/reminder.input.ts';
import { ValidationError } from '../../src/shared/errors.ts';

const at = (iso: string) => new Date(iso);
const row = (overrides: Partial<FiringRow> = {}): FiringRow => ({
  status: 'SCHEDULED', scheduleVersion: 3, remindAt: at('2026-03-28T08:00:00Z'), timeZone: 'Europe/Paris', recurrence: null,
  seriesStart: null, seriesAt: null, snoozed: false, graceSeconds: null, channelCount: 0, ...overrides,
});

describe('decideFiring', () => {
  test('a job for another version (rescheduled, snoozed, already fired) or a cancelled reminder does nothing', () => {
    assert.deepEqual(decideFiring(row(), { version: 2 }, at('2026-03-28T08:00:01Z')), { kind: 'skip', reason: 'stale' });
    assert.deepEqual(decideFiring(row({ status: 'CANCELLED' }), { version: 3 }, at('2026-03-28T08:00:01Z')), { kind: 'skip', reason: 'cancelled' });
  });

  test('a one-off reminder without channels is SENT at once, with its true lateness', () => {
    const firing = decideFiring(row(), { version: 3 }, at('2026-03-28T08:00:00.042Z'));
    assert.ok(firing.kind === 'fire');
    assert.deepEqual([firing.latenessMs, firing.occurrenceStatus, firing.reminderStatus, firing.next], [42, 'SENT', 'SENT', null]);
  });

  test('with channels it is PROCESSING until they deliver', () => {
    const firing = decideFiring(row({ channelCount: 2 }), { version: 3 }, at('2026-03-28T08:00:00Z'));
    assert.ok(firing.kind === 'fire' && firing.reminderStatus === 'PROCESSING' && firing.occurrenceStatus === 'PROCESSING');
  });

  test('later than graceSeconds it is MISSED; expireReminder is never missed', () => {
    const late = at('2026-03-28T08:00:31Z');
    const missed = decideFiring(row({ graceSeconds: 30 }), { version: 3 }, late);
    assert.ok(missed.kind === 'miss' && missed.reminderStatus === 'MISSED');
    const forced = decideFiring(row({ graceSeconds: 30 }), { version: 3, forcedAt: late }, late);
    assert.ok(forced.kind === 'fire' && forced.dueAt.getTime() === late.getTime() && forced.latenessMs === 0);
  });

  test('a daily 09:00 Paris reminder moves to 09:00 local across the DST change and is SCHEDULED again', () => {
    const start = at('2026-03-28T08:00:00Z'); // 09:00 CET
    const firing = decideFiring(row({ recurrence: 'FREQ=DAILY', seriesStart: start }), { version: 3 }, at('2026-03-28T08:00:00.010Z'));
    assert.ok(firing.kind === 'fire');
    assert.equal(firing.next?.toISOString(), '2026-03-29T07:00:00.000Z'); // 09:00 CEST
    assert.equal(firing.reminderStatus, 'SCHEDULED');
  });

  test('after downtime a recurring reminder fires once, late, and resumes at its next future occurrence', () => {
    const start = at('2026-03-28T08:00:00Z');
    const firing = decideFiring(row({ recurrence: 'FREQ=HOURLY', seriesStart: start }), { version: 3 }, at('2026-03-28T11:30:00Z'));
    assert.ok(firing.kind === 'fire' && firing.latenessMs === 3.5 * 3_600_000);
    assert.equal(firing.next?.toISOString(), '2026-03-28T12:00:00.000Z');
  });

  test('a snoozed occurrence of a series does not advance the series', () => {
    const start = at('2026-03-28T08:00:00Z');
    const firing = decideFiring(row({ recurrence: 'FREQ=DAILY', seriesStart: start, seriesAt: start, snoozed: true, remindAt: at('2026-03-28T08:10:00Z') }), { version: 3 }, at('2026-03-28T08:10:00Z'));
    assert.ok(firing.kind === 'fire');
    assert.equal(firing.seriesAt?.toISOString(), start.toISOString());
    assert.equal(firing.next?.toISOString(), '2026-03-29T07:00:00.000Z');
  });

  test('the last occurrence of a COUNT series ends it', () => {
    const start = at('2026-03-28T08:00:00Z');
    const firing = decideFiring(row({ recurrence: 'FREQ=SECONDLY;COUNT=2', seriesStart: start, remindAt: at('2026-03-28T08:00:01Z') }), { version: 3 }, at('2026-03-28T08:00:01Z'));
    assert.ok(firing.kind === 'fire' && firing.next === null && firing.reminderStatus === 'SENT');
  });
});

describe('delivery status', () => {
  const cases: [string[], string][] = [
    [['PENDING'], 'PROCESSING'], [['RETRYING', 'SUCCEEDED'], 'RETRIED'], [['SUCCEEDED', 'SUCCEEDED'], 'SENT'],
    [['FAILED', 'RETRYING'], 'FAILED'], [['SUCCEEDED', 'CANCELLED'], 'SENT'],
  ];
  for (const [deliveries, expected] of cases) {
    test(`${deliveries.join(' + ')} → ${expected}`, () => assert.equal(occurrenceStatusOf(deliveries), expected));
  }
  test('a recurring reminder shows deliveries in flight, then SCHEDULED again', () => {
    assert.equal(reminderStatusAfterDelivery('RETRIED', true), 'RETRIED');
    assert.equal(reminderStatusAfterDelivery('SENT', true), 'SCHEDULED');
    assert.equal(reminderStatusAfterDelivery('FAILED', false), 'FAILED');
  });
});

describe('reminder input', () => {
  const ctx = { now: at('2026-01-01T00:00:00Z'), smtpConfigured: true };
  test('snooze takes exactly one of until and minutes (> 0), and until in the future', () => {
    assert.equal(parseSnooze({ minutes: 10 }, ctx).toISOString(), '2026-01-01T00:10:00.000Z');
    for (const input of [{}, { minutes: 0 }, { minutes: 1.5 }, { until: at('2025-12-31T23:59:59Z') }, { minutes: 5, until: at('2026-01-02T00:00:00Z') }]) {
      assert.throws(() => parseSnooze(input, ctx), ValidationError, JSON.stringify(input));
    }
  });
  test('a remindAt equal to now is accepted; one millisecond earlier is not', () => {
    assert.ok(parseCreateReminder({ message: 'm', remindAt: ctx.now }, 'UTC', ctx));
    assert.throws(() => parseCreateReminder({ message: 'm', remindAt: new Date(ctx.now.getTime() - 1) }, 'UTC', ctx), /remindAt/);
  });
});
