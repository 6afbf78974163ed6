/**
 * The reminder worker of a `worker` or `all` process: the firing worker (batched, woken on time by
 * the wake-up timer), the delivery worker, and the wake-up timer fed by the 'reminder:due' topic.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobWithMetadata } from 'pg-boss';
import type { Services } from '../platform/services.ts';
import type { Jobs, JobPayloads, Lanes } from '../platform/jobs.ts';
import type { Config } from '../platform/config.ts';
import { fireDue } from './fire.job.ts';
import { createFireLoop, type FireLoop } from './fire-loop.ts';
import { deliver } from './deliver.job.ts';
import { deliveryQueueOptions, deliveryRetryPolicy } from './delivery-retry.ts';
import { createMailer, type Mailer } from './delivery/email.ts';
import { createWakeup, type Wakeup } from './wakeup.ts';
import { FIRE_JOB_OPTIONS } from './schedule.ts';
import { query } from '../platform/sql.ts';

/** Creates the reminder queues; every role calls it, since api processes insert jobs too. */
export async function ensureReminderQueues(jobs: Jobs, config: Config): Promise<void> {
  // Deliveries that give up stay FAILED in reminder_delivery, where redeliver() finds them; the
  // dead-letter queue they used to be copied to had no reader and only grew.
  if (await jobs.boss.getQueue('reminder.deliver.dead')) {
    await jobs.boss.updateQueue('reminder.deliver', { deadLetter: null });
    await jobs.boss.deleteQueue('reminder.deliver.dead');
  }
  // Its own table: every reminder scheduled is a job here until it fires, months ahead for some.
  const { retryLimit, retryDelay, retryBackoff } = FIRE_JOB_OPTIONS;
  await jobs.ensureQueue('reminder.fire', { retryLimit, retryDelay, retryBackoff, partition: true });
  await jobs.ensureDueIndex('reminder.fire');
  // A worker killed mid-delivery stops refreshing the claim's heartbeat; a supervising process
  // then hands the job out again (DELIVER_HEARTBEAT_SECONDS).
  await jobs.ensureQueue('reminder.deliver', deliveryQueueOptions(deliveryRetryPolicy(config)));
}

// How often an idle lane looks for due jobs it was not woken for (a crashed peer's freed claims,
// jobs inserted by processes this one did not hear): an empty look costs a fraction of a
// millisecond along the due index.
const FIRE_POLL_MS = 250;

/**
 * Fairness between accounts in delivery. Each delivery job carries its account as pg-boss group;
 * one account has at most DELIVERY_GROUP_LIMIT deliveries in flight across all workers (pg-boss
 * counts active jobs per group in the database as it fetches; two fetches at the same instant can
 * each miss the other's claim, hence the staggered wake-up below), out of DELIVERY_LANES per
 * process. An account whose receivers hang (10 s timeout each) thus holds 4
 * lanes, and the other 12 serve everyone else at once; it takes 4 such accounts at the same
 * moment to fill a process (4 × workers across the fleet), and then the rest wait for a lane to
 * free up, at most the 10 s timeout. Lanes mostly wait for the network, so they are cheap; an
 * idle one looks every second (the retries come due that way) and all are woken when a batch
 * queues deliveries.
 */
export const DELIVERY_LANES = 16;
export const DELIVERY_GROUP_LIMIT = 4;
const DELIVERY_POLL_SECONDS = 1;
// Lanes woken together would fetch at the same instant, each before the other's claim commits,
// and take one account's jobs past its limit: a few milliseconds apart, each fetch sees the claims
// made before it.
const DELIVERY_WAKE_STAGGER_MS = 4;

export type ReminderWorker = { start(): Promise<void>; stop(): Promise<void> };

