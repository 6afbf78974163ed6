/**
 * Operation documents, each written once in src/client/operations/ and typed by the codegen
 * (`npm run codegen` plucks the `/* GraphQL *\/` strings). A module parses only its own documents and
 * takes the codegen's type of the same name (`typeof XDocument`, imported as a type only), so the
 * generated graphql.ts, which holds every document, is never bundled: each console page carries the
 * documents it uses, and the lazily loaded pages carry theirs.
 */
import { parse } from '@0no-co/graphql.web';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DefinitionNode, DocumentNode } from 'graphql';

/** The document `text` with the fragments it spreads (and theirs) appended, each once. */
export function document<T extends TypedDocumentNode<any, any>>(text: string, ...fragments: DocumentNode[]): T {
  const own = parse(text) as unknown as DocumentNode;
  const seen = new Set<string>();
  const definitions: DefinitionNode[] = [];
  for (const definition of [own, ...fragments].flatMap((d) => d.definitions)) {
    if (definition.kind === 'FragmentDefinition') {
      if (seen.has(definition.name.value)) continue;
      seen.add(definition.name.value);
    }
    definitions.push(definition);
  }
  // No `loc`: urql would print a document from its source text, which holds only `text`.
  return { kind: 'Document', definitions } as unknown as T;
}
