import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createReminder, expire, inMs, type Account } from '../helpers/reminders.ts';

let server: TestServer;
let ada: Account;

before(async () => {
  server = await startTestServer();
  ada = await server.createAccount('Ada', 'UTC');
});
after(() => server.stop());

// What Apollo Client 3.8+'s HttpLink sends for a subscription.
const APOLLO_ACCEPT = 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json';

test('a subscription with Apollo\'s multipart Accept header streams {"payload": result} parts under the "graphql" boundary', async () => {
  const abort = new AbortController();
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    signal: abort.signal,
    headers: { 'content-type': 'application/json', accept: APOLLO_ACCEPT, authorization: `Bearer ${ada.token}` },
    body: JSON.stringify({ query: 'subscription { reminderExpired { reminder { id message } } }' }),
  });
  try {
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^multipart\/mixed;boundary="graphql";subscriptionSpec="1.0"/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const expired = new Set<string>();
    // Expire reminders until one reaches the stream: the subscription may not be live at once.
    const deadline = Date.now() + 15_000;
    let payload: any;
    while (!payload) {
      assert.ok(Date.now() < deadline, `no payload part arrived; read so far: ${JSON.stringify(text)}`);
      const reminder = await createReminder(server.url, ada, { message: 'Apollo', remindAt: inMs(3_600_000) });
      expired.add(reminder.id);
      await expire(server.url, ada, reminder.id);
      const chunk = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(resolve, 500, null))]);
      if (chunk && !chunk.done) text += decoder.decode(chunk.value, { stream: true });
      const parts = text.split('\r\n--graphql').slice(1, -1);
      for (const part of parts) {
        const [headers, body] = part.split('\r\n\r\n');
        assert.match(headers!, /content-type: application\/json/i);
        const json = JSON.parse(body!);
        if (json.payload) payload = json.payload;
      }
    }
    assert.ok(text.startsWith('\r\n--graphql\r\n'), JSON.stringify(text.slice(0, 40)));
    assert.equal(payload.errors, undefined, JSON.stringify(payload));
    assert.ok(expired.has(payload.data.reminderExpired.reminder.id));
    assert.equal(payload.data.reminderExpired.reminder.message, 'Apollo');
  } finally {
    abort.abort();
  }
});

test('a query with Apollo\'s Accept header is answered as JSON, and SSE still works for subscriptions', async () => {
  const query = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: APOLLO_ACCEPT, authorization: `Bearer ${ada.token}` },
    body: JSON.stringify({ query: '{ viewer { __typename } }' }),
  });
  assert.equal(query.status, 200);
  assert.match(query.headers.get('content-type') ?? '', /json/);
  const abort = new AbortController();
  const sse = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    signal: abort.signal,
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${ada.token}` },
    body: JSON.stringify({ query: 'subscription { reminderExpired { reminder { id } } }' }),
  });
  assert.equal(sse.status, 200);
  assert.match(sse.headers.get('content-type') ?? '', /text\/event-stream/);
  abort.abort();
});
