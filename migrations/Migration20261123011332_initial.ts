import { Migration } from '@mikro-orm/migrations';

export class Migration20261123011332_initial extends Migration {

  override name = 'Migration20261123011332_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "account" ("id" uuid not null, "name" varchar(200) not null, "time_zone" varchar(64) not null, "webhook_secret" varchar(64) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "api_token" ("id" uuid not null, "account_id" uuid not null, "name" varchar(200) not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "api_token_account_id_index" on "api_token" ("account_id");`);
    this.addSql(`alter table "api_token" add constraint "api_token_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "calendar" ("id" uuid not null, "account_id" uuid not null, "name" varchar(200) not null, "time_zone" varchar(64) not null, "is_default" boolean not null default false, "working_hours" jsonb not null, "buffer_minutes" int not null default 0, "slot_interval_minutes" int not null default 15, "horizon_days" int not null default 90, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "calendar_account_id_index" on "calendar" ("account_id");`);
    this.addSql(`create unique index "calendar_one_default_per_account" on "calendar" ("account_id") where "is_default";`);

    this.addSql(`alter table "api_token" add constraint "api_token_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);

    this.addSql(`alter table "calendar" add constraint "calendar_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "api_token" drop constraint "api_token_account_id_foreign";`);
    this.addSql(`alter table "calendar" drop constraint "calendar_account_id_foreign";`);

    this.addSql(`drop table if exists "account" cascade;`);
    this.addSql(`drop table if exists "api_token" cascade;`);
    this.addSql(`drop table if exists "calendar" cascade;`);
  }

}
