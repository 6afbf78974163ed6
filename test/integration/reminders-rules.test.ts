import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { graphql, graphqlData } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { CREATE, EXPIRED, REMINDER, createReminder, expire, inMs, mutate, nextAbout, subscribe, waitUntilLive, type Account } from '../helpers/reminders.ts';

let server: TestServer;
let ada: Account;
let bob: Account;

before(async () => {
  // The firing tests below run SECONDLY rules, which the default MIN_RECURRENCE_SECONDS (60) refuses.
  server = await startTestServer({ env: { MIN_RECURRENCE_SECONDS: '1' } });
  ada = await server.createAccount('Ada', 'Europe/Paris');
  bob = await server.createAccount('Bob', 'America/New_York');
});
after(() => server.stop());

const count = async (sql: string) => (await server.app.orm!.em.fork().getConnection().execute(sql))[0]?.n as number;

async function refused(input: Record<string, unknown>): Promise<string[]> {
  const data = await graphqlData(server.url, { token: ada.token, query: CREATE, variables: { input } });
  assert.equal(data.createReminder.__typename, 'ValidationError', JSON.stringify(data.createReminder));
  return data.createReminder.fieldErrors.map((e: { path: string[] }) => e.path.join('.'));
}

describe('createReminder refuses bad input with a ValidationError naming the field, and writes nothing', () => {
  const soon = () => inMs(3_600_000);
  const cases: [string, () => Record<string, unknown>, string][] = [
    ['an empty message', () => ({ message: '', remindAt: soon() }), 'input.message'],
    ['a whitespace message', () => ({ message: '   \n ', remindAt: soon() }), 'input.message'],
    ['a message over 2,000 characters', () => ({ message: 'x'.repeat(2001), remindAt: soon() }), 'input.message'],
    ['a time in the past', () => ({ message: 'm', remindAt: inMs(-1000) }), 'input.remindAt'],
    ['an unknown time zone', () => ({ message: 'm', remindAt: soon(), timeZone: 'Mars/Olympus' }), 'input.timeZone'],
    ['an RRULE that does not parse', () => ({ message: 'm', remindAt: soon(), recurrence: 'FREQ=SOMETIMES' }), 'input.recurrence'],
    ['an RRULE that never fires again', () => ({ message: 'm', remindAt: soon(), recurrence: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }), 'input.recurrence'],
    ['an invalid webhook URL', () => ({ message: 'm', remindAt: soon(), channels: [{ kind: 'WEBHOOK', target: 'ftp://example.com/x' }] }), 'input.channels.0.target'],
    ['an invalid e-mail address', () => ({ message: 'm', remindAt: soon(), channels: [{ kind: 'EMAIL', target: 'not-an-address' }] }), 'input.channels.0.target'],
    ['EMAIL without SMTP_URL configured', () => ({ message: 'm', remindAt: soon(), channels: [{ kind: 'EMAIL', target: 'ada@example.com' }] }), 'input.channels.0.kind'],
    ['a negative grace period', () => ({ message: 'm', remindAt: soon(), graceSeconds: -1 }), 'input.graceSeconds'],
  ];
  for (const [what, input, path] of cases) {
    test(`${what} → ${path}`, async () => {
      const before = await count('select count(*)::int as n from reminder');
      assert.deepEqual(await refused(input()), [path]);
      assert.equal(await count('select count(*)::int as n from reminder'), before);
      assert.equal(await count(`select count(*)::int as n from pgboss.job where name = 'reminder.fire'`) >= 0, true);
    });
  }

  test('several problems are reported together', async () => {
    assert.deepEqual(await refused({ message: ' ', remindAt: inMs(-1000), timeZone: 'Nowhere' }).then((p) => p.sort()), ['input.message', 'input.timeZone'].sort());
  });

  test('a message is trimmed, and 2,000 characters are accepted', async () => {
    const reminder = await createReminder(server.url, ada, { message: `  ${'y'.repeat(2000)}  `, remindAt: inMs(3_600_000) });
    assert.equal(reminder.message.length, 2000);
  });
});

