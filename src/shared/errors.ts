/** The one vocabulary of expected failures, shared by the services and the GraphQL `ErrorCode` enum. */
export const ERROR_CODES = ['VALIDATION', 'NOT_FOUND', 'SLOT_UNAVAILABLE', 'CONFLICT', 'FORBIDDEN', 'QUOTA_EXCEEDED', 'RATE_LIMITED'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type FieldError = { path: string[]; message: string };

/** An expected failure: returned to clients as data, inside a mutation's result union. */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
}

export class ValidationError extends DomainError {
  override name = 'ValidationError';
  readonly code = 'VALIDATION' as const;
  readonly fieldErrors: FieldError[];
  constructor(fieldErrors: FieldError[], message?: string) {
    super(message ?? summarise(fieldErrors));
    this.fieldErrors = fieldErrors;
  }
  /** A failure of one input field, e.g. `ValidationError.field(['input', 'remindAt'], 'must be in the future')`. */
  static field(path: string[], message: string): ValidationError {
    return new ValidationError([{ path, message }]);
  }
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  readonly code = 'NOT_FOUND' as const;
  /** The same message for "absent" and "another account's": tenants learn nothing about each other. */
  constructor(what: string, id: string) {
    super(`No ${what} with id "${id}"`);
  }
}

export class ConflictError extends DomainError {
  override name = 'ConflictError';
  readonly code = 'CONFLICT' as const;
}

/**
 * An account reached one of its limits (config `limits`, README "Limits and fairness"): nothing was
 * changed. `limit` names it as `me { limits }` does (e.g. "activeReminders"); `value` is its value.
 */
export class QuotaExceededError extends DomainError {
  override name = 'QuotaExceededError';
  readonly code = 'QUOTA_EXCEEDED' as const;
  readonly limit: string;
  readonly value: number;
  constructor(limit: string, value: number, message?: string) {
    super(message ?? `The account has reached its limit of ${value} for ${limit}`);
    this.limit = limit;
    this.value = value;
  }
}

function summarise(fieldErrors: FieldError[]): string {
  if (fieldErrors.length === 0) return 'Invalid input';
  return fieldErrors.map((e) => `${e.path.join('.')}: ${e.message}`).join('; ');
}
