/**
 * Everything the CLI prints: tables and lines for people, JSON for scripts, colours only when
 * stdout is a terminal (and NO_COLOR is unset). Messages about the work go to stderr, results to
 * stdout, so `tickler list --json | jq` sees only JSON.
 */
import { DateTime } from 'luxon';

export type Output = {
  readonly json: boolean;
  /** A result: JSON when --json, else the human text. */
  result(value: unknown, human: () => string | string[]): void;
  /** A line on stdout (listen's human lines). */
  line(text: string): void;
  /** A note on stderr (never in the way of --json on stdout). */
  note(text: string): void;
  style: Style;
};

export type Style = { bold(t: string): string; dim(t: string): string; red(t: string): string; green(t: string): string; yellow(t: string): string; cyan(t: string): string };

type Writable = { write(text: string): unknown; isTTY?: boolean };

export function createOutput(options: { stdout: Writable; stderr: Writable; json: boolean; env: NodeJS.ProcessEnv }): Output {
  const colourOut = Boolean(options.stdout.isTTY) && !options.env.NO_COLOR && options.env.TERM !== 'dumb';
  const style = makeStyle(colourOut);
  return {
    json: options.json,
    result(value, human) {
      if (options.json) {
        options.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
        return;
      }
      const text = human();
      const lines = Array.isArray(text) ? text : [text];
      if (lines.length) options.stdout.write(`${lines.join('\n')}\n`);
    },
    line(text) {
      options.stdout.write(`${text}\n`);
    },
    note(text) {
      options.stderr.write(`${text}\n`);
    },
    style,
  };
}

export function makeStyle(colour: boolean): Style {
  const wrap = (open: number, close: number) => (t: string) => (colour ? `\u001b[${open}m${t}\u001b[${close}m` : t);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** Columns padded to their widest cell; the last column is not padded. */
export function table(headers: string[], rows: string[][], style: Style): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').replace(ANSI, '').length)));
  const render = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i]! - cell.replace(ANSI, '').length)))
      .join('  ')
      .trimEnd();
  return [style.bold(render(headers)), ...rows.map(render)];
}

/** "Thu 3 Dec 2026 09:00 CET" in the given zone. */
export function localTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '—';
  return DateTime.fromISO(iso, { zone: timeZone }).toFormat('ccc d LLL yyyy HH:mm ZZ');
}

/** "09:00–09:45" or with dates when the range spans days. */
export function localRange(startIso: string, endIso: string, timeZone: string): string {
  const start = DateTime.fromISO(startIso, { zone: timeZone });
  const end = DateTime.fromISO(endIso, { zone: timeZone });
  const endText = start.hasSame(end, 'day') ? end.toFormat('HH:mm') : end.toFormat('ccc d LLL HH:mm');
  return `${start.toFormat('ccc d LLL yyyy HH:mm')}–${endText} ${start.toFormat('ZZ')}`;
}

/**
 * When an event is: its local range, or for an all-day event its days ("Thu 24 Dec 2026 all day",
 * "Sun 27 Dec 2026–Tue 29 Dec all day"), which as a range would read 00:00–00:00.
 */
export function eventWhen(event: { startsAt: string; endsAt: string; allDay?: boolean; calendar: { timeZone: string } }): string {
  if (!event.allDay) return localRange(event.startsAt, event.endsAt, event.calendar.timeZone);
  const first = DateTime.fromISO(event.startsAt, { zone: event.calendar.timeZone });
  // The end is the midnight after the last day.
  const last = DateTime.max(first, DateTime.fromISO(event.endsAt, { zone: event.calendar.timeZone }).minus({ milliseconds: 1 }));
  const days = first.hasSame(last, 'day') ? first.toFormat('ccc d LLL yyyy') : `${first.toFormat('ccc d LLL yyyy')}–${last.toFormat('ccc d LLL')}`;
  return `${days} all day`;
}

export function statusColour(status: string, style: Style): string {
  if (status === 'FAILED' || status === 'MISSED') return style.red(status);
  if (status === 'SENT' || status === 'SUCCEEDED' || status === 'COMPLETED') return style.green(status);
  if (status === 'RETRIED' || status === 'RETRYING' || status === 'PROCESSING' || status === 'IN_PROGRESS') return style.yellow(status);
  if (status === 'CANCELLED') return style.dim(status);
  return status;
}
