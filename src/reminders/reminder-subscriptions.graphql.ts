import { GraphQLError } from 'graphql';
import { builder } from '../graphql/builder.ts';
import { viewerOf } from '../graphql/context.ts';
import { ReminderRef } from './reminder.graphql.ts';
import { noteResumeCursor } from '../platform/shared-subscriptions.ts';
import { decodeCursor, encodeCursor, expiredStream, reminderStream, type ExpiredEvent } from './streams.ts';

const ReminderExpiredRef = builder.objectRef<ExpiredEvent>('ReminderExpired').implement({
  fields: (t) => ({
    reminder: t.field({ type: ReminderRef, nullable: false, resolve: (e) => e.reminder }),
    occurrenceAt: t.expose('occurrenceAt', { type: 'DateTime', nullable: false, description: 'The time it was due' }),
    firedAt: t.expose('firedAt', { type: 'DateTime', nullable: false }),
    latenessMs: t.exposeInt('latenessMs', { nullable: false, description: 'firedAt − occurrenceAt' }),
    cursor: t.exposeString('cursor', { nullable: false, description: 'Pass to reminderExpired(after:) to resume after this one' }),
  }),
});

builder.subscriptionField('reminderCreated', (t) =>
  t.field({
    type: ReminderRef,
    nullable: false,
    authScopes: { account: true },
    subscribe: (_root, _args, ctx) => reminderStream(ctx.services.pubsub, 'reminder:created', viewerOf(ctx).accountId, () => ctx.em.fork()),
    resolve: (reminder) => reminder,
  }),
);

builder.subscriptionField('reminderUpdated', (t) =>
  t.field({
    type: ReminderRef,
    nullable: false,
    description: 'The reminder after every change, status changes included.',
    authScopes: { account: true },
    subscribe: (_root, _args, ctx) => reminderStream(ctx.services.pubsub, 'reminder:updated', viewerOf(ctx).accountId, () => ctx.em.fork()),
    resolve: (reminder) => reminder,
  }),
);

builder.subscriptionField('reminderExpired', (t) =>
  t.field({
    type: ReminderExpiredRef,
    nullable: false,
    description: 'Each expiry of the account\'s reminders. With `after`, first replays every expiry after that cursor, then goes live, without gaps or duplicates.',
    authScopes: { account: true },
    args: { after: t.arg.string() },
    subscribe: (_root, args, ctx) => {
      let after: bigint | null = null;
      if (args.after != null) {
        after = decodeCursor(args.after);
        if (after === null) throw new GraphQLError('after is not a reminderExpired cursor');
      }
      return expiredStream(ctx.services.pubsub, viewerOf(ctx).accountId, after, () => ctx.em.fork());
    },
    resolve: (event, _args, ctx) => {
      // A subscriber that lags on this expiry resumes just before it (a shared execution tells it so).
      noteResumeCursor(ctx, encodeCursor(String(BigInt(event.id) - 1n)));
      return event;
    },
  }),
);
