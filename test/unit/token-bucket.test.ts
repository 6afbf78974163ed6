import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LEASE_TTL_MS, NO_LEASE, afterGrant, decide, grant, idle, leaseSize, limits, msUntil, newBucket, refill, retryAfterSeconds, wantNow,
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

  test('a lease is at most a tenth of the burst, between 1 and 20', () => {
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
    const lease = afterGrant({ ...NO_LEASE }, 1000, 20, 20, 480, 20, settings);
    assert.deepEqual(lease, { remaining: 20, expiresAt: 1000 + LEASE_TTL_MS, refusedUntil: 0, size: 20 });
    assert.equal(decide(lease, 1500), 'allow');
    assert.equal(decide(lease, 1000 + LEASE_TTL_MS), 'ask');
    assert.equal(decide({ ...lease, remaining: 0 }, 1500), 'ask');
  });

  test('an expired lease does not carry its unspent tokens into the next one', () => {
    const old = { remaining: 7, expiresAt: 2000, refusedUntil: 0, size: 10 };
    assert.equal(afterGrant(old, 2500, 20, 20, 0, 20, settings).remaining, 20);
    assert.equal(afterGrant(old, 1500, 20, 20, 0, 20, settings).remaining, 27);
  });

  test('an empty bucket is refused locally until a whole lease has refilled, and then a whole lease is asked for', () => {
    // 4 wanted, 0.5 left at 100/s: the process waits for 20 (195 ms), then asks for 20.
    const lease = afterGrant({ remaining: 0, expiresAt: 900, refusedUntil: 0, size: 4 }, 1000, 4, 0, 0.5, 20, settings);
    assert.equal(lease.refusedUntil, 1195);
    assert.equal(decide(lease, 1100), 'refuse');
    assert.equal(decide(lease, 1195), 'ask');
    assert.equal(wantNow(lease, 1195, 20), 20);
  });

  test('a lease spent within its time doubles the next, up to the most; one left unspent shrinks to what was used', () => {
    assert.equal(wantNow({ ...NO_LEASE }, 0, 20), 1, 'a token new to this process starts with one');
    assert.equal(wantNow({ remaining: 0, expiresAt: 2000, refusedUntil: 0, size: 4 }, 1500, 20), 8);
    assert.equal(wantNow({ remaining: 0, expiresAt: 2000, refusedUntil: 0, size: 16 }, 1500, 20), 20);
    assert.equal(wantNow({ remaining: 0, expiresAt: 2000, refusedUntil: 0, size: 8 }, 2500, 20), 8, 'spent exactly in its time');
    assert.equal(wantNow({ remaining: 5, expiresAt: 2000, refusedUntil: 0, size: 8 }, 2500, 20), 3);
    assert.equal(wantNow({ remaining: 8, expiresAt: 2000, refusedUntil: 0, size: 8 }, 2500, 20), 1);
  });

  test('a token used a little on each of ten processes keeps its rate, and leases little it does not spend', () => {
    // 6 requests a second on each process, in turn; 100/s and bursts of 500 shared. Leases of a fixed
    // 20 would take 20 a second per process and leave 14 unspent: 2,900 of 6,500 granted in a minute.
    const shared = { perSecond: 100, burst: 500 };
    const max = leaseSize(shared);
    let bucket = newBucket(0, shared);
    const leases = Array.from({ length: 10 }, () => ({ ...NO_LEASE }));
    let accepted = 0;
    let granted = 0;
    for (let i = 0; i < 3600; i++) {
      const now = i * (1000 / 60);
      const p = i % 10;
      if (decide(leases[p]!, now) === 'ask') {
        const want = wantNow(leases[p]!, now, max);
        const result = grant(refill(bucket, now, shared), want);
        bucket = result.bucket;
        granted += result.granted;
        leases[p] = afterGrant(leases[p]!, now, want, result.granted, result.bucket.tokens, max, shared);
      }
      if (decide(leases[p]!, now) === 'allow') {
        leases[p]!.remaining--;
        accepted++;
      }
    }
    assert.equal(accepted, 3600, 'every request within the rate is served');
    assert.ok(granted - accepted < 100, `${granted - accepted} tokens leased and not spent`);
  });

  test('a refusal stands at least a millisecond, and only leases and refusals keep an entry', () => {
    const lease = afterGrant({ ...NO_LEASE }, 1000, 1, 0, 0.99999999, 1, { perSecond: 1_000_000, burst: 10 });
    assert.ok(lease.refusedUntil >= 1001);
    assert.equal(idle(lease, 1000), false);
    assert.equal(idle(lease, lease.refusedUntil), true);
  });
});
