import { Migration } from '@mikro-orm/migrations';

/**
 * reminder_delivery: the lease on a delivery's attempt in flight (deliver.job.ts claimAttempt), so a
 * job handed out twice sends once. reminder: why firing it failed for good (fire.job.ts poison
 * isolation), shown as Reminder.failureReason.
 */
export class Migration20261203130000_delivery_lease_fire_failure extends Migration {

  override name = 'Migration20261203130000_delivery_lease_fire_failure';

  override up(): void | Promise<void> {
    this.addSql(`alter table "reminder_delivery" add column "attempt_started_at" timestamptz null, add column "lease_until" timestamptz null;`);
    this.addSql(`alter table "reminder" add column "failure_reason" text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "reminder_delivery" drop column "attempt_started_at", drop column "lease_until";`);
    this.addSql(`alter table "reminder" drop column "failure_reason";`);
  }

}
