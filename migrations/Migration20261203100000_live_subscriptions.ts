import { Migration } from '@mikro-orm/migrations';

/**
 * Open subscriptions per account, shared between api processes (src/platform/shared-subscription-counts.ts):
 * each process reports its own counts and refreshes its `live_process` row; rows of processes not seen
 * for a while are ignored, then deleted. No entities map these tables and no foreign keys join them:
 * they are a cache of in-memory state, written by raw statements.
 *
 * And a notice to every process when an account row is deleted, sent by the database itself so that any
 * deletion (an operator's SQL included) ends the account's open connections and drops its tokens from
 * the token caches. The payload is pubsub.ts's wire format on its channel: topic 'account:deleted', id 'accounts'.
 */
export class Migration20261203100000_live_subscriptions extends Migration {

  override name = 'Migration20261203100000_live_subscriptions';

  override up(): void | Promise<void> {
    this.addSql(`create sequence "live_generation";`);
    this.addSql(`create table "live_process" ("id" uuid not null, "seen_at" timestamptz not null, "generation" bigint not null, primary key ("id"));`);
    this.addSql(`create table "live_subscription_count" ("process_id" uuid not null, "account_id" uuid not null, "count" int not null, primary key ("process_id", "account_id"));`);
    this.addSql(`create function "account_deleted_notice"() returns trigger language plpgsql as $$
      begin
        perform pg_notify('tickler_events', json_build_object('t', 'account:deleted:accounts', 'd', json_build_object('accountId', d."id"))::text)
           from "deleted_account" d;
        return null;
      end $$;`);
    this.addSql(`create trigger "account_deleted_notice" after delete on "account"
      referencing old table as "deleted_account" for each statement execute function "account_deleted_notice"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger "account_deleted_notice" on "account";`);
    this.addSql(`drop function "account_deleted_notice"();`);
    this.addSql(`drop table "live_subscription_count";`);
    this.addSql(`drop table "live_process";`);
    this.addSql(`drop sequence "live_generation";`);
  }

}
