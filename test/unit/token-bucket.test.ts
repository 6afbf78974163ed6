import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LEASE_TTL_MS, NO_LEASE, afterGrant, decide, grant, idle, leaseSize, limits, msUntil, newBucket, refill, retryAfterSeconds,
} from '../../src/platform/token-bucket.ts';

const SETTINGS = { perSecond: 5, burst: 10 };

describe('token bucket arithmetic', () => {
  test('a new bucket is full', () => {
    assert.deepEqual(newBucket(1000, SETTINGS), { tokens: 10, at: 1000 });
  });

  test('refill adds perSecond for each second elapsed, fractions included', () => {
    assert.deepEqual(refill({ tokens: 0, at: 0 }, 1000, SETTINGS), { tokens: 5, at: 1000 });
    assert.deepEqual(refill({ tokens: 2, at: 0 }, 300, SETTINGS), { tokens: 3.5, at: 300 });
  });

  test('refill is capped at the burst', () => {
    assert.deepEqual(refill({ tokens: 8, at: 0 }, 60_000, SETTINGS), { tokens: 10, at: 60_000 });
  });

  test('a clock older than the bucket refills nothing and does not move it back', () => {
    assert.deepEqual(refill({ tokens: 3, at: 5000 }, 4000, SETTINGS), { tokens: 3, at: 5000 });
  });

  test('grant gives whole tokens up to what is wanted, never more than is there', () => {
    assert.deepEqual(grant({ tokens: 10, at: 0 }, 4), { granted: 4, bucket: { tokens: 6, at: 0 } });
    assert.deepEqual(grant({ tokens: 3.5, at: 0 }, 4), { granted: 3, bucket: { tokens: 0.5, at: 0 } });
    assert.deepEqual(grant({ tokens: 0.9, at: 0 }, 4), { granted: 0, bucket: { tokens: 0.9, at: 0 } });
  });

  test('draining a bucket for t seconds grants at most burst + rate × t', () => {
    // One request every 10 ms for 3 s against 5/s, burst 10: 10 + 15 = 25 granted.
    let bucket = newBucket(0, SETTINGS);
    let granted = 0;
    for (let now = 0; now <= 3000; now += 10) {
      const result = grant(refill(bucket, now, SETTINGS), 1);
      granted += result.granted;
      bucket = result.bucket;
    }
    assert.equal(granted, 25);
  });

  test('0 in either setting turns the limit off', () => {
    assert.equal(limits({ perSecond: 0, burst: 500 }), false);
    assert.equal(limits({ perSecond: 100, burst: 0 }), false);
    assert.equal(limits({ perSecond: 100, burst: 500 }), true);
  });

  test('a lease is a tenth of the burst, between 1 and 20', () => {
    assert.equal(leaseSize({ perSecond: 100, burst: 500 }), 20);
    assert.equal(leaseSize({ perSecond: 100, burst: 100 }), 10);
    assert.equal(leaseSize({ perSecond: 5, burst: 10 }), 1);
    assert.equal(leaseSize({ perSecond: 5, burst: 3 }), 1);
  });

  test('Retry-After is whole seconds, at least 1', () => {
    assert.equal(msUntil(0.5, 1, SETTINGS), 100);
    assert.equal(msUntil(2, 1, SETTINGS), 0);
    assert.equal(retryAfterSeconds(100), 1);
    assert.equal(retryAfterSeconds(0), 1);
    assert.equal(retryAfterSeconds(1001), 2);
  });
});

describe('a process lease', () => {
  const settings = { perSecond: 100, burst: 500 };

  test('with nothing leased the process asks the database', () => {
    assert.equal(decide({ ...NO_LEASE }, 0), 'ask');
  });

  test('granted tokens are spent locally until they run out or expire', () => {
    const lease = afterGrant({ ...NO_LEASE }, 1000, 20, 20, 480, settings);
    assert.deepEqual(lease, { remaining: 20, expiresAt: 1000 + LEASE_TTL_MS, refusedUntil: 0 });
    assert.equal(decide(lease, 1500), 'allow');
    assert.equal(decide(lease, 1000 + LEASE_TTL_MS), 'ask');
    assert.equal(decide({ ...lease, remaining: 0 }, 1500), 'ask');
  });

  test('an expired lease does not carry its unspent tokens into the next one', () => {
    const old = { remaining: 7, expiresAt: 2000, refusedUntil: 0 };
    assert.equal(afterGrant(old, 2500, 20, 20, 0, settings).remaining, 20);
    assert.equal(afterGrant(old, 1500, 20, 20, 0, settings).remaining, 27);
  });

  test('an empty bucket is refused locally until a whole lease has refilled', () => {
    // 20 wanted, 0.5 left at 100/s: 195 ms.
    const lease = afterGrant({ ...NO_LEASE }, 1000, 20, 0, 0.5, settings);
    assert.equal(lease.refusedUntil, 1195);
    assert.equal(decide(lease, 1100), 'refuse');
    assert.equal(decide(lease, 1195), 'ask');
  });

  test('a refusal stands at least a millisecond, and only leases and refusals keep an entry', () => {
    const lease = afterGrant({ ...NO_LEASE }, 1000, 1, 0, 0.99999999, { perSecond: 1_000_000, burst: 10 });
    assert.ok(lease.refusedUntil >= 1001);
    assert.equal(idle(lease, 1000), false);
    assert.equal(idle(lease, lease.refusedUntil), true);
  });
});
