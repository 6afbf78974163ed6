/**
 * Client-side errors: every failure a client can meet, with a kind a program can branch on and a
 * message a person can read. The API's error unions (ValidationError, NotFoundError,
 * SlotUnavailableError) arrive as data; `unwrap` turns them into these.
 */

export type ClientErrorKind =
  | 'auth' // missing, wrong or revoked token (HTTP 401, WebSocket 4401)
  | 'forbidden' // a valid token that may not do this (the admin token outside createAccount)
  | 'network' // the server cannot be reached
  | 'server' // GraphQL errors, unexpected answers
  | 'validation'
  | 'not-found'
  | 'slot-unavailable'
  | 'conflict'
  | 'usage'; // the caller's input, before it reached the API

export type FieldProblem = { path: readonly string[]; message: string };
export type Slot = { startsAt: string; endsAt: string };
export type Conflict = { title: string; startsAt: string; endsAt?: string; id?: string };

export class TicklerClientError extends Error {
  readonly kind: ClientErrorKind;
  readonly fieldErrors: readonly FieldProblem[];
  readonly conflicts: readonly Conflict[];
  readonly suggestions: readonly Slot[];
  /** The zone the conflicts and suggestions are best shown in, when the caller knows it. */
  timeZone: string | null = null;

  constructor(
    kind: ClientErrorKind,
    message: string,
    details: { fieldErrors?: readonly FieldProblem[]; conflicts?: readonly Conflict[]; suggestions?: readonly Slot[]; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TicklerClientError';
    this.kind = kind;
    this.fieldErrors = details.fieldErrors ?? [];
    this.conflicts = details.conflicts ?? [];
    this.suggestions = details.suggestions ?? [];
  }
}

/** The API's field path without the `input` wrapper every mutation argument has. */
export function fieldName(path: readonly string[]): string {
  const parts = path[0] === 'input' && path.length > 1 ? path.slice(1) : path;
  return parts.join('.');
}

/** "remindAt: must not be in the past; message: too long" */
export function describeFieldErrors(fieldErrors: readonly FieldProblem[]): string {
  return fieldErrors.map((e) => (e.path.length ? `${fieldName(e.path)}: ${e.message}` : e.message)).join('; ');
}

type ErrorShape = {
  __typename: string;
  message?: string;
  fieldErrors?: readonly FieldProblem[];
  conflicts?: readonly Conflict[];
  suggestions?: readonly Slot[];
};

/** The error of a result union as a TicklerClientError, with a message naming every bad field. */
export function errorFromUnion(result: ErrorShape): TicklerClientError {
  const message = result.message ?? result.__typename;
  switch (result.__typename) {
    case 'ValidationError': {
      const fieldErrors = result.fieldErrors ?? [];
      // The server's message usually names the fields already; add only what it leaves out.
      const missing = fieldErrors.filter((e) => !message.includes(e.message) || !message.includes(fieldName(e.path)));
      const fields = describeFieldErrors(missing);
      return new TicklerClientError('validation', fields ? `${message}: ${fields}` : message, { fieldErrors });
    }
    case 'NotFoundError':
      return new TicklerClientError('not-found', message);
    case 'SlotUnavailableError':
      return new TicklerClientError('slot-unavailable', message, { conflicts: result.conflicts ?? [], suggestions: result.suggestions ?? [] });
    default:
      return new TicklerClientError('server', message);
  }
}

/**
 * The payload member of a mutation's result union, or the error member thrown as a
 * TicklerClientError. `ok` is the payload's __typename (select `__typename` in the operation).
 */
export function unwrap<T extends { __typename?: string }, K extends NonNullable<T['__typename']>>(result: T, ok: K): Extract<T, { __typename?: K }> {
  if (result.__typename === ok) return result as Extract<T, { __typename?: K }>;
  throw errorFromUnion(result as unknown as ErrorShape);
}

/** Exit codes the CLI (and any script around a client) can branch on. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof TicklerClientError) {
    if (error.kind === 'auth') return 4;
    if (error.kind === 'usage') return 2;
  }
  return 1;
}
