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
  const matching = fieldIssues(error, field);
  return matching.length > 0 ? matching.map((issue) => issue.message).join(' ') : error.message;
}

/**
 * Returns the issues of an `invalid_arguments` error about `field` or a part of it, such as
 * `cloud.baseUrl` for the field `cloud`; none for another error.
 */
export function fieldIssues(error: ErrorView, field: string): { path: string; message: string }[] {
  if (error.code !== 'invalid_arguments') return [];
  const issues = issuesSchema.safeParse(error.details['issues']);
  if (!issues.success) return [];
  return issues.data.filter((issue) => isWithin(issue.path, field));
}

function isWithin(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
}
