import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { graphqlData } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { CREATE, createReminder, expire, inMs, nextAbout, subscribe, waitUntilLive, type Account } from '../helpers/reminders.ts';
import { createOutboundGuard } from '../../src/platform/outbound.ts';

// The targets issue 8 lists as accepted before the guard existed.
const ISSUE_TARGETS = [
  'http://127.0.0.1:5432/',
  'http://localhost/admin',
  'http://[::1]/',
  'http://169.254.169.254/latest/meta-data/',
  'http://10.0.0.5/',
  'http://192.168.1.1/',
  'http://0.0.0.0:4000/graphql',
  'http://2130706433/',
];

// DNS as the test plays it for its own names (a rebinding attacker controls their zone's answers);
// every other name goes to the system resolver.
const zone = new Map<string, string>();
const outbound = createOutboundGuard([], {
  resolve: async (hostname) => {
    const address = zone.get(hostname);
    return address ? [{ address, family: 4 }] : lookup(hostname, { all: true, verbatim: true });
  },
});

let server: TestServer;
let ada: Account;
let receiver: Server;
let receiverPort: number;
let received = 0;

before(async () => {
  // No OUTBOUND_ALLOW: nothing private may be reached, loopback receivers included.
  server = await startTestServer({ env: { OUTBOUND_ALLOW: '', WEBHOOK_RETRIES: '3', WEBHOOK_RETRY_DELAY_SECONDS: '0' }, outbound });
  ada = await server.createAccount('Ada');
  receiver = createServer((req, res) => {
    received++;
    req.resume();
    res.end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverPort = (receiver.address() as AddressInfo).port;
});
after(async () => {
  await server.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

async function rowCounts(): Promise<{ reminders: number; jobs: number }> {
  const client = new pg.Client({ connectionString: server.db.url });
  await client.connect();
  try {
    const { rows: [counts] } = await client.query(`select (select count(*) from reminder)::int as reminders,
      (select count(*) from pgboss.job where name = 'reminder.fire')::int as jobs`);
    return counts;
  } finally {
    await client.end();
  }
}

describe('webhook targets inside the server\'s network', () => {
  test('createReminder refuses every target of the issue with a ValidationError on the field, and writes nothing', async () => {
    const before = await rowCounts();
    for (const target of ISSUE_TARGETS) {
      const data = await graphqlData(server.url, { token: ada.token, query: CREATE, variables: {
        input: { message: 'probe', remindAt: inMs(3_600_000), channels: [{ kind: 'WEBHOOK', target }] },
      } });
      assert.equal(data.createReminder.__typename, 'ValidationError', target);
      assert.deepEqual(data.createReminder.fieldErrors.map((e: any) => e.path.join('.')), ['input.channels.0.target'], target);
      assert.match(data.createReminder.fieldErrors[0].message, /^must not point inside the server's network: .+ (loopback|private|link-local|unspecified)/, target);
    }
    assert.deepEqual(await rowCounts(), before, 'no reminder and no job was written');
  });

  test('event reminders are checked the same way, naming their own field', async () => {
    const data = await graphqlData(server.url, { token: ada.token, variables: {
      input: { title: 'Probe', durationMinutes: 30, startsAt: inMs(86_400_000), reminders: [{ minutesBefore: 10, channels: [{ kind: 'WEBHOOK', target: 'http://169.254.169.254/' }] }] },
    }, query: `mutation($input: CreateEventInput!) { createEvent(input: $input) { __typename ... on ValidationError { fieldErrors { path message } } } }` });
    assert.equal(data.createEvent.__typename, 'ValidationError');
    assert.deepEqual(data.createEvent.fieldErrors.map((e: any) => e.path.join('.')), ['input.reminders.0.channels.0.target']);
  });

  test('a name that resolved publicly when the reminder was made but to loopback at delivery fails at once, recorded, with nothing sent', async () => {
    zone.set('hooks.rebind.test', '93.184.215.14');
    const updates = subscribe(server.url, ada, 'subscription { reminderUpdated { id status } }');
    try {
      await waitUntilLive(server.url, ada, [updates.subscription], 'expired');
      const reminder = await createReminder(server.url, ada, { message: 'Rebind', remindAt: inMs(3_600_000), channels: [{ kind: 'WEBHOOK', target: `http://hooks.rebind.test:${receiverPort}/hook` }] });
      zone.set('hooks.rebind.test', '127.0.0.1');
      await expire(server.url, ada, reminder.id);
      const statuses: string[] = [];
      while (statuses.at(-1) !== 'FAILED') statuses.push((await nextAbout(updates.subscription, 'reminderUpdated', reminder.id, 15_000)).status);
      assert.deepEqual(statuses, ['PROCESSING', 'FAILED'], 'no retries: the target is refused for good');
      const history = await graphqlData(server.url, { token: ada.token, variables: { id: reminder.id },
        query: 'query($id: ID!) { reminder(id: $id) { occurrences { deliveries { id status attempts { attempt outcome error } } } } }' });
      const delivery = history.reminder.occurrences[0].deliveries[0];
      assert.equal(delivery.status, 'FAILED');
      assert.equal(delivery.attempts.length, 1);
      assert.equal(delivery.attempts[0].outcome, 'FAILED');
      assert.match(delivery.attempts[0].error, /^refused: .*hooks\.rebind\.test resolves to 127\.0\.0\.1, a loopback address/);
      assert.equal(received, 0, 'the loopback receiver never heard of it');

      // Sending it again would only be refused again: redeliver says so instead.
      const again = await graphqlData(server.url, { token: ada.token, variables: { id: delivery.id },
        query: 'mutation($id: ID!) { redeliver(deliveryId: $id) { __typename ... on ValidationError { fieldErrors { path message } } } }' });
      assert.equal(again.redeliver.__typename, 'ValidationError');
      assert.deepEqual(again.redeliver.fieldErrors[0].path, ['deliveryId']);
      assert.match(again.redeliver.fieldErrors[0].message, /hooks\.rebind\.test resolves to 127\.0\.0\.1, a loopback address/);
    } finally {
      await updates.close();
    }
  });
});
