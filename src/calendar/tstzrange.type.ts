import { Type } from '@mikro-orm/core';

/** A PostgreSQL `tstzrange`, half-open [start, end) as the rest of the calendar uses. */
export type Tstzrange = { start: Date; end: Date };

/** Maps `tstzrange` columns; pg returns them as text like `["2030-01-01 10:00:00+00","2030-01-01 11:00:00+00")`. */
export class TstzrangeType extends Type<Tstzrange | null, string | null> {
  override convertToDatabaseValue(value: Tstzrange | null): string | null {
    return value ? `[${value.start.toISOString()},${value.end.toISOString()})` : null;
  }

  override convertToJSValue(value: string | null): Tstzrange | null {
    if (!value) return null;
    const match = /^[[(]"?([^",]+)"?,"?([^",)\]]+)"?[)\]]$/.exec(value);
    if (!match) throw new TypeError(`not a bounded tstzrange: ${value}`);
    return { start: new Date(match[1]!), end: new Date(match[2]!) };
  }

  override getColumnType(): string {
    return 'tstzrange';
  }

  override compareAsType(): string {
    return 'string';
  }
}
