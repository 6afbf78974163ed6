import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as ws from 'ws';
import { textFrames } from '../../src/platform/graphql-ws-server.ts';

// ws exports its Sender, but @types/ws does not declare it.
type FrameOptions = { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean };
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };

/** What `ws` itself would write for a text message from the server. */
const wsFrame = (text: string) => Buffer.concat(Sender.frame(Buffer.from(text), { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }));

describe('textFrames', () => {
  test('frames messages byte for byte as ws does, at every length encoding (7-bit, 16-bit, 64-bit)', () => {
    for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 70_000]) {
      const text = 'é'.repeat(Math.floor(length / 2)) + 'x'.repeat(length % 2);
      assert.deepEqual(textFrames([[text]]), wsFrame(text), `length ${length}`);
    }
  });

  test('joins a message\'s parts, and puts several messages one after another in one buffer', () => {
    const head = Buffer.from('{"id":"1","type":"next","payload":');
    const body = Buffer.from('{"data":{"x":"ü"}}}');
    const expected = Buffer.concat([wsFrame(`${head}${body}`), wsFrame('{"type":"pong"}')]);
    assert.deepEqual(textFrames([[head, body], ['{"type":"pong"}']]), expected);
  });
});
