import { Migration } from '@mikro-orm/migrations';

/**
 * reminder_occurrence.reminder_id loses its foreign key: the per-row check was 60% of the cost of
 * recording a burst's occurrences, and the only writer (the firing transaction) holds the reminder's
 * row locked anyway. The cascade it gave stays, as one statement-level trigger per delete.
 */
export class Migration20261123050000_occurrence_cascade_trigger extends Migration {

  override name = 'Migration20261123050000_occurrence_cascade_trigger';

  override up(): void | Promise<void> {
    this.addSql(`alter table "reminder_occurrence" drop constraint "reminder_occurrence_reminder_id_foreign";`);
    this.addSql(`create function "reminder_occurrence_cascade"() returns trigger language plpgsql as $$
      begin
        delete from "reminder_occurrence" o using "deleted_reminder" d where o."reminder_id" = d."id";
        return null;
      end $$;`);
    this.addSql(`create trigger "reminder_occurrence_cascade" after delete on "reminder"
      referencing old table as "deleted_reminder" for each statement execute function "reminder_occurrence_cascade"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger "reminder_occurrence_cascade" on "reminder";`);
    this.addSql(`drop function "reminder_occurrence_cascade"();`);
    this.addSql(`alter table "reminder_occurrence" add constraint "reminder_occurrence_reminder_id_foreign" foreign key ("reminder_id") references "reminder" ("id") on delete cascade;`);
  }

}
