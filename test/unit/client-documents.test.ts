import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildSchema, validate, type DocumentNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { queryText } from '../../src/client/http.ts';
import * as account from '../../src/client/operations/account.ts';
import * as calendar from '../../src/client/operations/calendar.ts';
import * as reminders from '../../src/client/operations/reminders.ts';
import * as settings from '../../src/client/operations/settings.ts';
import { laggedCursor } from '../../src/client/ws.ts';

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const documents = Object.entries({ ...account, ...calendar, ...reminders, ...settings }) as [string, DocumentNode][];

describe('the shared operation documents', () => {
  test('every document is valid against schema.graphql, with each fragment it spreads once', () => {
    for (const [name, document] of documents) {
      // A fragment on its own is "never used"; it is checked inside the operations that spread it.
      if (document.definitions.some((d) => d.kind === 'OperationDefinition')) assert.deepEqual(validate(schema, document).map((e) => e.message), [], name);
      const fragments = document.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [d.name.value] : []));
      assert.equal(new Set(fragments).size, fragments.length, `${name} carries a fragment twice`);
    }
  });

  test('a document prints with the fragments it spreads, and without a source text urql would prefer', () => {
    const text = queryText(reminders.CreateReminderMutation);
    for (const fragment of ['ReminderFields', 'ValidationErrorFields', 'NotFoundErrorFields']) assert.match(text, new RegExp(`fragment ${fragment} on`));
    assert.equal((reminders.CreateReminderMutation as { loc?: unknown }).loc, undefined);
  });

  test('LAGGED is recognised by extensions.code, with or without a cursor; other errors are not', () => {
    assert.equal(laggedCursor([{ message: 'anything', extensions: { code: 'LAGGED', cursor: 'c-41' } }]), 'c-41');
    assert.equal(laggedCursor([{ message: 'anything', extensions: { code: 'LAGGED', cursor: null } }]), null);
    assert.equal(laggedCursor([{ message: 'The client did not keep up with this subscription', extensions: { code: 'INTERNAL' } }]), undefined);
    assert.equal(laggedCursor({ code: 1006, reason: '' }), undefined);
  });
});
