/**
 * The instants Tickler accepts, stores and returns: years 0001 to 9999 in UTC. PostgreSQL's
 * timestamptz refuses year 0 and RFC 3339 cannot write a year past 9999 (a JS Date would print
 * "+010000-01-01T…"), so every instant an input gives or a computation makes must stay inside.
 */
export const MIN_INSTANT_MS = -62_135_596_800_000; // 0001-01-01T00:00:00.000Z
export const MAX_INSTANT_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

export const INSTANT_RANGE_TEXT = 'between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z';

/** Whether `at` (a Date or epoch milliseconds) is a valid instant in that range. */
export function isStorableInstant(at: Date | number): boolean {
  const ms = typeof at === 'number' ? at : at.getTime();
  return Number.isFinite(ms) && ms >= MIN_INSTANT_MS && ms <= MAX_INSTANT_MS;
}