describe('idempotency', () => {
  test('the same idempotencyKey from the same account returns the first reminder, even when sent concurrently', async () => {
    const input = { message: 'Once', remindAt: inMs(3_600_000), idempotencyKey: 'k-1' };
    const results = await Promise.all(Array.from({ length: 5 }, () => createReminder(server.url, ada, input)));
    assert.equal(new Set(results.map((r) => r.id)).size, 1);
    const again = await createReminder(server.url, ada, { ...input, message: 'Twice' });
    assert.equal(again.id, results[0]!.id);
    assert.equal(again.message, 'Once');
    const bobs = await createReminder(server.url, bob, input);
    assert.notEqual(bobs.id, again.id, 'keys are per account');
    assert.equal(await count(`select count(*)::int as n from reminder where idempotency_key = 'k-1'`), 2);
  });
});

describe('account isolation', () => {
  test('another account\'s reminder is NotFoundError for every mutation, exactly like a missing one, and invisible to queries', async () => {
    const bobs = await createReminder(server.url, bob, { message: 'Bob only', remindAt: inMs(3_600_000) });
    const missing = 'UmVtaW5kZXI6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw';
    for (const id of [bobs.id, missing]) {
      for (const [field, args, variables] of [
        ['cancelReminder', '$id: ID!', { id }],
        ['expireReminder', '$id: ID!', { id }],
        ['updateReminder', '$input: UpdateReminderInput!', { input: { id, message: 'hacked' } }],
        ['snoozeReminder', '$input: SnoozeReminderInput!', { input: { id, minutes: 5 } }],
      ] as const) {
        const result = await mutate(server.url, ada, field, args, variables);
        assert.equal(result.__typename, 'NotFoundError', `${field} on ${id}`);
        assert.equal(result.message, `No reminder with id "${id}"`);
      }
    }
    const data = await graphqlData(server.url, { token: ada.token, query: `query($id: ID!) { reminder(id: $id) { id } node(id: $id) { id } reminders(first: 1000) { edges { node { id } } } }`, variables: { id: bobs.id } });
    assert.equal(data.reminder, null);
    assert.equal(data.node, null);
    assert.ok(!data.reminders.edges.some((e: { node: { id: string } }) => e.node.id === bobs.id));
    const stillBobs = await graphqlData(server.url, { token: bob.token, query: `query($id: ID!) { reminder(id: $id) { message status } }`, variables: { id: bobs.id } });
    assert.deepEqual(stillBobs.reminder, { message: 'Bob only', status: 'SCHEDULED' });
  });

  test('subscriptions carry only the viewer\'s account\'s events', async () => {
    const adaHears = subscribe(server.url, ada, `subscription { ${EXPIRED} }`);
    const bobHears = subscribe(server.url, bob, `subscription { ${EXPIRED} }`);
    const adaCreated = subscribe(server.url, ada, `subscription { reminderCreated { id } }`);
    try {
      await waitUntilLive(server.url, ada, [adaHears.subscription], 'expired');
      await waitUntilLive(server.url, bob, [bobHears.subscription], 'expired');
      await waitUntilLive(server.url, ada, [adaCreated.subscription], 'created');
      const bobs = await createReminder(server.url, bob, { message: 'Bob secret', remindAt: inMs(3_600_000) });
      await expire(server.url, bob, bobs.id);
      await nextAbout(bobHears.subscription, 'reminderExpired', bobs.id);
      const adas = await createReminder(server.url, ada, { message: 'Ada public', remindAt: inMs(3_600_000) });
      await expire(server.url, ada, adas.id);
      // Everything Ada hears until her own reminder's events (probes included) is hers: Bob's never reach her.
      const heard = async (subscription: typeof adaHears.subscription, field: string) => {
        const ids: string[] = [];
        for (;;) {
          const message = await subscription.next();
          const value = message.data?.[field];
          const id = value.reminder?.id ?? value.id;
          ids.push(id);
          if (id === adas.id) return ids;
        }
      };
      for (const ids of [await heard(adaCreated.subscription, 'reminderCreated'), await heard(adaHears.subscription, 'reminderExpired')]) {
        assert.ok(!ids.includes(bobs.id), 'Ada never hears of Bob\'s reminder');
      }
    } finally {
      await Promise.all([adaHears.close(), bobHears.close(), adaCreated.close()]);
    }
  });
});

