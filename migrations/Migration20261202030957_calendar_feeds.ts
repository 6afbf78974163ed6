import { Migration } from '@mikro-orm/migrations';

/**
 * Calendar sync (src/feeds/): feed calendars and their subscriptions, feed events' keys, busy time that
 * may overlap (exclusive = false rows are exempt from the no-overlap constraint), export feed tokens.
 */
export class Migration20261202030957_calendar_feeds extends Migration {

  override name = 'Migration20261202030957_calendar_feeds';

  override up(): void | Promise<void> {
    this.addSql(`create table "calendar_feed" ("calendar_id" uuid not null, "account_id" uuid not null, "url" text not null, "refresh_minutes" int not null default 60, "last_synced_at" timestamptz null, "last_attempt_at" timestamptz null, "last_error" text null, "etag" varchar(500) null, "last_modified" varchar(100) null, "body_sha256" varchar(64) null, "event_count" int not null default 0, "failures" int not null default 0, "next_sync_at" timestamptz null, "lease_until" timestamptz null, "created_at" timestamptz not null, primary key ("calendar_id"));`);
    this.addSql(`create index "calendar_feed_account_id_index" on "calendar_feed" ("account_id");`);

    this.addSql(`alter table "calendar" add "is_feed" boolean not null default false, add "busy_calendar_ids" text[] not null default '{}', add "feed_token" varchar(64) not null default replace(((gen_random_uuid())::text || (gen_random_uuid())::text), '-'::text, ''::text);`);

    this.addSql(`alter table "event" add "external_key" varchar(600) null, add "external_hash" varchar(64) null, add "transparent" boolean not null default false, add "sequence" int not null default 0;`);
    this.addSql(`create unique index "event_calendar_external_key_unique" on "event" ("calendar_id", "external_key") where "external_key" is not null;`);
    // RFC 5545 SEQUENCE of exported events: every change to an event row increments it, whichever code path made it.
    this.addSql(`create function "event_bump_sequence"() returns trigger language plpgsql as $$
      begin
        new.sequence := old.sequence + 1;
        return new;
      end $$;`);
    this.addSql(`create trigger "event_bump_sequence" before update on "event" for each row when (old.* is distinct from new.*) execute function "event_bump_sequence"();`);

    this.addSql(`alter table "event_occupancy" drop constraint "event_occupancy_no_overlap";`);
    this.addSql(`alter table "event_occupancy" add "exclusive" boolean not null default true;`);
    this.addSql(`alter table "event_occupancy" add constraint "event_occupancy_no_overlap" exclude using gist (calendar_id with =, during with &&) where (exclusive);`);

    this.addSql(`alter table "calendar_feed" add constraint "calendar_feed_calendar_id_foreign" foreign key ("calendar_id") references "calendar" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "calendar_feed" add constraint "calendar_feed_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "calendar_feed" cascade;`);

    this.addSql(`alter table "calendar" drop column "is_feed", drop column "busy_calendar_ids", drop column "feed_token";`);

    this.addSql(`drop index "event_calendar_external_key_unique";`);
    this.addSql(`drop trigger if exists "event_bump_sequence" on "event";`);
    this.addSql(`drop function if exists "event_bump_sequence"();`);
    this.addSql(`alter table "event" drop column "external_key", drop column "external_hash", drop column "transparent", drop column "sequence";`);

    this.addSql(`alter table "event_occupancy" drop constraint "event_occupancy_no_overlap";`);
    this.addSql(`alter table "event_occupancy" drop column "exclusive";`);
    this.addSql(`alter table "event_occupancy" add constraint "event_occupancy_no_overlap" exclude using gist (calendar_id with =, during with &&);`);
  }

}
