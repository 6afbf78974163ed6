import { Migration } from '@mikro-orm/migrations';

/** What the last sync of a feed read leniently (a bare date, an empty RRULE…), shown as CalendarFeed.warnings. */
export class Migration20261203170000_feed_warnings extends Migration {
  override up(): void {
    this.addSql(`alter table "calendar_feed" add column if not exists "warnings" text[] not null default '{}';`);
  }

  override down(): void {
    this.addSql(`alter table "calendar_feed" drop column if exists "warnings";`);
  }
}
