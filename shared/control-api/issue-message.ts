import type { z } from 'zod';

import { issueRequirement } from './issue-sentence.js';

/** One problem with a value, located by a path such as `printerIds[2]` or `cloud.baseUrl`. */
export interface IssueSummary {
  path: string;
  /** A plain sentence that names the field and what it must be, such as `port must be a number`. */
  message: string;
}

/**
 * Locates each zod issue by path and phrases it as a plain sentence. An issue about the value
 * itself gets the path `rootName`, and an unknown key gets its own path, one summary per key.
 */
export function summarizeIssues(
  issues: readonly z.core.$ZodIssue[],
  rootName = 'params',
): IssueSummary[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => summary([...issue.path, key], issueRequirement(issue)));
    }
    return [summary(issue.path, issueRequirement(issue))];
  });

  function summary(path: readonly PropertyKey[], requirement: string): IssueSummary {
    const located = formatPath(path, rootName);
    return { path: located, message: `${located} ${requirement}` };
  }
}

/** Joins the issues into one line such as `host is required; port must be at most 65535`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], rootName = 'params'): string {
  return summarizeIssues(issues, rootName)
    .map((issue) => issue.message)
    .join('; ');
}

/** Formats a path such as `printers[0].moonraker_url`, or `rootName` for the value itself. */
export function formatPath(path: readonly PropertyKey[], rootName = 'params'): string {
  if (path.length === 0) return rootName;
  // An index needs something to index, so a path that starts with one starts at the root.
  let text = typeof path[0] === 'number' ? rootName : '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}
