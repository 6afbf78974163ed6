/**
 * The operations every client shares (console, CLI, bot). Types come from `npm run codegen`
 * (GraphQL Code Generator's client preset over schema.graphql); nothing here is hand-typed.
 */
import { graphql } from './generated/gql.ts';

export const MeQuery = graphql(`
  query Me {
    me { id name timeZone defaultCalendar { id name timeZone } }
  }
`);
