/**
 * Re-parses only what changed in a feed. A resync after one edit must not pay for expanding 5,000
 * unchanged events again: the feed is split into its VEVENTs grouped by UID (a master with its
 * overrides), and groups whose text is byte-for-byte the same as at the last parse reuse that parse's
 * instances. Anything else (the calendar's own lines or VTIMEZONEs changed, another window, no
 * previous parse) is a full parse. Pure: the previous result comes in, the next one goes out.
 */
import { createHash } from 'node:crypto';
import type { TimeRange } from '../shared/time-range.ts';
import { FeedParseError, parseFeed, type FeedInstance, type ParseOptions } from './ics-parse.ts';

export type ParseMemo = {
  header: string;
  window: TimeRange;
  defaultZone: string;
  /** Group text hash → the instances that group expanded to. */
  groups: Map<string, FeedInstance[]>;
};

type Group = { uid: string | null; hash: string; text: string };

export function parseFeedIncremental(text: string, options: ParseOptions, previous: ParseMemo | null): { instances: FeedInstance[]; memo: ParseMemo | null } {
  const split = splitFeed(text);
  if (!split) return { instances: parseFeed(text, options), memo: null };
  const reusable = previous && previous.header === split.header && previous.defaultZone === options.defaultZone
    && previous.window.start === options.window.start && previous.window.end === options.window.end ? previous : null;
  const changed = split.groups.filter((g) => !g.uid || !reusable?.groups.has(g.hash));
  // Without a reusable previous parse the whole text is parsed, which is also what validates it (a
  // web page has no VEVENT to split, and must fail rather than look like an empty calendar).
  const fresh = !reusable || changed.length === split.groups.length ? parseFeed(text, options)
    : changed.length === 0 ? []
    : parseFeed(split.header.replace(/END:VCALENDAR\s*$/i, `${changed.map((g) => g.text).join('')}END:VCALENDAR\r\n`), options);
  const byUid = new Map<string, FeedInstance[]>();
  for (const instance of fresh) byUid.set(instance.uid, [...(byUid.get(instance.uid) ?? []), instance]);
  const groups = new Map<string, FeedInstance[]>();
  const instances: FeedInstance[] = [...fresh];
  for (const group of split.groups) {
    if (!group.uid) continue;
    const kept = changed.includes(group) ? null : reusable!.groups.get(group.hash)!;
    if (kept) instances.push(...kept);
    const result = kept ?? byUid.get(group.uid);
    // Only groups seen to expand are remembered: one that gave nothing (or whose UID did not match
    // back) is simply parsed again next time, so a mismatch can never drop events.
    if (result?.length) groups.set(group.hash, result);
  }
  if (instances.length > options.maxInstances) {
    throw new FeedParseError(`The feed expands to more than ${options.maxInstances} events in the window; it was not applied`);
  }
  instances.sort((a, b) => a.start - b.start || (a.key < b.key ? -1 : 1));
  return { instances, memo: { header: split.header, window: options.window, defaultZone: options.defaultZone, groups } };
}

/**
 * The feed without its VEVENTs, and the VEVENTs grouped by UID. A group's `uid` is null when the UID
 * is missing or escaped (ical.js would unescape it, so its instances could not be matched back):
 * such groups are always parsed. Null when the text does not split cleanly.
 */
function splitFeed(text: string): { header: string; groups: Group[] } | null {
  const lines = text.replace(/^\uFEFF/, '').split(/(?<=\n)/);
  const header: string[] = [];
  const blocks = new Map<string, string[]>();
  const order: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    const bare = line.replace(/\r?\n$/, '');
    if (current) {
      current.push(line);
      if (/^END:VEVENT$/i.test(bare)) {
        const block = current.join('');
        const uid = uidOf(block);
        const key = uid ?? `#${order.length}`;
        if (!blocks.has(key)) order.push(key);
        blocks.set(key, [...(blocks.get(key) ?? []), block]);
        current = null;
      }
    } else if (/^BEGIN:VEVENT$/i.test(bare)) {
      current = [line];
    } else {
      header.push(line);
    }
  }
  if (current) return null;
  const groups = order.map((key) => {
    const blockText = blocks.get(key)!.map((b) => (b.endsWith('\n') ? b : `${b}\r\n`)).join('');
    return { uid: key.startsWith('#') ? null : key, hash: createHash('sha256').update(blockText).digest('base64url'), text: blockText };
  });
  return { header: header.join(''), groups };
}

function uidOf(block: string): string | null {
  // Nested components (VALARM) may carry a UID of their own.
  const unfolded = block.replace(/\r?\n[ \t]/g, '').replace(/\r?\nBEGIN:(?!VEVENT\b)([A-Z-]+)\r?\n[\s\S]*?\r?\nEND:\1(?=\r?\n)/gi, '');
  const match = /^UID(?:;[^:\r\n]*)?:(.*)$/im.exec(unfolded);
  const uid = match?.[1]?.trim();
  return uid && !/[\\]/.test(uid) && uid.length <= 400 ? uid : null;
}
