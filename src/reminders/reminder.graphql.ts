import { GraphQLError } from 'graphql';
import { builder } from '../graphql/builder.ts';
import { viewerOf, type Context } from '../graphql/context.ts';
import { decodeId } from '../graphql/ids.ts';
import { NotFoundError } from '../shared/errors.ts';
import { CHANNEL_KINDS, REMINDER_STATUSES, Reminder, type Channel, type ReminderStatus } from './reminder.entity.ts';
import { ATTEMPT_OUTCOMES, DELIVERY_STATUSES, DeliveryAttempt, ReminderDelivery, ReminderOccurrence } from './occurrence.entity.ts';
import { encodeCursor } from './streams.ts';
import { loadAttempts, loadDeliveries, loadNextAttemptAt, loadOccurrences } from './reminder.loaders.ts';

export const ReminderRef = builder.objectRef<Reminder>('Reminder');
export const ReminderStatusEnum = builder.enumType('ReminderStatus', { values: REMINDER_STATUSES });
export const ChannelKindEnum = builder.enumType('ChannelKind', { values: CHANNEL_KINDS });
const DeliveryStatusEnum = builder.enumType('DeliveryStatus', { values: DELIVERY_STATUSES });
const DeliveryOutcomeEnum = builder.enumType('DeliveryOutcome', { values: ATTEMPT_OUTCOMES });

const ChannelRef = builder.objectRef<Channel>('ReminderChannel').implement({
  description: 'A delivery channel besides in-app: a webhook URL or an e-mail address.',
  fields: (t) => ({
    kind: t.field({ type: ChannelKindEnum, nullable: false, resolve: (c) => c.kind }),
    target: t.exposeString('target', { nullable: false }),
  }),
});

const OccurrenceRef = builder.objectRef<ReminderOccurrence>('ReminderOccurrence');
export const DeliveryRef = builder.objectRef<ReminderDelivery>('ReminderDelivery');
const AttemptRef = builder.objectRef<DeliveryAttempt>('DeliveryAttempt');

/** The reminder of the viewer's account with this database id, or null. */
export function loadOwnReminder(ctx: Context, id: string): Promise<Reminder | null> {
  return ctx.viewer ? ctx.em.findOne(Reminder, { id, account: ctx.viewer.accountId }) : Promise.resolve(null);
}

builder.node(ReminderRef, {
  id: { resolve: (reminder) => reminder.id },
  loadOne: (id, ctx) => loadOwnReminder(ctx, id),
  fields: (t) => ({
    message: t.exposeString('message', { nullable: false }),
    remindAt: t.expose('remindAt', { type: 'DateTime', nullable: false, description: 'The current (next) occurrence' }),
    timeZone: t.exposeString('timeZone', { nullable: false, description: 'IANA time zone the recurrence expands in' }),
    recurrence: t.string({ nullable: true, description: 'RFC 5545 RRULE body, e.g. FREQ=DAILY;COUNT=5', resolve: (r) => r.recurrence ?? null }),
    status: t.field({
      type: ReminderStatusEnum,
      nullable: false,
      description: 'SCHEDULED → PROCESSING → SENT (RETRIED while a channel retries, FAILED once one gives up). A recurring reminder '
        + 'returns to SCHEDULED once its occurrence\'s deliveries are done; that outcome stays on `occurrences`.',
      resolve: (r) => r.status,
    }),
    firedAt: t.field({ type: 'DateTime', nullable: true, description: 'Last time it fired', resolve: (r) => r.firedAt ?? null }),
    failureReason: t.string({
      nullable: true,
      description: 'Why the reminder could not be fired (it is FAILED and nothing is scheduled): the error of its last try. '
        + 'Rescheduling it (updateReminder) tries again. Null otherwise; failed deliveries are on `occurrences`.',
      resolve: (r) => (r.status === 'FAILED' ? r.failureReason ?? null : null),
    }),
    graceSeconds: t.int({ nullable: true, description: 'Fired later than this after its time (e.g. after downtime), it is MISSED instead', resolve: (r) => r.graceSeconds ?? null }),
    channels: t.field({ type: [ChannelRef], nullable: false, resolve: (r) => r.channels }),
    occurrences: t.field({
      type: [OccurrenceRef],
      nullable: false,
      description: 'Its expiries and misses, newest first.',
      args: { first: t.arg.int({ defaultValue: 20 }) },
      resolve: (r, args, ctx) => loadOccurrences(ctx, r.id, clamp(args.first ?? 20, 0, 500)),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: false }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: false }),
  }),
});

OccurrenceRef.implement({
  description: 'One expiry (or miss) of a reminder, with the delivery of each channel.',
  fields: (t) => ({
    cursor: t.string({ nullable: false, description: 'Resume reminderExpired(after:) after this one', resolve: (o) => encodeCursor(String(o.id)) }),
    occurrenceAt: t.expose('dueAt', { type: 'DateTime', nullable: false, description: 'When it was due' }),
    firedAt: t.expose('firedAt', { type: 'DateTime', nullable: false, description: 'When the worker handled it' }),
    latenessMs: t.exposeInt('latenessMs', { nullable: false }),
    status: t.field({ type: ReminderStatusEnum, nullable: false, description: 'PROCESSING, RETRIED, SENT, FAILED or MISSED', resolve: (o) => o.status }),
    deliveries: t.field({
      type: [DeliveryRef],
      nullable: false,
      resolve: (o, _args, ctx) => loadDeliveries(ctx, String(o.id)),
    }),
  }),
});

