import { builder } from '../graphql/builder.ts';
import { viewerOf } from '../graphql/context.ts';
import { decodeId } from '../graphql/ids.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { Reminder } from './reminder.entity.ts';
import { ReminderDelivery } from './occurrence.entity.ts';
import { DeliveryRef, ReminderRef } from './reminder.graphql.ts';
import { REDELIVER_BATCH, redeliver, redeliverFailed } from './redeliver.service.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A ReminderDelivery's global id, or the raw id a webhook receiver saw in X-Tickler-Delivery. */
function deliveryIdOf(id: string): string {
  const decoded = decodeId('ReminderDelivery', id) ?? (UUID.test(id) ? id.toLowerCase() : null);
  if (!decoded) throw new NotFoundError('delivery', id);
  return decoded;
}

const RedeliverPayload = builder.simpleObject('RedeliverPayload', {
  fields: (t) => ({
    delivery: t.field({ type: DeliveryRef, nullable: false }),
    reminder: t.field({ type: ReminderRef, nullable: false }),
  }),
});

const RedeliverFailedInput = builder.inputType('RedeliverFailedInput', {
  fields: (t) => ({
    reminderId: t.id({ description: 'Only this reminder\'s failed deliveries' }),
    since: t.field({ type: 'DateTime', description: 'Only deliveries whose last attempt was at or after this instant' }),
  }),
});

const RedeliverFailedPayload = builder.simpleObject('RedeliverFailedPayload', {
  fields: (t) => ({ count: t.int({ nullable: false, description: 'How many deliveries were queued again' }) }),
});

builder.mutationField('redeliver', (t) =>
  t.field({
    type: RedeliverPayload,
    nullable: false,
    description: 'Sends a FAILED delivery again: it becomes RETRYING, new attempts append to its history, then SENT or FAILED '
      + '(reminderUpdated reports each change). `deliveryId` is the ReminderDelivery id or the X-Tickler-Delivery value.',
    authScopes: { account: true },
    args: { deliveryId: t.arg.id({ required: true }) },
    errors: { types: [ValidationError, NotFoundError], union: { name: 'RedeliverResult' } },
    resolve: async (_root, args, ctx) => {
      const id = deliveryIdOf(String(args.deliveryId));
      return ctx.em.transactional(async (em) => {
        const done = await redeliver(em, ctx.services, viewerOf(ctx).accountId, id, String(args.deliveryId));
        const delivery = await em.findOneOrFail(ReminderDelivery, done.deliveryId);
        const reminder = await em.findOneOrFail(Reminder, done.reminderId);
        return { delivery, reminder };
      });
    },
  }),
);

builder.mutationField('redeliverFailed', (t) =>
  t.field({
    type: RedeliverFailedPayload,
    nullable: false,
    description: `Sends the account's FAILED deliveries again (of one reminder, and/or failed since an instant), oldest first, at most ${REDELIVER_BATCH} a call: call again while count is ${REDELIVER_BATCH}.`,
    authScopes: { account: true },
    args: { input: t.arg({ type: RedeliverFailedInput, required: true }) },
    errors: { types: [ValidationError, NotFoundError], union: { name: 'RedeliverFailedResult' } },
    resolve: async (_root, { input }, ctx) => {
      let reminderId: string | null = null;
      if (input.reminderId != null) {
        reminderId = decodeId('Reminder', String(input.reminderId));
        if (!reminderId) throw new NotFoundError('reminder', String(input.reminderId));
      }
      const count = await ctx.em.transactional((em) => redeliverFailed(em, ctx.services, viewerOf(ctx).accountId, { reminderId, reminderLabel: String(input.reminderId), since: input.since ?? null }));
      return { count };
    },
  }),
);
