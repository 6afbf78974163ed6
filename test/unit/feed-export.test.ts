import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { writeIcs, type ExportEvent } from '../../src/feeds/ics-export.ts';
import { parseFeed } from '../../src/feeds/ics-parse.ts';

const event = (id: string, start: string, minutes: number, extra: Partial<ExportEvent> = {}): ExportEvent => ({
  id, title: `Event ${id}`, startsAt: new Date(start), endsAt: new Date(new Date(start).getTime() + minutes * 60_000), location: null,
  attendees: [], cancelled: false, transparent: false, sequence: 0, createdAt: new Date('2030-01-01T00:00:00Z'), updatedAt: new Date('2030-01-02T00:00:00Z'),
  alarmsMinutesBefore: [], ...extra,
});

describe('writing a calendar as an ICS feed', () => {
  // Either side of both 2030 DST changes in Paris and in Sydney (southern hemisphere, opposite season).
  const instants = ['2030-03-30T10:00:00Z', '2030-03-31T10:00:00Z', '2030-10-26T10:00:00Z', '2030-10-27T10:00:00Z', '2030-04-06T15:30:00Z', '2030-04-07T15:30:00Z'];
  for (const zone of ['Europe/Paris', 'Australia/Sydney', 'Asia/Kolkata', 'UTC']) {
    test(`times written in ${zone} with its generated VTIMEZONE read back as the same instants`, () => {
      const events = instants.map((start, i) => event(String(i), start, 45));
      const text = writeIcs({ id: 'c', name: 'Cal', timeZone: zone, refreshMinutes: 15 }, events);
      const back = parseFeed(text, { window: { start: Date.UTC(2029, 0, 1), end: Date.UTC(2031, 0, 1) }, defaultZone: 'UTC', maxInstances: 100 });
      assert.deepEqual(back.map((i) => new Date(i.start).toISOString()), instants.map((s) => new Date(s).toISOString()).sort());
      assert.ok(back.every((i) => i.end - i.start === 45 * 60_000));
      const vtimezone = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vtimezone');
      assert.equal(vtimezone?.getFirstPropertyValue('tzid') ?? 'UTC', zone, 'a VTIMEZONE for every zone but UTC');
    });
  }

  test('the same calendar gives the same bytes (a stable ETag), and text is escaped', () => {
    const calendar = { id: 'c', name: 'Cal', timeZone: 'Europe/Paris', refreshMinutes: 15 };
    const events = [event('a', '2030-05-01T08:00:00Z', 30, { title: 'Plan; review, and more\nnotes', location: 'Room 1', attendees: ['ada@example.com'], alarmsMinutesBefore: [10] })];
    const text = writeIcs(calendar, events);
    assert.equal(writeIcs(calendar, events), text);
    assert.match(text, /SUMMARY:Plan\\; review\\, and more\\nnotes\r\n/);
    assert.match(text, /BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:[^\r]*\r\nTRIGGER:-PT10M\r\nEND:VALARM/);
    assert.match(text, /REFRESH-INTERVAL;VALUE=DURATION:PT15M\r\n/);
  });

  test('an all-day event is written as local dates (VALUE=DATE) with its DESCRIPTION, and reads back as the same days', () => {
    const calendar = { id: 'c', name: 'Cal', timeZone: 'Europe/Paris', refreshMinutes: 15 };
    // 30 and 31 October 2030 in Paris, across the DST change: 49 hours, two local days.
    const days = event('d', '2030-10-26T22:00:00Z', 49 * 60, { allDay: true, description: 'Bring: badge; laptop' });
    const text = writeIcs(calendar, [days]);
    assert.match(text, /DTSTART;VALUE=DATE:20301027\r\nDTEND;VALUE=DATE:20301029\r\n/);
    assert.match(text, /DESCRIPTION:Bring: badge\\; laptop\r\n/);
    const [back] = parseFeed(text, { window: { start: Date.UTC(2030, 0, 1), end: Date.UTC(2031, 0, 1) }, defaultZone: 'Europe/Paris', maxInstances: 10 });
    assert.deepEqual([back!.allDay, back!.start, back!.end, back!.description], [true, days.startsAt.getTime(), days.endsAt.getTime(), 'Bring: badge; laptop']);
  });
});