describe('scheduling', () => {
  test('a reminder fires on its own at its time, within tens of milliseconds', async () => {
    const listener = subscribe(server.url, ada, `subscription { ${EXPIRED} }`);
    try {
      await waitUntilLive(server.url, ada, [listener.subscription], 'expired');
      const remindAt = inMs(1000);
      const reminder = await createReminder(server.url, ada, { message: 'On time', remindAt });
      const expired = await nextAbout(listener.subscription, 'reminderExpired', reminder.id, 5000);
      assert.equal(expired.occurrenceAt, new Date(remindAt).toISOString());
      // Precise lateness is the benchmark's business (npm run bench fire); this only shows the wake-up
      // timer at work: pg-boss's polling alone would take up to a whole second.
      assert.ok(expired.latenessMs >= 0 && expired.latenessMs < 750, `fired ${expired.latenessMs} ms late`);
    } finally {
      await listener.close();
    }
  });

  test('cancel and reschedule never fire the old time; a cancelled reminder stays CANCELLED', async () => {
    const listener = subscribe(server.url, ada, `subscription { ${EXPIRED} }`);
    try {
      await waitUntilLive(server.url, ada, [listener.subscription], 'expired');
      // Times leave room for the requests below to finish before the old times come, even on a busy machine.
      const cancelled = await createReminder(server.url, ada, { message: 'Cancelled', remindAt: inMs(1500) });
      const moved = await createReminder(server.url, ada, { message: 'Moved', remindAt: inMs(1500) });
      const marker = await createReminder(server.url, ada, { message: 'Marker', remindAt: inMs(2500) });
      const cancel = await mutate(server.url, ada, 'cancelReminder', '$id: ID!', { id: cancelled.id }, '... on CancelReminderPayload { reminder { status } }');
      assert.equal(cancel.reminder.status, 'CANCELLED');
      const newTime = inMs(3500);
      const update = await mutate(server.url, ada, 'updateReminder', '$input: UpdateReminderInput!', { input: { id: moved.id, remindAt: newTime } }, '... on UpdateReminderPayload { reminder { remindAt status } }');
      assert.equal(update.reminder.remindAt, new Date(newTime).toISOString());
      // The marker (due after both old times) comes first; then the moved one at its new time only.
      const first = await listener.subscription.next(6000);
      assert.equal(first.data?.reminderExpired.reminder.id, marker.id);
      const second = await listener.subscription.next(6000);
      assert.equal(second.data?.reminderExpired.reminder.id, moved.id);
      assert.equal(second.data?.reminderExpired.occurrenceAt, new Date(newTime).toISOString());
      assert.equal(await count(`select count(*)::int as n from reminder_occurrence o join reminder r on r.id = o.reminder_id where r.message in ('Cancelled', 'Moved')`), 1);
      const again = await expire(server.url, ada, cancelled.id);
      assert.equal(again.__typename, 'ValidationError');
    } finally {
      await listener.close();
    }
  });

  test('snooze: the occurrence fires again later; minutes ≤ 0, a past until, or both/neither are refused', async () => {
    const listener = subscribe(server.url, ada, `subscription { ${EXPIRED} }`);
    try {
      await waitUntilLive(server.url, ada, [listener.subscription], 'expired');
      const reminder = await createReminder(server.url, ada, { message: 'Snoozy', remindAt: inMs(3_600_000) });
      await expire(server.url, ada, reminder.id);
      await nextAbout(listener.subscription, 'reminderExpired', reminder.id);
      const snooze = (input: Record<string, unknown>) => mutate(server.url, ada, 'snoozeReminder', '$input: SnoozeReminderInput!', { input: { id: reminder.id, ...input } }, '... on SnoozeReminderPayload { reminder { status remindAt } }');
      for (const [input, path] of [[{ minutes: 0 }, 'input.minutes'], [{ minutes: -5 }, 'input.minutes'], [{ until: inMs(-1000) }, 'input.until'], [{}, 'input.until'], [{ minutes: 1, until: inMs(60_000) }, 'input.minutes']] as const) {
        const result = await snooze(input);
        assert.equal(result.__typename, 'ValidationError', JSON.stringify(input));
        assert.deepEqual(result.fieldErrors.map((e: { path: string[] }) => e.path.join('.')), [path]);
      }
      const until = inMs(1000);
      const snoozed = await snooze({ until });
      assert.equal(snoozed.reminder.status, 'SCHEDULED');
      const again = await nextAbout(listener.subscription, 'reminderExpired', reminder.id, 5000);
      assert.equal(again.occurrenceAt, new Date(until).toISOString());
    } finally {
      await listener.close();
    }
  });

  test('update validates like create and names the field', async () => {
    const reminder = await createReminder(server.url, ada, { message: 'Edit me', remindAt: inMs(3_600_000) });
    const update = (input: Record<string, unknown>) => mutate(server.url, ada, 'updateReminder', '$input: UpdateReminderInput!', { input: { id: reminder.id, ...input } }, '... on UpdateReminderPayload { reminder { message recurrence } }');
    for (const [input, path] of [[{ message: ' ' }, 'input.message'], [{ remindAt: inMs(-5000) }, 'input.remindAt'], [{ timeZone: 'Atlantis/Capital' }, 'input.timeZone'], [{ recurrence: 'FREQ=DAILY;COUNT=0' }, 'input.recurrence']] as const) {
      const result = await update(input);
      assert.equal(result.__typename, 'ValidationError');
      assert.deepEqual(result.fieldErrors.map((e: { path: string[] }) => e.path.join('.')), [path]);
    }
    const ok = await update({ message: 'Edited', recurrence: 'FREQ=WEEKLY' });
    assert.deepEqual(ok.reminder, { message: 'Edited', recurrence: 'FREQ=WEEKLY' });
  });

  test('FREQ=SECONDLY;COUNT=3 fires three times, one second apart, then is SENT', async () => {
    const listener = subscribe(server.url, ada, `subscription { ${EXPIRED} }`);
    try {
      await waitUntilLive(server.url, ada, [listener.subscription], 'expired');
      const start = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000);
      const reminder = await createReminder(server.url, ada, { message: 'Thrice', remindAt: start.toISOString(), recurrence: 'FREQ=SECONDLY;COUNT=3' });
      const times: string[] = [];
      for (let i = 0; i < 3; i++) times.push((await nextAbout(listener.subscription, 'reminderExpired', reminder.id, 4000)).occurrenceAt);
      assert.deepEqual(times, [0, 1, 2].map((s) => new Date(start.getTime() + s * 1000).toISOString()));
      await assert.rejects(nextAbout(listener.subscription, 'reminderExpired', reminder.id, 1500), /no (reminderExpired|subscription) message/);
      const data = await graphqlData(server.url, { token: ada.token, query: `query($id: ID!) { reminder(id: $id) { status remindAt occurrences { status } } }`, variables: { id: reminder.id } });
      assert.equal(data.reminder.status, 'SENT');
      assert.equal(data.reminder.occurrences.length, 3);
    } finally {
      await listener.close();
    }
  });
});

