import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from '../accounts/account.entity.ts';
import { Calendar } from '../calendar/calendar.entity.ts';

/** The subscription behind a feed calendar: where its events come from and how the last syncs went. */
export const CalendarFeed = defineEntity({
  name: 'CalendarFeed',
  tableName: 'calendar_feed',
  properties: {
    calendar: () => p.oneToOne(Calendar).primary().deleteRule('cascade'),
    account: () => p.manyToOne(Account).deleteRule('cascade').index(),
    url: p.text(),
    refreshMinutes: p.integer().default(60),
    lastSyncedAt: p.datetime().nullable(),
    lastAttemptAt: p.datetime().nullable(),
    lastError: p.text().nullable(),
    /** Validators of the last good response, sent back as If-None-Match / If-Modified-Since. */
    etag: p.string().length(500).nullable(),
    lastModified: p.string().length(100).nullable(),
    /** SHA-256 of the last body applied: an identical body is not parsed again. */
    bodySha256: p.string().length(64).nullable(),
    eventCount: p.integer().default(0),
    /** What the last parsed body was read leniently for (ics-lenient.ts); kept while the body is unchanged or a sync fails. */
    warnings: p.array().default([]),
    /** Failed attempts since the last success (drives the retry backoff). */
    failures: p.integer().default(0),
    nextSyncAt: p.datetime().nullable(),
    /** While set in the future, one process is syncing this feed; others leave it alone. */
    leaseUntil: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type CalendarFeed = InferEntity<typeof CalendarFeed>;
