import { ERROR_CODES, NotFoundError, QuotaExceededError, ValidationError, type DomainError } from '../shared/errors.ts';
import { builder } from './builder.ts';

export const ErrorCodeEnum = builder.enumType('ErrorCode', { values: ERROR_CODES });

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'Every expected failure is returned as data, as one of these, inside the mutation\'s result union.',
  fields: (t) => ({
    message: t.exposeString('message', { nullable: false }),
    code: t.field({ type: ErrorCodeEnum, nullable: false, resolve: (error) => error.code }),
  }),
});

const FieldErrorRef = builder.simpleObject('FieldError', {
  fields: (t) => ({
    path: t.stringList({ nullable: false }),
    message: t.string({ nullable: false }),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    fieldErrors: t.field({ type: [FieldErrorRef], nullable: false, resolve: (error) => error.fieldErrors }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(QuotaExceededError, {
  name: 'QuotaExceededError',
  description: 'The account reached one of its limits (me { limits }); nothing was changed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    limit: t.exposeString('limit', { nullable: false, description: 'Which limit, as named in AccountLimits, e.g. "activeReminders"' }),
    value: t.exposeInt('value', { nullable: false, description: 'The limit\'s value for this account' }),
  }),
});
