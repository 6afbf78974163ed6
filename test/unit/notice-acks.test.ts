import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPubSub } from 'graphql-yoga';
import { createNoticeAcks } from '../../src/platform/notice-acks.ts';
import type { PubSub } from '../../src/platform/pubsub.ts';

// One pub/sub shared by three "processes", as the NOTIFY channel is.
function processes(ids: string[]) {
  const pubsub = createPubSub() as unknown as PubSub;
  const acks = ids.map((processId) => createNoticeAcks({ pubsub, processId, processes: async () => ids.filter((id) => id !== processId) }));
  for (const a of acks) a.start();
  return { acks, stop: () => Promise.all(acks.map((a) => a.stop())) };
}

describe('notice answers from every api process', () => {
  test('the wait ends once every live process has answered, not when the first one has', async () => {
    const { acks: [a, b, c], stop } = processes(['a', 'b', 'c']);
    const everywhere = a!.expect('token-1');
    let ended = false;
    const waiting = everywhere(5000).then((missing) => {
      ended = true;
      return missing;
    });
    a!.ack('token-1');
    b!.ack('token-1');
    b!.ack('token-2'); // about another row: does not count
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ended, false, 'c has not answered yet');
    c!.ack('token-1');
    assert.deepEqual(await waiting, []);
    await stop();
  });

  test('a process that never answers is waited for until the timeout only, and named', async () => {
    const { acks: [a, b], stop } = processes(['a', 'b', 'stalled']);
    const everywhere = a!.expect('account-1');
    a!.ack('account-1');
    b!.ack('account-1');
    assert.deepEqual(await everywhere(50), ['stalled']);
    await stop();
  });

  test('answers that came before the wait began (between the commit and the wait) count', async () => {
    const { acks: [a, b], stop } = processes(['a', 'b']);
    const everywhere = a!.expect('token-3');
    a!.ack('token-3');
    b!.ack('token-3');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(await everywhere(5000), []);
    await stop();
  });
});
