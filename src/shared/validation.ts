import { z } from 'zod';
import { ValidationError, type FieldError } from './errors.ts';
import { isValidTimeZone } from './time-zone.ts';

/**
 * Validates input with a zod schema, turning every issue into a field error whose path starts at
 * `root` (e.g. ['input', 'timeZone']), so a client can point at the offending field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, root: string[] = ['input']): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: FieldError[] = result.error.issues.map((issue) => ({
    path: [...root, ...issue.path.map(String)],
    message: issue.message,
  }));
  throw new ValidationError(fieldErrors);
}

/** A display name: trimmed, 1 to 200 characters. */
export const nameSchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const timeZoneSchema = z.string().refine(isValidTimeZone, {
  message: 'must be an IANA time-zone name such as Europe/Paris or UTC',
});
