/** event add/list/cancel/delete, free, calendar list/create/set. */
import { Command, Option } from 'commander';
import { DateTime } from 'luxon';
import { TicklerClientError, unwrap } from '../../client/errors.ts';
import { EventStatus, Weekday, type CalendarFieldsFragment, type EventFieldsFragment } from '../../client/generated/graphql.ts';
import { parseInstant, parseMinutes } from '../../client/when.ts';
import { cliFor, type Cli, type Io } from '../context.ts';
import {
  CalendarQuery,
  CalendarsQuery,
  CancelEventMutation,
  CreateCalendarMutation,
  CreateEventMutation,
  DeleteEventMutation,
  EventsQuery,
  FreeSlotsQuery,
  UpdateCalendarMutation,
} from '../../client/operations/calendar.ts';
import { eventWhen, localRange, statusColour, table } from '../output.ts';
import { positiveInt } from './reminders.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

/** The zone times are read in: the calendar's, else the account's default calendar's. */
async function calendarZone(cli: Cli, calendarId: string | undefined): Promise<string> {
  if (!calendarId) return (await cli.me()).defaultCalendar.timeZone;
  const { calendar } = await cli.http().request(CalendarQuery, { id: calendarId });
  if (!calendar) throw new TicklerClientError('not-found', `No calendar ${calendarId}`);
  return calendar.timeZone;
}

function instant(cli: Cli, text: string, timeZone: string): string {
  return parseInstant(text, { now: cli.io.now(), timeZone }).toISOString();
}

/** Conflicts and suggestions of a clash are printed in the calendar's zone. */
function inZone<T>(fn: () => T, timeZone: string): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof TicklerClientError) error.timeZone = timeZone;
    throw error;
  }
}

function eventLine(cli: Cli, e: EventFieldsFragment): string {
  return `${e.id}  ${eventWhen(e)}  ${statusColour(e.status, cli.out.style)}  ${e.placement}  ${e.title}`;
}

const WEEKDAY_NAMES = Object.values(Weekday);
const DAY_ABBR: Record<string, Weekday> = Object.fromEntries(WEEKDAY_NAMES.map((d) => [d.slice(0, 3).toLowerCase(), d])) as Record<string, Weekday>;
const WEEK_ORDER = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** "mon-fri 09:00-17:00", "sat,sun 10:00-14:00", "tue 08:00-12:00" → working-hours rules. */
export function parseHours(text: string): { weekday: Weekday; start: string; end: string }[] {
  const m = /^\s*([a-z,\-\s]+?)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/i.exec(text);
  if (!m) throw new TicklerClientError('usage', `--hours needs days and a time range, e.g. "mon-fri 09:00-17:00", not '${text}'`);
  const days: Weekday[] = [];
  for (const part of m[1]!.toLowerCase().split(/\s*,\s*/)) {
    const [from, to] = part.split(/\s*-\s*/).map((d) => d.slice(0, 3));
    const a = WEEK_ORDER.indexOf(from ?? '');
    const b = to === undefined ? a : WEEK_ORDER.indexOf(to);
    if (a < 0 || b < 0 || b < a) throw new TicklerClientError('usage', `Unknown days '${part}' in --hours (use mon…sun, e.g. mon-fri)`);
    for (let i = a; i <= b; i++) days.push(DAY_ABBR[WEEK_ORDER[i]!]!);
  }
  const pad = (t: string) => t.padStart(5, '0');
  return days.map((weekday) => ({ weekday, start: pad(m[2]!), end: pad(m[3]!) }));
}

function calendarSettings(options: { tz?: string; buffer?: string; slot?: string; horizon?: string; hours?: string[]; aroundTheClock?: boolean }) {
  const settings: Record<string, unknown> = {};
  if (options.tz) settings.timeZone = options.tz;
  if (options.buffer !== undefined) settings.bufferMinutes = options.buffer === '0' ? 0 : parseMinutes(options.buffer, '--buffer');
  if (options.slot !== undefined) settings.slotIntervalMinutes = parseMinutes(options.slot, '--slot');
  if (options.horizon !== undefined) settings.horizonDays = positiveInt(options.horizon, '--horizon');
  if (options.aroundTheClock) settings.workingHours = [];
  else if (options.hours?.length) settings.workingHours = options.hours.flatMap(parseHours);
  return settings;
}

function calendarLines(cli: Cli, calendars: CalendarFieldsFragment[], defaultId: string | null): string[] {
  return table(
    ['ID', 'NAME', 'TIME ZONE', 'HOURS', 'SLOT', 'BUFFER'],
    calendars.map((c) => [
      c.id,
      c.id === defaultId ? `${c.name} ${cli.out.style.dim('(default)')}` : c.name,
      c.timeZone,
      hoursText(c.workingHours),
      `${c.slotIntervalMinutes}m`,
      `${c.bufferMinutes}m`,
    ]),
    cli.out.style,
  );
}

