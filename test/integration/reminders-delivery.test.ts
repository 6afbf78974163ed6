import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { graphqlData } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createReminder, expire, inMs, nextAbout, subscribe, waitUntilLive, type Account } from '../helpers/reminders.ts';

type Received = { headers: IncomingMessage['headers']; body: string };

/** A webhook receiver on loopback answering with the given statuses in turn (the last one repeats). */
async function receiver(statuses: number[]) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, close: () => new Promise((r) => server.close(r)) };
}

const mails: { to: string; text: string }[] = [];
let smtp: SMTPServer;
let server: TestServer;
let ada: Account & { secret: string };

before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      let text = '';
      stream.on('data', (chunk) => (text += chunk));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), text });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  server = await startTestServer({ env: { SMTP_URL: `smtp://127.0.0.1:${port}`, WEBHOOK_RETRIES: '3', WEBHOOK_RETRY_DELAY_SECONDS: '0' } });
  const account = await server.createAccount('Ada', 'Europe/Paris');
  const me = await graphqlData(server.url, { token: account.token, query: '{ me { webhookSecret } }' });
  ada = { ...account, secret: me.me.webhookSecret };
});
after(async () => {
  await server.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const HISTORY = `query($id: ID!) { reminder(id: $id) { status occurrences { status deliveries { channel status nextAttemptAt
  attempts { attempt outcome error attemptedAt } } } } }`;

/** Statuses heard on reminderUpdated for the reminder until `last` (inclusive). */
async function statusesUntil(subscription: ReturnType<typeof subscribe>['subscription'], id: string, last: string, timeoutMs = 15_000): Promise<string[]> {
  const seen: string[] = [];
  while (seen.at(-1) !== last) seen.push((await nextAbout(subscription, 'reminderUpdated', id, timeoutMs)).status);
  return seen;
}

describe('webhook deliveries', () => {
  test('a receiver that fails twice then succeeds: RETRIED, then SENT, with three recorded attempts and a valid signature', async () => {
    const hook = await receiver([500, 503, 200]);
    const updates = subscribe(server.url, ada, 'subscription { reminderUpdated { id status } }');
    try {
      await waitUntilLive(server.url, ada, [updates.subscription], 'expired');
      const reminder = await createReminder(server.url, ada, { message: 'Hook me', remindAt: inMs(3_600_000), channels: [{ kind: 'WEBHOOK', target: hook.url }] });
      await expire(server.url, ada, reminder.id);
      const statuses = await statusesUntil(updates.subscription, reminder.id, 'SENT');
      assert.deepEqual([...new Set(statuses)], ['PROCESSING', 'RETRIED', 'SENT']);

      assert.equal(hook.received.length, 3);
      for (const [i, { headers, body }] of hook.received.entries()) {
        const expected = `sha256=${createHmac('sha256', ada.secret).update(body).digest('hex')}`;
        assert.equal(headers['x-tickler-signature'], expected, 'signed with the account\'s webhook secret');
        assert.equal(headers['content-type'], 'application/json');
        const json = JSON.parse(body);
        assert.deepEqual([json.reminderId, json.message, json.attempt], [reminder.id, 'Hook me', i + 1]);
        assert.ok(json.occurrenceAt && json.firedAt);
      }
      const history = await graphqlData(server.url, { token: ada.token, query: HISTORY, variables: { id: reminder.id } });
      const occurrence = history.reminder.occurrences[0];
      assert.equal(history.reminder.status, 'SENT');
      assert.equal(occurrence.status, 'SENT');
      assert.deepEqual(occurrence.deliveries[0].attempts.map((a: any) => [a.attempt, a.outcome, a.error]), [
        [1, 'RETRYING', 'HTTP 500'], [2, 'RETRYING', 'HTTP 503'], [3, 'SUCCEEDED', null],
      ]);
    } finally {
      await updates.close();
      await hook.close();
    }
  });

  test('each delivery attempt is heard live on reminderUpdated, with the delivery\'s status, not only the reminder\'s changes', async () => {
    const hook = await receiver([500, 503, 200]);
    const updates = subscribe(server.url, ada, 'subscription { reminderUpdated { id status occurrences { deliveries { status attempts { attempt outcome } } } } }');
    try {
      await waitUntilLive(server.url, ada, [updates.subscription], 'expired');
      const reminder = await createReminder(server.url, ada, { message: 'Watch me', remindAt: inMs(3_600_000), channels: [{ kind: 'WEBHOOK', target: hook.url }] });
      await expire(server.url, ada, reminder.id);
      const heard: string[] = [];
      while (heard.at(-1) !== 'SUCCEEDED:3') {
        const update = await nextAbout(updates.subscription, 'reminderUpdated', reminder.id, 15_000);
        const delivery = update.occurrences[0]?.deliveries[0];
        if (delivery) heard.push(`${delivery.status}:${delivery.attempts.length}`);
      }
      // The second failure leaves the reminder RETRIED as it was: it is heard all the same.
      assert.ok(heard.includes('RETRYING:1') && heard.includes('RETRYING:2'), `every failed attempt was heard: ${heard.join(', ')}`);
    } finally {
      await updates.close();
      await hook.close();
    }
  });

  test('a receiver that always fails ends FAILED after the configured retries; no dead-letter queue keeps a copy', async () => {
    const hook = await receiver([502]);
    const updates = subscribe(server.url, ada, 'subscription { reminderUpdated { id status } }');
    try {
      await waitUntilLive(server.url, ada, [updates.subscription], 'expired');
      const reminder = await createReminder(server.url, ada, { message: 'Never', remindAt: inMs(3_600_000), channels: [{ kind: 'WEBHOOK', target: hook.url }] });
      await expire(server.url, ada, reminder.id);
      const statuses = await statusesUntil(updates.subscription, reminder.id, 'FAILED');
      assert.deepEqual([...new Set(statuses)], ['PROCESSING', 'RETRIED', 'FAILED']);
      assert.equal(hook.received.length, 4, 'one attempt and WEBHOOK_RETRIES=3 retries');
      const history = await graphqlData(server.url, { token: ada.token, query: HISTORY, variables: { id: reminder.id } });
      const delivery = history.reminder.occurrences[0].deliveries[0];
      assert.equal(delivery.status, 'FAILED');
      assert.equal(delivery.attempts.at(-1).outcome, 'FAILED');
      // The FAILED row is the record (redeliver is the way out): nothing piles up in a queue nobody reads.
      assert.equal(await server.app.services!.jobs.boss.getQueue('reminder.deliver.dead'), null);
    } finally {
      await updates.close();
      await hook.close();
    }
  });

  test('a 4xx other than 408/429 fails at once, without retries', async () => {
    const hook = await receiver([410]);
    const updates = subscribe(server.url, ada, 'subscription { reminderUpdated { id status } }');
    try {
      await waitUntilLive(server.url, ada, [updates.subscription], 'expired');
      const reminder = await createReminder(server.url, ada, { message: 'Gone', remindAt: inMs(3_600_000), channels: [{ kind: 'WEBHOOK', target: hook.url }] });
      await expire(server.url, ada, reminder.id);
      assert.deepEqual(await statusesUntil(updates.subscription, reminder.id, 'FAILED'), ['PROCESSING', 'FAILED']);
      assert.equal(hook.received.length, 1);
    } finally {
      await updates.close();
      await hook.close();
    }
  });

  test('cancelling a reminder stops its pending deliveries', async () => {
    const hook = await receiver([500]);
    const updates = subscribe(server.url, ada, 'subscription { reminderUpdated { id status } }');
    try {
      await waitUntilLive(server.url, ada, [updates.subscription], 'expired');
      const reminder = await createReminder(server.url, ada, { message: 'Stop it', remindAt: inMs(3_600_000), channels: [{ kind: 'WEBHOOK', target: hook.url }] });
      await expire(server.url, ada, reminder.id);
      await statusesUntil(updates.subscription, reminder.id, 'RETRIED');
      const cancel = await graphqlData(server.url, { token: ada.token, query: 'mutation($id: ID!) { cancelReminder(id: $id) { ... on CancelReminderPayload { reminder { status } } } }', variables: { id: reminder.id } });
      assert.equal(cancel.cancelReminder.reminder.status, 'CANCELLED');
      const attemptsAtCancel = hook.received.length;
      const history = await graphqlData(server.url, { token: ada.token, query: HISTORY, variables: { id: reminder.id } });
      assert.equal(history.reminder.occurrences[0].deliveries[0].status, 'CANCELLED');
      // Nothing is left to retry. The job is cancelled with the row; if pg-boss was re-queueing it at
      // that very moment (it deletes and re-inserts a failed job), the re-queued job finds the delivery
      // CANCELLED and ends without an attempt. Wait until the queue holds nothing for it.
      const reminderId = Buffer.from(reminder.id, 'base64').toString().split(':')[1];
      const pendingJobs = async () => (await server.app.orm!.em.fork().getConnection().execute(
        `select count(*)::int as n from pgboss.job where name = 'reminder.deliver' and state in ('created', 'retry', 'active') and data->>'deliveryId' in (select d.id::text from reminder_delivery d join reminder_occurrence o on o.id = d.occurrence_id where o.reminder_id = ?)`,
        [reminderId]))[0]?.n as number;
      const deadline = Date.now() + 20_000;
      while ((await pendingJobs()) > 0) {
        assert.ok(Date.now() < deadline, 'the cancelled delivery left the queue');
        await new Promise((resolve) => setTimeout(resolve, 100)); // polling the queue's state, with a deadline
      }
      assert.ok(hook.received.length <= attemptsAtCancel + 1, 'no attempt after the cancellation (one may have been in flight)');
      const after = await graphqlData(server.url, { token: ada.token, query: HISTORY, variables: { id: reminder.id } });
      assert.equal(after.reminder.occurrences[0].deliveries[0].status, 'CANCELLED');
    } finally {
      await updates.close();
      await hook.close();
    }
  });
});

describe('e-mail deliveries', () => {
  test('EMAIL is delivered through SMTP to SMTP_URL, and the reminder ends SENT', async () => {
    const updates = subscribe(server.url, ada, 'subscription { reminderUpdated { id status } }');
    try {
      await waitUntilLive(server.url, ada, [updates.subscription], 'expired');
      const reminder = await createReminder(server.url, ada, { message: 'Mail me', remindAt: inMs(3_600_000), channels: [{ kind: 'EMAIL', target: 'ada@example.com' }] });
      await expire(server.url, ada, reminder.id);
      await statusesUntil(updates.subscription, reminder.id, 'SENT');
      const mail = mails.find((m) => m.text.includes('Mail me'));
      assert.ok(mail, 'the SMTP server received the message');
      assert.equal(mail.to, 'ada@example.com');
    } finally {
      await updates.close();
    }
  });
});
