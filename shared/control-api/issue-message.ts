import type { z } from 'zod';

/** One problem with a value, located by a path such as `printerIds[2]` or `cloud.baseUrl`. */
export interface IssueSummary {
  path: string;
  message: string;
}

/** Locates each zod issue by path. An issue about the value itself gets the path `rootName`. */
export function summarizeIssues(
  issues: readonly z.core.$ZodIssue[],
  rootName = 'params',
): IssueSummary[] {
  return issues.map((issue) => ({
    path: formatPath(issue.path, rootName),
    message: issue.message,
  }));
}

/** Joins the issues into one line such as `host: Invalid input; port: Too big: expected …`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], rootName = 'params'): string {
  return summarizeIssues(issues, rootName)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
}

function formatPath(path: readonly PropertyKey[], rootName: string): string {
  if (path.length === 0) return rootName;
  // An index needs something to index, so a path that starts with one starts at the root.
  let text = typeof path[0] === 'number' ? rootName : '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}
