import { Migration } from '@mikro-orm/migrations';

/**
 * Per-account usage counters (src/accounts/usage.ts), kept by statement-level triggers on the counted
 * tables so that every writer (the ORM, the one-statement createReminder, the firing transaction, a
 * foreign-key cascade) keeps them exact, and `me { usage }` and the quota checks never count rows.
 *
 * The check is in the trigger too: a mutation that may go over a limit arms it for its transaction
 * with `set_config('tickler.limit_<counter>', limit, true)`; a trigger that raises a counter of an
 * armed limit above it raises SQLSTATE TQ001 (its CONSTRAINT field: the limit's name), so the statement, and with
 * it the reminder, its job and its notices, is undone. The counter's row lock, taken by the upsert,
 * serialises concurrent writers of one account: none can overshoot. Writers that never arm a limit
 * (firing, deliveries, redeliveries) are counted and never refused.
 *
 * history_rows has no limit: occurrences, deliveries and attempts are only ever inserted, and deleted
 * with their reminder, where the reminder's cascade (below) subtracts what it deletes.
 */
const ACTIVE = `status in ('SCHEDULED', 'PROCESSING', 'RETRIED')`;

type Counter = {
  table: string;
  column: string;
  /** The GUC that arms the limit, and the limit's name in AccountLimits; none for history_rows. */
  limit?: { setting: string; name: string };
  /** Per transition table (new_rows / old_rows): its rows' contribution, as `select account_id, n`. */
  amount: (rows: string) => string;
  events: ('insert' | 'update' | 'delete')[];
};

const COUNTERS: Counter[] = [
  {
    table: 'reminder', column: 'active_reminders', limit: { setting: 'tickler.limit_active_reminders', name: 'activeReminders' },
    amount: (rows) => `select account_id, count(*) as n from ${rows} where ${ACTIVE} group by account_id`,
    events: ['insert', 'update', 'delete'],
  },
  {
    table: 'api_token', column: 'api_tokens', limit: { setting: 'tickler.limit_api_tokens', name: 'apiTokens' },
    amount: (rows) => `select account_id, count(*) as n from ${rows} where revoked_at is null group by account_id`,
    events: ['insert', 'update', 'delete'],
  },
  {
    table: 'calendar_feed', column: 'calendar_feeds', limit: { setting: 'tickler.limit_calendar_feeds', name: 'calendarFeeds' },
    amount: (rows) => `select account_id, count(*) as n from ${rows} group by account_id`,
    events: ['insert', 'update', 'delete'],
  },
  {
    table: 'event_attachment', column: 'attachment_bytes', limit: { setting: 'tickler.limit_attachment_bytes', name: 'attachmentBytes' },
    amount: (rows) => `select account_id, sum(size) as n from ${rows} group by account_id`,
    events: ['insert', 'update', 'delete'],
  },
  {
    table: 'reminder_occurrence', column: 'history_rows',
    amount: (rows) => `select account_id, count(*) as n from ${rows} group by account_id`,
    events: ['insert'],
  },
  {
    table: 'reminder_delivery', column: 'history_rows',
    amount: (rows) => `select o.account_id, count(*) as n from ${rows} d join reminder_occurrence o on o.id = d.occurrence_id group by o.account_id`,
    events: ['insert'],
  },
  {
    table: 'delivery_attempt', column: 'history_rows',
    amount: (rows) => `select o.account_id, count(*) as n from ${rows} a join reminder_delivery d on d.id = a.delivery_id
                         join reminder_occurrence o on o.id = d.occurrence_id group by o.account_id`,
    events: ['insert'],
  },
];

const functionName = (c: Counter) => `account_usage_${c.table}`;

/**
 * The trigger function: the net change per account from the transition tables, applied in account
 * order (two transactions touching the same accounts lock their rows in the same order: no deadlock),
 * and checked against the limit when the change is an increase and the limit is armed.
 */
function counterFunction(c: Counter): string {
  const delta = (op: string) => {
    if (op === 'INSERT') return c.amount('new_rows');
    if (op === 'DELETE') return `select account_id, -n from (${c.amount('old_rows')}) o`;
    return `select account_id, sum(n) from (${c.amount('new_rows')} union all select account_id, -n from (${c.amount('old_rows')}) o) x group by account_id`;
  };
  const branches = c.events.map((event) => {
    const op = event.toUpperCase();
    return `if TG_OP = '${op}' then
        select coalesce(array_agg(account_id order by account_id), '{}'), coalesce(array_agg(n::bigint order by account_id), '{}')
          into accounts, deltas from (${delta(op)}) d(account_id, n) where n <> 0;
      end if;`;
  }).join('\n      ');
  const check = c.limit
    ? `if deltas[i] > 0 and total > limit_value then
          raise exception using errcode = 'TQ001', constraint = '${c.limit.name}', message = 'over the account limit ${c.limit.name}', detail = format('account %s: %s > %s', accounts[i], total, limit_value);
        end if;`
    : '';
  return `create function "${functionName(c)}"() returns trigger language plpgsql as $$
    declare
      accounts uuid[];
      deltas bigint[];
      total bigint;
      ${c.limit ? `limit_value bigint := nullif(current_setting('${c.limit.setting}', true), '')::bigint;` : ''}
    begin
      ${branches}
      for i in 1 .. coalesce(array_length(accounts, 1), 0) loop
        if deltas[i] < 0 then
          -- No upsert: an account being deleted has lost its row already, and needs none.
          update account_usage set ${c.column} = ${c.column} + deltas[i] where account_id = accounts[i];
        else
          insert into account_usage as u (account_id, ${c.column}) values (accounts[i], deltas[i])
            on conflict (account_id) do update set ${c.column} = u.${c.column} + excluded.${c.column}
            returning u.${c.column} into total;
          ${check}
        end if;
      end loop;
      return null;
    end $$;`;
}

