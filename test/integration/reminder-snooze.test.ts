import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { graphqlData } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { EXPIRED, createReminder, expire, inMs, mutate, nextAbout, subscribe, waitUntilLive, type Account } from '../helpers/reminders.ts';

let server: TestServer;
let ada: Account;
/** The API's clock while set (snooze reads it); the workers keep the database's time. */
let clock: Date | null = null;

before(async () => {
  server = await startTestServer({ now: () => clock ?? new Date() });
  ada = await server.createAccount('Ada', 'Europe/Paris');
});
after(() => server.stop());

// A weekly series on Mondays far ahead: nothing here depends on today's weekday.
const FIRST = '2031-06-02T07:00:00.000Z';
const SECOND = '2031-06-09T07:00:00.000Z';
const THIRD = '2031-06-16T07:00:00.000Z';

const snooze = (id: string, input: Record<string, unknown>) =>
  mutate(server.url, ada, 'snoozeReminder', '$input: SnoozeReminderInput!', { input: { id, ...input } }, '... on SnoozeReminderPayload { reminder { status remindAt } }');
const remindAt = async (id: string) =>
  (await graphqlData(server.url, { token: ada.token, query: 'query($id: ID!) { reminder(id: $id) { remindAt } }', variables: { id } })).reminder.remindAt;

describe('snoozing a recurring reminder never drops an occurrence', () => {
  test('before it fires, a snooze moves the next occurrence later, never earlier, and the series continues after it', async () => {
    const reminder = await createReminder(server.url, ada, { message: 'Weekly', remindAt: FIRST, recurrence: 'FREQ=WEEKLY;BYDAY=MO', timeZone: 'UTC' });
    const early = await snooze(reminder.id, { minutes: 10 });
    assert.equal(early.reminder.remindAt, FIRST, 'a 10-minute snooze days ahead of the occurrence leaves it where it is');
    const later = '2031-06-03T09:30:00.000Z';
    assert.equal((await snooze(reminder.id, { until: later })).reminder.remindAt, later);
    assert.equal((await snooze(reminder.id, { minutes: 10 })).reminder.remindAt, FIRST, 'a second snooze is still never earlier than the occurrence');
    assert.equal((await snooze(reminder.id, { until: later })).reminder.remindAt, later);
    await expire(server.url, ada, reminder.id);
    await waitFor(async () => (await remindAt(reminder.id)) === SECOND, `next is ${SECOND}`);
  });

  test('after a firing, a snooze fires that occurrence again at until, and the series\' next is unchanged', async () => {
    const listener = subscribe(server.url, ada, `subscription { ${EXPIRED} }`);
    try {
      await waitUntilLive(server.url, ada, [listener.subscription], 'expired');
      const reminder = await createReminder(server.url, ada, { message: 'Fired weekly', remindAt: FIRST, recurrence: 'FREQ=WEEKLY;BYDAY=MO', timeZone: 'UTC' });
      await expire(server.url, ada, reminder.id);
      await nextAbout(listener.subscription, 'reminderExpired', reminder.id, 10_000);
      await waitFor(async () => (await remindAt(reminder.id)) === SECOND, `next is ${SECOND} after the first firing`);
      // The firing above (expireReminder) consumed the Monday days early: snoozing it twice still fires it again soon.
      const soon = Date.now();
      for (let i = 0; i < 2; i++) {
        const snoozed = new Date((await snooze(reminder.id, { minutes: 10 })).reminder.remindAt).getTime();
        assert.ok(snoozed >= soon + 600_000 && snoozed < Date.now() + 600_000 + 1000, `snooze ${i + 1} is 10 minutes from now`);
      }
      const until = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000).toISOString();
      assert.equal((await snooze(reminder.id, { until })).reminder.remindAt, until);
      const again = await nextAbout(listener.subscription, 'reminderExpired', reminder.id, 10_000);
      assert.equal(again.occurrenceAt, until);
      await waitFor(async () => (await remindAt(reminder.id)) === SECOND, `next is still ${SECOND} after the snoozed firing`);
      // A snooze past the series' next instant delivers it with the snoozed firing; the series goes on after it.
      await snooze(reminder.id, { until: '2031-06-10T07:00:00.000Z' });
      await expire(server.url, ada, reminder.id);
      await nextAbout(listener.subscription, 'reminderExpired', reminder.id, 10_000);
      await waitFor(async () => (await remindAt(reminder.id)) === THIRD, `next is ${THIRD}`);
    } finally {
      await listener.close();
    }
  });

  test('a one-shot reminder that has not fired is snoozed later, never earlier', async () => {
    const at = inMs(3 * 86_400_000);
    const reminder = await createReminder(server.url, ada, { message: 'Once', remindAt: at });
    assert.equal((await snooze(reminder.id, { minutes: 10 })).reminder.remindAt, new Date(at).toISOString());
  });
});

