import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { earliestSendAt, emptyLedger, pickNext, recordRetryAfter, recordSend } from '../../src/telegram/rate-limits.ts';
import { QueueStoppedError, SendQueue, telegramRetry, telegramRetryAfter, type Clock } from '../../src/telegram/send-queue.ts';

const PRIVATE = 1001;
const OTHER = 1002;
const GROUP = -2001;

test('a private chat gets at most one message a second', () => {
  const ledger = emptyLedger();
  assert.equal(earliestSendAt(ledger, PRIVATE, 5000), 5000);
  recordSend(ledger, PRIVATE, 5000);
  assert.equal(earliestSendAt(ledger, PRIVATE, 5001), 6000);
  assert.equal(earliestSendAt(ledger, PRIVATE, 7000), 7000);
  assert.equal(earliestSendAt(ledger, OTHER, 5001), 5001, 'another chat is not held back');
});

test('a group gets at most 20 messages in any minute', () => {
  const ledger = emptyLedger();
  for (let i = 0; i < 20; i++) recordSend(ledger, GROUP, i * 1000);
  // the 21st must wait until the first of the 20 leaves the 60 s window
  assert.equal(earliestSendAt(ledger, GROUP, 20_000), 60_000);
  recordSend(ledger, GROUP, 60_000);
  assert.equal(earliestSendAt(ledger, GROUP, 60_000), 61_000);
});

test('all chats together get at most 30 messages a second', () => {
  const ledger = emptyLedger();
  for (let chat = 1; chat <= 30; chat++) recordSend(ledger, chat, 100 + chat);
  assert.equal(earliestSendAt(ledger, 999, 131), 1101, 'the 31st waits for the first to be a second old');
});

test('a 429 holds that chat back for retry_after, and a chat-less one holds everything', () => {
  const ledger = emptyLedger();
  recordRetryAfter(ledger, PRIVATE, 10_000, 3);
  assert.equal(earliestSendAt(ledger, PRIVATE, 10_500), 13_000);
  assert.equal(earliestSendAt(ledger, OTHER, 10_500), 10_500);
  recordRetryAfter(ledger, null, 10_000, 5);
  assert.equal(earliestSendAt(ledger, OTHER, 10_500), 15_000);
});

test('the chat that may send soonest goes next, and ties go to the older message', () => {
  const ledger = emptyLedger();
  recordSend(ledger, PRIVATE, 0);
  assert.deepEqual(pickNext(ledger, [{ chatId: PRIVATE, seq: 1 }, { chatId: OTHER, seq: 2 }], 10), { chatId: OTHER, at: 10 });
  assert.deepEqual(pickNext(ledger, [{ chatId: OTHER, seq: 5 }, { chatId: 7, seq: 3 }], 2000), { chatId: 7, at: 2000 });
  assert.equal(pickNext(ledger, [], 0), null);
});

test('retry_after is read from a Bot API 429 error and nothing else', () => {
  assert.equal(telegramRetryAfter({ error_code: 429, parameters: { retry_after: 7 } }), 7);
  assert.equal(telegramRetryAfter({ error_code: 400, parameters: {} }), null);
  assert.equal(telegramRetryAfter(new Error('network')), null);
});

test('calls that failed on the way are retried with backoff; refusals are not', () => {
  const network = Object.assign(new Error("Network request for 'sendMessage' failed!"), { name: 'HttpError' });
  assert.deepEqual(telegramRetry(network, 1), { seconds: 1, reason: 'transient' });
  assert.deepEqual(telegramRetry(network, 4), { seconds: 8, reason: 'transient' });
  assert.deepEqual(telegramRetry(network, 30), { seconds: 60, reason: 'transient' });
  assert.deepEqual(telegramRetry({ error_code: 502 }, 1), { seconds: 1, reason: 'transient' });
  assert.deepEqual(telegramRetry({ error_code: 429, parameters: { retry_after: 3 } }, 1), { seconds: 3, reason: 'rate-limit' });
  assert.equal(telegramRetry({ error_code: 403, description: 'Forbidden: bot was blocked by the user' }, 1), null);
});

