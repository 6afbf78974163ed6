/**
 * The `tickler` command line: a thin adaptor over the shared client layer (src/client).
 * Exit codes: 0 ok, 1 server or validation error, 2 usage error, 4 not authenticated.
 */
import { Command, CommanderError } from 'commander';
import { exitCodeOf, TicklerClientError } from '../client/errors.ts';
import { accountCommands } from './commands/account.ts';
import { calendarCommands } from './commands/calendar.ts';
import { listenCommand } from './commands/listen.ts';
import { redeliverCommand } from './commands/redeliver.ts';
import { reminderCommands } from './commands/reminders.ts';
import type { Io } from './context.ts';
import { localRange, makeStyle } from './output.ts';

// Replaced with the package's version when the CLI is bundled (src/cli/build.ts).
declare const __TICKLER_VERSION__: string | undefined;
const VERSION = typeof __TICKLER_VERSION__ === 'string' ? __TICKLER_VERSION__ : 'dev';

export function buildProgram(io: Io): Command {
  const program = new Command('tickler')
    .description('Reminders and calendar events from the terminal, over the Tickler API')
    .version(io.version, '-V, --version')
    .option('--json', 'machine-readable JSON output (NDJSON for listen)')
    .option('--profile <name>', 'saved profile to use (default: TICKLER_PROFILE or "default")')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.stdout.write(t), writeErr: (t) => io.stderr.write(t) })
    .addHelpText(
      'after',
      `
Environment: TICKLER_URL and TICKLER_TOKEN override the saved profile; TICKLER_CONFIG_DIR moves it.
Exit codes: 0 ok, 1 server or validation error, 2 usage error, 4 not authenticated.

Examples:
  $ tickler login --url http://127.0.0.1:4000 --token tk_…
  $ tickler remind "Stand-up" --at "tomorrow 9:00" --every weekdays
  $ tickler list --json
  $ tickler listen --forward-to http://localhost:3000/hooks`,
    );
  accountCommands(program, io);
  reminderCommands(program, io);
  redeliverCommand(program, io);
  calendarCommands(program, io);
  listenCommand(program, io);
  return program;
}

/** Runs one command line and returns its exit code; expected failures print a message, no stack. */
export async function run(argv: string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" are successes; every other commander error is a usage error.
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    report(io, error, json);
    return exitCodeOf(error);
  }
}

function report(io: Io, error: unknown, json: boolean): void {
  if (!(error instanceof TicklerClientError)) {
    const debug = Boolean(io.env.TICKLER_DEBUG);
    io.stderr.write(`tickler: unexpected error: ${error instanceof Error ? (debug ? error.stack : error.message) : String(error)}\n`);
    if (!debug) io.stderr.write('(set TICKLER_DEBUG=1 to see where)\n');
    return;
  }
  if (json) {
    const { kind, message, fieldErrors, conflicts, suggestions } = error;
    io.stderr.write(`${JSON.stringify({ error: { kind, message, fieldErrors, conflicts, suggestions } })}\n`);
    return;
  }
  const style = makeStyle(Boolean((io.stderr as { isTTY?: boolean }).isTTY) && !io.env.NO_COLOR);
  io.stderr.write(`${style.red('error:')} ${error.message}\n`);
  const zone = error.timeZone ?? 'UTC';
  for (const c of error.conflicts) io.stderr.write(`  in the way: ${c.title} ${c.endsAt ? localRange(c.startsAt, c.endsAt, zone) : c.startsAt}${c.id ? ` (${c.id})` : ''}\n`);
  if (error.suggestions.length) {
    io.stderr.write('  free instead:\n');
    for (const s of error.suggestions.slice(0, 5)) io.stderr.write(`    ${localRange(s.startsAt, s.endsAt, zone)}\n`);
  }
  if (error.kind === 'auth') io.stderr.write("  (log in with 'tickler login --url URL --token TOKEN', or set TICKLER_URL and TICKLER_TOKEN)\n");
}

export async function main(): Promise<void> {
  // `tickler list | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const code = await run(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    now: () => new Date(),
    version: VERSION,
  });
  process.exitCode = code;
}