export function createReminderWorker(options: { services: Services; forkEm: () => EntityManager }): ReminderWorker {
  const { services, forkEm } = options;
  const { jobs, config } = services;
  const log = services.log.child({ component: 'reminders' });
  const mailer: Mailer | undefined = config.smtpUrl ? createMailer(config.smtpUrl, config.smtpFrom) : undefined;
  const delivery = deliveryRetryPolicy(config);
  let fireLoop: FireLoop | undefined;
  let deliveryLanes: Lanes | undefined;
  let wakeup: Wakeup | undefined;
  let dueEvents: AsyncIterator<unknown> | undefined;
  let stopping: Promise<void> | undefined;

  /** Wakes as many delivery lanes as there are new deliveries, a few milliseconds apart. */
  const wakeDeliveryLanes = (count: number) => {
    (deliveryLanes?.ids ?? []).slice(0, count).forEach((id, i) => {
      // A lane woken after stop() is gone already: notifyWorker ignores an unknown id.
      if (i === 0) jobs.boss.notifyWorker(id);
      else setTimeout(() => jobs.boss.notifyWorker(id), i * DELIVERY_WAKE_STAGGER_MS).unref();
    });
  };

  const listenForDue = async (w: Wakeup) => {
    const iterator = services.pubsub.subscribe('reminder:due', 'workers')[Symbol.asyncIterator]();
    dueEvents = iterator;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      w.learn([Date.parse(next.value.at)]);
    }
  };

  return {
    async start() {
      wakeup = createWakeup({
        scan: async (horizonMs) => {
          const rows = await query<{ at: string }>(forkEm(), `
            select distinct (extract(epoch from remind_at) * 1000)::float8 as at from reminder
             where job_id is not null and remind_at <= now() + $1 * interval '1 millisecond' order by 1 limit 5000`, [horizonMs]);
          return rows.map((row) => Number(row.at));
        },
        wake: () => fireLoop?.wake(),
        onError: (error) => log.warn({ err: error }, 'wake-up scan failed'),
      });
      const w = wakeup;
      listenForDue(w).catch((error) => log.error({ err: error }, 'reminder:due listener stopped'));
      let failing = false;
      fireLoop = createFireLoop({
        concurrency: config.reminderFireConcurrency,
        batchSize: config.reminderBatchSize,
        pollMs: FIRE_POLL_MS,
        runBatch: async () => {
          const started = performance.now();
          const outcome = await fireDue(forkEm, services, config.reminderBatchSize, delivery);
          if (outcome.claimed > 0) services.metrics.fireBatch(outcome, (performance.now() - started) / 1000);
          return outcome;
        },
        onOutcome: (outcome) => {
          if (failing) log.info('firing works again');
          failing = false;
          if (outcome.claimed === 0) return;
          w.fetched();
          w.learn(outcome.next.map((t) => t.getTime()));
          if (outcome.deliveries > 0) wakeDeliveryLanes(outcome.deliveries);
          log.debug({ ...outcome, next: outcome.next.length, latenessMs: undefined }, 'fired reminders');
        },
        onError: (error) => {
          if (!failing) log.warn({ err: error }, 'a fire batch failed; its jobs stay due and are tried again');
          failing = true;
        },
      });
      fireLoop.start();
      // One pg-boss worker per lane, each woken by its id, their polls spread over the interval.
      deliveryLanes = jobs.workLanes('reminder.deliver', DELIVERY_LANES, {
        batchSize: 1,
        groupConcurrency: DELIVERY_GROUP_LIMIT,
        includeMetadata: true,
        pollingIntervalSeconds: DELIVERY_POLL_SECONDS,
      }, async ([job]) => {
        if (job) await deliver(forkEm(), services, mailer, job as unknown as JobWithMetadata<JobPayloads['reminder.deliver']>);
      });
      await w.start();
    },
    stop() {
      stopping ??= (async () => {
        wakeup?.stop();
        await dueEvents?.return?.();
        await fireLoop?.stop();
        await deliveryLanes?.stop().catch((error) => log.warn({ err: error }, 'offWork reminder.deliver'));
        mailer?.close();
      })();
      return stopping;
    },
  };
}
