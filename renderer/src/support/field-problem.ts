import { z } from 'zod';

import type { ErrorView } from './error-text.js';

/** The `issues` detail of an `invalid_arguments` error: each problem with the argument's path. */
const issuesSchema = z.array(z.object({ path: z.string(), message: z.string() }));

/**
 * Returns the text to show next to the input for `field`: the service's sentences about that
 * argument when it rejected the arguments, else the error's message, because the failed call was
 * about this field whatever the cause.
 */
export function fieldProblem(error: ErrorView, field: string): string {
  if (error.code !== 'invalid_arguments') return error.message;
  const issues = issuesSchema.safeParse(error.details['issues']);
  if (!issues.success) return error.message;

  const matching = issues.data.filter((issue) => isWithin(issue.path, field));
  return matching.length > 0 ? matching.map((issue) => issue.message).join(' ') : error.message;
}

function isWithin(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
}
