import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { getSchema } from '../../src/graphql/schema.ts';
import { decodeId, decodeNodeId, isKnownNodeId, NO_NODE } from '../../src/graphql/ids.ts';
import type { GraphQLResolveInfo } from 'graphql';

const UUID = '0b9f7a52-3c1e-4a8e-9d2f-6e5b4c3a2d10';
const info = { schema: getSchema() } as GraphQLResolveInfo;

describe('global ids', () => {
  test('decodeId gives the key of an id of the named type with a UUID key, else null', () => {
    assert.equal(decodeId('Reminder', encodeGlobalID('Reminder', UUID)), UUID);
    for (const id of [encodeGlobalID('Event', UUID), encodeGlobalID('Reminder', 'nope'), encodeGlobalID('Reminder', `${UUID}:x`), 'not base64!', '', 'A'.repeat(5000), '\u0000']) {
      assert.equal(decodeId('Reminder', id), null, id.slice(0, 40));
    }
  });

  test('decodeNodeId never throws: what is not base64 of Type:key is no node', () => {
    assert.deepEqual(decodeNodeId(encodeGlobalID('Calendar', UUID)), { typename: 'Calendar', id: UUID });
    for (const id of ['not base64!', '', 'Zm9v', 'A'.repeat(5000), '\ud800']) assert.deepEqual(decodeNodeId(id), NO_NODE);
  });

  test('only concrete Node types of the schema with a well-formed key can name a node', () => {
    for (const typename of ['Account', 'ApiToken', 'Calendar', 'Event', 'EventAttachment', 'Reminder', 'ReminderDelivery']) {
      assert.ok(isKnownNodeId({ typename, id: UUID }, info), typename);
      assert.equal(isKnownNodeId({ typename, id: '1' }, info), false, `${typename}:1`);
    }
    for (const typename of ['Node', 'Error', 'Query', 'Mutation', 'ReminderStatus', 'DateTime', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '', 'ValidationError']) {
      assert.equal(isKnownNodeId({ typename, id: UUID }, info), false, typename);
    }
    assert.equal(isKnownNodeId(null, info), false);
  });
});
