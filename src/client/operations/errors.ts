/** The error members of the result unions, selected the same way by every client (see `unwrap`). */
import { document } from '../document.ts';
import type { NotFoundErrorFieldsFragmentDoc, ValidationErrorFieldsFragmentDoc } from '../generated/graphql.ts';

export const ValidationErrorFields = document<typeof ValidationErrorFieldsFragmentDoc>(/* GraphQL */ `
  fragment ValidationErrorFields on ValidationError { message code fieldErrors { path message } }
`);

export const NotFoundErrorFields = document<typeof NotFoundErrorFieldsFragmentDoc>(/* GraphQL */ `
  fragment NotFoundErrorFields on NotFoundError { message code }
`);
