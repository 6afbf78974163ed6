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

/**
 * A timestamptz from a raw row: MikroORM's connection hands them over as PostgreSQL's text
 * ('2026-11-24 08:00:00.123+00'), not as Dates.
 */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value).replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00');
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error(`not a timestamp: ${String(value)}`);
  return date;
}

export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}