function hoursText(hours: CalendarFieldsFragment['workingHours']): string {
  if (!hours.length) return 'around the clock';
  const byRange = new Map<string, string[]>();
  for (const h of hours) byRange.set(`${h.start}-${h.end}`, [...(byRange.get(`${h.start}-${h.end}`) ?? []), h.weekday.slice(0, 3).toLowerCase()]);
  return [...byRange].map(([range, days]) => `${dayRanges(days)} ${range}`).join('; ');
}

/** ["mon","tue","wed","fri"] → "mon-wed,fri" */
function dayRanges(days: string[]): string {
  const indexes = days.map((d) => WEEK_ORDER.indexOf(d)).sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < indexes.length; ) {
    let j = i;
    while (j + 1 < indexes.length && indexes[j + 1] === indexes[j]! + 1) j++;
    parts.push(j - i >= 2 ? `${WEEK_ORDER[indexes[i]!]}-${WEEK_ORDER[indexes[j]!]}` : indexes.slice(i, j + 1).map((k) => WEEK_ORDER[k]).join(','));
    i = j + 1;
  }
  return parts.join(',');
}

function calendarOptions(command: Command): Command {
  return command
    .option('--tz <zone>', 'IANA time zone')
    .option('--hours <rule>', 'working hours, e.g. "mon-fri 09:00-17:00" (repeatable; replaces all)', collect, [])
    .option('--around-the-clock', 'no working hours: bookable at any time')
    .option('--buffer <duration>', 'kept free between auto-placed events, e.g. 10m')
    .option('--slot <duration>', 'grid auto-placed events start on, e.g. 15m')
    .option('--horizon <days>', 'how many days ahead auto placement looks');
}

