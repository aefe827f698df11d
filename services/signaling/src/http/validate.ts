// Node: parse request input with the shared contracts; a failure is a 400 naming the field and
// rule (never echoing the value, which may be a patient's name).
import type { z } from 'zod';
import { AppError } from '../errors.js';

/** Errors of classic zod and of zod/mini (the shared socket contracts) alike. */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const where = i.path.length > 0 ? i.path.map(String).join('.') : null;
      const keys =
        'keys' in i && Array.isArray(i.keys)
          ? ` (${i.keys.slice(0, 5).join(', ').slice(0, 100)})`
          : '';
      return where ? `${where}: ${i.message}` : `${i.message}${keys}`;
    })
    .join('; ')
    .slice(0, 480);
}

export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  if (value === undefined || value === null) {
    throw new AppError('bad-request', `${what} is required (JSON object)`);
  }
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('bad-request', `Invalid ${what}: ${describeIssues(r.error)}`);
  return r.data;
}
