import { builder } from '../graphql/builder.ts';
import { viewerOf } from '../graphql/context.ts';
import { decodeId } from '../graphql/ids.ts';
import { NotFoundError, QuotaExceededError, ValidationError } from '../shared/errors.ts';
import { refusingOverLimits } from '../accounts/usage.ts';
import { ChannelKindEnum, ReminderRef, reminderIdOf } from './reminder.graphql.ts';
import * as reminders from './reminder.service.ts';

const ChannelInput = builder.inputType('ChannelInput', {
  fields: (t) => ({
    kind: t.field({ type: ChannelKindEnum, required: true }),
    target: t.string({ required: true, description: 'A URL for WEBHOOK, an address for EMAIL' }),
  }),
});

const CreateReminderInput = builder.inputType('CreateReminderInput', {
  fields: (t) => ({
    message: t.string({ required: true, description: '1 to 2,000 characters' }),
    remindAt: t.field({ type: 'DateTime', required: true, description: 'Not in the past; the first occurrence of a recurring reminder' }),
    timeZone: t.string({ description: 'IANA time zone; default: the account\'s' }),
    recurrence: t.string({ description: 'RFC 5545 RRULE body, expanded in timeZone, e.g. FREQ=DAILY;COUNT=5' }),
    channels: t.field({ type: [ChannelInput], description: 'In-app (subscriptions) is always on' }),
    eventId: t.id(),
    idempotencyKey: t.string({ description: 'The same key from the same account returns the first reminder' }),
    graceSeconds: t.int({ description: 'If it would fire later than this after its time (downtime), it is MISSED instead' }),
  }),
});

const UpdateReminderInput = builder.inputType('UpdateReminderInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    message: t.string(),
    remindAt: t.field({ type: 'DateTime', description: 'A new time reschedules: the old time never fires' }),
    timeZone: t.string(),
    recurrence: t.string({ description: 'null or "" removes the recurrence' }),
    graceSeconds: t.int(),
  }),
});

const SnoozeReminderInput = builder.inputType('SnoozeReminderInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    until: t.field({ type: 'DateTime', description: 'Exactly one of until and minutes' }),
    minutes: t.int({ description: 'Greater than 0' }),
  }),
});

const payload = (name: string) =>
  builder.simpleObject(name, { fields: (t) => ({ reminder: t.field({ type: ReminderRef, nullable: false }) }) });

const CreateReminderPayload = payload('CreateReminderPayload');
const UpdateReminderPayload = payload('UpdateReminderPayload');
const CancelReminderPayload = payload('CancelReminderPayload');
const ExpireReminderPayload = payload('ExpireReminderPayload');
const SnoozeReminderPayload = payload('SnoozeReminderPayload');

builder.mutationField('createReminder', (t) =>
  t.field({
    type: CreateReminderPayload,
    nullable: false,
    description: 'Schedules a reminder; every connected client of the account hears reminderCreated.',
    authScopes: { account: true },
    args: { input: t.arg({ type: CreateReminderInput, required: true }) },
    // QuotaExceededError: LIMIT_ACTIVE_REMINDERS, LIMIT_CHANNELS_PER_REMINDER.
    errors: { types: [ValidationError, NotFoundError, QuotaExceededError], union: { name: 'CreateReminderResult' } },
    resolve: async (_root, { input }, ctx) => {
      const { accountId } = viewerOf(ctx);
      let eventId: string | null = null;
      if (input.eventId != null) {
        eventId = decodeId('Event', String(input.eventId));
        if (!eventId) throw new NotFoundError('event', String(input.eventId));
      }
      // One statement, atomic on its own (reminder.service.ts): no transaction to open around it.
      const reminder = await reminders.createReminder(ctx.em, ctx.services, accountId, { ...input, eventId });
      return { reminder };
    },
  }),
);

builder.mutationField('updateReminder', (t) =>
  t.field({
    type: UpdateReminderPayload,
    nullable: false,
    authScopes: { account: true },
    args: { input: t.arg({ type: UpdateReminderInput, required: true }) },
    // QuotaExceededError: rescheduling a reminder that had ended makes it active again.
    errors: { types: [ValidationError, NotFoundError, QuotaExceededError], union: { name: 'UpdateReminderResult' } },
    resolve: async (_root, { input }, ctx) => {
      const id = reminderIdOf(input.id);
      const { id: _globalId, ...changes } = input;
      const reminder = await refusingOverLimits(ctx.services.config.limits, () =>
        ctx.em.transactional((em) => reminders.updateReminder(em, ctx.services, viewerOf(ctx).accountId, id, changes, String(input.id))));
      return { reminder };
    },
  }),
);

builder.mutationField('cancelReminder', (t) =>
  t.field({
    type: CancelReminderPayload,
    nullable: false,
    description: 'It never fires again, and its pending deliveries stop.',
    authScopes: { account: true },
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [NotFoundError], union: { name: 'CancelReminderResult' } },
    resolve: async (_root, args, ctx) => {
      const id = reminderIdOf(args.id);
      // One statement, atomic on its own (reminder.service.ts): no transaction to open around it.
      const reminder = await reminders.cancelReminder(ctx.em, ctx.services, viewerOf(ctx).accountId, id, String(args.id));
      return { reminder };
    },
  }),
);

builder.mutationField('expireReminder', (t) =>
  t.field({
    type: ExpireReminderPayload,
    nullable: false,
    description: 'Expires the pending occurrence now, through the same path as a due one (reminderExpired follows within milliseconds).',
    authScopes: { account: true },
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [NotFoundError, ValidationError], union: { name: 'ExpireReminderResult' } },
    resolve: async (_root, args, ctx) => {
      const id = reminderIdOf(args.id);
      const reminder = await ctx.em.transactional((em) => reminders.expireReminder(em, ctx.services, viewerOf(ctx).accountId, id, String(args.id)));
      return { reminder };
    },
  }),
);

builder.mutationField('snoozeReminder', (t) =>
  t.field({
    type: SnoozeReminderPayload,
    nullable: false,
    description: 'The current occurrence fires again at `until`, or `minutes` from now.',
    authScopes: { account: true },
    args: { input: t.arg({ type: SnoozeReminderInput, required: true }) },
    // QuotaExceededError: snoozing a reminder that had ended makes it active again.
    errors: { types: [ValidationError, NotFoundError, QuotaExceededError], union: { name: 'SnoozeReminderResult' } },
    resolve: async (_root, { input }, ctx) => {
      const id = reminderIdOf(input.id);
      const reminder = await refusingOverLimits(ctx.services.config.limits, () =>
        ctx.em.transactional((em) => reminders.snoozeReminder(em, ctx.services, viewerOf(ctx).accountId, id, input, String(input.id))));
      return { reminder };
    },
  }),
);
