import { Migration } from '@mikro-orm/migrations';

/**
 * Firing rewrites thousands of reminder rows a second; every new row version is entered in each index
 * whose condition it meets. Indexing the optional columns only where they are set saves three index
 * entries per fired reminder.
 */
export class Migration20261123030500_reminder_partial_indexes extends Migration {

  override name = 'Migration20261123030500_reminder_partial_indexes';

  override up(): void | Promise<void> {
    this.addSql(`drop index "reminder_event_id_index";`);
    this.addSql(`create index "reminder_event_id_index" on "reminder" ("event_id") where "event_id" is not null;`);
    this.addSql(`alter table "reminder" drop constraint "reminder_account_idempotency_key_unique";`);
    this.addSql(`create unique index "reminder_account_idempotency_key_unique" on "reminder" ("account_id", "idempotency_key") where "idempotency_key" is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "reminder_account_idempotency_key_unique";`);
    this.addSql(`alter table "reminder" add constraint "reminder_account_idempotency_key_unique" unique ("account_id", "idempotency_key");`);
    this.addSql(`drop index "reminder_event_id_index";`);
    this.addSql(`create index "reminder_event_id_index" on "reminder" ("event_id");`);
  }

}
