/**
 * What the bot says: pure functions from data (and the moment `now`) to text, and the parsing of
 * button data. Nothing here talks to Telegram or Tickler.
 */

/**
 * "Wed 2 Dec 14:32" in `timeZone`, with seconds when they are not :00, and the year when it is not
 * now's. Takes the API's DateTime as it comes (the generated types leave custom scalars unknown).
 */
export function formatWhen(instant: unknown, timeZone: string, now: Date): string {
  const date = instant instanceof Date ? instant : new Date(String(instant));
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const sameYear = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric' }).format(now) === parts.year;
  const time = parts.second === '00' ? `${parts.hour}:${parts.minute}` : `${parts.hour}:${parts.minute}:${parts.second}`;
  return `${parts.weekday} ${parts.day} ${parts.month}${sameYear ? '' : ` ${parts.year}`} ${time}`;
}

/** "1 h 5 min", "2 min 3 s", "4 s": the two largest units. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const units: [number, string][] = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ];
  const first = units.findIndex(([n]) => n > 0);
  if (first < 0) return '0 s';
  return units
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(' ');
}

export type ExpiryView = {
  message: string;
  occurrenceAt: unknown;
  timeZone: string;
  recurrence?: string | null;
};

/**
 * The message for an expiry, rendered when it is actually sent: `now - occurrenceAt` is its true
 * lateness, queueing behind Telegram's rate limits included.
 */
export function expiryText(expiry: ExpiryView, now: Date, lateAfterMs: number): string {
  const lateness = now.getTime() - Date.parse(String(expiry.occurrenceAt));
  const lines = [`⏰ ${expiry.message}`];
  if (lateness >= lateAfterMs) lines.push(`(due ${formatWhen(expiry.occurrenceAt, expiry.timeZone, now)}, ${formatDuration(lateness)} late)`);
  return lines.join('\n');
}

const DAY_NAMES: Record<string, string> = { MO: 'Mon', TU: 'Tue', WE: 'Wed', TH: 'Thu', FR: 'Fri', SA: 'Sat', SU: 'Sun' };

/** "every weekday", "every day", "every Mon, Wed", "every 2 hours"; the RRULE itself when it is anything else. */
export function describeRecurrence(rrule: string): string {
  const parts = Object.fromEntries(rrule.split(';').map((p) => p.split('=') as [string, string]));
  const keys = Object.keys(parts).filter((k) => k !== 'FREQ' && k !== 'INTERVAL' && k !== 'BYDAY');
  const unit = ({ MINUTELY: 'minute', HOURLY: 'hour', DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year' } as Record<string, string>)[parts.FREQ ?? ''];
  if (!unit || keys.length) return rrule;
  const interval = Number(parts.INTERVAL ?? 1);
  if (parts.BYDAY) {
    if (unit !== 'week' || interval !== 1 || !parts.BYDAY.split(',').every((d) => DAY_NAMES[d])) return rrule;
    if (parts.BYDAY === 'MO,TU,WE,TH,FR') return 'every weekday';
    if (parts.BYDAY === 'SA,SU') return 'every weekend day';
    return `every ${parts.BYDAY.split(',').map((d) => DAY_NAMES[d]).join(', ')}`;
  }
  return interval === 1 ? `every ${unit}` : `every ${interval} ${unit}s`;
}

/** How many occurrences RecurrencePreviewQuery asks for: a full preview may go on. */
const PREVIEWED = 5;

/**
 * "Repeats every Mon: Thu 6 Mar 10:00, Mon 10 Mar 10:00, … (first 5)": the rule and the occurrences
 * the server previewed (recurrencePreview, the first of them included), in the account's zone.
 */
export function describeSeries(rrule: string, occurrences: readonly string[], timeZone: string, now: Date): string {
  const listed = occurrences.map((o) => formatWhen(o, timeZone, now)).join(', ');
  return `Repeats ${describeRecurrence(rrule)}: ${listed}${occurrences.length >= PREVIEWED ? ', …' : '.'}`;
}

export const BUTTONS = {
  snooze10: { text: 'Snooze 10 min', action: 's10', minutes: 10 },
  snooze60: { text: 'Snooze 1 h', action: 's60', minutes: 60 },
  done: { text: 'Done', action: 'ok', minutes: 0 },
} as const;

export type ButtonAction = { kind: 'snooze'; minutes: number; reminderId: string } | { kind: 'done'; reminderId: string };

/** callback_data is at most 64 bytes: a short action, a colon, the reminder's global id. */
export function buttonData(action: string, reminderId: string): string {
  return `${action}:${reminderId}`;
}

export function parseButtonData(data: string): ButtonAction | null {
  const colon = data.indexOf(':');
  if (colon < 0) return null;
  const action = data.slice(0, colon);
  const reminderId = data.slice(colon + 1);
  if (!reminderId) return null;
  if (action === BUTTONS.done.action) return { kind: 'done', reminderId };
  for (const button of [BUTTONS.snooze10, BUTTONS.snooze60]) {
    if (action === button.action) return { kind: 'snooze', minutes: button.minutes, reminderId };
  }
  return null;
}

export const HELP = [
  'I send your Tickler reminders here, with buttons to snooze them or mark them done.',
  '',
  'To link this chat, send me an API token of your Tickler account (make one in the Tickler console, or with the createApiToken mutation). I delete the message that holds it and keep it encrypted.',
  '',
  'Then:',
  '/remind in 10m call mom',
  '/remind tomorrow 9am stand-up',
  '/remind every weekday 9:00 stand-up',
  '/list: your scheduled reminders, numbered',
  '/cancel 2: cancels number 2 of /list',
  '/snooze 30m: snoozes the last reminder I sent (or /snooze 2 1h for number 2 of /list)',
  '/tz: shows your time zone; /tz Europe/Paris changes it',
  '/unlink: forgets your token',
].join('\n');

export const NOT_LINKED = 'This chat is not linked to a Tickler account yet. Send me an API token (tk_…) to link it; /start says more.';
