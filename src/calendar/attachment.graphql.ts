import { builder } from '../graphql/builder.ts';
import { viewerOf } from '../graphql/context.ts';
import { decodeId } from '../graphql/ids.ts';
import { NotFoundError, QuotaExceededError, ValidationError } from '../shared/errors.ts';
import { refusingOverLimits } from '../accounts/usage.ts';
import { Event, EventAttachment } from './event.entity.ts';
import { EventRef } from './event.graphql.ts';
import * as attachments from './attachment.service.ts';

export const EventAttachmentRef = builder.objectRef<EventAttachment>('EventAttachment');

builder.node(EventAttachmentRef, {
  id: { resolve: (attachment) => attachment.id },
  loadOne: (id, ctx) => (ctx.viewer ? ctx.em.findOne(EventAttachment, { id, account: ctx.viewer.accountId }) : null),
  fields: (t) => ({
    filename: t.exposeString('filename', { nullable: false }),
    contentType: t.exposeString('contentType', { nullable: false }),
    size: t.exposeInt('size', { nullable: false, description: 'Bytes' }),
    sha256: t.exposeString('sha256', { nullable: false, description: 'Hex SHA-256 of the content' }),
    url: t.string({
      nullable: false,
      description: 'Path on this server to GET the file from, with the same Authorization header',
      resolve: (attachment) => attachments.attachmentPath(attachment.id),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: false }),
  }),
});

builder.objectField(EventRef, 'attachments', (t) =>
  t.field({ type: [EventAttachmentRef], nullable: false, resolve: (event, _args, ctx) => attachments.listAttachments(ctx.em, event.id) }),
);

const AddEventAttachmentPayload = builder.simpleObject('AddEventAttachmentPayload', {
  fields: (t) => ({
    attachment: t.field({ type: EventAttachmentRef, nullable: false }),
    event: t.field({ type: EventRef, nullable: false }),
  }),
});

builder.mutationField('addEventAttachment', (t) =>
  t.field({
    type: AddEventAttachmentPayload,
    nullable: false,
    description: 'Attaches a file (GraphQL multipart request) to an event; the size limit is ATTACHMENT_MAX_BYTES.',
    authScopes: { account: true },
    args: { eventId: t.arg.id({ required: true }), file: t.arg({ type: 'File', required: true }) },
    errors: { types: [ValidationError, NotFoundError, QuotaExceededError], union: { name: 'AddEventAttachmentResult' } },
    resolve: async (_root, args, ctx) => {
      const eventId = decodeId('Event', String(args.eventId));
      if (!eventId) throw new NotFoundError('event', String(args.eventId));
      const { accountId } = viewerOf(ctx);
      const { attachmentMaxBytes, limits } = ctx.services.config;
      const attachment = await refusingOverLimits(limits, () => ctx.em.transactional((em) =>
        attachments.addAttachment(em, accountId, eventId, args.file, attachmentMaxBytes, limits)));
      return { attachment, event: await ctx.em.findOneOrFail(Event, eventId) };
    },
  }),
);

const RemoveEventAttachmentPayload = builder.simpleObject('RemoveEventAttachmentPayload', {
  fields: (t) => ({ id: t.id({ nullable: false }) }),
});

builder.mutationField('removeEventAttachment', (t) =>
  t.field({
    type: RemoveEventAttachmentPayload,
    nullable: false,
    authScopes: { account: true },
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [NotFoundError], union: { name: 'RemoveEventAttachmentResult' } },
    resolve: async (_root, { id }, ctx) => {
      const attachmentId = decodeId('EventAttachment', String(id));
      if (!attachmentId) throw new NotFoundError('attachment', String(id));
      await ctx.em.transactional((em) => attachments.removeAttachment(em, viewerOf(ctx).accountId, attachmentId));
      return { id: String(id) };
    },
  }),
);
