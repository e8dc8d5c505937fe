import { z } from 'zod';
import { describe, expect, it } from 'vitest';

import { describeIssues, summarizeIssues } from './issue-message.js';

function issuesOf(schema: z.ZodType, value: unknown): z.core.$ZodIssue[] {
  const checked = schema.safeParse(value);
  if (checked.success) throw new Error('the value is valid');
  return checked.error.issues;
}

function sentenceOf(schema: z.ZodType, value: unknown): string {
  return describeIssues(issuesOf(schema, value));
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
    const issues = issuesOf(z.string(), 3);

    expect(summarizeIssues(issues)).toEqual([
      { path: 'params', message: 'params must be text, not a number' },
    ]);
  });

  it('gives each unknown key its own path', () => {
    const issues = issuesOf(schema, { printerIds: [], cloud: { baseUrl: '' }, extra: 1, more: 2 });

    expect(summarizeIssues(issues)).toEqual([
      { path: 'extra', message: 'extra is not a known field' },
      { path: 'more', message: 'more is not a known field' },
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
      'printerIds must be a list, not text; cloud.baseUrl is required',
    );
  });

  it.each([
    {
      case: 'a wrong type',
      schema: z.object({ port: z.number() }),
      value: { port: 'x' },
      sentence: 'port must be a number, not text',
    },
    {
      case: 'a missing field',
      schema: z.object({ host: z.string() }),
      value: {},
      sentence: 'host is required',
    },
    {
      case: 'a fraction',
      schema: z.object({ n: z.number().int() }),
      value: { n: 1.5 },
      sentence: 'n must be a whole number',
    },
    {
      case: 'an empty string',
      schema: z.object({ name: z.string().min(1) }),
      value: { name: '' },
      sentence: 'name must not be empty',
    },
    {
      case: 'a long string',
      schema: z.object({ name: z.string().max(3) }),
      value: { name: 'abcd' },
      sentence: 'name must have at most 3 characters',
    },
    {
      case: 'a number too big',
      schema: z.object({ port: z.number().max(65_535) }),
      value: { port: 70_000 },
      sentence: 'port must be at most 65535',
    },
    {
      case: 'a number not positive',
      schema: z.object({ s: z.number().positive() }),
      value: { s: 0 },
      sentence: 's must be greater than 0',
    },
    {
      case: 'an empty list',
      schema: z.object({ ids: z.array(z.string()).min(1) }),
      value: { ids: [] },
      sentence: 'ids must not be empty',
    },
    {
      case: 'a long list',
      schema: z.object({ ids: z.array(z.string()).max(2) }),
      value: { ids: ['a', 'b', 'c'] },
      sentence: 'ids must have at most 2 entries',
    },
    {
      case: 'an option',
      schema: z.object({ mode: z.enum(['idle', 'watch']) }),
      value: { mode: 'fast' },
      sentence: 'mode must be one of "idle", "watch"',
    },
    {
      case: 'a literal',
      schema: z.object({ ok: z.literal(true) }),
      value: { ok: 'yes' },
      sentence: 'ok must be true',
    },
    {
      case: 'a URL',
      schema: z.object({ url: z.url() }),
      value: { url: 'nope' },
      sentence: 'url must be a valid URL',
    },
    {
      case: 'a union',
      schema: z.object({ v: z.union([z.string(), z.number()]) }),
      value: { v: true },
      sentence: 'v must be text or a number',
    },
    {
      case: 'a schema message',
      schema: z.object({ host: z.string().regex(/^a$/, 'must be the letter a') }),
      value: { host: 'b' },
      sentence: 'host must be the letter a',
    },
  ])('phrases $case as a plain sentence', ({ schema: tested, value, sentence }) => {
    expect(sentenceOf(tested, value)).toBe(sentence);
  });

  it('leaves out zod wording', () => {
    const sentence = sentenceOf(z.object({ a: z.string(), b: z.number().max(1) }), { a: 1, b: 2 });

    expect(sentence).not.toMatch(/Invalid input|expected string|received number|Too big/);
  });
});
