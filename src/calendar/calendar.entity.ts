import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from '../accounts/account.entity.ts';

export type WorkingHoursRule = { weekday: string; start: string; end: string };

/** Working hours of a new account's default calendar: Monday to Friday, 08:00–17:00 local. */
export const DEFAULT_WORKING_HOURS: readonly WorkingHoursRule[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY']
  .map((weekday) => ({ weekday, start: '08:00', end: '17:00' }));

export const Calendar = defineEntity({
  name: 'Calendar',
  tableName: 'calendar',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    account: () => p.manyToOne(Account).deleteRule('cascade').index(),
    name: p.string().length(200),
    timeZone: p.string().length(64),
    isDefault: p.boolean().default(false),
    workingHours: p.json<WorkingHoursRule[]>(),
    bufferMinutes: p.integer().default(0),
    slotIntervalMinutes: p.integer().default(15),
    horizonDays: p.integer().default(90),
    /** A read-only mirror of an external ICS feed (see src/feeds/). */
    isFeed: p.boolean().default(false),
    /** Feed calendars of the account whose busy time this calendar plans around. */
    busyCalendarIds: p.array().default([]),
    /** The secret in this calendar's own ICS feed URL; rotating it revokes the old URL. */
    feedToken: p.string().length(64).defaultRaw(`replace(((gen_random_uuid())::text || (gen_random_uuid())::text), '-'::text, ''::text)`),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  uniques: [
    // At most one default calendar per account.
    { name: 'calendar_one_default_per_account', expression: 'create unique index "calendar_one_default_per_account" on "calendar" ("account_id") where "is_default"' },
  ],
});
export type Calendar = InferEntity<typeof Calendar>;
