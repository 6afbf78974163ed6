import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { unstorableInputs, unstorableText } from '../../src/graphql/input-guard.ts';

describe('the input guard finds text PostgreSQL cannot store, by argument path', () => {
  test('NUL and lone surrogates are refused; control characters, RTL marks and emoji are not', () => {
    assert.match(unstorableText('a\u0000b') ?? '', /NUL/);
    for (const lone of ['\ud800', 'x\udfff', '\udc00\ud800']) assert.match(unstorableText(lone) ?? '', /unpaired UTF-16 surrogate/);
    for (const fine of ['', 'plain', '\u0001\u0007\u001b\t\r\n', '\u202eevil\u202c', '👩‍👩‍👧‍👦', '\ud83d\ude00', '\uffff', 'e\u0301']) assert.equal(unstorableText(fine), null, JSON.stringify(fine));
  });

  test('every bad string in nested inputs and lists is named by its path; dates, numbers and nulls are skipped', () => {
    const args = {
      input: {
        title: 'ok',
        attendees: ['a@example.com', 'b\u0000'],
        reminders: [{ minutesBefore: 5, channels: [{ kind: 'WEBHOOK', target: 'https://x\ud800.example/' }] }],
        startsAt: new Date(0),
        location: null,
      },
      id: '\u0000',
    };
    assert.deepEqual(unstorableInputs(args).map((e) => e.path.join('.')), ['input.attendees.1', 'input.reminders.0.channels.0.target', 'id']);
  });

  test('an uploaded file\'s name is checked too', () => {
    const file = new File(['x'], 'report\u0000.pdf');
    assert.deepEqual(unstorableInputs({ eventId: 'x', file }).map((e) => [e.path.join('.'), /file name/.test(e.message)]), [['file', true]]);
  });
});
