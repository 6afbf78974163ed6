import { Migration } from '@mikro-orm/migrations';

/**
 * Busy time is read for every occupancy row of the asked calendars, transparent feed events included
 * (busyRanges, occupancy.repository.ts). The only index on event_occupancy was the exclusion constraint's,
 * which is partial (`where exclusive`), so those reads could not use it and scanned every account's rows:
 * freeSlots grew with the whole table (10× slower with a year of events, `npm run bench history`).
 */
export class Migration20261203160000_occupancy_index extends Migration {
  override up(): void {
    this.addSql(`create index if not exists "event_occupancy_calendar_during" on "event_occupancy" using gist ("calendar_id", "during");`);
  }

  override down(): void {
    this.addSql(`drop index if exists "event_occupancy_calendar_during";`);
  }
}
