import { Migration } from '@mikro-orm/migrations';

/**
 * Index paths for the queries that read more as history grows (issue 20), checked with EXPLAIN over a
 * generated large data set in test/integration/history-indexes.test.ts:
 * - the newest occurrences of a reminder (reminder.loaders.ts: `where reminder_id = ? order by id desc
 *   limit n`) read n index entries instead of sorting the reminder's whole history; the plain
 *   (reminder_id) index it replaces is a prefix of it, so it goes (one index less to write per firing);
 * - cancelReminder's in-flight deliveries and redeliverFailed's FAILED ones come from small partial
 *   indexes of the unsettled deliveries, instead of every delivery of every occurrence of the reminder
 *   or account (settled deliveries, nearly all of them, are in neither);
 * - the ICS export's `attendee_calendar_ids @> array[?]` is served by a GIN index (a plain `? = any(…)`
 *   is served by none: the query was changed to the containment form);
 * - retention finds cancelled reminders by the time they were cancelled, without reading the live ones.
 */
export class Migration20261203150000_history_indexes extends Migration {

  override name = 'Migration20261203150000_history_indexes';

  override up(): void | Promise<void> {
    this.addSql(`create index "reminder_occurrence_reminder_id_id_index" on "reminder_occurrence" ("reminder_id", "id");`);
    this.addSql(`drop index "reminder_occurrence_reminder_id_index";`);
    this.addSql(`create index "reminder_delivery_in_flight_index" on "reminder_delivery" ("occurrence_id") where "status" in ('PENDING', 'RETRYING');`);
    this.addSql(`create index "reminder_delivery_failed_index" on "reminder_delivery" ("occurrence_id") where "status" = 'FAILED';`);
    this.addSql(`create index "event_attendee_calendar_ids_index" on "event" using gin ("attendee_calendar_ids");`);
    this.addSql(`create index "reminder_cancelled_index" on "reminder" ("updated_at") where "status" = 'CANCELLED';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "reminder_cancelled_index";`);
    this.addSql(`drop index "event_attendee_calendar_ids_index";`);
    this.addSql(`drop index "reminder_delivery_failed_index";`);
    this.addSql(`drop index "reminder_delivery_in_flight_index";`);
    this.addSql(`create index "reminder_occurrence_reminder_id_index" on "reminder_occurrence" ("reminder_id");`);
    this.addSql(`drop index "reminder_occurrence_reminder_id_id_index";`);
  }

}