export function calendarCommands(program: Command, io: Io): void {
  const event = program
    .command('event')
    .description('Calendar events: add, list, cancel, delete')
    .addHelpText('after', '\nExamples:\n  $ tickler event add "Review" --duration 45m --on 2026-12-03\n  $ tickler event list --from monday --to friday');

  event
    .command('add')
    .description('Add an event: at an exact time, or in the earliest free slot')
    .argument('<title...>', 'title')
    .option('--duration <duration>', 'length, e.g. 45m, 1h30m (required unless --all-day)')
    .option('--on <date>', 'on this day (2026-12-03, "friday"): the earliest free slot that day, or exact with --at HH:MM')
    .option('--all-day', 'whole days in the calendar\'s zone, from --on to --last-day (it blocks no time)')
    .option('--last-day <date>', 'with --all-day: the last day, included (default: the --on day)')
    .option('--at <time>', 'exact start: "2026-12-03T14:00+01:00", "tomorrow 14:00" (with --on: a local time)')
    .option('--between <times...>', 'auto-place between two times: --between "monday 9:00" "friday 17:00"')
    .option('--calendar <id>', 'calendar (default: your default calendar)')
    .option('--attendee-calendar <id>', 'another calendar that must be free too (repeatable)', collect, [])
    .option('--attendee <email>', 'attendee (repeatable)', collect, [])
    .option('--remind <before>', 'a reminder this long before the start, e.g. 10m (repeatable)', collect, [])
    .option('--location <text>', 'location')
    .option('--key <idempotency-key>', 'the same key returns the first result')
    .addHelpText(
      'after',
      `
Without --at the event goes in the earliest slot that fits (working hours, buffers, attendees'
calendars). A clash prints what is in the way and the next free slots, and exits with 1.

Examples:
  $ tickler event add "Review" --duration 45m
  $ tickler event add "Review" --duration 45m --on 2026-12-03 --remind 10m
  $ tickler event add "Board" --duration 1h --at "2026-12-03T14:00+01:00"
  $ tickler event add "Offsite" --all-day --on 2026-12-10 --last-day 2026-12-11
  $ tickler event add "1:1" --duration 30m --between "monday 9:00" "tuesday 17:00" --attendee-calendar Q2FsZW5kYXI6…`,
    )
    .action(async (words: string[], options, command: Command) => {
      const cli = cliFor(command, io);
      if (options.allDay) {
        if (!options.on) throw new TicklerClientError('usage', '--all-day needs --on (the first day)');
        if (options.at || options.between) throw new TicklerClientError('usage', 'An all-day event has no time: give --on (and --last-day), not --at or --between');
      } else if (!options.duration) {
        throw new TicklerClientError('usage', "required option '--duration <duration>' not specified (or give --all-day)");
      } else if (options.lastDay) {
        throw new TicklerClientError('usage', '--last-day is for --all-day events');
      }
      const timeZone = await calendarZone(cli, options.calendar);
      const localDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? value
        : DateTime.fromISO(instant(cli, value, timeZone), { zone: timeZone }).toISODate();
      const input: Record<string, unknown> = {
        title: words.join(' '),
        // The API takes a duration for every event and ignores it for whole days.
        durationMinutes: options.allDay ? 1440 : parseMinutes(options.duration, '--duration'),
        calendarId: options.calendar ?? null,
        attendeeCalendarIds: options.attendeeCalendar.length ? options.attendeeCalendar : null,
        attendees: options.attendee.length ? options.attendee : null,
        reminders: options.remind.length ? (options.remind as string[]).map((r) => ({ minutesBefore: parseMinutes(r, '--remind') })) : null,
        location: options.location ?? null,
        idempotencyKey: options.key ?? null,
      };
      if (options.between && (options.at || options.on)) throw new TicklerClientError('usage', 'Give --between, or --on/--at, not both');
      if (options.allDay) {
        input.allDay = true;
        input.date = localDate(options.on);
        if (options.lastDay) input.lastDate = localDate(options.lastDay);
      } else if (options.on) {
        input.date = localDate(options.on);
        if (options.at) {
          if (!/^\d{1,2}:\d{2}$/.test(options.at)) throw new TicklerClientError('usage', `With --on, --at is a local time such as 14:00, not '${options.at}'`);
          input.startTime = options.at.padStart(5, '0');
        }
      } else if (options.at) {
        input.startsAt = instant(cli, options.at, timeZone);
      } else if (options.between) {
        if (options.between.length !== 2) throw new TicklerClientError('usage', '--between needs two times: --between FROM TO');
        input.notBefore = instant(cli, options.between[0], timeZone);
        input.notAfter = instant(cli, options.between[1], timeZone);
      }
      const data = await cli.http().request(CreateEventMutation, { input: input as never });
      const payload = inZone(() => unwrap(data.createEvent, 'CreateEventPayload'), timeZone);
      cli.out.result(payload, () => [
        `${payload.event.placement === 'AUTO' ? 'Placed' : 'Booked'}: ${eventLine(cli, payload.event)}`,
        ...payload.displaced.map((d) => `  moved aside: ${eventLine(cli, d)}`),
      ]);
    });

  event
    .command('list')
    .description('Events overlapping a time range, by start')
    .option('--from <time>', 'from (default: now)')
    .option('--to <time>', 'to (default: 7 days after --from)')
    .option('--calendar <id>', 'calendar (default: your default calendar)')
    .addOption(new Option('--status <status>', 'only this status').choices(Object.values(EventStatus)))
    .option('--limit <n>', 'at most this many (default 100)', (v) => positiveInt(v, '--limit'))
    .addHelpText('after', '\nExamples:\n  $ tickler event list\n  $ tickler event list --from monday --to "next monday" --json')
    .action(async (options, command: Command) => {
      const cli = cliFor(command, io);
      const timeZone = await calendarZone(cli, options.calendar);
      const from = options.from ? instant(cli, options.from, timeZone) : cli.io.now().toISOString();
      const to = options.to ? instant(cli, options.to, timeZone) : new Date(Date.parse(from) + 7 * 86_400_000).toISOString();
      const data = await cli.http().request(EventsQuery, { calendarId: options.calendar ?? null, from, to, status: options.status ?? null, first: options.limit ?? 100 });
      const events = data.events.edges.map((e) => e.node);
      cli.out.result(events, () =>
        events.length
          ? table(
              ['ID', 'WHEN', 'STATUS', 'PLACED', 'TITLE'],
              events.map((e) => [e.id, eventWhen(e), statusColour(e.status, cli.out.style), e.placement, e.title]),
              cli.out.style,
            )
          : 'No events.',
      );
    });

  event
    .command('cancel')
    .description('Cancel an event: its time is freed, it stays listed as CANCELLED')
    .argument('<id>', 'event id')
    .addHelpText('after', '\nExample:\n  $ tickler event cancel RXZlbnQ6…')
    .action(async (id: string, _options, command: Command) => {
      const cli = cliFor(command, io);
      const data = await cli.http().request(CancelEventMutation, { id });
      const { event: cancelled } = unwrap(data.cancelEvent, 'CancelEventPayload');
      cli.out.result(cancelled, () => `Cancelled: ${eventLine(cli, cancelled)}`);
    });

  event
    .command('delete')
    .description('Delete an event')
    .argument('<id>', 'event id')
    .addHelpText('after', '\nExample:\n  $ tickler event delete RXZlbnQ6…')
    .action(async (id: string, _options, command: Command) => {
      const cli = cliFor(command, io);
      const data = await cli.http().request(DeleteEventMutation, { id });
      const deleted = unwrap(data.deleteEvent, 'DeleteEventPayload');
      cli.out.result(deleted, () => `Deleted ${deleted.id}`);
    });

  program
    .command('free')
    .description('Free slots where an event of this length fits')
    .requiredOption('--duration <duration>', 'length, e.g. 30m')
    .option('--from <time>', 'from (default: now)')
    .option('--to <time>', 'to (default: 7 days after --from)')
    .option('--calendar <id>', 'calendar (default: your default calendar)')
    .option('--attendee-calendar <id>', 'another calendar that must be free too (repeatable)', collect, [])
    .option('--limit <n>', 'print at most this many (default 20)', (v) => positiveInt(v, '--limit'))
    .addHelpText('after', '\nExample:\n  $ tickler free --duration 30m --from "tomorrow 9:00" --to "tomorrow 18:00"')
    .action(async (options, command: Command) => {
      const cli = cliFor(command, io);
      const timeZone = await calendarZone(cli, options.calendar);
      const from = options.from ? instant(cli, options.from, timeZone) : cli.io.now().toISOString();
      const to = options.to ? instant(cli, options.to, timeZone) : new Date(Date.parse(from) + 7 * 86_400_000).toISOString();
      const data = await cli.http().request(FreeSlotsQuery, {
        calendarId: options.calendar ?? null,
        from,
        to,
        durationMinutes: parseMinutes(options.duration, '--duration'),
        attendeeCalendarIds: options.attendeeCalendar.length ? options.attendeeCalendar : null,
      });
      const slots = data.freeSlots.slice(0, options.limit ?? 20);
      cli.out.result(slots, () => (slots.length ? slots.map((s) => localRange(s.startsAt, s.endsAt, timeZone)) : 'No free slot in that range.'));
    });

  const calendar = program
    .command('calendar')
    .description('Calendars: list, create, set')
    .addHelpText('after', '\nExamples:\n  $ tickler calendar list\n  $ tickler calendar create "Room 4" --hours "mon-fri 08:00-18:00"');

  calendar
    .command('list')
    .description("The account's calendars")
    .addHelpText('after', '\nExample:\n  $ tickler calendar list --json | jq -r ".[] | .id + \\" \\" + .name"')
    .action(async (_options, command: Command) => {
      const cli = cliFor(command, io);
      const { me } = await cli.http().request(CalendarsQuery);
      cli.out.result(me.calendars, () => calendarLines(cli, me.calendars, me.defaultCalendar.id));
    });

  calendarOptions(
    calendar
      .command('create')
      .description('Create a calendar (a person, a team member, a room)')
      .argument('<name...>', 'name'),
  )
    .addHelpText('after', '\nExample:\n  $ tickler calendar create "Room 4" --tz Europe/Paris --hours "mon-fri 08:00-18:00" --buffer 10m')
    .action(async (words: string[], options, command: Command) => {
      const cli = cliFor(command, io);
      const data = await cli.http().request(CreateCalendarMutation, { input: { name: words.join(' '), ...calendarSettings(options) } });
      const { calendar: created } = unwrap(data.createCalendar, 'CreateCalendarPayload');
      cli.out.result(created, () => calendarLines(cli, [created], null));
    });

  calendarOptions(
    calendar
      .command('set')
      .description("Change a calendar's settings (events already placed stay)")
      .argument('<id>', 'calendar id')
      .option('--name <name>', 'new name'),
  )
    .addHelpText('after', '\nExamples:\n  $ tickler calendar set Q2FsZW5kYXI6… --hours "mon-thu 09:00-17:00" --hours "fri 09:00-13:00"\n  $ tickler calendar set Q2FsZW5kYXI6… --around-the-clock')
    .action(async (id: string, options, command: Command) => {
      const cli = cliFor(command, io);
      const input = { id, ...(options.name ? { name: options.name } : {}), ...calendarSettings(options) };
      if (Object.keys(input).length === 1) throw new TicklerClientError('usage', 'Nothing to change: give --name, --tz, --hours, --around-the-clock, --buffer, --slot or --horizon');
      const data = await cli.http().request(UpdateCalendarMutation, { input });
      const { calendar: updated } = unwrap(data.updateCalendar, 'UpdateCalendarPayload');
      cli.out.result(updated, () => calendarLines(cli, [updated], null));
    });
}
