import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isUnionType,
  type GraphQLArgument, type GraphQLField, type GraphQLNamedType, type GraphQLSchema,
} from 'graphql';
import { getSchema, printSdl } from '../../src/graphql/schema.ts';

/**
 * Types of the client contract that later issues build. Each entry is removed when its feature lands;
 * the test below then holds the schema to it.
 */
const NOT_YET_BUILT = new Set<string>([
]);
const NOT_YET_BUILT_FIELDS = new Set<string>([]);

describe('schema.graphql', () => {
  test('the committed file is exactly what the code prints (run `npm run schema:print`)', async () => {
    const committed = await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8');
    assert.equal(committed, printSdl());
  });
});

describe('the client contract (test/contract.graphql, a copy of shared/contract.graphql)', async () => {
  const contract = buildSchema(await readFile(new URL('../contract.graphql', import.meta.url), 'utf8'));
  const schema = getSchema();
  for (const type of Object.values(contract.getTypeMap())) {
    if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
    const built = !NOT_YET_BUILT.has(type.name);
    test(`${type.name} is served as the contract says`, { skip: built ? false : 'built by a later issue' }, () => {
      assertSameShape(type, schema);
    });
  }
});

function assertSameShape(expected: GraphQLNamedType, schema: GraphQLSchema) {
  const actual = schema.getType(expected.name);
  assert.ok(actual, `type ${expected.name} is missing`);
  assert.equal(actual.constructor.name, expected.constructor.name, `${expected.name} is a different kind of type`);
  if (isObjectType(expected) || isInterfaceType(expected) || isInputObjectType(expected)) {
    const actualFields = (actual as typeof expected).getFields();
    for (const [name, field] of Object.entries(expected.getFields())) {
      if (NOT_YET_BUILT_FIELDS.has(`${expected.name}.${name}`)) continue;
      const got = actualFields[name];
      assert.ok(got, `${expected.name}.${name} is missing`);
      assert.equal(String(got.type), String(field.type), `${expected.name}.${name} has another type`);
      if ('args' in field) {
        for (const arg of field.args) {
          const gotArg: GraphQLArgument | undefined = (got as GraphQLField<unknown, unknown>).args.find((a: GraphQLArgument) => a.name === arg.name);
          assert.ok(gotArg, `${expected.name}.${name}(${arg.name}) is missing`);
          assert.equal(String(gotArg.type), String(arg.type), `${expected.name}.${name}(${arg.name}) has another type`);
        }
      }
    }
    if (!isInputObjectType(expected)) {
      const interfaces = (actual as typeof expected).getInterfaces().map((i) => i.name);
      for (const i of expected.getInterfaces()) assert.ok(interfaces.includes(i.name), `${expected.name} must implement ${i.name}`);
    }
  }
  if (isEnumType(expected) && isEnumType(actual)) {
    const values = actual.getValues().map((v) => v.name);
    for (const v of expected.getValues()) assert.ok(values.includes(v.name), `${expected.name}.${v.name} is missing`);
  }
  if (isUnionType(expected) && isUnionType(actual)) {
    const members = actual.getTypes().map((t) => t.name);
    for (const t of expected.getTypes()) assert.ok(members.includes(t.name), `${expected.name} must include ${t.name}`);
  }
}
