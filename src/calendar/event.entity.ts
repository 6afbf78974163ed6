import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from '../accounts/account.entity.ts';
import { Calendar } from './calendar.entity.ts';
import { TstzrangeType } from './tstzrange.type.ts';

export const PLACEMENTS = ['EXACT', 'AUTO'] as const;
export type Placement = (typeof PLACEMENTS)[number];

export const Event = defineEntity({
  name: 'Event',
  tableName: 'event',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    account: () => p.manyToOne(Account).deleteRule('cascade'),
    /** The primary calendar: its zone, working hours and grid govern auto placement. */
    calendar: () => p.manyToOne(Calendar).deleteRule('cascade'),
    title: p.string().length(500),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    durationMinutes: p.integer(),
    placement: p.enum(PLACEMENTS),
    attendees: p.array().default([]),
    /** Other calendars of the account that the event also occupies. */
    attendeeCalendarIds: p.array().default([]),
    location: p.string().length(500).nullable(),
    /** The auto-placement window asked for, kept so a displaced AUTO event can be placed again within it. */
    notBefore: p.datetime().nullable(),
    notAfter: p.datetime().nullable(),
    cancelledAt: p.datetime().nullable(),
    idempotencyKey: p.string().length(200).nullable(),
    /** Feed events only: the instance's UID + RECURRENCE-ID, and a digest of what was mirrored. */
    externalKey: p.string().length(600).nullable(),
    externalHash: p.string().length(64).nullable(),
    /** TRANSP:TRANSPARENT in its feed: shown, but its time stays free. */
    transparent: p.boolean().default(false),
    /**
     * Whole local days (starts and ends at midnight): a feed's VALUE=DATE event (the feed's zone) or one
     * created with allDay (the calendar's zone; it holds no occupancy, see README, Calendar).
     */
    allDay: p.boolean().default(false),
    /** A feed event's DESCRIPTION, mirrored so that the export can write it back. */
    description: p.text().nullable(),
    /** RFC 5545 SEQUENCE of the exported event; a trigger increments it on every change. */
    sequence: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  indexes: [
    { name: 'event_account_starts_at_index', properties: ['account', 'startsAt', 'id'] },
    { name: 'event_calendar_starts_at_index', properties: ['calendar', 'startsAt', 'id'] },
  ],
  uniques: [
    {
      name: 'event_account_idempotency_key_unique',
      expression: 'create unique index "event_account_idempotency_key_unique" on "event" ("account_id", "idempotency_key") where "idempotency_key" is not null',
    },
    {
      name: 'event_calendar_external_key_unique',
      expression: 'create unique index "event_calendar_external_key_unique" on "event" ("calendar_id", "external_key") where "external_key" is not null',
    },
  ],
  triggers: [{
    name: 'event_bump_sequence',
    timing: 'before',
    events: ['update'],
    forEach: 'row',
    // The function is created by the migration (calendar_feeds).
    expression: 'create trigger "event_bump_sequence" before update on "event" for each row when (old.* is distinct from new.*) execute function "event_bump_sequence"()',
  }],
});
export type Event = InferEntity<typeof Event>;

/**
 * One row per (calendar, non-cancelled event): the time the event holds on that calendar. The exclusion
 * constraint is the guarantee that no two events overlap on a calendar; its GiST index also serves the
 * slot finder's "busy ranges in this window" reads.
 */
export const EventOccupancy = defineEntity({
  name: 'EventOccupancy',
  tableName: 'event_occupancy',
  properties: {
    event: () => p.manyToOne(Event).primary().deleteRule('cascade'),
    calendar: () => p.manyToOne(Calendar).primary().deleteRule('cascade'),
    during: p.type(TstzrangeType),
    /** False for feed calendars' busy time: external calendars allow overlaps, Tickler's own do not. */
    exclusive: p.boolean().default(true),
  },
  checks: [{ name: 'event_occupancy_no_overlap', expression: 'exclude using gist (calendar_id with =, during with &&) where (exclusive)' }],
});
export type EventOccupancy = InferEntity<typeof EventOccupancy>;

/** A file attached to an event, kept in PostgreSQL; `data` is loaded only for downloads. */
export const EventAttachment = defineEntity({
  name: 'EventAttachment',
  tableName: 'event_attachment',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    account: () => p.manyToOne(Account).deleteRule('cascade'),
    event: () => p.manyToOne(Event).deleteRule('cascade').index(),
    filename: p.string().length(255),
    contentType: p.string().length(255),
    size: p.integer(),
    sha256: p.string().length(64),
    data: p.blob().lazy(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type EventAttachment = InferEntity<typeof EventAttachment>;
