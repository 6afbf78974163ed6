/**
 * `tickler listen`: each expiry as it happens, resumed from a cursor on disk so that a crash, a
 * restart or a lost connection replays what was missed and never prints one twice.
 */
import { spawn } from 'node:child_process';
import { Command } from 'commander';
import { DateTime } from 'luxon';
import { TicklerClientError } from '../../client/errors.ts';
import { WebhookSecretQuery } from '../../client/operations/account.ts';
import { EventChangedSubscription, EventPlacementFailedSubscription } from '../../client/operations/calendar.ts';
import { OccurrencesQuery } from '../../client/operations/reminders.ts';
import { listenForExpiries, type Expiry, type ExpiryListener } from '../../client/resume.ts';
import { parseInstant } from '../../client/when.ts';
import type { ConnectionEvent, WsClient } from '../../client/ws.ts';
import { cursorPath, readCursor, writeCursor } from '../config-store.ts';
import { cliFor, type Cli, type Io } from '../context.ts';
import { forwardExpiry } from '../forward.ts';
import { eventWhen } from '../output.ts';

export function listenCommand(program: Command, io: Io): void {
  program
    .command('listen')
    .description('Print each reminder expiry as it happens (or run a command, or forward it as a webhook)')
    .option('--exec <command>', 'run this shell command per expiry; the expiry is on its stdin (JSON) and in TICKLER_* variables')
    .option('--forward-to <url>', 'POST each expiry to this URL, signed like a real webhook (X-Tickler-Signature)')
    .option('--since <time>', 'first replay the expiries since this time: "2h ago", "today 8:00", an ISO time')
    .option('--after <cursor>', 'first replay the expiries after this cursor')
    .option('--cursor-file <path>', 'where the cursor is kept (default: in the config directory, per server and account)')
    .option('--no-cursor', 'neither read nor write the cursor file')
    .option('--events', 'calendar events instead: eventChanged and eventPlacementFailed')
    .option('--calendar <id>', 'with --events: only this calendar')
    .addHelpText(
      'after',
      `
Each expiry is one line, or one JSON object per line with --json. The cursor of the last one
handled is saved after each, so a restart replays the ones missed while it was down, once.
A heartbeat (ping every TICKLER_HEARTBEAT_MS, default 15000) notices a dead connection and reconnects.
--exec gets TICKLER_REMINDER_ID, TICKLER_MESSAGE, TICKLER_OCCURRENCE_AT, TICKLER_FIRED_AT,
TICKLER_LATENESS_MS and TICKLER_CURSOR. Ctrl-C stops after the expiry in hand.

Examples:
  $ tickler listen
  $ tickler listen --json | jq -r .reminder.message
  $ tickler listen --exec 'notify-send "Tickler" "$TICKLER_MESSAGE"'
  $ tickler listen --forward-to http://localhost:3000/hooks/tickler
  $ tickler listen --since "2h ago"
  $ tickler listen --events`,
    )
    .action(async (options, command: Command) => {
      const cli = cliFor(command, io);
      if (options.events) await listenEvents(cli, options.calendar);
      else await listenExpiries(cli, options);
    });
}

type Options = { exec?: string; forwardTo?: string; since?: string; after?: string; cursorFile?: string; cursor: boolean };

async function listenExpiries(cli: Cli, options: Options): Promise<void> {
  if (options.since && options.after) throw new TicklerClientError('usage', 'Give --since or --after, not both');
  const me = await cli.me();
  const { url } = cli.connection();
  const file = options.cursor ? (options.cursorFile ?? cursorPath(cli.configDir, url, me.id)) : null;
  const since = options.since ? parseInstant(options.since, { now: cli.io.now(), timeZone: me.timeZone }) : null;
  let after = options.after ?? (since ? null : file ? readCursor(file) : null);
  let first: Expiry | null = null;
  const ws = cli.ws(connectionOptions(cli));
  let listening: ExpiryListener | null = null;
  if (since) ({ after, first } = await startSince(cli, since));
  const secret = options.forwardTo ? (await cli.http().request(WebhookSecretQuery)).me.webhookSecret : null;

  const handle = async (expiry: Expiry) => {
    if (since && Date.parse(expiry.firedAt) < since.getTime()) return save(expiry);
    print(cli, expiry, me.timeZone);
    if (options.exec) await runExec(cli, options.exec, expiry);
    if (options.forwardTo && secret) await forward(cli, options.forwardTo, expiry, secret);
    save(expiry);
  };
  const save = (expiry: Expiry) => {
    if (file) writeCursor(file, expiry.cursor, { url, accountId: me.id });
  };

  // --since found no expiry to start from: subscribe first, then look again (see sinceFromNothing).
  if (since && after === null) ({ after, first, listening } = await sinceFromNothing(cli, ws, since, handle));
  if (first) await handle(first);
  cli.out.note(`Listening for ${me.name}'s reminders at ${url}${after ? ' (replaying what came after the saved cursor first)' : ''}; Ctrl-C to stop`);
  const listener = listening ?? listenForExpiries(ws, { after, onExpiry: handle });
  await untilStopped(cli, ws, listener);
}

