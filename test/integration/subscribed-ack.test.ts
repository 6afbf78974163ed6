// The opt-in acknowledgement of a graphql-ws subscription (extensions.subscribedAck): one `next`
// without data once the server listens, so that a change made after it always arrives — no probes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { within, wsClient } from '../helpers/clients.ts';
import { createReminder, expire, mutate, type Account } from '../helpers/reminders.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let ada: Account;

before(async () => {
  server = await startTestServer();
  ada = await server.createAccount('Ada', 'Europe/Paris');
});
after(() => server.stop());

/** A subscription on its own socket whose messages (acknowledgement included) are kept in order. */
function listen(query: string, variables: Record<string, unknown>, ack: boolean) {
  const { client } = wsClient(server.url, ada.token);
  const messages: any[] = [];
  const waiters: (() => void)[] = [];
  const stop = client.subscribe({ query, variables, ...(ack ? { extensions: { subscribedAck: true } } : {}) }, {
    next: (value) => {
      messages.push(value);
      for (const wake of waiters.splice(0)) wake();
    },
    error: (error) => messages.push({ error }),
    complete: () => undefined,
  });
  return {
    messages,
    /** Resolves once a message satisfies `predicate`. */
    async until(predicate: (message: any) => boolean, what: string) {
      const found = () => messages.find(predicate);
      await within((async () => {
        while (!found()) await new Promise<void>((resolve) => waiters.push(resolve));
      })(), 10_000, what);
      return found();
    },
    async close() {
      stop();
      await client.dispose();
    },
  };
}

const isAck = (m: any) => m.extensions?.subscribed === true && m.data === undefined;

describe('a subscription acknowledged by the server hears every change made after the acknowledgement', () => {
  test('reminderUpdated (a live, shared execution): the acknowledgement comes first, then a change made right after it', async () => {
    const reminder = await createReminder(server.url, ada, { message: 'Renamed after the ack', remindAt: '2031-05-05T09:00:00.000Z' });
    // Two sockets with the same document share one execution: the second joins it and is acknowledged too.
    const first = listen('subscription { reminderUpdated { id message } }', {}, true);
    const second = listen('subscription { reminderUpdated { id message } }', {}, true);
    try {
      await first.until(isAck, 'the first acknowledgement');
      await second.until(isAck, 'the second acknowledgement');
      await mutate(server.url, ada, 'updateReminder', '$input: UpdateReminderInput!', { input: { id: reminder.id, message: 'Renamed' } });
      for (const listener of [first, second]) {
        await listener.until((m) => m.data?.reminderUpdated?.message === 'Renamed', 'the change');
        assert.ok(isAck(listener.messages[0]), 'the acknowledgement is the first message');
        assert.equal(listener.messages.filter(isAck).length, 1, 'one acknowledgement');
      }
    } finally {
      await first.close();
      await second.close();
    }
  });

  test('reminderExpired, live and with after: (a replay of its own): acknowledged, then the expiry of a reminder fired right after', async () => {
    const query = 'subscription($after: String) { reminderExpired(after: $after) { cursor reminder { id } } }';
    const first = await createReminder(server.url, ada, { message: 'Fired after the ack', remindAt: '2031-05-05T09:00:00.000Z' });
    const live = listen(query, { after: null }, true);
    let cursor: string;
    try {
      await live.until(isAck, 'the acknowledgement');
      await expire(server.url, ada, first.id);
      cursor = (await live.until((m) => m.data?.reminderExpired?.reminder.id === first.id, 'the expiry')).data.reminderExpired.cursor;
    } finally {
      await live.close();
    }
    const second = await createReminder(server.url, ada, { message: 'Fired after the replay\'s ack', remindAt: '2031-05-05T09:00:00.000Z' });
    const replaying = listen(query, { after: cursor }, true);
    try {
      await replaying.until(isAck, 'the acknowledgement of the replay');
      await expire(server.url, ada, second.id);
      await replaying.until((m) => m.data?.reminderExpired?.reminder.id === second.id, 'the expiry after the cursor');
      assert.ok(isAck(replaying.messages[0]));
    } finally {
      await replaying.close();
    }
  });

  test('without asking, a client gets no acknowledgement: its first message is the change itself', async () => {
    const reminder = await createReminder(server.url, ada, { message: 'Not acknowledged', remindAt: '2031-05-05T09:00:00.000Z' });
    const probe = listen('subscription { reminderUpdated { id message } }', {}, true);
    const plain = listen('subscription { reminderUpdated { id } }', {}, false);
    try {
      await probe.until(isAck, 'the probe\'s acknowledgement');
      // The plain subscription may not be listening yet: change the reminder until it hears one.
      for (let i = 0; plain.messages.length === 0; i++) {
        assert.ok(i < 50, 'the plain subscription never heard a change');
        await mutate(server.url, ada, 'updateReminder', '$input: UpdateReminderInput!', { input: { id: reminder.id, message: `Change ${i}` } });
        await probe.until((m) => m.data?.reminderUpdated?.message === `Change ${i}`, `change ${i}`);
        await within(plain.until(() => true, 'a message'), 300, 'a message').catch(() => undefined);
      }
      assert.ok(plain.messages.every((m) => m.data?.reminderUpdated?.id === reminder.id), JSON.stringify(plain.messages));
    } finally {
      await probe.close();
      await plain.close();
    }
  });
});
