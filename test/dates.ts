// `npm run test:dates`: runs the date-dependent tests with the clock of the whole process tree
// (Node, the embedded PostgreSQL, every child) set to other days by libfaketime — each day of a week,
// both European DST changes, a month end and New Year's Eve — so that no test passes only on the day
// it was written. Needs Debian's `faketime` (apt-get install faketime). Arguments narrow the files.
import { spawnSync } from 'node:child_process';

const DATES: [label: string, start: string][] = [
  ['Monday', '2027-01-04 10:00:00'],
  ['Tuesday', '2027-01-05 10:00:00'],
  ['Wednesday', '2027-01-06 10:00:00'],
  ['Thursday', '2027-01-07 10:00:00'],
  ['Friday', '2027-01-08 10:00:00'],
  ['Saturday', '2027-01-09 10:00:00'],
  ['Sunday', '2027-01-10 10:00:00'],
  ['spring DST change in Europe (2027-03-28 01:00 UTC)', '2027-03-28 00:40:00'],
  ['autumn DST change in Europe (2027-10-31 01:00 UTC)', '2027-10-31 00:40:00'],
  ['month end', '2027-04-30 23:40:00'],
  ["New Year's Eve", '2027-12-31 23:40:00'],
];

const FILES = process.argv.slice(2).length ? process.argv.slice(2) : [
  'test/unit/**/*.test.ts',
  'test/integration/calendar*.test.ts',
  'test/integration/reminders-rules.test.ts',
  'test/integration/feeds*.test.ts',
];

if (spawnSync('faketime', ['-f', '+0', 'true']).status !== 0) {
  console.error('test:dates needs libfaketime: apt-get install -y faketime');
  process.exit(2);
}

const failed: string[] = [];
for (const [label, start] of DATES) {
  console.log(`\n=== ${label}: the clock starts at ${start} UTC`);
  // An offset, not a start time: "@time" starts each process's clock when that process starts,
  // so Node and PostgreSQL would disagree by however long apart they were started.
  const offsetSeconds = Math.round((Date.parse(`${start.replace(' ', 'T')}Z`) - Date.now()) / 1000);
  const result = spawnSync('faketime', ['-f', `${offsetSeconds >= 0 ? '+' : ''}${offsetSeconds}`, process.execPath, 'test/run.ts', ...FILES], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    // Timers keep the real monotonic clock; only the wall clock is moved.
    env: { ...process.env, TZ: 'UTC', FAKETIME_DONT_FAKE_MONOTONIC: '1' },
  });
  const summary = result.stdout.split('\n').filter((line) => /^ℹ (tests|pass|fail)|^✖/.test(line));
  console.log(summary.join('\n'));
  if (result.status !== 0) failed.push(label);
}
console.log(failed.length ? `\nFailed on: ${failed.join('; ')}` : `\nAll ${DATES.length} dates passed.`);
process.exit(failed.length ? 1 : 0);