function counterTriggers(c: Counter): string[] {
  return c.events.map((event) => {
    const tables = event === 'insert' ? 'new table as new_rows' : event === 'delete' ? 'old table as old_rows' : 'old table as old_rows new table as new_rows';
    return `create trigger "${functionName(c)}_${event}" after ${event} on "${c.table}"
      referencing ${tables} for each statement execute function "${functionName(c)}"();`;
  });
}

const BACKFILL = `
  insert into account_usage (account_id, active_reminders, calendar_feeds, api_tokens, attachment_bytes, history_rows)
  select a.id,
    (select count(*) from reminder r where r.account_id = a.id and r.${ACTIVE}),
    (select count(*) from calendar_feed f where f.account_id = a.id),
    (select count(*) from api_token t where t.account_id = a.id and t.revoked_at is null),
    (select coalesce(sum(size), 0) from event_attachment e where e.account_id = a.id),
    (select count(*) from reminder_occurrence o where o.account_id = a.id)
      + (select count(*) from reminder_delivery d join reminder_occurrence o on o.id = d.occurrence_id where o.account_id = a.id)
      + (select count(*) from delivery_attempt t join reminder_delivery d on d.id = t.delivery_id
           join reminder_occurrence o on o.id = d.occurrence_id where o.account_id = a.id)
  from account a`;

/** The reminder cascade (Migration20261123050000) also subtracts the history it deletes. */
const CASCADE_WITH_HISTORY = `create or replace function "reminder_occurrence_cascade"() returns trigger language plpgsql as $$
  begin
    with gone as (
      select o.account_id, o.id from "reminder_occurrence" o join "deleted_reminder" d on o."reminder_id" = d."id"),
    counted as (
      select g.account_id,
             count(*) + coalesce(sum((select count(*) from reminder_delivery rd where rd.occurrence_id = g.id)), 0)
               + coalesce(sum((select count(*) from delivery_attempt t join reminder_delivery rd on rd.id = t.delivery_id where rd.occurrence_id = g.id)), 0) as n
        from gone g group by g.account_id order by g.account_id)
    update account_usage u set history_rows = u.history_rows - c.n from counted c where u.account_id = c.account_id;
    delete from "reminder_occurrence" o using "deleted_reminder" d where o."reminder_id" = d."id";
    return null;
  end $$;`;

const CASCADE_ORIGINAL = `create or replace function "reminder_occurrence_cascade"() returns trigger language plpgsql as $$
  begin
    delete from "reminder_occurrence" o using "deleted_reminder" d where o."reminder_id" = d."id";
    return null;
  end $$;`;

export class Migration20261203120000_account_usage extends Migration {

  override name = 'Migration20261203120000_account_usage';

  override up(): void | Promise<void> {
    // fillfactor 70: the counters change on every write, and HOT updates need room on the page.
    this.addSql(`create table "account_usage" (
      "account_id" uuid not null primary key references "account" ("id") on delete cascade,
      "active_reminders" bigint not null default 0,
      "calendar_feeds" bigint not null default 0,
      "api_tokens" bigint not null default 0,
      "attachment_bytes" bigint not null default 0,
      "history_rows" bigint not null default 0
    ) with (fillfactor = 70);`);
    // The counted tables are locked while the counters are filled and the triggers created, so no
    // write falls between the backfill and the first trigger.
    this.addSql(`lock table "reminder", "api_token", "calendar_feed", "event_attachment", "reminder_occurrence", "reminder_delivery", "delivery_attempt" in share row exclusive mode;`);
    this.addSql(BACKFILL);
    for (const counter of COUNTERS) {
      this.addSql(counterFunction(counter));
      for (const trigger of counterTriggers(counter)) this.addSql(trigger);
    }
    this.addSql(CASCADE_WITH_HISTORY);
  }

  override down(): void | Promise<void> {
    this.addSql(CASCADE_ORIGINAL);
    for (const counter of COUNTERS) {
      for (const event of counter.events) this.addSql(`drop trigger if exists "${functionName(counter)}_${event}" on "${counter.table}";`);
      this.addSql(`drop function if exists "${functionName(counter)}"();`);
    }
    this.addSql(`drop table if exists "account_usage";`);
  }

}