test('an expiry that fails on the way is sent again, in its place, instead of being skipped', async () => {
  const clock = manualClock();
  const queue = new SendQueue({ clock });
  const sent: [string, number][] = [];
  let failures = 2;
  const expiry = queue.enqueue(PRIVATE, async () => {
    if (failures-- > 0) throw Object.assign(new Error('socket hang up'), { name: 'HttpError' });
    sent.push(['expiry', clock.now()]);
  }, { replayable: true });
  const next = queue.enqueue(PRIVATE, async () => void sent.push(['next', clock.now()]), { replayable: true });
  await clock.advance(10_000);
  await Promise.all([expiry, next]);
  assert.deepEqual(sent, [['expiry', 3000], ['next', 4000]], 'retried after 1 s, then 2 s; the next one waits its turn');
});

/** A clock the test moves by hand; timers fire in order as it passes them. */
function manualClock(): Clock & { advance(ms: number): Promise<void> } {
  let now = 0;
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    setTimer(fn, ms) {
      const timer = { at: now + Math.max(0, ms), fn };
      timers.push(timer);
      return () => (timers = timers.filter((t) => t !== timer));
    },
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        await turn();
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = end;
      await turn();
    },
  };
}

test('the queue sends a burst to one chat a second apart, in order', async () => {
  const clock = manualClock();
  const queue = new SendQueue({ clock });
  const sent: [string, number][] = [];
  const results = ['a', 'b', 'c'].map((text) => queue.enqueue(PRIVATE, async () => void sent.push([text, clock.now()])));
  await clock.advance(2500);
  await Promise.all(results);
  assert.deepEqual(sent, [['a', 0], ['b', 1000], ['c', 2000]]);
});

test('a 429 is honoured: the message is retried after retry_after, before the chat\'s next one', async () => {
  const clock = manualClock();
  let reported = 0;
  const queue = new SendQueue({ clock, onRetry: (_chat, retry) => (reported = retry.seconds) });
  const sent: [string, number][] = [];
  let refuse = true;
  const first = queue.enqueue(PRIVATE, async () => {
    if (refuse) {
      refuse = false;
      throw { error_code: 429, parameters: { retry_after: 5 } };
    }
    sent.push(['first', clock.now()]);
  });
  const second = queue.enqueue(PRIVATE, async () => void sent.push(['second', clock.now()]));
  const elsewhere = queue.enqueue(OTHER, async () => void sent.push(['elsewhere', clock.now()]));
  await clock.advance(7000);
  await Promise.all([first, second, elsewhere]);
  assert.equal(reported, 5);
  assert.deepEqual(sent, [['elsewhere', 0], ['first', 5000], ['second', 6000]]);
});

test('other errors reach the caller and do not stop the chat', async () => {
  const clock = manualClock();
  const queue = new SendQueue({ clock });
  const failing = queue.enqueue(PRIVATE, async () => {
    throw new Error('Forbidden: bot was blocked by the user');
  });
  const refused = assert.rejects(failing, /blocked/);
  const next = queue.enqueue(PRIVATE, async () => 'ok');
  await clock.advance(1000);
  await refused;
  assert.equal(await next, 'ok');
});

test('stopping drops waiting expiries (they are replayed from the cursor) but drains replies', async () => {
  const clock = manualClock();
  const queue = new SendQueue({ clock });
  const sent: string[] = [];
  const expiry1 = queue.enqueue(PRIVATE, async () => void sent.push('expiry 1'), { replayable: true });
  const expiry2 = queue.enqueue(PRIVATE, async () => void sent.push('expiry 2'), { replayable: true });
  const dropped = assert.rejects(expiry2, QueueStoppedError);
  const reply = queue.enqueue(OTHER, async () => void sent.push('reply'));
  await turn();
  const reply2 = queue.enqueue(OTHER, async () => void sent.push('reply 2'));
  const stopping = queue.stop(5000);
  await clock.advance(1500);
  await stopping;
  await Promise.all([expiry1, reply, reply2]);
  await dropped;
  assert.deepEqual(sent, ['expiry 1', 'reply', 'reply 2']);
  await assert.rejects(queue.enqueue(PRIVATE, async () => 'late'), QueueStoppedError);
});
