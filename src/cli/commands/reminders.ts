/** remind, list, show, snooze, expire, cancel, edit: reminders from the terminal. */
import { Command, Option } from 'commander';
import { DateTime } from 'luxon';
import { TicklerClientError, unwrap } from '../../client/errors.ts';
import { ReminderStatus, type ReminderFieldsFragment } from '../../client/generated/graphql.ts';
import {
  CancelReminderMutation,
  CreateReminderMutation,
  ExpireReminderMutation,
  RecurrencePreviewQuery,
  ReminderQuery,
  RemindersQuery,
  SnoozeReminderMutation,
  UpdateReminderMutation,
} from '../../client/operations/reminders.ts';
import { alignToWeekdays, describeInstant, parseDuration, parseMinutes, parseRecurrence, parseWhen } from '../../client/when.ts';
import { cliFor, type Cli, type Io } from '../context.ts';
import { localTime, statusColour, table } from '../output.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

type Time = { at: Date; recurrence: string | null; dated: boolean };

/** The instant a --at/--in pair means, read in `timeZone`, plus an RRULE when --at says "every …". */
function readTime(cli: Cli, options: { at?: string; in?: string }, timeZone: string): Time | null {
  if (options.at && options.in) throw new TicklerClientError('usage', 'Give --at or --in, not both');
  const now = cli.io.now();
  if (options.in) {
    const ms = parseDuration(options.in);
    if (ms === null || ms <= 0) throw new TicklerClientError('usage', `--in needs a duration such as 10m, 1h30m or 2d, not '${options.in}'`);
    return { at: new Date(now.getTime() + ms), recurrence: null, dated: true };
  }
  if (!options.at) return null;
  const when = parseWhen(options.at, { now, timeZone });
  if (when.rest) throw new TicklerClientError('usage', `Cannot read --at '${options.at}' as a time ('${when.rest}' is left over)`);
  return { at: when.at, recurrence: when.recurrence, dated: when.dated };
}

/**
 * Where a series given with --every starts: --at as written when it names the day (RFC 5545 and the
 * server count the start as the first occurrence even on a day the rule does not name: "thursday
 * 9:00" with "every monday" fires Thursday, then Mondays); a bare time of day ("9:00") starts on the
 * rule's first day at that time.
 */
function seriesStart(time: Time, weekdays: readonly number[] | null, timeZone: string): Date {
  return time.dated ? time.at : alignToWeekdays(time.at, weekdays, timeZone);
}

/**
 * The server's first occurrences of exactly what is about to be sent (recurrencePreview). The CLI
 * never expands a rule itself: what it prints is what the console shows and what fires.
 */
async function previewOccurrences(cli: Cli, at: Date, recurrence: string, timeZone: string): Promise<string[]> {
  const data = await cli.http().request(RecurrencePreviewQuery, { remindAt: at.toISOString(), recurrence, timeZone });
  return unwrap(data.recurrencePreview, 'RecurrencePreview').occurrences;
}

/** "Thu 4 Dec 2031, 09:00 Europe/Paris (08:00 UTC), then Mon 8 Dec 09:00, Mon 15 Dec 09:00, … (FREQ=…)" */
function describeSeries(occurrences: readonly string[], recurrence: string, timeZone: string): string {
  const [first, ...rest] = occurrences;
  const later = rest.map((o) => DateTime.fromISO(o, { zone: timeZone }).toFormat('ccc d LLL HH:mm'));
  return `${describeInstant(new Date(first!), timeZone)}, then ${later.length ? `${later.join(', ')}, … ` : ''}(${recurrence})`;
}

function graceSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === null || ms < 1000) throw new TicklerClientError('usage', `--grace needs a duration such as 30s or 5m, not '${text}'`);
  return Math.round(ms / 1000);
}

function reminderLine(cli: Cli, r: ReminderFieldsFragment): string {
  const repeat = r.recurrence ? `, repeating ${r.recurrence}` : '';
  return `${r.id}  ${statusColour(r.status, cli.out.style)}  ${localTime(r.remindAt, r.timeZone)}${repeat}  ${r.message}`;
}