/** How long to wait for the server's acknowledgement of a subscription (an older server sends none). */
const ACK_WAIT_MS = 10_000;

/**
 * --since with no expiry in the history to replay from: a live subscription would miss one that fires
 * between that read and the subscription. So the live subscription comes first, and once the server
 * listens (acknowledged) the history is read again: still nothing means everything from now on
 * reaches the live subscription, which is kept; an expiry found meanwhile has a cursor to replay
 * from, and the live subscription is dropped unheard (what it got is in that replay).
 */
async function sinceFromNothing(cli: Cli, ws: WsClient, since: Date, handle: (expiry: Expiry) => Promise<void>) {
  let keep!: (kept: boolean) => void;
  const decided = new Promise<boolean>((resolve) => (keep = resolve));
  let acknowledged!: () => void;
  const subscribed = new Promise<void>((resolve) => (acknowledged = resolve));
  const live = listenForExpiries(ws, { after: null, onSubscribed: acknowledged, onExpiry: async (expiry) => {
    if (await decided) await handle(expiry);
  } });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([subscribed, live.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, ACK_WAIT_MS)))]);
  } finally {
    clearTimeout(timer);
  }
  const again = await startSince(cli, since);
  if (again.after === null) {
    keep(true);
    return { ...again, listening: live };
  }
  keep(false);
  await live.stop();
  return { ...again, listening: null };
}

/** Where --since starts: the cursor of the last expiry before it, or the first one after it. */
async function startSince(cli: Cli, since: Date): Promise<{ after: string | null; first: Expiry | null }> {
  let before: { cursor: string; firedAt: number } | null = null;
  let first: Expiry | null = null;
  let page: string | null = null;
  for (;;) {
    const data: Awaited<ReturnType<typeof occurrencesPage>> = await occurrencesPage(cli, page);
    for (const { node: reminder } of data.reminders.edges) {
      for (const o of reminder.occurrences) {
        const firedAt = Date.parse(o.firedAt);
        if (firedAt < since.getTime()) {
          if (!before || firedAt > before.firedAt) before = { cursor: o.cursor, firedAt };
        } else if (o.status !== 'MISSED' && (!first || firedAt < Date.parse(first.firedAt))) {
          const { occurrences: _, ...rest } = reminder;
          first = { cursor: o.cursor, occurrenceAt: o.occurrenceAt, firedAt: o.firedAt, latenessMs: o.latenessMs, reminder: rest };
        }
      }
    }
    if (!data.reminders.pageInfo.hasNextPage) break;
    page = data.reminders.pageInfo.endCursor;
  }
  if (before) return { after: before.cursor, first: null };
  return { after: first?.cursor ?? null, first };
}

function occurrencesPage(cli: Cli, after: string | null) {
  return cli.http().request(OccurrencesQuery, { first: 500, after });
}

function print(cli: Cli, expiry: Expiry, timeZone: string): void {
  if (cli.out.json) {
    cli.out.line(JSON.stringify(expiry));
    return;
  }
  const s = cli.out.style;
  const fired = DateTime.fromISO(expiry.firedAt, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm:ss');
  const late = expiry.latenessMs >= 1000 ? s.yellow(` (${formatLateness(expiry.latenessMs)} late)`) : '';
  cli.out.line(`${s.dim(fired)}  ${s.bold(expiry.reminder.message)}${late}  ${s.dim(expiry.reminder.id)}`);
}

function formatLateness(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

function runExec(cli: Cli, commandLine: string, expiry: Expiry): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(commandLine, {
      shell: true,
      stdio: ['pipe', cli.out.json ? 'ignore' : 'inherit', 'inherit'],
      env: {
        ...cli.io.env,
        TICKLER_REMINDER_ID: expiry.reminder.id,
        TICKLER_MESSAGE: expiry.reminder.message,
        TICKLER_OCCURRENCE_AT: expiry.occurrenceAt,
        TICKLER_FIRED_AT: expiry.firedAt,
        TICKLER_LATENESS_MS: String(expiry.latenessMs),
        TICKLER_CURSOR: expiry.cursor,
      },
    });
    child.stdin!.on('error', () => undefined); // a command that does not read its stdin
    child.stdin!.end(`${JSON.stringify(expiry)}\n`);
    child.once('error', (error) => {
      cli.out.note(`--exec could not start: ${error.message}`);
      resolve();
    });
    child.once('exit', (code, signal) => {
      if (code !== 0) cli.out.note(`--exec ${signal ? `was killed by ${signal}` : `exited with ${code}`} for ${expiry.reminder.id}`);
      resolve();
    });
  });
}