builder.node(DeliveryRef, {
  description: 'One channel\'s delivery of one occurrence. Its raw id (inside this global id) is the X-Tickler-Delivery header and the deliveryId of every webhook request for it, retries and redeliveries included.',
  id: { resolve: (d) => d.id },
  loadOne: (id, ctx) => (ctx.viewer ? ctx.em.findOne(ReminderDelivery, { id, occurrence: { accountId: ctx.viewer.accountId } }) : null),
  fields: (t) => ({
    channel: t.field({ type: ChannelKindEnum, nullable: false, resolve: (d) => d.kind }),
    target: t.exposeString('target', { nullable: false }),
    status: t.field({ type: DeliveryStatusEnum, nullable: false, resolve: (d) => d.status }),
    attempts: t.field({
      type: [AttemptRef],
      nullable: false,
      resolve: (d, _args, ctx) => loadAttempts(ctx, d.id),
    }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When pg-boss will try again (with backoff and jitter), while RETRYING',
      resolve: (d, _args, ctx) => (d.status === 'RETRYING' ? loadNextAttemptAt(ctx, d.id) : null),
    }),
  }),
});

AttemptRef.implement({
  fields: (t) => ({
    attempt: t.exposeInt('attempt', { nullable: false }),
    attemptedAt: t.expose('attemptedAt', { type: 'DateTime', nullable: false }),
    durationMs: t.exposeInt('durationMs', { nullable: false }),
    outcome: t.field({ type: DeliveryOutcomeEnum, nullable: false, resolve: (a) => a.outcome }),
    error: t.string({ nullable: true, resolve: (a) => a.error ?? null }),
  }),
});

builder.queryField('reminder', (t) =>
  t.field({
    type: ReminderRef,
    nullable: true,
    authScopes: { account: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => {
      const uuid = decodeId('Reminder', String(id));
      return uuid ? loadOwnReminder(ctx, uuid) : null;
    },
  }),
);

const DEFAULT_PAGE = 100;
const MAX_PAGE = 5000;

builder.queryField('reminders', (t) =>
  t.connection(
    {
      type: ReminderRef,
      nullable: false,
      authScopes: { account: true },
      description: `The account's reminders by remindAt, then id (soonest first); ${DEFAULT_PAGE} per page by default, at most ${MAX_PAGE}.`,
      args: { status: t.arg({ type: ReminderStatusEnum }) },
      resolve: async (_root, args, ctx) => {
        // Forward (first/after, soonest first) or backward (last/before: the latest ones, e.g. the
        // console's "Latest first"); edges are in remindAt order either way, as Relay has it.
        const backward = args.last != null || args.before != null;
        if (backward && (args.first != null || args.after != null)) throw new GraphQLError('use first/after or last/before, not both');
        const size = (backward ? args.last : args.first) ?? DEFAULT_PAGE;
        if (size < 0 || size > MAX_PAGE) throw new GraphQLError(`${backward ? 'last' : 'first'} must be between 0 and ${MAX_PAGE}`);
        const cursor = backward ? (args.before ? decodePageCursor(args.before, 'before') : null) : (args.after ? decodePageCursor(args.after, 'after') : null);
        const where: Record<string, unknown> = { account: viewerOf(ctx).accountId };
        if (args.status) where.status = args.status as ReminderStatus;
        const beyond = backward ? '$lt' : '$gt';
        if (cursor) where.$or = [{ remindAt: { [beyond]: cursor.at } }, { remindAt: cursor.at, id: { [beyond]: cursor.id } }];
        const direction = backward ? 'desc' : 'asc';
        const rows = await ctx.em.find(Reminder, where, { orderBy: { remindAt: direction, id: direction }, limit: size + 1 });
        const page = rows.slice(0, size);
        if (backward) page.reverse();
        const edges = page.map((node) => ({ node, cursor: encodePageCursor(node) }));
        const more = rows.length > size;
        return {
          edges,
          pageInfo: {
            hasNextPage: backward ? cursor !== null : more,
            hasPreviousPage: backward ? more : cursor !== null,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
        };
      },
    },
    { name: 'ReminderConnection' },
    { name: 'ReminderEdge' },
  ),
);

function encodePageCursor(reminder: Reminder): string {
  return Buffer.from(`reminder:${reminder.remindAt.toISOString()}|${reminder.id}`).toString('base64url');
}

function decodePageCursor(cursor: string, arg: 'after' | 'before'): { at: Date; id: string } {
  const match = /^reminder:([^|]+)\|([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString());
  const at = match ? new Date(match[1]!) : null;
  if (!match || !at || Number.isNaN(at.getTime())) throw new GraphQLError(`${arg} is not a cursor of reminders`);
  return { at, id: match[2]! };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** The database id of a reminder's global id; NotFoundError (as for a missing one) when malformed. */
export function reminderIdOf(globalId: string | number): string {
  const id = decodeId('Reminder', String(globalId));
  if (!id) throw new NotFoundError('reminder', String(globalId));
  return id;
}
