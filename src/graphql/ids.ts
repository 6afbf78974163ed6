import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The database id inside a global id of the given type, or null when the id is malformed or names
 * another type — callers answer both with NotFoundError, exactly as for an id that does not exist.
 */
export function decodeId(typename: string, globalId: string): string | null {
  try {
    const { typename: actual, id } = decodeGlobalID(globalId);
    return actual === typename && UUID.test(id) ? id : null;
  } catch {
    return null;
  }
}

export function encodeId(typename: string, id: string): string {
  return encodeGlobalID(typename, id);
}
