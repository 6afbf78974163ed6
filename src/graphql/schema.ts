import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import './scalars.ts';
import './errors.graphql.ts';
import '../accounts/account.graphql.ts';
import '../calendar/calendar.graphql.ts';
import '../calendar/event.graphql.ts';
import '../calendar/event-mutations.graphql.ts';
import '../calendar/attachment.graphql.ts';
import '../reminders/reminder.graphql.ts';
import '../reminders/reminder-mutations.graphql.ts';
import '../reminders/reminder-subscriptions.graphql.ts';
import '../reminders/redeliver.graphql.ts';
import '../reminders/recurrence-preview.graphql.ts';
import '../calendar/event-reminders.graphql.ts';
import '../feeds/feed.graphql.ts';

let schema: GraphQLSchema | undefined;

/** The executable schema, built once from every feature's types. */
export function getSchema(): GraphQLSchema {
  schema ??= builder.toSchema({ sortSchema: true });
  return schema;
}

/** The SDL committed as schema.graphql. */
export function printSdl(): string {
  return `${printSchema(lexicographicSortSchema(getSchema()))}\n`;
}
