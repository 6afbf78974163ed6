import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { isObjectType, type GraphQLResolveInfo } from 'graphql';

const KEY_PATTERNS = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  // A positive bigint: at most 19 digits, no sign, no leading zero (PostgreSQL would refuse more).
  bigint: /^[1-9][0-9]{0,17}$/,
};
/** Longer than any id Tickler issues ("EventAttachment:<uuid>" in base64 is 68 characters). */
const MAX_GLOBAL_ID = 200;

/** The shape of each Node type's database key when it is not a UUID (every Node type today has one). */
const KEY_SHAPES: Record<string, keyof typeof KEY_PATTERNS> = {};

/** A decoded global id that names no node: Relay's node field answers null for it. */
export const NO_NODE = Object.freeze({ typename: '', id: '' });

/**
 * The database id inside a global id of the given type, or null when the id is malformed or names
 * another type — callers answer both with NotFoundError, exactly as for an id that does not exist.
 */
export function decodeId(typename: string, globalId: string): string | null {
  const decoded = decodeNodeId(globalId);
  return decoded.typename === typename && keyFits(typename, decoded.id) ? decoded.id : null;
}

export function encodeId(typename: string, id: string): string {
  return encodeGlobalID(typename, id);
}

/**
 * Relay's `decodeGlobalID` that never throws: an id that is not base64 of `Type:key` becomes
 * NO_NODE, so `node(id:)` answers null rather than "Invalid global ID".
 */
export function decodeNodeId(globalId: string): { typename: string; id: string } {
  if (typeof globalId !== 'string' || globalId.length > MAX_GLOBAL_ID) return NO_NODE;
  try {
    return decodeGlobalID(globalId);
  } catch {
    return NO_NODE;
  }
}

/**
 * Whether a decoded id names a node that can exist: a concrete object type of the schema that
 * implements Node (not the Node interface, not `constructor` or `__proto__`), with a key of that
 * type's shape. Anything else must never reach Pothos's loader lookup, whose framework messages
 * ("has not been implemented", "Expected ref to resolve…") would leak.
 */
export function isKnownNodeId(decoded: { typename: string; id: unknown } | null | undefined, info: GraphQLResolveInfo): boolean {
  if (!decoded || typeof decoded.typename !== 'string' || typeof decoded.id !== 'string') return false;
  const type = info.schema.getType(decoded.typename);
  if (!isObjectType(type) || !type.getInterfaces().some((i) => i.name === 'Node')) return false;
  return keyFits(decoded.typename, decoded.id);
}

function keyFits(typename: string, key: string): boolean {
  return KEY_PATTERNS[Object.hasOwn(KEY_SHAPES, typename) ? KEY_SHAPES[typename]! : 'uuid'].test(key);
}
