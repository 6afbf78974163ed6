import { Migration } from '@mikro-orm/migrations';

/**
 * A feed event's DESCRIPTION is mirrored and exported again (it was dropped). Every feed is fetched in
 * full once, so events that have one get it at the next sync (their digest changes only when they do).
 */
export class Migration20261203170200_event_description extends Migration {
  override up(): void {
    this.addSql(`alter table "event" add column if not exists "description" text null;`);
    this.addSql(`update "calendar_feed" set "body_sha256" = null, "etag" = null, "last_modified" = null;`);
  }

  override down(): void {
    this.addSql(`alter table "event" drop column if exists "description";`);
  }
}
