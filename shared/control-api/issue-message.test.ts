import { z } from 'zod';
import { describe, expect, it } from 'vitest';

import { describeIssues, summarizeIssues } from './issue-message.js';

function issuesOf(schema: z.ZodType, value: unknown): z.core.$ZodIssue[] {
  const checked = schema.safeParse(value);
  if (checked.success) throw new Error('the value is valid');
  return checked.error.issues;
}

const schema = z
  .object({
    printerIds: z.array(z.string()),
    cloud: z.object({ baseUrl: z.string() }),
  })
  .strict();

describe('summarizeIssues', () => {
  it('locates nested keys and indexes', () => {
    const issues = issuesOf(schema, { printerIds: ['a', 2], cloud: { baseUrl: 3 } });

    expect(summarizeIssues(issues).map((issue) => issue.path)).toEqual([
      'printerIds[1]',
      'cloud.baseUrl',
    ]);
  });

  it('names the root when the issue is about the whole value', () => {
    const issues = issuesOf(schema, { printerIds: [], cloud: { baseUrl: '' }, extra: 1 });

    expect(summarizeIssues(issues)).toEqual([
      { path: 'params', message: 'Unrecognized key: "extra"' },
    ]);
  });

  it('starts an index path at the root', () => {
    const issues = issuesOf(z.array(z.number()), [1, 'two']);

    expect(summarizeIssues(issues, 'result')[0]?.path).toBe('result[1]');
  });
});

describe('describeIssues', () => {
  it('joins the issues with semicolons', () => {
    const issues = issuesOf(schema, { printerIds: 'a', cloud: {} });

    expect(describeIssues(issues)).toBe(
      'printerIds: Invalid input: expected array, received string; ' +
        'cloud.baseUrl: Invalid input: expected string, received undefined',
    );
  });
});
