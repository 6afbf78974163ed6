import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** The fields a client may ask of an object that a resolver can answer knowing only its id. */
export const ID_ONLY: ReadonlySet<string> = new Set(['id', '__typename']);

/**
 * Whether the field being resolved selects nothing but `allowed` (through fragments too), so that its
 * resolver may answer from what it already knows instead of loading the object.
 */
export function selectsOnly(info: GraphQLResolveInfo, allowed: ReadonlySet<string>): boolean {
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>): boolean => {
    if (!set) return true;
    return set.selections.every((selection) => {
      if (selection.kind === Kind.FIELD) return allowed.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet, seen);
      if (seen.has(selection.name.value)) return true;
      seen.add(selection.name.value);
      return visit(info.fragments[selection.name.value]?.selectionSet, seen);
    });
  };
  return info.fieldNodes.every((node) => visit(node.selectionSet, new Set()));
}