describe('reminders(status, first, after)', () => {
  test('pages by remindAt then id with a keyset cursor, filters by status, and refuses a first outside 0..5000', async () => {
    const carol = await server.createAccount('Carol', 'UTC');
    const base = Date.now() + 7_200_000;
    for (let i = 0; i < 5; i++) await createReminder(server.url, carol, { message: `r${i}`, remindAt: new Date(base + (4 - i) * 60_000).toISOString() });
    const page = (first: number, after?: string) => graphqlData(server.url, {
      token: carol.token,
      query: 'query($first: Int, $after: String) { reminders(first: $first, after: $after) { edges { cursor node { message } } pageInfo { hasNextPage endCursor } } }',
      variables: { first, after },
    });
    const one = await page(2);
    assert.deepEqual(one.reminders.edges.map((e: any) => e.node.message), ['r4', 'r3']);
    assert.equal(one.reminders.pageInfo.hasNextPage, true);
    const two = await page(5, one.reminders.pageInfo.endCursor);
    assert.deepEqual(two.reminders.edges.map((e: any) => e.node.message), ['r2', 'r1', 'r0']);
    assert.equal(two.reminders.pageInfo.hasNextPage, false);
    const first = await graphqlData(server.url, { token: carol.token, query: '{ reminders(status: SCHEDULED) { edges { node { id } } } }' });
    assert.equal(first.reminders.edges.length, 5);
    const none = await graphqlData(server.url, { token: carol.token, query: '{ reminders(status: CANCELLED) { edges { node { id } } } }' });
    assert.equal(none.reminders.edges.length, 0);
    for (const first of [-1, 5001]) {
      const refused = await graphql(server.url, { token: carol.token, query: `{ reminders(first: ${first}) { edges { cursor } } }` });
      assert.match(refused.errors?.[0]?.message ?? '', /first must be between 0 and 5000/);
    }
    // Backward, as the console's "Latest first" reads: the latest two, then the rest, each page in remindAt order.
    const back = (last: number, before?: string) => graphqlData(server.url, {
      token: carol.token,
      query: 'query($last: Int, $before: String) { reminders(last: $last, before: $before) { edges { node { message } } pageInfo { hasPreviousPage hasNextPage startCursor } } }',
      variables: { last, before },
    });
    const latest = await back(2);
    assert.deepEqual(latest.reminders.edges.map((e: any) => e.node.message), ['r1', 'r0']);
    assert.deepEqual([latest.reminders.pageInfo.hasPreviousPage, latest.reminders.pageInfo.hasNextPage], [true, false]);
    const earlier = await back(5, latest.reminders.pageInfo.startCursor);
    assert.deepEqual(earlier.reminders.edges.map((e: any) => e.node.message), ['r4', 'r3', 'r2']);
    assert.deepEqual([earlier.reminders.pageInfo.hasPreviousPage, earlier.reminders.pageInfo.hasNextPage], [false, true]);
    const mixed = await graphql(server.url, { token: carol.token, query: '{ reminders(first: 1, last: 1) { edges { cursor } } }' });
    assert.match(mixed.errors?.[0]?.message ?? '', /first\/after or last\/before, not both/);
    const full = await graphqlData(server.url, {
      token: carol.token,
      query: '{ reminders(first: 5000) { edges { cursor node { id message remindAt timeZone recurrence status firedAt createdAt updatedAt } } pageInfo { hasNextPage endCursor } } }',
    });
    assert.equal(full.reminders.edges.length, 5, 'a full page of 5000 passes the query cost limit');
  });

  test('REMINDER fields are exposed as the contract says', async () => {
    const reminder = await createReminder(server.url, ada, { message: 'Fields', remindAt: inMs(3_600_000), timeZone: 'Asia/Tokyo', recurrence: 'FREQ=DAILY;COUNT=2', graceSeconds: 30 });
    const data = await graphqlData(server.url, { token: ada.token, query: `query($id: ID!) { reminder(id: $id) { ${REMINDER} createdAt updatedAt } }`, variables: { id: reminder.id } });
    assert.equal(data.reminder.timeZone, 'Asia/Tokyo');
    assert.equal(data.reminder.recurrence, 'FREQ=DAILY;COUNT=2');
    assert.equal(data.reminder.graceSeconds, 30);
    assert.equal(data.reminder.firedAt, null);
  });
});
