/**
 * Errors that mean "the database cannot be reached right now" (stopped, restarting, refusing or
 * dropping connections). Requests that meet one get a clear, retryable answer instead of a masked
 * "Unexpected error.", and /ready names the cause.
 */
import { createGraphQLError, maskError as yogaMaskError } from 'graphql-yoga';

// SQLSTATE class 08 (connection exception) and 57P01–57P03 (shutdown, crash, cannot connect now).
const SQLSTATES = /^(08\d{3}|57P0[123])$/;
const ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)/i;

export const UNAVAILABLE_MESSAGE = 'The database is unavailable right now (restarting or unreachable); try again in a few seconds.';

/** Whether `error`, or anything it wraps, says the database is out of reach. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === 'object' && !seen.has(current); ) {
    seen.add(current);
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (SQLSTATES.test(code) || ERRNOS.has(code))) return true;
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
    if (current instanceof AggregateError && current.errors.some(isDatabaseUnavailable)) return true;
    const next = current as { originalError?: unknown; cause?: unknown };
    current = next.originalError ?? next.cause;
  }
  return false;
}

/** Yoga's error masking, except that an unreachable database is said plainly, as a retryable 503. */
export const maskUnavailable: typeof yogaMaskError = (error, message, isDev) => {
  if (isDatabaseUnavailable(error)) {
    return createGraphQLError(UNAVAILABLE_MESSAGE, { extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'retry-after': '5' } } } });
  }
  return yogaMaskError(error, message, isDev);
};

/** A readiness reason: "database unreachable: connect ECONNREFUSED …". */
export function describeUnavailable(what: string, error: unknown): Error {
  const detail = error instanceof Error ? error.message : String(error);
  return new Error(`${what}: ${detail}`);
}
