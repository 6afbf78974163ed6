/**
 * One check of every field's arguments, after GraphQL has coerced them and before any resolver
 * runs: text that PostgreSQL cannot store is refused here, for every argument of every field, so no
 * service needs its own check and none can forget one. PostgreSQL refuses the NUL character in
 * text and jsonb ("invalid byte sequence", "unsupported Unicode escape sequence"), and a lone UTF-16
 * surrogate is no Unicode at all (jsonb refuses its escape; text would silently store U+FFFD).
 *
 * A field whose result union has ValidationError gets one as data, its `fieldErrors` naming each
 * argument path (['input', 'title'], ['input', 'reminders', '0', 'channels', '1', 'target'], ['id']);
 * any other field (queries, subscriptions, mutations without it) a GraphQL error with code
 * VALIDATION and the same `fieldErrors` in its extensions.
 */
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { GraphQLError, type GraphQLFieldResolver } from 'graphql';
import { ValidationError, type FieldError } from '../shared/errors.ts';

const PLUGIN_NAME = 'inputGuard';
const NUL = '\u0000';
/** Input types here nest a few levels; deeper values are not Tickler's and are not walked. */
const MAX_DEPTH = 16;

/** Why `text` cannot be stored, or null. */
export function unstorableText(text: string): string | null {
  if (text.includes(NUL)) return 'must not contain the NUL character (U+0000)';
  if (!text.isWellFormed()) return 'must be valid Unicode (it contains an unpaired UTF-16 surrogate)';
  return null;
}

/** Every string inside `value` (arguments, input objects, lists, an uploaded file's name) that cannot be stored. */
export function unstorableInputs(value: unknown, path: string[] = [], found: FieldError[] = [], depth = 0): FieldError[] {
  if (typeof value === 'string') {
    const why = unstorableText(value);
    if (why) found.push({ path, message: why });
  } else if (value instanceof Date || value === null || typeof value !== 'object' || depth > MAX_DEPTH) {
    // Scalars already parsed (DateTime, Int, Boolean, enums) hold no text.
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => unstorableInputs(item, [...path, String(i)], found, depth + 1));
  } else if (isFile(value)) {
    const why = unstorableText(value.name);
    if (why) found.push({ path, message: `file name ${why}` });
  } else {
    for (const [key, item] of Object.entries(value)) unstorableInputs(item, [...path, key], found, depth + 1);
  }
  return found;
}

function isFile(value: object): value is { name: string } {
  return typeof (value as Partial<File>).arrayBuffer === 'function' && typeof (value as Partial<File>).name === 'string';
}

/** The refusal: ValidationError (data, where the field's union has it) or a GraphQL error with code VALIDATION. */
function refusal(fieldErrors: FieldError[], asData: boolean): Error {
  const error = new ValidationError(fieldErrors);
  return asData ? error : new GraphQLError(error.message, { extensions: { code: error.code, fieldErrors } });
}

type Resolver<Types extends SchemaTypes> = GraphQLFieldResolver<unknown, Types['Context'], object>;

export class InputGuardPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(resolver: Resolver<Types>, fieldConfig: PothosOutputFieldConfig<Types>): Resolver<Types> {
    if (Object.keys(fieldConfig.args).length === 0) return resolver;
    // The errors plugin wraps outside this one: a ValidationError thrown here becomes its union member.
    const asData = ((fieldConfig.extensions?.pothosErrors ?? []) as unknown[]).includes(ValidationError);
    return (parent, args, context, info) => {
      const problems = unstorableInputs(args);
      if (problems.length > 0) throw refusal(problems, asData);
      return resolver(parent, args, context, info);
    };
  }

  override wrapSubscribe(subscribe: Resolver<Types> | undefined, fieldConfig: PothosOutputFieldConfig<Types>): Resolver<Types> | undefined {
    if (!subscribe || Object.keys(fieldConfig.args).length === 0) return subscribe;
    return (parent, args, context, info) => {
      const problems = unstorableInputs(args);
      if (problems.length > 0) throw refusal(problems, false);
      return subscribe(parent, args, context, info);
    };
  }
}

SchemaBuilder.registerPlugin(PLUGIN_NAME, InputGuardPlugin);

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      inputGuard: InputGuardPlugin<Types>;
    }
  }
}

export default PLUGIN_NAME;
