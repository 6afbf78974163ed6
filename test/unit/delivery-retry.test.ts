import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DELIVER_EXPIRE_SECONDS, DELIVER_HEARTBEAT_SECONDS, deliveryQueueOptions, deliveryRetryPolicy, isLastAttempt } from '../../src/reminders/delivery-retry.ts';

describe('the delivery retry policy', () => {
  test('a delivery job retries with backoff, room for three crashes beyond WEBHOOK_RETRIES, waits at most an hour', () => {
    assert.deepEqual(deliveryRetryPolicy({ webhookRetries: 3, webhookRetryDelaySeconds: 5 }), {
      retries: 3,
      job: { retryLimit: 6, retryDelay: 5, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: DELIVER_EXPIRE_SECONDS },
    });
  });

  test('a base delay above an hour is its own ceiling', () => {
    assert.equal(deliveryRetryPolicy({ webhookRetries: 0, webhookRetryDelaySeconds: 7200 }).job.retryDelayMax, 7200);
  });

  test('the queue carries the same retries, and the heartbeat that frees a killed worker\'s claim', () => {
    const policy = deliveryRetryPolicy({ webhookRetries: 2, webhookRetryDelaySeconds: 1 });
    assert.deepEqual(deliveryQueueOptions(policy), { retryLimit: 5, retryDelay: 1, retryBackoff: true, heartbeatSeconds: DELIVER_HEARTBEAT_SECONDS });
  });

  test('a round ends after WEBHOOK_RETRIES retries counted from the attempt it began with', () => {
    const policy = deliveryRetryPolicy({ webhookRetries: 3, webhookRetryDelaySeconds: 5 });
    const job = { retryCount: 0, retryLimit: policy.job.retryLimit };
    assert.deepEqual([1, 2, 3, 4].map((attempt) => isLastAttempt(policy, attempt, job)), [false, false, false, true]);
    // A redelivery that took over at attempt 5 gets a whole round again.
    assert.deepEqual([5, 8, 9].map((attempt) => isLastAttempt(policy, attempt, { ...job, firstAttempt: 5 })), [false, true, true]);
  });

  test('a job whose retries crashes used up ends its round whatever the attempt count', () => {
    const policy = deliveryRetryPolicy({ webhookRetries: 3, webhookRetryDelaySeconds: 5 });
    assert.equal(isLastAttempt(policy, 1, { retryCount: 6, retryLimit: 6 }), true);
  });
});