export function reminderCommands(program: Command, io: Io): void {
  program
    .command('remind')
    .description('Schedule a reminder')
    .argument('<message...>', 'what to be reminded of')
    .option('--at <time>', 'when: "tomorrow 9:00", "friday 17:30", "2026-12-03T09:00+01:00", "every weekday 9:00"')
    .option('--in <duration>', 'when, from now: 10m, 1h30m, 2d')
    .option('--every <rule>', 'repeat: daily, weekdays, weekly, "every mon,wed", "every 2 hours", "FREQ=…"')
    .option('--tz <zone>', "IANA time zone the time is read and repeated in (default: the account's)")
    .option('--webhook <url>', 'also POST to this URL (repeatable)', collect, [])
    .option('--email <address>', 'also e-mail this address (repeatable)', collect, [])
    .option('--grace <duration>', 'if it would fire later than this (downtime), mark it MISSED instead')
    .option('--key <idempotency-key>', 'the same key returns the first reminder instead of a second one')
    .option('--dry-run', 'only show when it would fire')
    .addHelpText(
      'after',
      `
Times are read in the account's time zone (or --tz) and echoed back as an exact time.

Examples:
  $ tickler remind "Stand-up" --at "tomorrow 9:00"
  $ tickler remind "Tea" --in 10m
  $ tickler remind "Stand-up" --at 9:00 --every weekdays --tz Europe/Paris
  $ tickler remind "Pay rent" --at 2026-12-31T09:00+01:00 --every "FREQ=MONTHLY;BYMONTHDAY=-1"
  $ tickler remind "Deploy" --in 1h --webhook https://example.com/hooks/tickler --grace 5m`,
    )
    .action(async (words: string[], options, command: Command) => {
      const cli = cliFor(command, io);
      const message = words.join(' ');
      const timeZone = options.tz ?? (await cli.me()).timeZone;
      let time = readTime(cli, options, timeZone);
      let recurrence = time?.recurrence ?? null;
      if (options.every) {
        if (recurrence) throw new TicklerClientError('usage', '--at already says how it repeats; drop --every');
        const rule = parseRecurrence(options.every);
        recurrence = rule.rrule;
        if (!time && rule.intervalMs) time = { at: new Date(cli.io.now().getTime() + rule.intervalMs), recurrence: null, dated: true };
        if (!time) throw new TicklerClientError('usage', `Say when it starts: --at "9:00" --every ${options.every}`);
        time = { at: seriesStart(time, rule.weekdays, timeZone), recurrence, dated: true };
      }
      if (!time) throw new TicklerClientError('usage', 'Say when: --at "tomorrow 9:00" or --in 10m');
      const channels = [
        ...(options.webhook as string[]).map((target) => ({ kind: 'WEBHOOK' as const, target })),
        ...(options.email as string[]).map((target) => ({ kind: 'EMAIL' as const, target })),
      ];
      // A series is shown as the server expands it, and created from exactly what was previewed.
      const occurrences = recurrence ? await previewOccurrences(cli, time.at, recurrence, timeZone) : [time.at.toISOString()];
      const remindAt = occurrences[0]!;
      const echo = recurrence ? describeSeries(occurrences, recurrence, timeZone) : describeInstant(time.at, timeZone);
      if (options.dryRun) {
        cli.out.result({ message, remindAt, timeZone, recurrence, occurrences }, () => `Would remind "${message}" at ${echo}`);
        return;
      }
      if (!cli.out.json) cli.out.note(`Reminding at ${echo}`);
      const data = await cli.http().request(CreateReminderMutation, {
        input: {
          message,
          remindAt,
          timeZone,
          recurrence,
          channels: channels.length ? channels : null,
          graceSeconds: graceSeconds(options.grace) ?? null,
          idempotencyKey: options.key ?? null,
        },
      });
      const { reminder } = unwrap(data.createReminder, 'CreateReminderPayload');
      cli.out.result(reminder, () => `Created ${reminder.id}: "${reminder.message}" at ${localTime(reminder.remindAt, reminder.timeZone)}`);
    });

  program
    .command('list')
    .description('List reminders, soonest first')
    .addOption(new Option('--status <status>', 'only this status').choices(Object.values(ReminderStatus)))
    .option('--limit <n>', 'at most this many (default 50; --all for every one)', (v) => positiveInt(v, '--limit'))
    .option('--all', 'every reminder, page after page')
    .addHelpText('after', '\nExamples:\n  $ tickler list\n  $ tickler list --status FAILED --json | jq -r ".[].id"')
    .action(async (options, command: Command) => {
      const cli = cliFor(command, io);
      const limit: number = options.all ? Number.POSITIVE_INFINITY : (options.limit ?? 50);
      const reminders: ReminderFieldsFragment[] = [];
      let after: string | null = null;
      while (reminders.length < limit) {
        const page: Awaited<ReturnType<typeof listPage>> = await listPage(cli, options.status ?? null, Math.min(limit - reminders.length, 1000), after);
        reminders.push(...page.reminders.edges.map((e) => e.node));
        if (!page.reminders.pageInfo.hasNextPage) break;
        after = page.reminders.pageInfo.endCursor;
      }
      cli.out.result(reminders, () =>
        reminders.length
          ? table(
              ['ID', 'STATUS', 'NEXT', 'REPEATS', 'MESSAGE'],
              reminders.map((r) => [r.id, statusColour(r.status, cli.out.style), localTime(r.remindAt, r.timeZone), r.recurrence ?? '', r.message]),
              cli.out.style,
            )
          : 'No reminders.',
      );
    });

  program
    .command('show')
    .description('Show a reminder with its occurrences and delivery attempts')
    .argument('<id>', 'reminder id')
    .addHelpText('after', '\nExample:\n  $ tickler show UmVtaW5kZXI6…')
    .action(async (id: string, _options, command: Command) => {
      const cli = cliFor(command, io);
      const { reminder } = await cli.http().request(ReminderQuery, { id });
      if (!reminder) throw new TicklerClientError('not-found', `No reminder ${id}`);
      cli.out.result(reminder, () => {
        const s = cli.out.style;
        const lines = [
          `${s.bold(reminder.message)}`,
          `  id          ${reminder.id}`,
          `  status      ${statusColour(reminder.status, s)}`,
          `  next        ${localTime(reminder.remindAt, reminder.timeZone)} (${reminder.remindAt})`,
          `  repeats     ${reminder.recurrence ?? 'no'}`,
          `  time zone   ${reminder.timeZone}`,
          ...(reminder.graceSeconds ? [`  grace       ${reminder.graceSeconds} s`] : []),
          ...reminder.channels.map((c) => `  channel     ${c.kind} ${c.target}`),
          ...(reminder.event ? [`  event       ${reminder.event.title} (${reminder.event.id})`] : []),
        ];
        if (!reminder.occurrences.length) lines.push('  (no occurrences yet)');
        for (const o of reminder.occurrences) {
          lines.push(`  ${s.bold('occurrence')}  ${localTime(o.occurrenceAt, reminder.timeZone)}  ${statusColour(o.status, s)}  fired ${o.firedAt} (${o.latenessMs} ms late)`);
          for (const d of o.deliveries) {
            const next = d.nextAttemptAt ? `, next attempt ${d.nextAttemptAt}` : '';
            lines.push(`    ${d.channel} ${d.target}  ${statusColour(d.status, s)}${next}  ${s.dim(`delivery ${d.id}`)}`);
            for (const a of d.attempts) {
              lines.push(`      #${a.attempt} ${a.attemptedAt}  ${statusColour(a.outcome, s)}  ${a.durationMs} ms${a.error ? `  ${s.red(a.error)}` : ''}`);
            }
          }
        }
        return lines;
      });
    });

  program
    .command('snooze')
    .description('Fire the current occurrence again later')
    .argument('<id>', 'reminder id')
    .argument('[duration]', 'how long: 10m, 1h (default 10m)')
    .option('--until <time>', 'until this time instead: "15:00", "tomorrow 9:00"')
    .addHelpText('after', '\nExamples:\n  $ tickler snooze UmVtaW5kZXI6… 10m\n  $ tickler snooze UmVtaW5kZXI6… --until "tomorrow 9:00"')
    .action(async (id: string, duration: string | undefined, options, command: Command) => {
      const cli = cliFor(command, io);
      if (duration && options.until) throw new TicklerClientError('usage', 'Give a duration or --until, not both');
      let input: { id: string; minutes?: number; until?: string };
      if (options.until) {
        const when = parseWhen(options.until, { now: cli.io.now(), timeZone: (await cli.me()).timeZone });
        if (when.rest || when.recurrence) throw new TicklerClientError('usage', `Cannot read --until '${options.until}' as a time`);
        input = { id, until: when.at.toISOString() };
      } else {
        input = { id, minutes: parseMinutes(duration ?? '10m') };
      }
      const data = await cli.http().request(SnoozeReminderMutation, { input });
      const { reminder } = unwrap(data.snoozeReminder, 'SnoozeReminderPayload');
      cli.out.result(reminder, () => `Snoozed until ${localTime(reminder.remindAt, reminder.timeZone)}: ${reminder.message}`);
    });

  program
    .command('expire')
    .description('Expire a reminder now (subscribers and channels get it as if it were due)')
    .argument('<id>', 'reminder id')
    .addHelpText('after', '\nExample:\n  $ tickler expire UmVtaW5kZXI6…   # tickler listen prints it')
    .action(async (id: string, _options, command: Command) => {
      const cli = cliFor(command, io);
      const data = await cli.http().request(ExpireReminderMutation, { id });
      const { reminder } = unwrap(data.expireReminder, 'ExpireReminderPayload');
      cli.out.result(reminder, () => `Expired: ${reminderLine(cli, reminder)}`);
    });

  program
    .command('cancel')
    .description('Cancel a reminder: it never fires again and pending deliveries stop')
    .argument('<id>', 'reminder id')
    .addHelpText('after', '\nExamples:\n  $ tickler cancel UmVtaW5kZXI6…\n  $ tickler list --status FAILED --json | jq -r ".[].id" | xargs -n1 tickler cancel')
    .action(async (id: string, _options, command: Command) => {
      const cli = cliFor(command, io);
      const data = await cli.http().request(CancelReminderMutation, { id });
      const { reminder } = unwrap(data.cancelReminder, 'CancelReminderPayload');
      cli.out.result(reminder, () => `Cancelled: ${reminderLine(cli, reminder)}`);
    });

  program
    .command('edit')
    .description('Change a reminder; a new time reschedules it (the old time never fires)')
    .argument('<id>', 'reminder id')
    .option('--message <text>', 'new message')
    .option('--at <time>', 'new time')
    .option('--in <duration>', 'new time, from now')
    .option('--every <rule>', 'new recurrence')
    .option('--once', 'remove the recurrence')
    .option('--tz <zone>', 'new time zone (also the one --at is read in)')
    .option('--grace <duration>', 'new grace period')
    .addHelpText('after', '\nExamples:\n  $ tickler edit UmVtaW5kZXI6… --at "friday 10:00"\n  $ tickler edit UmVtaW5kZXI6… --message "Stand-up (room 4)" --every weekdays')
    .action(async (id: string, options, command: Command) => {
      const cli = cliFor(command, io);
      if (options.every && options.once) throw new TicklerClientError('usage', 'Give --every or --once, not both');
      const timeZone = options.tz ?? (await cli.me()).timeZone;
      const time = readTime(cli, options, timeZone);
      const input: Record<string, unknown> & { id: string } = { id };
      if (options.message !== undefined) input.message = options.message;
      if (options.tz !== undefined) input.timeZone = options.tz;
      if (options.grace !== undefined) input.graceSeconds = graceSeconds(options.grace);
      if (time) {
        input.remindAt = time.at.toISOString();
        if (time.recurrence) input.recurrence = time.recurrence;
      }
      if (options.every) {
        const rule = parseRecurrence(options.every);
        input.recurrence = rule.rrule;
        if (time) input.remindAt = seriesStart(time, rule.weekdays, timeZone).toISOString();
      }
      if (options.once) input.recurrence = '';
      if (Object.keys(input).length === 1) throw new TicklerClientError('usage', 'Nothing to change: give --message, --at, --in, --every, --once, --tz or --grace');
      // A new series is shown as the server expands it and sent exactly as previewed: from the new
      // time, or from the current one (where updateReminder restarts it); without --tz in the
      // reminder's own zone, which may not be the account's. An unknown id is left to updateReminder.
      const given = typeof input.remindAt === 'string' ? input.remindAt : null;
      const current = typeof input.recurrence === 'string' && input.recurrence && !(given && options.tz)
        ? (await cli.http().request(ReminderQuery, { id, occurrences: 0 })).reminder
        : null;
      const start = given ?? current?.remindAt;
      const seriesZone = options.tz ?? current?.timeZone;
      if (typeof input.recurrence === 'string' && input.recurrence && start && seriesZone) {
        const occurrences = await previewOccurrences(cli, new Date(start), input.recurrence, seriesZone);
        // (The current time is not sent back: updateReminder has its own word for one that has passed.)
        if (given) input.remindAt = occurrences[0];
        if (!cli.out.json) cli.out.note(`Rescheduling to ${describeSeries(occurrences, input.recurrence, seriesZone)}`);
      } else if (input.remindAt && !cli.out.json) cli.out.note(`Rescheduling to ${describeInstant(new Date(input.remindAt as string), timeZone)}`);
      const data = await cli.http().request(UpdateReminderMutation, { input });
      const { reminder } = unwrap(data.updateReminder, 'UpdateReminderPayload');
      cli.out.result(reminder, () => `Updated: ${reminderLine(cli, reminder)}`);
    });
}

function listPage(cli: Cli, status: ReminderStatus | null, first: number, after: string | null) {
  return cli.http().request(RemindersQuery, { status, first, after });
}

export function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new TicklerClientError('usage', `${name} needs a whole number ≥ 1, not '${value}'`);
  return n;
}
