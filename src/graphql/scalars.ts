import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { DateTime as LuxonDateTime } from 'luxon';
import { builder } from './builder.ts';
import { INSTANT_RANGE_TEXT, isStorableInstant } from '../shared/instant-range.ts';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Parses RFC 3339 with an explicit offset; a time without an offset is ambiguous and refused. The
 * instant must lie in years 0001 to 9999 once the offset is applied (what PostgreSQL and RFC 3339
 * both hold): 0000-01-01T00:00:00Z and 9999-12-31T23:59:59-12:00 are refused.
 */
export function parseDateTime(value: unknown): Date {
  if (typeof value === 'string' && RFC3339.test(value)) {
    const parsed = LuxonDateTime.fromISO(value, { setZone: true });
    if (parsed.isValid) {
      const date = parsed.toJSDate();
      if (isStorableInstant(date)) return date;
      throw new GraphQLError(`DateTime must be ${INSTANT_RANGE_TEXT} (got ${describe(value)})`);
    }
  }
  throw new GraphQLError(`DateTime must be an RFC 3339 date-time with an offset, e.g. 2026-11-24T09:00:00+01:00 (got ${describe(value)})`);
}

/** A calendar date of years 0001 to 9999 (year 0000 is no year PostgreSQL knows). */
export function parseDate(value: unknown): string {
  if (typeof value === 'string' && DATE.test(value) && !value.startsWith('0000') && LuxonDateTime.fromISO(value).isValid) return value;
  throw new GraphQLError(`Date must be a calendar date like 2026-11-24, years 0001 to 9999 (got ${describe(value)})`);
}

/** 00:00 to 24:00 ("24:00" ends a working day); seconds are optional. */
export function parseLocalTime(value: unknown): string {
  const match = typeof value === 'string' ? LOCAL_TIME.exec(value) : null;
  if (match) {
    const [h, m, s] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
    const endOfDay = h === 24 && m === 0 && s === 0;
    if (endOfDay || (h < 24 && m < 60 && s < 60)) return s === 0 ? `${match[1]}:${match[2]}` : value as string;
  }
  throw new GraphQLError(`LocalTime must look like 09:30 or 09:30:15 (got ${describe(value)})`);
}

function isFileLike(value: unknown): boolean {
  const file = value as Partial<File> | null;
  return typeof file === 'object' && file !== null && typeof file.arrayBuffer === 'function' && typeof file.name === 'string';
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function literal<T>(parse: (v: unknown) => T) {
  return (node: ValueNode): T => {
    if (node.kind !== Kind.STRING) throw new GraphQLError(`Expected a string literal, got ${node.kind}`);
    return parse(node.value);
  };
}

builder.scalarType('DateTime', {
  description: 'An instant, RFC 3339 with an offset (e.g. 2026-11-24T09:00:00+01:00); always returned in UTC (Z).',
  serialize: (date) => date.toISOString(),
  parseValue: parseDateTime,
  parseLiteral: literal(parseDateTime),
});

builder.scalarType('Date', {
  description: 'A calendar date, e.g. 2026-11-24.',
  serialize: (date) => date,
  parseValue: parseDate,
  parseLiteral: literal(parseDate),
});

builder.scalarType('LocalTime', {
  description: 'A wall-clock time of day, 09:30 or 09:30:15; 24:00 means the end of the day.',
  serialize: (time) => time,
  parseValue: parseLocalTime,
  parseLiteral: literal(parseLocalTime),
});

builder.scalarType('File', {
  description: 'A file sent with the GraphQL multipart request spec.',
  serialize: () => {
    throw new GraphQLError('File is an input-only scalar');
  },
  parseValue: (value) => {
    // Yoga's multipart parser hands over @whatwg-node's File ponyfill, not the global File: check the shape.
    if (value instanceof File || isFileLike(value)) return value as File;
    throw new GraphQLError('File must be sent as a multipart upload (GraphQL multipart request spec)');
  },
});
