// Fairness between accounts: one account's hanging webhook receivers, or its burst of reminders, do
// not delay another account's reminder. Real server, real pg-boss, receivers on loopback.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer } from '../helpers/server.ts';
import { createBurst, expiryCursor, hearAll } from '../helpers/bursts.ts';
import { createReminder } from '../helpers/reminders.ts';
import { graphqlData, within } from '../helpers/clients.ts';
import { ics, startIcsServer } from '../helpers/ics-server.ts';
import { FEED_GROUP_LIMIT } from '../../src/feeds/feed-sync.job.ts';
import { DELIVERY_GROUP_LIMIT } from '../../src/reminders/worker.ts';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** A receiver on loopback; `hang` holds every request open (never answers). */
async function receiver(hang: boolean) {
  const arrivals: number[] = [];
  const open = new Set<ServerResponse>();
  let maxOpen = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.push(Date.now());
      for (const w of waiters.filter((w) => arrivals.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      if (!hang) return void res.end();
      open.add(res);
      maxOpen = Math.max(maxOpen, open.size);
      res.on('close', () => open.delete(res));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => {
    server.close(resolve);
    server.closeAllConnections();
  }));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrivals,
    get maxOpen() {
      return maxOpen;
    },
    /** Resolves with the arrival time of request number `count` (1-based). */
    arrived: (count: number) => new Promise<number>((resolve) => {
      if (arrivals.length >= count) return resolve(arrivals[count - 1]!);
      waiters.push({ count, resolve: () => resolve(arrivals[count - 1]!) });
    }),
  };
}

test('an account whose 40 webhook receivers hang does not delay another account\'s delivery due at the same instant', { timeout: 120_000 }, async () => {
  const server = await startTestServer({ env: { WEBHOOK_RETRIES: '1', WEBHOOK_RETRY_DELAY_SECONDS: '30' } });
  cleanups.push(() => server.stop());
  const [a, b] = [await server.createAccount('Noisy'), await server.createAccount('Quiet')];
  const [hanging, answering] = [await receiver(true), await receiver(false)];

  const { dueAt } = await createBurst(server.url, a, 40, { channels: [{ kind: 'WEBHOOK', target: hanging.url }] }, 2000);
  await createReminder(server.url, b, { message: 'quiet one', remindAt: new Date(dueAt).toISOString(), channels: [{ kind: 'WEBHOOK', target: answering.url }] });

  const arrivedAt = await within(answering.arrived(1), 15_000, 'the quiet account\'s webhook');
  const lateMs = arrivedAt - dueAt;
  // The noisy account fills its share of lanes, and no more while they hang.
  await within(hanging.arrived(DELIVERY_GROUP_LIMIT), 15_000, 'the noisy account\'s requests');
  console.log(`# quiet account's webhook arrived ${lateMs} ms after its due time; the noisy account had ${hanging.arrivals.length} requests open (at most ${hanging.maxOpen} at once)`);
  assert.ok(lateMs <= 2000, `the quiet account's delivery arrived ${lateMs} ms after it was due`);
  // pg-boss counts a group's active jobs when a lane fetches, so lanes fetching at the same moment can
  // each take a slot the other has not yet marked: the share holds to within one fetch round, not exactly.
  assert.ok(hanging.maxOpen <= 2 * DELIVERY_GROUP_LIMIT, `the noisy account had ${hanging.maxOpen} deliveries in flight at once`);
  assert.ok(hanging.arrivals.length >= 1, 'the noisy account\'s deliveries ran too');
});

