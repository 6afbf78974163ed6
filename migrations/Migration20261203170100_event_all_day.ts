import { Migration } from '@mikro-orm/migrations';

/**
 * All-day events are local days, not 24-hour blocks: a feed's `DTSTART;VALUE=DATE` is kept as such, so the
 * API says so (Event.allDay) and the export writes it back as VALUE=DATE.
 */
export class Migration20261203170100_event_all_day extends Migration {
  override up(): void {
    this.addSql(`alter table "event" add column if not exists "all_day" boolean not null default false;`);
    // Feed events mirrored before this column cannot be told apart here, and their digest already covers
    // allDay (so an unchanged feed would never rewrite them): the ones that start and end at local
    // midnight lose their digest, and every feed is fetched in full once, so the next sync sets all_day.
    this.addSql(`update "event" e set "external_hash" = null from "calendar" c
      where c."id" = e."calendar_id" and e."external_key" is not null
        and (e."starts_at" at time zone c."time_zone")::time = '00:00' and (e."ends_at" at time zone c."time_zone")::time = '00:00';`);
    this.addSql(`update "calendar_feed" set "body_sha256" = null, "etag" = null, "last_modified" = null;`);
  }

  override down(): void {
    this.addSql(`alter table "event" drop column if exists "all_day";`);
  }
}
