import { Migration } from '@mikro-orm/migrations';

/**
 * The per-token request buckets every api process leases from (src/platform/rate-limit.ts). No entity
 * maps it: it is only read and written by one raw upsert. UNLOGGED: the buckets are seconds of state,
 * not worth a WAL write per lease; after a crash (or on a replica promoted) they start full. No foreign
 * key to api_token: the upsert runs several times a second per hot token, and rows of idle tokens are
 * deleted by the limiter's sweep. fillfactor 70 leaves room for HOT updates (no indexed column changes).
 */
export class Migration20261203110000_rate_limit_bucket extends Migration {

  override name = 'Migration20261203110000_rate_limit_bucket';

  override up(): void | Promise<void> {
    this.addSql(`create unlogged table "rate_limit_bucket" (
      "token_id" uuid not null primary key,
      "tokens" float8 not null,
      "granted" float8 not null,
      "refilled_at" timestamptz not null
    ) with (fillfactor = 70);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "rate_limit_bucket";`);
  }

}
