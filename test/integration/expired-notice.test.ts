import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createReminder, expire, nextAbout, subscribe, waitUntilLive, type Account } from '../helpers/reminders.ts';
import { decodeCursor, encodeCursor } from '../../src/reminders/streams.ts';

let server: TestServer;
let ada: Account;

before(async () => {
  server = await startTestServer();
  ada = await server.createAccount('Ada', 'Europe/Paris');
});
after(() => server.stop());

const FIELDS = `cursor occurrenceAt firedAt latenessMs reminder {
  id message remindAt timeZone recurrence status firedAt failureReason graceSeconds channels { kind target } createdAt updatedAt }`;

describe('an expiry carried whole by its notice', () => {
  test('reads exactly as the same expiry replayed from the database, for a one-shot and a recurring reminder', async () => {
    const live = subscribe(server.url, ada, `subscription { reminderExpired { ${FIELDS} } }`);
    const notices: { t: string; d: { occurrenceIds: string[]; rows?: unknown[] } }[] = [];
    const listener = new pg.Client({ connectionString: server.db.url });
    await listener.connect();
    listener.on('notification', (message) => {
      const wire = JSON.parse(message.payload ?? '{}');
      if (String(wire.t).startsWith('reminder:expired:')) notices.push(wire);
    });
    await listener.query('LISTEN tickler_events');
    try {
      await waitUntilLive(server.url, ada, [live.subscription], 'expired');
      const once = await createReminder(server.url, ada, { message: 'Water the plants 🌱', remindAt: '2031-03-04T09:00:00.000Z', graceSeconds: 600 });
      const daily = await createReminder(server.url, ada, { message: 'Stand-up', remindAt: '2031-03-04T08:30:00.000Z', recurrence: 'FREQ=DAILY;COUNT=3', timeZone: 'America/New_York' });
      for (const reminder of [once, daily]) {
        await expire(server.url, ada, reminder.id);
        const heard = await nextAbout(live.subscription, 'reminderExpired', reminder.id);
        // The same occurrence, read back by the replay (reminderExpired(after:) loads from the database).
        const before = encodeCursor(String(decodeCursor(heard.cursor)! - 1n));
        const replay = subscribe(server.url, ada, `subscription($after: String) { reminderExpired(after: $after) { ${FIELDS} } }`, { after: before });
        try {
          const replayed = await nextAbout(replay.subscription, 'reminderExpired', reminder.id);
          assert.deepEqual(heard, replayed);
        } finally {
          await replay.close();
        }
        assert.equal(heard.reminder.status, reminder === once ? 'SENT' : 'SCHEDULED');
      }
      // And it was the notice that carried them: the fast path was taken, not a load.
      const carried = notices.filter((notice) => notice.d.rows?.length === 1);
      assert.ok(carried.length >= 2, `notices with their expiry: ${JSON.stringify(notices.map((n) => n.d))}`);
    } finally {
      await listener.end();
      await live.close();
    }
  });
});
