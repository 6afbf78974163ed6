// The console's subscribe-then-load core (src/web/lib/live.ts) without a browser: when a page reads,
// and how often, as acknowledgements, changes and link drops come in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveChanges, LiveGate, LiveReader } from '../../src/web/lib/live.ts';
import { LiveLink } from '../../src/web/lib/client.ts';

/** A reader whose reads are held until the test finishes them, one by one. */
function harness(streams = ['a', 'b'], waitMs = 60_000) {
  const gate = new LiveGate(streams);
  const source = new LiveChanges(gate);
  const pending: (() => void)[] = [];
  let started = 0;
  let onStart: (() => void) | null = null;
  const reader = new LiveReader(source, () => {
    started += 1;
    onStart?.();
    return new Promise<void>((resolve) => pending.push(resolve));
  });
  reader.start(waitMs);
  return {
    gate,
    source,
    reader,
    get reads() {
      return started;
    },
    /** Finishes the oldest read in flight and lets its continuation run. */
    async finish() {
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    },
    nextRead() {
      return new Promise<void>((resolve) => (onStart = resolve));
    },
  };
}

test('the first read waits until every subscription is acknowledged; a change heard before it is in that read', () => {
  const h = harness();
  h.gate.acknowledge('a');
  h.source.changed();
  assert.equal(h.reads, 0);
  h.gate.acknowledge('b');
  assert.equal(h.reads, 1);
  h.reader.stop();
});

test('changes heard while a read is in flight make one more read, after it', async () => {
  const h = harness();
  h.gate.acknowledge('a');
  h.gate.acknowledge('b');
  h.source.changed();
  h.source.changed();
  assert.equal(h.reads, 1, 'never two reads at once');
  await h.finish();
  assert.equal(h.reads, 2, 'one more read for both changes');
  await h.finish();
  assert.equal(h.reads, 2);
  h.source.changed();
  assert.equal(h.reads, 3, 'a change heard while idle reads at once');
  h.reader.stop();
});

test('after a link drop the page reads again once every subscription is acknowledged afresh', async () => {
  const h = harness();
  const link = new LiveLink();
  const stopFollowing = h.gate.follow(link);
  link.set('live');
  h.gate.acknowledge('a');
  h.gate.acknowledge('b');
  await h.finish();
  assert.equal(h.reads, 1);
  link.set('down');
  assert.equal(h.gate.live, false);
  link.set('live');
  h.gate.acknowledge('a');
  assert.equal(h.reads, 1, 'not before the second acknowledgement');
  h.gate.acknowledge('b');
  assert.equal(h.reads, 2);
  await h.finish();
  // One subscription re-established while the others listen (after the server ended it): read again.
  h.gate.acknowledge('a');
  assert.equal(h.reads, 3);
  stopFollowing();
  h.reader.stop();
});

test('without acknowledgements the page reads after a while anyway, and again once they come', async () => {
  const h = harness(['a'], 5);
  await h.nextRead();
  assert.equal(h.reads, 1);
  await h.finish();
  h.gate.acknowledge('a');
  assert.equal(h.reads, 2);
  h.reader.stop();
});

test('a page opened while the link is down reads at once, and again once its subscriptions are acknowledged', async () => {
  const gate = new LiveGate(['a']);
  gate.acknowledge('a');
  gate.reset();
  let reads = 0;
  const reader = new LiveReader(new LiveChanges(gate), async () => void (reads += 1));
  reader.start(60_000);
  assert.equal(reads, 1);
  await new Promise((resolve) => setImmediate(resolve));
  gate.acknowledge('a');
  assert.equal(reads, 2);
  reader.stop();
});

test('a page whose gate is made while the link is down reads at once too', () => {
  const link = new LiveLink();
  link.set('live');
  link.set('down');
  const gate = new LiveGate(['a']);
  const stopFollowing = gate.follow(link);
  let reads = 0;
  const reader = new LiveReader(new LiveChanges(gate), async () => void (reads += 1));
  reader.start(60_000);
  assert.equal(reads, 1);
  stopFollowing();
  reader.stop();
});

test('a stopped reader reads no more', () => {
  const h = harness(['a']);
  h.reader.stop();
  h.gate.acknowledge('a');
  h.source.changed();
  assert.equal(h.reads, 0);
});
