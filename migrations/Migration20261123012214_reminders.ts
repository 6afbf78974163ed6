import { Migration } from '@mikro-orm/migrations';

export class Migration20261123012214_reminders extends Migration {

  override name = 'Migration20261123012214_reminders';

  override up(): void | Promise<void> {
    this.addSql(`create table "reminder" ("id" uuid not null, "account_id" uuid not null, "message" text not null, "remind_at" timestamptz not null, "time_zone" varchar(64) not null, "recurrence" varchar(500) null, "series_start" timestamptz null, "series_at" timestamptz null, "snoozed" boolean not null default false, "status" varchar(16) not null, "fired_at" timestamptz null, "grace_seconds" int null, "channels" jsonb not null, "event_id" uuid null, "minutes_before" int null, "idempotency_key" varchar(200) null, "schedule_version" int not null default 0, "job_id" uuid null, "last_occurrence_id" bigint null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "reminder_event_id_index" on "reminder" ("event_id");`);
    this.addSql(`create index "reminder_account_remind_at_index" on "reminder" ("account_id", "remind_at", "id");`);
    this.addSql(`create index "reminder_pending_index" on "reminder" ("remind_at") where "job_id" is not null;`);
    this.addSql(`alter table "reminder" add constraint "reminder_account_idempotency_key_unique" unique ("account_id", "idempotency_key");`);

    this.addSql(`create table "reminder_occurrence" ("id" bigserial primary key, "reminder_id" uuid not null, "account_id" uuid not null, "due_at" timestamptz not null, "fired_at" timestamptz not null, "lateness_ms" int not null, "status" varchar(16) not null);`);
    this.addSql(`create index "reminder_occurrence_reminder_id_index" on "reminder_occurrence" ("reminder_id");`);
    this.addSql(`create index "reminder_occurrence_account_id_index" on "reminder_occurrence" ("account_id", "id");`);

    this.addSql(`create table "reminder_delivery" ("id" uuid not null, "occurrence_id" bigint not null, "channel_index" int not null, "kind" varchar(16) not null, "target" varchar(2000) not null, "status" varchar(16) not null, "attempts" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "reminder_delivery_occurrence_id_index" on "reminder_delivery" ("occurrence_id");`);

    this.addSql(`create table "delivery_attempt" ("id" bigserial primary key, "delivery_id" uuid not null, "attempt" int not null, "attempted_at" timestamptz not null, "duration_ms" int not null, "outcome" varchar(16) not null, "error" text null);`);
    this.addSql(`create index "delivery_attempt_delivery_id_index" on "delivery_attempt" ("delivery_id");`);

    this.addSql(`alter table "reminder" add constraint "reminder_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);

    this.addSql(`alter table "reminder_occurrence" add constraint "reminder_occurrence_reminder_id_foreign" foreign key ("reminder_id") references "reminder" ("id") on delete cascade;`);

    this.addSql(`alter table "reminder_delivery" add constraint "reminder_delivery_occurrence_id_foreign" foreign key ("occurrence_id") references "reminder_occurrence" ("id") on delete cascade;`);

    this.addSql(`alter table "delivery_attempt" add constraint "delivery_attempt_delivery_id_foreign" foreign key ("delivery_id") references "reminder_delivery" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "reminder_occurrence" drop constraint "reminder_occurrence_reminder_id_foreign";`);
    this.addSql(`alter table "reminder_delivery" drop constraint "reminder_delivery_occurrence_id_foreign";`);
    this.addSql(`alter table "delivery_attempt" drop constraint "delivery_attempt_delivery_id_foreign";`);

    this.addSql(`drop table if exists "reminder" cascade;`);
    this.addSql(`drop table if exists "reminder_occurrence" cascade;`);
    this.addSql(`drop table if exists "reminder_delivery" cascade;`);
    this.addSql(`drop table if exists "delivery_attempt" cascade;`);
  }

}