test('a burst of 3,000 of one account\'s reminders does not hold back another account\'s reminder due at the same instant beyond the batches due before it', { timeout: 300_000 }, async () => {
  const server = await startTestServer({ env: { REMINDER_BATCH_SIZE: '500' } });
  cleanups.push(() => server.stop());
  const [a, b] = [await server.createAccount('Burst'), await server.createAccount('Single')];
  const cursorA = await expiryCursor(server.url, a);
  const cursorB = await expiryCursor(server.url, b);
  const burst = await createBurst(server.url, a, 3000, {}, 3000);
  const single = await createReminder(server.url, b, { message: 'single', remindAt: new Date(burst.dueAt).toISOString() });
  // Where B's fire job stands in the claim order (start_after, id): the same instant for all, so by id.
  const [{ ahead }] = await server.app.orm!.em.fork().getConnection().execute<{ ahead: string }[]>(`
    select count(*) as ahead from reminder a, reminder b where a.message like 'burst %' and b.message = 'single' and a.job_id < b.job_id`) as [{ ahead: string }];
  const [heardA, [heardB]] = await Promise.all([
    hearAll(server.url, a, burst.ids, cursorA, 120_000),
    hearAll(server.url, b, [single.id], cursorB, 120_000),
  ]);
  assert.equal(heardA.length, 3000);
  // Due-time order: ties (one instant) are claimed in job-id order, a random uuid, so B's job has a
  // uniform place among A's 3,000; it waits for the jobs before it, and for no more than the batches
  // in flight beside its own (2 lanes of 500), never for those after.
  const before = heardA.filter((h) => h.latenessMs < heardB!.latenessMs).length;
  const lastA = Math.max(...heardA.map((h) => h.latenessMs));
  console.log(`# B fired ${heardB!.latenessMs} ms late, after ${before} of A's 3,000 (${ahead} ahead of it in claim order); the last of A ${lastA} ms late`);
  assert.ok(before <= Number(ahead) + 2 * 500, `B fired after ${before} of A's reminders, ${ahead} ahead of it in claim order`);
  assert.ok(heardB!.latenessMs <= lastA + 250, 'B fired no later than the burst it was due in');
});

test('an account whose 40 feeds hang does not delay another account\'s scheduled feed refresh', { timeout: 180_000 }, async () => {
  const server = await startTestServer({ env: { FEED_TIMEOUT_SECONDS: '30' } });
  cleanups.push(() => server.stop());
  const feeds = await startIcsServer();
  cleanups.push(() => feeds.close());
  const [a, b] = [await server.createAccount('Slow feeds'), await server.createAccount('One feed')];
  const subscribeFeed = async (token: string, path: string) => {
    feeds.set(path, { body: ics([]) });
    const data = await graphqlData(server.url, {
      token,
      query: 'mutation($input: SubscribeCalendarFeedInput!) { subscribeCalendarFeed(input: $input) { __typename } }',
      variables: { input: { url: feeds.url(path) } },
    });
    assert.equal(data.subscribeCalendarFeed.__typename, 'SubscribeCalendarFeedPayload');
  };
  for (let i = 0; i < 40; i++) await subscribeFeed(a.token, `/a${i}.ics`);
  await subscribeFeed(b.token, '/b.ics');
  // From now on A's server hangs (until the test ends); B's answers.
  let unhold!: () => void;
  const hold = new Promise<void>((resolve) => (unhold = resolve));
  cleanups.push(async () => unhold());
  for (let i = 0; i < 40; i++) feeds.set(`/a${i}.ics`, { body: ics([]), hold });

  // Every feed's next sync falls due now: their jobs become due at once (B's, created last, is last in
  // pg-boss's fetch order).
  const sql = server.app.orm!.em.fork().getConnection();
  await sql.execute(`update calendar_feed set next_sync_at = now()`);
  await sql.execute(`update pgboss.job set start_after = now() where name = 'calendar.feed.sync' and state = 'created'`);
  const dueAt = Date.now();
  const deadline = dueAt + 20_000;
  while (feeds.requests('/b.ics').length < 2) {
    if (Date.now() > deadline) throw new Error('B\'s feed was not refreshed');
    await new Promise((resolve) => setTimeout(resolve, 20)); // polling the recorder: it has no event to wait on
  }
  const lateMs = Date.now() - dueAt;
  const aHeld = Array.from({ length: 40 }, (_, i) => feeds.requests(`/a${i}.ics`).filter((r) => r.status === 0).length).reduce((x, y) => x + y, 0);
  console.log(`# B's feed was refreshed ${lateMs} ms after it fell due, with ${aHeld} of A's syncs hanging`);
  assert.ok(lateMs < 5000, `B's refresh came ${lateMs} ms after it was due`);
  assert.ok(aHeld <= FEED_GROUP_LIMIT, `${aHeld} of A's syncs ran at once`);
});
