/**
 * What Tickler reads beyond RFC 5545, the way other calendar programs read it, each noted as a warning
 * for the feed's owner (`CalendarFeed.warnings`). Line-level repairs happen here, before ical.js sees
 * the text: ical.js refuses a bare date without VALUE=DATE with a message that does not say what the
 * file says, and fails deep inside expansion on an empty RRULE. Pure: text in, text and warnings out.
 */

/** Warnings beyond this many are summed up in one line: a feed can repeat the same fault thousands of times. */
const MAX_WARNINGS = 20;

/** Properties whose value may be a DATE; a bare 8-digit value there is a date, as Google, Outlook and Apple read it. */
const BARE_DATE = /^(DTSTART|DTEND|DUE|RECURRENCE-ID|EXDATE|RDATE)((?:;[^:]*)?):(\d{8}(?:,\d{8})*)\s*$/i;
const EMPTY_RRULE = /^RRULE:\s*$/i;

export function readLeniently(text: string): { text: string; warnings: string[] } {
  const lines = text.split(/(?<=\n)/);
  const warnings: string[] = [];
  const out: string[] = [];
  for (const [index, line] of lines.entries()) {
    const content = line.replace(/\r?\n$/, '');
    const ending = line.slice(content.length);
    const bare = BARE_DATE.exec(content);
    if (bare && !/;VALUE=/i.test(bare[2]!)) {
      warnings.push(`Line ${index + 1}: ${bare[1]!.toUpperCase()}:${bare[3]} has no VALUE=DATE; read as a date`);
      out.push(`${bare[1]}${bare[2]};VALUE=DATE:${bare[3]}${ending}`);
    } else if (EMPTY_RRULE.test(content)) {
      warnings.push(`Line ${index + 1}: an empty RRULE was ignored (the event does not repeat)`);
      // Replaced rather than dropped, so that line numbers in later messages still match the feed.
      out.push(`X-TICKLER-EMPTY-RRULE:${ending}`);
    } else {
      out.push(line);
    }
  }
  const shown = warnings.length > MAX_WARNINGS
    ? [...warnings.slice(0, MAX_WARNINGS), `…and ${warnings.length - MAX_WARNINGS} more`]
    : warnings;
  return { text: out.join(''), warnings: shown };
}

/** The 1-based line of the first line matching `pattern`, for messages that name where a fault is. */
export function lineOf(text: string, pattern: RegExp): number | null {
  const index = text.split(/\r?\n/).findIndex((line) => pattern.test(line));
  return index < 0 ? null : index + 1;
}
