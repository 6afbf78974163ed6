// The `tickler` executable end to end: the package built and installed as a user would, run
// against a real server on a free port, every command, --json parsed, exit codes, listen.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { graphqlData } from '../helpers/clients.ts';
import { createReminder, expire, inMs } from '../helpers/reminders.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { cliEnv, installPackedCli, root, runCli, RunningCli, startFreezableProxy, type CliResult } from './helpers.ts';

let server: TestServer;
let installed: { bin: string; tarball: string };
let configDir: string;
let account: { id: string; token: string; defaultCalendarId: string };

/** The installed `tickler` with this test's config directory. */
function tickler(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli([installed.bin, ...args], cliEnv({ TICKLER_CONFIG_DIR: configDir, ...env }));
}

/** The reminder's first delivery once it has this status (the worker records it after the attempt). */
async function waitForDelivery(reminderId: string, status: string): Promise<{ id: string; status: string }> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const data = await graphqlData(server.url, { token: account.token, query: 'query($id: ID!) { reminder(id: $id) { occurrences { deliveries { id status } } } }', variables: { id: reminderId } });
    const delivery = data.reminder.occurrences[0]?.deliveries[0];
    if (delivery?.status === status) return delivery;
    if (Date.now() > deadline) throw new Error(`delivery not ${status}: ${JSON.stringify(delivery)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function json<T = any>(result: CliResult): T {
  assert.equal(result.code, 0, `exit ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

describe('the tickler CLI', () => {
  before(async () => {
    [server, installed] = await Promise.all([startTestServer({ env: { OUTBOUND_ALLOW: '127.0.0.1/32' } }), installPackedCli()]);
    configDir = await mkdtemp(path.join(os.tmpdir(), 'tickler-cli-config-'));
  });
  after(async () => {
    await server?.stop();
    // The build, tarball and install live in one temporary folder; the config in another.
    if (installed) await rm(path.dirname(installed.tarball), { recursive: true, force: true });
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  test('the packed tarball holds only the bundle and installs a working `tickler --help`', async () => {
    const help = await tickler(['--help']);
    assert.equal(help.code, 0);
    for (const command of ['login', 'remind', 'listen', 'event', 'calendar', 'free']) assert.match(help.stdout, new RegExp(`\\b${command}\\b`));
    const listed = await runCli(['tar', 'tzf', installed.tarball], process.env);
    assert.deepEqual(listed.stdout.trim().split('\n').sort(), ['package/README.md', 'package/bin/tickler.bundle.js', 'package/bin/tickler.js', 'package/package.json']);
    const manifest = JSON.parse(readFileSync(path.join(path.dirname(installed.bin), '..', 'lib/node_modules/tickler-cli/package.json'), 'utf8'));
    assert.equal(manifest.dependencies, undefined, 'the bundle needs no dependencies');
    assert.match((await tickler(['remind', '--help'])).stdout, /Examples:/);
  });

  test('the checkout runs the same command from its TypeScript (npx tickler)', async () => {
    const result = await runCli([process.execPath, path.join(root, 'bin/tickler.js'), '--version'], cliEnv({}));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'dev');
  });

  test('account create with the admin token prints the first token and saves it (0600) with --login', async () => {
    const created = json(await tickler(['account', 'create', '--url', server.url, '--admin-token', TEST_ADMIN_TOKEN, '--name', 'Ada', '--tz', 'Europe/Paris', '--login', '--json']));
    assert.match(created.token, /^tk_/);
    account = { id: created.account.id, token: created.token, defaultCalendarId: created.account.defaultCalendar.id };
    const files = await readdir(path.join(configDir, 'profiles'));
    assert.deepEqual(files, ['default.json']);
    assert.equal(statSync(path.join(configDir, 'profiles/default.json')).mode & 0o777, 0o600);
    const me = json(await tickler(['whoami', '--json']));
    assert.equal(me.name, 'Ada');
  });

  test('login checks the token: a wrong one exits 4 and saves nothing; TICKLER_URL/TICKLER_TOKEN override', async () => {
    const [wrong, none, viaEnv, overridden] = await Promise.all([
      tickler(['--profile', 'other', 'login', '--url', server.url, '--token', 'tk_wrong']),
      tickler(['--profile', 'nobody', 'list']),
      runCli([installed.bin, 'whoami', '--json'], cliEnv({ TICKLER_URL: server.url, TICKLER_TOKEN: account.token, TICKLER_CONFIG_DIR: path.join(configDir, 'empty') })),
      tickler(['whoami'], { TICKLER_TOKEN: 'tk_revoked' }),
    ]);
    assert.equal(wrong.code, 4);
    assert.match(wrong.stderr, /Not authenticated/);
    assert.doesNotMatch(wrong.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(none.code, 4);
    assert.match(none.stderr, /tickler login/);
    assert.equal(json(viaEnv).name, 'Ada');
    assert.equal(overridden.code, 4);
    const ok = json(await tickler(['--profile', 'other', 'login', '--url', server.url, '--token', account.token, '--json']));
    assert.equal(ok.profile, 'other');
  });

  test('remind reads times in the account zone, echoes the exact time, and creates the reminder', async () => {
    const before = Date.now();
    const [exact, weeklyRun, soonRun, dryRun] = await Promise.all([
      tickler(['remind', 'Stand-up', '--at', '2030-01-07T09:00', '--every', 'weekdays']),
      tickler(['remind', 'Review', '--at', 'every mon,wed 2030-01-08T10:00', '--json']),
      tickler(['remind', 'Tea', '--in', '10m', '--webhook', 'https://example.com/hook', '--grace', '5m', '--json']),
      tickler(['remind', 'Nothing', '--at', '2030-03-31 09:00', '--tz', 'America/New_York', '--dry-run', '--json']),
    ]);
    assert.equal(exact.code, 0, exact.stderr);
    assert.match(exact.stderr, /Mon 7 Jan 2030, 09:00 Europe\/Paris \(08:00 UTC\), then Tue 8 Jan 09:00, Wed 9 Jan 09:00, Thu 10 Jan 09:00, Fri 11 Jan 09:00, … \(FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR\)/);
    assert.match(exact.stdout, /^Created \S+: "Stand-up" at Mon 7 Jan 2030 09:00 \+01:00/);
    const weekly = json(weeklyRun);
    assert.equal(weekly.remindAt, '2030-01-08T09:00:00.000Z', 'a day written out is the start, though the rule names other days (RFC 5545)');
    assert.equal(weekly.recurrence, 'FREQ=WEEKLY;BYDAY=MO,WE');
    const soon = json(soonRun);
    assert.ok(Math.abs(Date.parse(soon.remindAt) - (before + 600_000)) < 60_000);
    assert.deepEqual(soon.channels, [{ kind: 'WEBHOOK', target: 'https://example.com/hook' }]);
    assert.equal(soon.graceSeconds, 300);
    assert.equal(json(dryRun).remindAt, '2030-03-31T13:00:00.000Z');
  });

  test('a series is shown as the server\'s recurrencePreview expands it and created exactly so: weekly on Monday from a Thursday fires Thursday, then Mondays', async () => {
    // An account of its own, so that the other tests' lists stay as they are.
    const other = await server.createAccount('Series', 'Europe/Paris');
    const env = { TICKLER_URL: server.url, TICKLER_TOKEN: other.token };
    const preview = async (remindAt: string, recurrence: string, timeZone: string): Promise<string[]> => (await graphqlData(server.url, {
      token: other.token,
      query: 'query($r: DateTime!, $rule: String!, $tz: String) { recurrencePreview(remindAt: $r, recurrence: $rule, timeZone: $tz) { ... on RecurrencePreview { occurrences } } }',
      variables: { r: remindAt, rule: recurrence, tz: timeZone },
    })).recurrencePreview.occurrences;
    const thursday = ['remind', 'Weekly from a Thursday', '--at', '2031-12-04 09:00', '--every', 'every monday', '--tz', 'Europe/Paris'];
    const [dryRun, text] = await Promise.all([tickler([...thursday, '--dry-run', '--json'], env), tickler([...thursday, '--dry-run'], env)]);
    const shown = json(dryRun);
    const server5 = await preview('2031-12-04T08:00:00.000Z', 'FREQ=WEEKLY;BYDAY=MO', 'Europe/Paris');
    assert.deepEqual(server5, ['2031-12-04T08:00:00.000Z', '2031-12-08T08:00:00.000Z', '2031-12-15T08:00:00.000Z', '2031-12-22T08:00:00.000Z', '2031-12-29T08:00:00.000Z']);
    assert.deepEqual(shown.occurrences, server5, 'the CLI shows the server\'s occurrences');
    assert.equal(shown.remindAt, server5[0], 'the start is not moved to the Monday');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Would remind "Weekly from a Thursday" at Thu 4 Dec 2031, 09:00 Europe\/Paris \(08:00 UTC\), then Mon 8 Dec 09:00, Mon 15 Dec 09:00, Mon 22 Dec 09:00, Mon 29 Dec 09:00, … \(FREQ=WEEKLY;BYDAY=MO\)/);

    const created = json(await tickler([...thursday, '--json'], env));
    assert.equal(created.remindAt, server5[0], 'what was shown is what is scheduled');
    assert.equal(created.recurrence, 'FREQ=WEEKLY;BYDAY=MO');
    assert.equal(created.timeZone, 'Europe/Paris');
    // A new rule alone restarts the series from its current time: shown as the server expands it.
    const edited = await tickler(['edit', created.id, '--every', 'every friday'], env);
    assert.equal(edited.code, 0, edited.stderr);
    const fridays = await preview(created.remindAt, 'FREQ=WEEKLY;BYDAY=FR', 'Europe/Paris');
    assert.deepEqual(fridays.slice(0, 3), ['2031-12-04T08:00:00.000Z', '2031-12-05T08:00:00.000Z', '2031-12-12T08:00:00.000Z']);
    assert.match(edited.stderr, /Rescheduling to Thu 4 Dec 2031, 09:00 Europe\/Paris \(08:00 UTC\), then Fri 5 Dec 09:00, Fri 12 Dec 09:00, Fri 19 Dec 09:00, Fri 26 Dec 09:00, … \(FREQ=WEEKLY;BYDAY=FR\)/);
    assert.match(edited.stdout, /FREQ=WEEKLY;BYDAY=FR/);

    // A bare time of day says no day: the series starts on the rule's first day (whatever today is).
    const bare = json(await tickler(['remind', 'Mondays at nine', '--at', '9:00', '--every', 'every monday', '--tz', 'Europe/Paris', '--dry-run', '--json'], env));
    assert.deepEqual(bare.occurrences, await preview(bare.remindAt, 'FREQ=WEEKLY;BYDAY=MO', 'Europe/Paris'));
    for (const o of bare.occurrences) assert.equal(new Date(o).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'Europe/Paris' }), 'Monday');
  });

  test('a validation error exits 1 naming the field; usage errors exit 2', async () => {
    const [past, pastJson, ...results] = await Promise.all([
      tickler(['remind', 'Too late', '--at', '2020-01-01T09:00Z']),
      tickler(['remind', 'Too late', '--at', '2020-01-01T09:00Z', '--json']),
      tickler(['remind', 'When?']),
      tickler(['list', '--status', 'SOMETIME']),
      tickler(['frobnicate']),
      tickler(['remind', 'x', '--at', 'whenever it suits']),
      tickler(['snooze']),
    ]);
    assert.equal(past.code, 1);
    assert.match(past.stderr, /remindAt/);
    assert.doesNotMatch(past.stderr, /\n\s+at /);
    const error = JSON.parse(pastJson.stderr).error;
    assert.equal(error.kind, 'validation');
    assert.deepEqual(error.fieldErrors[0].path.at(-1), 'remindAt');
    assert.deepEqual(results.map((r) => r.code), [2, 2, 2, 2, 2], results.map((r) => r.stderr).join('\n'));
    assert.match(results[0]!.stderr, /--at/);
  });

  test('list, show, snooze, edit, expire and cancel', async () => {
    const [listRun, table] = await Promise.all([tickler(['list', '--json']), tickler(['list', '--limit', '2'])]);
    const list = json<any[]>(listRun);
    assert.deepEqual(list.map((r) => r.message).sort(), ['Review', 'Stand-up', 'Tea']);
    assert.match(table.stdout, /^ID\s+STATUS\s+NEXT\s+REPEATS\s+MESSAGE/);
    assert.equal(table.stdout.trim().split('\n').length, 3);
    const tea = list.find((r) => r.message === 'Tea');
    const standUp = list.find((r) => r.message === 'Stand-up');
    const [snoozed, until] = (await Promise.all([tickler(['snooze', standUp.id, '1h', '--json']), tickler(['snooze', tea.id, '--until', '2030-02-01T12:00Z', '--json'])])).map(json);
    assert.ok(Date.parse(snoozed.remindAt) > Date.now() + 3_000_000);
    assert.equal(until.remindAt, '2030-02-01T12:00:00.000Z');
    const edited = json(await tickler(['edit', tea.id, '--message', 'Green tea', '--at', '2030-02-02 08:00', '--json']));
    assert.equal(edited.message, 'Green tea');
    assert.equal(edited.remindAt, '2030-02-02T07:00:00.000Z');
    const expired = json(await tickler(['expire', tea.id, '--json']));
    assert.equal(expired.id, tea.id);
    const [shownRun, human] = await Promise.all([tickler(['show', tea.id, '--json']), tickler(['show', tea.id])]);
    const shown = json(shownRun);
    assert.equal(shown.occurrences.length, 1);
    assert.equal(shown.occurrences[0].deliveries[0].target, 'https://example.com/hook');
    assert.match(human.stdout, /occurrence/);
    const [cancelledRun, missing] = await Promise.all([
      tickler(['cancel', tea.id, '--json']),
      tickler(['cancel', 'UmVtaW5kZXI6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw']),
    ]);
    assert.equal(json(cancelledRun).status, 'CANCELLED');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No reminder/);
  });

  test('redeliver sends a failed delivery again; --failed sends every failed one', async () => {
    let answer = 400;
    const hits: number[] = [];
    let hit: () => void = () => undefined;
    const receiver = http.createServer((request, response) => {
      request.resume().on('end', () => {
        hits.push(answer);
        response.writeHead(answer).end();
        hit();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    const nextHit = () => new Promise<void>((resolve) => (hit = resolve));
    try {
      const reminder = await createReminder(server.url, account, { message: 'Hooked', remindAt: inMs(3_600_000), channels: [{ kind: 'WEBHOOK', target: hook }] });
      const refused = nextHit();
      await expire(server.url, account, reminder.id);
      await refused; // 400: the delivery fails for good at once
      const delivery = await waitForDelivery(reminder.id, 'FAILED');
      answer = 204;
      const accepted = nextHit();
      const again = json(await tickler(['redeliver', delivery.id, '--json']));
      assert.equal(again.delivery.id, delivery.id);
      await accepted;
      await waitForDelivery(reminder.id, 'SUCCEEDED');
      assert.deepEqual(hits, [400, 204]);
      const none = await tickler(['redeliver', '--failed']);
      assert.equal(none.code, 0, none.stderr);
      assert.match(none.stdout, /No failed deliveries/);
      const usage = await tickler(['redeliver']);
      assert.equal(usage.code, 2);
    } finally {
      receiver.close();
    }
  });

  test('calendars, events, clashes with their conflicts and suggestions, free slots', async () => {
    // Auto placement looks `horizonDays` ahead: widen the default calendar's so that a fixed 2030 date works.
    const [room, widened] = (
      await Promise.all([
        tickler(['calendar', 'create', 'Room', '4', '--hours', 'mon-fri 08:00-18:00', '--buffer', '10m', '--horizon', '3650', '--json']),
        tickler(['calendar', 'set', account.defaultCalendarId, '--horizon', '3650', '--json']),
      ])
    ).map(json);
    assert.equal(widened.horizonDays, 3650);
    assert.equal(room.name, 'Room 4');
    assert.equal(room.workingHours.length, 5);
    // 7 January 2030 is a Monday; the default calendar works 08:00–17:00 on weekdays.
    const [setRun, calendarsRun, calendarTable, autoRun] = await Promise.all([
      tickler(['calendar', 'set', room.id, '--hours', 'mon-thu 09:00-17:00', '--hours', 'fri 09:00-13:00', '--slot', '30m', '--json']),
      tickler(['calendar', 'list', '--json']),
      tickler(['calendar', 'list']),
      tickler(['event', 'add', 'Review', '--duration', '45m', '--on', '2030-01-07', '--remind', '10m', '--json']),
    ]);
    const set = json(setRun);
    assert.equal(set.slotIntervalMinutes, 30);
    assert.equal(set.workingHours.find((h: any) => h.weekday === 'FRIDAY').end, '13:00');
    assert.equal(json<any[]>(calendarsRun).length, 2);
    assert.match(calendarTable.stdout, /Ada \(default\)\s+Europe\/Paris\s+mon-fri 08:00-17:00/);
    const auto = json(autoRun);
    assert.equal(auto.event.startsAt, '2030-01-07T07:00:00.000Z');
    assert.equal(auto.event.placement, 'AUTO');
    const exact = json(await tickler(['event', 'add', 'Board', '--duration', '1h', '--on', '2030-01-07', '--at', '08:00', '--json']));
    assert.equal(exact.displaced[0].title, 'Review', 'the auto-placed event moved aside');
    const [clash, clashJsonRun, betweenRun, eventsRun, freeRun] = await Promise.all([
      tickler(['event', 'add', 'Clash', '--duration', '1h', '--at', '2030-01-07T08:30+01:00']),
      tickler(['event', 'add', 'Clash', '--duration', '1h', '--at', '2030-01-07T08:30+01:00', '--json']),
      tickler(['event', 'add', 'Sync', '--duration', '30m', '--between', '2030-01-08T14:00+01:00', '2030-01-08T16:00+01:00', '--calendar', room.id, '--json']),
      tickler(['event', 'list', '--from', '2030-01-07', '--to', '2030-01-08', '--json']),
      tickler(['free', '--duration', '30m', '--from', '2030-01-07T08:00+01:00', '--to', '2030-01-07T11:00+01:00', '--json']),
    ]);
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /in the way: Board Mon 7 Jan 2030 08:00–09:00/);
    assert.match(clash.stderr, /free instead:/);
    const clashJson = JSON.parse(clashJsonRun.stderr).error;
    assert.equal(clashJson.kind, 'slot-unavailable');
    assert.equal(clashJson.conflicts[0].title, 'Board');
    assert.ok(clashJson.suggestions.length > 0);
    assert.equal(json(betweenRun).event.startsAt, '2030-01-08T13:00:00.000Z');
    assert.deepEqual(json<any[]>(eventsRun).map((e) => e.title), ['Board', 'Review']);
    assert.equal(json<any[]>(freeRun)[0].startsAt, '2030-01-07T08:45:00.000Z', 'after Board and Review');
    const [cancelled, deleted] = (await Promise.all([tickler(['event', 'cancel', auto.event.id, '--json']), tickler(['event', 'delete', exact.event.id, '--json'])])).map(json);
    assert.equal(cancelled.status, 'CANCELLED');
    assert.equal(deleted.id, exact.event.id);
    const gone = await tickler(['event', 'delete', exact.event.id]);
    assert.equal(gone.code, 1);
    // Whole days: no --duration needed, they take no time (the Board slot stays free), printed as days.
    const [offsiteRun, offsiteText, noDay, withTime] = await Promise.all([
      tickler(['event', 'add', 'Offsite', '--all-day', '--on', '2030-01-09', '--last-day', '2030-01-10', '--json']),
      tickler(['event', 'add', 'Holiday', '--all-day', '--on', '2030-01-11']),
      tickler(['event', 'add', 'Nowhen', '--all-day']),
      tickler(['event', 'add', 'Mixed', '--all-day', '--on', '2030-01-11', '--at', '09:00']),
    ]);
    const offsite = json(offsiteRun).event;
    assert.equal(offsite.allDay, true);
    assert.equal(offsite.startsAt, '2030-01-08T23:00:00.000Z', 'Paris midnight of the first day');
    assert.equal(offsite.endsAt, '2030-01-10T23:00:00.000Z', 'the day after the last day');
    assert.equal(offsiteText.code, 0, offsiteText.stderr);
    assert.match(offsiteText.stdout, /Fri 11 Jan 2030 all day .*Holiday/);
    assert.equal(noDay.code, 2);
    assert.match(noDay.stderr, /--all-day needs --on/);
    assert.equal(withTime.code, 2);
    assert.match(withTime.stderr, /has no time/);
  });

  test('listen prints each expiry once across a SIGKILL and a restart, runs --exec and forwards signed webhooks', async () => {
    const make = (message: string) => createReminder(server.url, account, { message, remindAt: inMs(3_600_000) });
    const r0 = await make('zero');
    // Taken right before "zero" expires, so that the earlier tests' expiries (a second ago, some) are not replayed.
    const baseline = new Date().toISOString();
    await expire(server.url, account, r0.id);
    const cursorDir = path.join(configDir, 'listen');
    const env = cliEnv({ TICKLER_CONFIG_DIR: configDir });
    const cursorFile = path.join(cursorDir, 'cursor.json');
    const first = new RunningCli([installed.bin, 'listen', '--json', '--since', baseline, '--cursor-file', cursorFile], env);
    const seen = (cli: RunningCli, message: string) => cli.lines.some((l) => JSON.parse(l).reminder.message === message);
    // "zero" is replayed from --since: once it is printed, the subscription is live.
    await first.until((c) => seen(c, 'zero'), 'the replayed expiry');
    const r1 = await make('one');
    await expire(server.url, account, r1.id);
    await first.until((c) => seen(c, 'one'), 'a live expiry');
    const [r2, r3] = await Promise.all([make('two'), make('three')]);
    // Killed while more expire: whatever it printed, the restart prints the rest, each once.
    await Promise.all([expire(server.url, account, r2.id), Promise.resolve().then(() => first.child.kill('SIGKILL')), expire(server.url, account, r3.id)]);
    await first.exited;

    const { webhookSecret } = (await graphqlData(server.url, { token: account.token, query: '{ me { webhookSecret } }' })).me;
    const received: { body: any; valid: boolean }[] = [];
    const receiver = http.createServer((request, response) => {
      let raw = '';
      request.on('data', (c) => (raw += c));
      request.on('end', () => {
        const expected = `sha256=${createHmac('sha256', webhookSecret).update(raw).digest('hex')}`;
        received.push({ body: JSON.parse(raw), valid: request.headers['x-tickler-signature'] === expected });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    const execLog = path.join(cursorDir, 'exec.log');
    const second = new RunningCli([installed.bin, 'listen', '--json', '--cursor-file', cursorFile, '--forward-to', hook, '--exec', `echo "$TICKLER_MESSAGE" >> '${execLog}'`], env);
    try {
      await second.until((c) => seen(c, 'two') && seen(c, 'three'), 'the expiries missed while killed');
      const r4 = await make('four');
      await expire(server.url, account, r4.id);
      await second.until((c) => seen(c, 'four'), 'a live expiry after the restart');
      second.child.kill('SIGINT');
      assert.equal(await second.exited, 0, 'Ctrl-C exits cleanly');
      assert.match(second.stderr, /Stopped\./);
      const all = [...first.lines, ...second.lines].map((l) => JSON.parse(l).reminder.message);
      assert.deepEqual([...all].sort(), ['four', 'one', 'three', 'two', 'zero'], `each printed exactly once: ${all.join(', ')}`);
      const secondMessages = second.lines.map((l) => JSON.parse(l).reminder.message);
      assert.deepEqual((await readFile(execLog, 'utf8')).trim().split('\n'), secondMessages);
      assert.deepEqual(received.map((r) => r.body.message), secondMessages);
      assert.ok(received.every((r) => r.valid), 'signed with the account webhook secret');
      assert.deepEqual(Object.keys(received[0]!.body), ['reminderId', 'message', 'occurrenceAt', 'firedAt', 'attempt', 'deliveryId']);
      assert.equal(received.at(-1)!.body.reminderId, r4.id);
    } finally {
      second.child.kill('SIGKILL');
      receiver.close();
    }
  });

  test('listen notices a silently dead connection by its heartbeat, outlasts a server that went away, and replays what it missed', async () => {
    const target = new URL(server.url);
    const proxy = await startFreezableProxy({ host: target.hostname, port: Number(target.port) });
    const viaProxy = `http://127.0.0.1:${proxy.port}/graphql`;
    const listener = new RunningCli(
      // No cursor file: what is replayed after the reconnection comes from the cursor kept in memory.
      [installed.bin, 'listen', '--json', '--no-cursor', '--since', new Date(Date.now() - 1000).toISOString()],
      cliEnv({ TICKLER_CONFIG_DIR: configDir, TICKLER_URL: viaProxy, TICKLER_TOKEN: account.token, TICKLER_HEARTBEAT_MS: '300', TICKLER_PONG_TIMEOUT_MS: '500' }),
    );
    const messages = () => listener.lines.map((l) => JSON.parse(l).reminder.message as string);
    const expireNew = async (message: string) => expire(server.url, account, (await createReminder(server.url, account, { message, remindAt: inMs(3_600_000) })).id);
    try {
      await listener.until((c) => /Connected\./.test(c.stderr), 'connected');
      // --since resumes after the last expiry before it, so this one is heard even if it beats the subscription.
      await expireNew('before the freeze');
      await listener.until(() => messages().includes('before the freeze'), 'the expiry before the freeze');
      const heard = messages().length;
      proxy.freeze();
      await expireNew('while frozen');
      await listener.until((c) => /No answer to the heartbeat/.test(c.stderr), 'the dead connection noticed');
      await listener.until((c) => /Reconnected\./.test(c.stderr), 'reconnected');
      await listener.until(() => messages().includes('while frozen'), 'the expiry missed while frozen, replayed');
      await expireNew('after the freeze');
      await listener.until(() => messages().includes('after the freeze'), 'an expiry after reconnecting');
      // The server goes away for a while: the listener waits with backoff instead of exiting.
      await proxy.down();
      await listener.until((c) => /Connection lost/.test(c.stderr.split('Reconnected.').at(-1)!), 'the lost connection noticed');
      await expireNew('while down');
      await proxy.up();
      await listener.until(() => messages().includes('while down'), 'the expiry missed while the server was away, replayed');
      assert.equal(listener.child.exitCode, null, 'still running');
      assert.deepEqual(messages().slice(heard), ['while frozen', 'after the freeze', 'while down'], 'nothing twice, nothing lost');
      assert.equal(new Set(messages()).size, messages().length);
    } finally {
      listener.child.kill('SIGKILL');
      await proxy.close();
    }
  });

  test('listen --events prints calendar changes; a wrong token exits 4', async () => {
    const listener = new RunningCli([installed.bin, 'listen', '--events', '--json'], cliEnv({ TICKLER_CONFIG_DIR: configDir }));
    try {
      await listener.until((c) => /Connected\./.test(c.stderr), 'connected');
      // The subscription starts just after the connection: create events until one is heard.
      for (let day = 10; !listener.lines.length && day < 20; day++) {
        await graphqlData(server.url, {
          token: account.token,
          query: 'mutation($input: CreateEventInput!) { createEvent(input: $input) { __typename } }',
          variables: { input: { title: `Planning ${day}`, durationMinutes: 30, startsAt: `2030-01-${day}T10:00:00Z` } },
        });
        await listener.until((c) => c.lines.length > 0, 'an eventChanged line', 1000).catch(() => undefined);
      }
      const line = JSON.parse(listener.lines[0]!);
      assert.equal(line.type, 'eventChanged');
      assert.equal(line.kind, 'CREATED');
      assert.match(line.event.title, /^Planning/);
    } finally {
      listener.child.kill('SIGKILL');
    }
    const refused = await tickler(['listen'], { TICKLER_TOKEN: 'tk_wrong' });
    assert.equal(refused.code, 4);
  });
});
