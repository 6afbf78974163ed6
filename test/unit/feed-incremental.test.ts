import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseFeed } from '../../src/feeds/ics-parse.ts';
import { parseFeedIncremental } from '../../src/feeds/ics-incremental.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/ics/${name}.ics`, import.meta.url), 'utf8');
const options = { window: { start: Date.UTC(2030, 9, 1), end: Date.UTC(2030, 11, 31) }, defaultZone: 'Europe/Paris', maxInstances: 1000 };

describe('re-parsing only what changed', () => {
  for (const name of ['google', 'outlook', 'icloud', 'nextcloud']) {
    test(`${name}: the first parse and a reparse of an edited feed equal full parses`, () => {
      const first = parseFeedIncremental(fixture(name), options, null);
      assert.deepEqual(first.instances, parseFeed(fixture(name), options));
      // Edit the first VEVENT's SUMMARY only.
      const edited = fixture(name).replace(/(BEGIN:VEVENT[\s\S]*?SUMMARY:)([^\r\n]*)/, '$1$2 (edited)');
      const second = parseFeedIncremental(edited, options, first.memo);
      assert.deepEqual(second.instances, parseFeed(edited, options));
    });
  }

  test('a body that is not a feed fails, with or without a previous parse', () => {
    const first = parseFeedIncremental(fixture('google'), options, null);
    for (const memo of [null, first.memo]) {
      assert.throws(() => parseFeedIncremental('<!DOCTYPE html><html>Sign in</html>', options, memo), /web page/);
      assert.throws(() => parseFeedIncremental('', options, memo), /not an iCalendar feed/);
    }
  });

  test('unchanged events are reused, not parsed again; a changed calendar header or window parses everything', () => {
    const text = fixture('google');
    const first = parseFeedIncremental(text, options, null);
    const edited = text.replace('SUMMARY:Lunch with Bob', 'SUMMARY:Lunch with Bobby');
    const second = parseFeedIncremental(edited, options, first.memo);
    const weekly = (list: typeof first.instances) => list.find((i) => i.title === 'Weekly sync (moved)');
    assert.equal(weekly(second.instances), weekly(first.instances), 'the same object: taken from the previous parse');
    assert.ok(second.instances.some((i) => i.title === 'Lunch with Bobby\\, at the usual place' || i.title === 'Lunch with Bobby, at the usual place'));
    const wider = parseFeedIncremental(edited, { ...options, window: { ...options.window, end: Date.UTC(2031, 0, 31) } }, second.memo);
    assert.notEqual(weekly(wider.instances), weekly(second.instances));
    const renamed = parseFeedIncremental(edited.replace('X-WR-CALNAME:ada@example.com', 'X-WR-CALNAME:Ada'), options, second.memo);
    assert.notEqual(weekly(renamed.instances), weekly(second.instances));
  });
});
