import { Migration } from '@mikro-orm/migrations';

export class Migration20261123012102_calendar extends Migration {

  override name = 'Migration20261123012102_calendar';

  override up(): void | Promise<void> {
    this.addSql('create extension if not exists btree_gist;');
    this.addSql(`create table "event" ("id" uuid not null, "account_id" uuid not null, "calendar_id" uuid not null, "title" varchar(500) not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "duration_minutes" int not null, "placement" text not null, "attendees" text[] not null default '{}', "attendee_calendar_ids" text[] not null default '{}', "location" varchar(500) null, "not_before" timestamptz null, "not_after" timestamptz null, "cancelled_at" timestamptz null, "idempotency_key" varchar(200) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "event_account_starts_at_index" on "event" ("account_id", "starts_at", "id");`);
    this.addSql(`create index "event_calendar_starts_at_index" on "event" ("calendar_id", "starts_at", "id");`);
    this.addSql(`create unique index "event_account_idempotency_key_unique" on "event" ("account_id", "idempotency_key") where "idempotency_key" is not null;`);

    this.addSql(`create table "event_attachment" ("id" uuid not null, "account_id" uuid not null, "event_id" uuid not null, "filename" varchar(255) not null, "content_type" varchar(255) not null, "size" int not null, "sha256" varchar(64) not null, "data" bytea not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "event_attachment_event_id_index" on "event_attachment" ("event_id");`);

    this.addSql(`create table "event_occupancy" ("event_id" uuid not null, "calendar_id" uuid not null, "during" tstzrange not null, primary key ("event_id", "calendar_id"));`);

    this.addSql(`alter table "event" add constraint "event_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);
    this.addSql(`alter table "event" add constraint "event_calendar_id_foreign" foreign key ("calendar_id") references "calendar" ("id") on delete cascade;`);
    this.addSql(`alter table "event" add constraint "event_placement_check" check ("placement" in ('EXACT', 'AUTO'));`);

    this.addSql(`alter table "event_attachment" add constraint "event_attachment_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);
    this.addSql(`alter table "event_attachment" add constraint "event_attachment_event_id_foreign" foreign key ("event_id") references "event" ("id") on delete cascade;`);

    this.addSql(`alter table "event_occupancy" add constraint "event_occupancy_event_id_foreign" foreign key ("event_id") references "event" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "event_occupancy" add constraint "event_occupancy_calendar_id_foreign" foreign key ("calendar_id") references "calendar" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "event_occupancy" add constraint "event_occupancy_no_overlap" exclude using gist (calendar_id with =, during with &&);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "event_attachment" drop constraint "event_attachment_event_id_foreign";`);
    this.addSql(`alter table "event_occupancy" drop constraint "event_occupancy_event_id_foreign";`);

    this.addSql(`drop table if exists "event" cascade;`);
    this.addSql(`drop table if exists "event_attachment" cascade;`);
    this.addSql(`drop table if exists "event_occupancy" cascade;`);
  }

}
