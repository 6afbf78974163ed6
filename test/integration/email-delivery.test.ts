// E-mail exactly as promised: an SMTP server that never answers fails the attempt within the SMTP
// timeouts (set small here through SMTP_URL's query), and a delivery job handed out a second time
// while its first attempt is in flight sends one e-mail.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { startTestServer } from '../helpers/server.ts';
import { createReminder, expire, inMs, nextAbout, subscribe, waitUntilLive } from '../helpers/reminders.ts';
import { graphqlData, within } from '../helpers/clients.ts';
import { decodeId } from '../../src/graphql/ids.ts';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

const HISTORY = 'query($id: ID!) { reminder(id: $id) { status occurrences { deliveries { id status attempts { attempt outcome error attemptedAt } } } } }';

test('an SMTP server that accepts the connection and never answers fails the attempt within the greeting timeout', { timeout: 60_000 }, async () => {
  const sockets = new Set<Socket>();
  const silent = createTcpServer((socket) => {
    sockets.add(socket); // accepted, never a byte of greeting
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => {
    for (const socket of sockets) socket.destroy();
    silent.close(resolve);
  }));
  const port = (silent.address() as AddressInfo).port;
  const server = await startTestServer({ env: {
    SMTP_URL: `smtp://127.0.0.1:${port}?connectionTimeout=1000&greetingTimeout=1000&socketTimeout=1000`,
    WEBHOOK_RETRIES: '1', WEBHOOK_RETRY_DELAY_SECONDS: '60',
  } });
  cleanups.push(() => server.stop());
  const account = await server.createAccount('Mail');
  const updates = subscribe(server.url, account, 'subscription { reminderUpdated { id status } }');
  cleanups.push(() => updates.close());
  await waitUntilLive(server.url, account, [updates.subscription], 'expired');
  const reminder = await createReminder(server.url, account, { message: 'Nobody answers', remindAt: inMs(3_600_000), channels: [{ kind: 'EMAIL', target: 'x@example.com' }] });
  const started = Date.now();
  await expire(server.url, account, reminder.id);
  for (let status = ''; status !== 'RETRIED';) status = (await nextAbout(updates.subscription, 'reminderUpdated', reminder.id, 20_000)).status;
  const tookMs = Date.now() - started;
  const history = (await graphqlData(server.url, { token: account.token, query: HISTORY, variables: { id: reminder.id } })).reminder;
  const [attempt] = history.occurrences[0].deliveries[0].attempts;
  console.log(`# the attempt failed ${tookMs} ms after the expiry: ${attempt.error}`);
  assert.equal(attempt.outcome, 'RETRYING');
  assert.match(attempt.error, /greeting/i);
  assert.ok(tookMs < 8000, `the attempt took ${tookMs} ms with a 1 s greeting timeout`);
});

test('a delivery job handed out again while its first attempt is in flight sends one e-mail', { timeout: 90_000 }, async () => {
  const mails: string[] = [];
  let release: (() => void) | undefined;
  let holding: (() => void) | undefined;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, _session, callback) {
      let text = '';
      stream.on('data', (chunk) => (text += chunk));
      stream.on('end', () => {
        mails.push(text);
        // The first message is held (no answer to DATA yet) until the test lets it go.
        if (mails.length === 1) {
          release = () => callback();
          holding!();
        } else callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
  const port = (smtp.server.address() as AddressInfo).port;
  const server = await startTestServer({ env: { SMTP_URL: `smtp://127.0.0.1:${port}`, WEBHOOK_RETRIES: '3', WEBHOOK_RETRY_DELAY_SECONDS: '0' } });
  cleanups.push(() => server.stop());
  const account = await server.createAccount('Mail');
  const updates = subscribe(server.url, account, 'subscription { reminderUpdated { id status } }');
  cleanups.push(() => updates.close());
  await waitUntilLive(server.url, account, [updates.subscription], 'expired');
  const reminder = await createReminder(server.url, account, { message: 'Once only', remindAt: inMs(3_600_000), channels: [{ kind: 'EMAIL', target: 'once@example.com' }] });
  await expire(server.url, account, reminder.id);
  await within(held, 20_000, 'the first message');

  // pg-boss hands the job out again, as its supervisor does when a claim expires: failed (no fence,
  // as the expiry's is not) and due again at once (retry delay 0); a free lane takes it.
  const sql = server.app.orm!.em.fork().getConnection();
  const [delivery] = await sql.execute<{ id: string }[]>(`
    select d.id from reminder_delivery d join reminder_occurrence o on o.id = d.occurrence_id where o.reminder_id = ?`, [decodeId('Reminder', reminder.id)]);
  const jobs = server.app.services!.jobs;
  await jobs.boss.fail('reminder.deliver', delivery!.id, { message: 'simulated expiry' });
  const reclaimed = async () => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [job] = await sql.execute<{ state: string; retry_count: number }[]>(`select state, retry_count from pgboss.job where name = 'reminder.deliver' and id = ?`, [delivery!.id]);
      if (job!.state === 'active' && job!.retry_count >= 1) return;
      if (Date.now() > deadline) throw new Error(`the job was not handed out again: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 50)); // polling the table: pg-boss announces no claim
    }
  };
  await reclaimed();
  release!();

  for (let status = ''; status !== 'SENT';) status = (await nextAbout(updates.subscription, 'reminderUpdated', reminder.id, 20_000)).status;
  const history = (await graphqlData(server.url, { token: account.token, query: HISTORY, variables: { id: reminder.id } })).reminder;
  const [{ status, attempts }] = history.occurrences[0].deliveries;
  assert.equal(status, 'SUCCEEDED');
  assert.deepEqual(attempts.map((a: any) => [a.attempt, a.outcome]), [[1, 'SUCCEEDED']]);
  // The second handler waited for the first attempt's record and sent nothing: its job completes.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [job] = await sql.execute<{ state: string }[]>(`select state from pgboss.job where name = 'reminder.deliver' and id = ?`, [delivery!.id]);
    if (job!.state === 'completed') break;
    if (Date.now() > deadline) throw new Error(`the job ended ${job!.state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(mails.length, 1, 'one e-mail');
  assert.match(mails[0]!, new RegExp(`Message-ID: <${delivery!.id}@`, 'i'));
  assert.match(mails[0]!, /X-Tickler-Attempt: 1/i);
  console.log(`# one e-mail for a job handed out twice; Message-ID <${delivery!.id}@…>`);
});
