import { DomainError } from '../shared/errors.ts';
import type { TimeRange } from '../shared/time-range.ts';
import type { Event } from './event.entity.ts';

export type TimeSlot = { startsAt: Date; endsAt: Date };

/** The requested time is taken (or nothing fits the window); says what blocks it and what would fit. */
export class SlotUnavailableError extends DomainError {
  override name = 'SlotUnavailableError';
  readonly code = 'SLOT_UNAVAILABLE' as const;
  readonly conflicts: Event[];
  readonly suggestions: TimeSlot[];
  constructor(message: string, conflicts: Event[], suggestions: readonly TimeRange[]) {
    super(message);
    this.conflicts = conflicts;
    this.suggestions = suggestions.map(toTimeSlot);
  }
}

export function toTimeSlot(range: TimeRange): TimeSlot {
  return { startsAt: new Date(range.start), endsAt: new Date(range.end) };
}