/** Three tries with a short backoff, like a patient webhook; then it says so and goes on. */
async function forward(cli: Cli, url: string, expiry: Expiry, secret: string): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const result = await forwardExpiry(url, expiry, secret, attempt);
    if (result.ok) return;
    cli.out.note(`--forward-to ${url}: ${result.error} (attempt ${attempt} of 3)`);
    if (attempt < 3) await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
  }
}

function connectionOptions(cli: Cli) {
  const number = (name: string) => (cli.io.env[name] ? Number(cli.io.env[name]) : undefined);
  let lost = false;
  return {
    heartbeatMs: number('TICKLER_HEARTBEAT_MS'),
    pongTimeoutMs: number('TICKLER_PONG_TIMEOUT_MS'),
    onConnection(event: ConnectionEvent) {
      if (event.state === 'connected') {
        cli.out.note(lost ? 'Reconnected.' : 'Connected.');
        lost = false;
      } else if (event.state === 'heartbeat-timeout') {
        cli.out.note('No answer to the heartbeat: the connection is dead; reconnecting…');
        lost = true;
      } else if (event.state === 'closed' && event.code !== 1000) {
        if (!lost) cli.out.note(`Connection lost (${event.code}${event.reason ? ` ${event.reason}` : ''}); reconnecting…`);
        lost = true;
      } else if (event.state === 'lagged') {
        cli.out.note(event.cursor ? 'Fell behind the server; resuming from the last cursor.' : 'Fell behind the server; resubscribed.');
      }
    },
  };
}

/** Runs until Ctrl-C/SIGTERM (clean exit, after the expiry in hand) or a fatal error (thrown). */
async function untilStopped(cli: Cli, ws: WsClient, listener: { stop(): Promise<void>; done: Promise<void> }): Promise<void> {
  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = () => {
      if (stopping) process.exit(130); // a second Ctrl-C does not wait
      stopping = true;
      void listener.stop().then(resolve, resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  try {
    await Promise.race([stopped, listener.done]);
  } finally {
    await listener.stop().catch(() => undefined);
    await ws.dispose().catch(() => undefined);
  }
  if (stopping) cli.out.note('Stopped.');
}

async function listenEvents(cli: Cli, calendarId: string | undefined): Promise<void> {
  const me = await cli.me();
  const ws = cli.ws(connectionOptions(cli));
  let fail!: (error: TicklerClientError) => void;
  const failed = new Promise<void>((_, reject) => (fail = reject));
  const unsubscribeChanges = ws.subscribe(EventChangedSubscription, { calendarId: calendarId ?? null }, {
    next(data) {
      const { kind, event } = data.eventChanged;
      if (cli.out.json) cli.out.line(JSON.stringify({ type: 'eventChanged', kind, event }));
      else cli.out.line(`${cli.out.style.bold(kind.padEnd(9))}  ${eventWhen(event)}  ${event.title}  ${cli.out.style.dim(event.id)}`);
    },
    error: fail,
  });
  const unsubscribeFailures = ws.subscribe(EventPlacementFailedSubscription, {}, {
    next(data) {
      const failure = data.eventPlacementFailed;
      if (cli.out.json) cli.out.line(JSON.stringify({ type: 'eventPlacementFailed', ...failure }));
      else cli.out.line(`${cli.out.style.red('NO SLOT  ')}  ${failure.title} on ${failure.calendar.name}: ${failure.message}`);
    },
    error: fail,
  });
  cli.out.note(`Listening for ${me.name}'s calendar events (changes while disconnected are not replayed); Ctrl-C to stop`);
  const listener = {
    async stop() {
      unsubscribeChanges();
      unsubscribeFailures();
    },
    done: failed,
  };
  failed.catch(() => undefined);
  await untilStopped(cli, ws, listener);
}
