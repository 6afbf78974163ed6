import type { EntityManager } from '@mikro-orm/postgresql';
import { fromKysely } from 'pg-boss';

/**
 * Runs parameterised SQL ($1, $2 …) in the entity manager's transaction, with values passed to pg as
 * they are (arrays become PostgreSQL arrays), for the bulk statements of the hot paths.
 */
export async function query<T>(em: EntityManager, text: string, values: unknown[] = []): Promise<T[]> {
  const { rows } = await fromKysely(em.getKysely()).executeSql(text, values);
  return rows as T[];
}

const PLAIN = /^[A-Za-z0-9_.:+-]+$/;

/**
 * A PostgreSQL array literal of values that need no quoting: uuids, numbers, timestamps, status
 * words; null is NULL. The hot paths pass arrays of thousands, and pg's general per-element
 * escaping cost more Node time than the statements' own work. Anything else is refused.
 */
export function pgArray(values: readonly (string | number | Date | null | undefined)[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) literal += ',';
    if (value === null || value === undefined) literal += 'NULL';
    else if (value instanceof Date) literal += value.toISOString();
    else if (typeof value === 'number' || (PLAIN.test(value) && value.toUpperCase() !== 'NULL')) literal += value;
    else throw new Error(`pgArray: ${JSON.stringify(value)} needs quoting`);
  }
  return `${literal}}`;
}

/**
 * A timestamptz from a raw row: MikroORM's connection hands them over as PostgreSQL's text
 * ('2026-11-24 08:00:00.123+00', the offset being the session's time zone), not as Dates. Hot paths
 * convert tens of thousands of them a second, so the usual shape is read digit by digit; anything
 * else goes through Date's own parser.
 */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  const fast = parseTimestamptz(text);
  if (fast !== null) return new Date(fast);
  const date = new Date(text.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'));
  if (Number.isNaN(date.getTime())) throw new Error(`not a timestamp: ${text}`);
  return date;
}

const ZERO = 48;

function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/** Epoch ms of 'YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM[:SS]]', or null for any other shape. */
export function parseTimestamptz(text: string): number | null {
  if (text.length < 22 || text[4] !== '-' || text[7] !== '-' || text[10] !== ' ' || text[13] !== ':' || text[16] !== ':') return null;
  let i = 19;
  let ms = 0;
  if (text[i] === '.') {
    let scale = 100;
    for (i++; i < text.length; i++) {
      const d = text.charCodeAt(i) - ZERO;
      if (d < 0 || d > 9) break;
      ms += d * scale;
      scale /= 10;
    }
  }
  const sign = text[i] === '+' ? -1 : text[i] === '-' ? 1 : 0;
  if (sign === 0) return null;
  const rest = text.length - i - 1;
  if (rest !== 2 && rest !== 5 && rest !== 8) return null;
  const offsetSeconds = digits(text, i + 1, 2) * 3600 + (rest >= 5 ? digits(text, i + 4, 2) * 60 : 0) + (rest === 8 ? digits(text, i + 7, 2) : 0);
  const utc = Date.UTC(digits(text, 0, 4), digits(text, 5, 2) - 1, digits(text, 8, 2), digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2));
  const result = utc + Math.floor(ms) + sign * offsetSeconds * 1000;
  return Number.isNaN(result) ? null : result;
}

export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}
