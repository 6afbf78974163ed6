import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { graphqlData, Subscription, wsClient } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { waitUntilLive } from '../helpers/reminders.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer({ env: { METRICS_PORT: '0' } });
});
after(() => server.stop());

async function scrape(): Promise<string> {
  const response = await fetch(server.app.metricsUrl!);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
  return response.text();
}

/** The value of one sample line, e.g. value(text, 'tickler_websockets_open'). */
function value(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

describe('GET /metrics', () => {
  test('is served on METRICS_PORT in Prometheus text format, and not on the GraphQL port', async () => {
    assert.ok(server.app.metricsUrl);
    assert.notEqual(new URL(server.app.metricsUrl!).port, new URL(server.url).port);
    const onGraphqlPort = await fetch(new URL('/metrics', server.url));
    assert.equal(onGraphqlPort.status, 404);
    const text = await scrape();
    assert.match(text, /# TYPE tickler_fire_lateness_seconds histogram/);
    assert.ok(value(text, 'tickler_fire_due_backlog') !== undefined, 'the due backlog is read at scrape time');
    assert.ok(value(text, 'tickler_db_pool_connections{state="total"}')! >= 0);
  });

  test('counts GraphQL operations by root field, and their errors by code', async () => {
    const ada = await server.createAccount('Ada');
    await graphqlData(server.url, { token: ada.token, query: '{ me { name } }' });
    await graphqlData(server.url, { token: ada.token, query: '{ me { name } }' });
    await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { name } }' }) });
    const text = await scrape();
    assert.equal(value(text, 'tickler_graphql_operation_duration_seconds_count{type="query",field="me"}'), 3);
    assert.equal(value(text, 'tickler_graphql_errors_total{type="query",field="me",code="UNAUTHENTICATED"}'), 1);
  });

  test('shows the open WebSockets and their subscriptions while they are open', async () => {
    const ada = await server.createAccount('Ada');
    const { client } = wsClient(server.url, ada.token, { lazy: false });
    const subscription = new Subscription(client, { query: 'subscription { accountUpdated { name } }' });
    try {
      // The subscription is live once an update reaches it.
      await graphqlData(server.url, { token: ada.token, query: 'mutation { updateAccount(input: { name: "Ada L." }) { __typename } }' });
      await subscription.next();
      const text = await scrape();
      assert.equal(value(text, 'tickler_websockets_open'), 1);
      assert.equal(value(text, 'tickler_subscriptions_open{transport="graphql-ws"}'), 1);
    } finally {
      subscription.close();
      await client.dispose();
    }
  });
});

describe('firing', () => {
  test('an expiry is counted as fired, with its lateness and its batch duration', async () => {
    const ada = await server.createAccount('Ada');
    const { client } = wsClient(server.url, ada.token);
    const subscription = new Subscription(client, { query: 'subscription { reminderExpired { reminder { id } } }' });
    try {
      const live = await waitUntilLive(server.url, ada, [subscription], 'expired');
      assert.ok(live.size > 0);
      // The worker records the metrics right after its commit; the expiry reaches the client after it too.
      let text = await scrape();
      for (let i = 0; i < 100 && !(value(text, 'tickler_fire_occurrences_total{result="fired"}')! >= 1); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        text = await scrape();
      }
      assert.ok(value(text, 'tickler_fire_occurrences_total{result="fired"}')! >= 1);
      assert.ok(value(text, 'tickler_fire_lateness_seconds_count')! >= 1);
      assert.ok(value(text, 'tickler_fire_batch_duration_seconds_count')! >= 1);
    } finally {
      subscription.close();
      await client.dispose();
    }
  });
});

describe('the firing and delivery helpers', () => {
  test('a fire batch adds to the counters, the batch duration and the lateness histogram', async () => {
    const metrics = createMetrics();
    metrics.fireBatch({ fired: 3, missed: 1, skipped: 2, latenessMs: [4, 12, 300] }, 0.02);
    metrics.deliveryAttempt('WEBHOOK', 'RETRYING', 1);
    metrics.deliveryAttempt('WEBHOOK', 'SUCCEEDED', 2);
    const text = await metrics.registry.metrics();
    assert.equal(value(text, 'tickler_fire_occurrences_total{result="fired"}'), 3);
    assert.equal(value(text, 'tickler_fire_occurrences_total{result="missed"}'), 1);
    assert.equal(value(text, 'tickler_fire_occurrences_total{result="skipped"}'), 2);
    assert.equal(value(text, 'tickler_fire_batch_duration_seconds_count'), 1);
    assert.equal(value(text, 'tickler_fire_lateness_seconds_count'), 3);
    assert.equal(value(text, 'tickler_fire_lateness_seconds_bucket{le="0.025"}'), 2);
    assert.equal(value(text, 'tickler_delivery_attempts_total{channel="WEBHOOK",outcome="SUCCEEDED"}'), 1);
    assert.equal(value(text, 'tickler_delivery_retries_total{channel="WEBHOOK"}'), 1);
  });
});
