import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buttonData, describeRecurrence, describeSeries, expiryText, formatDuration, formatWhen, parseButtonData } from '../../src/telegram/messages.ts';

const NOW = new Date('2026-03-29T00:30:00Z');

test('times are shown in the account\'s zone, seconds only when set, the year only when it differs', () => {
  assert.equal(formatWhen('2026-03-29T07:00:00Z', 'Europe/Paris', NOW), 'Sun 29 Mar 09:00', 'after the spring change, +02:00');
  assert.equal(formatWhen('2026-03-29T00:59:05Z', 'Europe/Paris', NOW), 'Sun 29 Mar 01:59:05', 'before it, +01:00');
  assert.equal(formatWhen('2027-01-04T08:00:00Z', 'Asia/Kolkata', NOW), 'Mon 4 Jan 2027 13:30');
});

test('durations keep their two largest units', () => {
  assert.equal(formatDuration(0), '0 s');
  assert.equal(formatDuration(4_400), '4 s');
  assert.equal(formatDuration(125_000), '2 min 5 s');
  assert.equal(formatDuration(3_600_000 + 5 * 60_000 + 7_000), '1 h 5 min');
  assert.equal(formatDuration(2 * 86_400_000 + 3_600_000), '2 d 1 h');
});

test('an expiry sent late says when it was due and how late it is, measured when it is sent', () => {
  const expiry = { message: 'stand-up', occurrenceAt: '2026-03-29T00:29:50Z', timeZone: 'Europe/Paris' };
  assert.equal(expiryText(expiry, new Date('2026-03-29T00:29:52Z'), 5000), '⏰ stand-up');
  assert.equal(expiryText(expiry, NOW, 5000), '⏰ stand-up\n(due Sun 29 Mar 01:29:50, 10 s late)');
});

test('button data round-trips within Telegram\'s 64 bytes, and unknown data is refused', () => {
  const id = Buffer.from('Reminder:5adb1c41-e18c-4a78-acfe-fdc961b4deef').toString('base64');
  for (const action of ['s10', 's60', 'ok']) assert.ok(Buffer.byteLength(buttonData(action, id)) <= 64);
  assert.deepEqual(parseButtonData(buttonData('s60', id)), { kind: 'snooze', minutes: 60, reminderId: id });
  assert.deepEqual(parseButtonData(buttonData('ok', id)), { kind: 'done', reminderId: id });
  assert.equal(parseButtonData('zz:abc'), null);
  assert.equal(parseButtonData('s10:'), null);
});

test('common rules read as words, anything else as the rule', () => {
  assert.equal(describeRecurrence('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'), 'every weekday');
  assert.equal(describeRecurrence('FREQ=DAILY'), 'every day');
  assert.equal(describeRecurrence('FREQ=HOURLY;INTERVAL=2'), 'every 2 hours');
  assert.equal(describeRecurrence('FREQ=WEEKLY;BYDAY=MO,WE'), 'every Mon, Wed');
  assert.equal(describeRecurrence('FREQ=MONTHLY;BYDAY=-1FR'), 'FREQ=MONTHLY;BYDAY=-1FR');
  assert.equal(describeRecurrence('FREQ=DAILY;COUNT=5'), 'FREQ=DAILY;COUNT=5');
});

test('a series reads as its rule and the occurrences previewed, with an ellipsis only when the preview is full', () => {
  const full = ['2026-03-27T08:00:00Z', '2026-03-30T07:00:00Z', '2026-04-03T07:00:00Z', '2026-04-06T07:00:00Z', '2026-04-10T07:00:00Z'];
  assert.equal(describeSeries('FREQ=WEEKLY;BYDAY=MO,FR', full, 'Europe/Paris', NOW),
    'Repeats every Mon, Fri: Fri 27 Mar 09:00, Mon 30 Mar 09:00, Fri 3 Apr 09:00, Mon 6 Apr 09:00, Fri 10 Apr 09:00, …');
  assert.equal(describeSeries('FREQ=DAILY;COUNT=2', ['2026-03-27T08:00:00Z', '2026-03-28T08:00:00Z'], 'Europe/Paris', NOW),
    'Repeats FREQ=DAILY;COUNT=2: Fri 27 Mar 09:00, Sat 28 Mar 09:00.');
});