describe('a snooze repeats the occurrence that fired only while it is current, else it is the next one\'s', () => {
  // Each reminder's Monday occurrence is fired days early by expireReminder; the API's clock is then
  // set around that Monday (a fired occurrence counts from the later of its due time and its firing).
  const firedWeekly = async (message: string, listener: ReturnType<typeof subscribe>) => {
    const reminder = await createReminder(server.url, ada, { message, remindAt: FIRST, recurrence: 'FREQ=WEEKLY;BYDAY=MO', timeZone: 'UTC' });
    await expire(server.url, ada, reminder.id);
    await nextAbout(listener.subscription, 'reminderExpired', reminder.id, 10_000);
    // The firing commits the next occurrence with the expiry it publishes.
    assert.equal(await remindAt(reminder.id), SECOND);
    return reminder;
  };
  const snoozeAt = async (now: string, id: string, input: Record<string, unknown>) => {
    clock = new Date(now);
    try {
      return await snooze(id, input);
    } finally {
      clock = null;
    }
  };

  test('on Thursday, a weekly reminder that fired on Monday snoozes next Monday\'s: never earlier, later when asked, none dropped', async () => {
    const listener = subscribe(server.url, ada, `subscription { ${EXPIRED} }`);
    try {
      await waitUntilLive(server.url, ada, [listener.subscription], 'expired');
      const reminder = await firedWeekly('Weekly, snoozed on Thursday', listener);
      const thursday = '2031-06-05T10:00:00.000Z';
      const tenMinutes = await snoozeAt(thursday, reminder.id, { minutes: 10 });
      assert.equal(tenMinutes.reminder.remindAt, SECOND, 'Monday\'s message is not repeated on Thursday; next Monday is not moved earlier');
      const tuesday = '2031-06-10T09:00:00.000Z';
      const later = await snoozeAt(thursday, reminder.id, { until: tuesday });
      assert.equal(later.reminder.remindAt, tuesday, 'next Monday\'s occurrence moves to Tuesday');
      await expire(server.url, ada, reminder.id);
      await nextAbout(listener.subscription, 'reminderExpired', reminder.id, 10_000);
      assert.equal(await remindAt(reminder.id), THIRD, 'the series goes on the Monday after, unchanged');
    } finally {
      await listener.close();
    }
  });

  test('5 minutes after its Monday occurrence, the snooze repeats Monday\'s; 24 hours after it, the next occurrence is snoozed instead', async () => {
    const listener = subscribe(server.url, ada, `subscription { ${EXPIRED} }`);
    try {
      await waitUntilLive(server.url, ada, [listener.subscription], 'expired');
      const current = await firedWeekly('Weekly, snoozed at once', listener);
      const repeated = await snoozeAt('2031-06-02T07:05:00.000Z', current.id, { minutes: 10 });
      assert.equal(repeated.reminder.remindAt, '2031-06-02T07:15:00.000Z', 'Monday\'s occurrence fires again in 10 minutes');
      const lastMoment = await firedWeekly('Weekly, snoozed just under a day later', listener);
      assert.equal((await snoozeAt('2031-06-03T06:59:00.000Z', lastMoment.id, { minutes: 10 })).reminder.remindAt, '2031-06-03T07:09:00.000Z');
      const dayLater = await firedWeekly('Weekly, snoozed a day later', listener);
      assert.equal((await snoozeAt('2031-06-03T07:00:00.000Z', dayLater.id, { minutes: 10 })).reminder.remindAt, SECOND);
    } finally {
      await listener.close();
    }
  });
});

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
