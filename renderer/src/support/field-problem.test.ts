import { describe, expect, it } from 'vitest';

import { fieldProblem } from './field-problem.js';

const invalidName = {
  code: 'invalid_arguments',
  message: 'Invalid arguments for printers.rename: name must be at least 1 character long',
  details: {
    issues: [
      { path: 'name', message: 'name must be at least 1 character long' },
      { path: 'printerId', message: 'printerId is required' },
    ],
  },
};

describe('fieldProblem', () => {
  it('picks the sentences about the field', () => {
    expect(fieldProblem(invalidName, 'name')).toBe('name must be at least 1 character long');
  });

  it('falls back to the message when no issue names the field', () => {
    expect(fieldProblem(invalidName, 'apiKey')).toBe(invalidName.message);
  });

  it('matches nested paths of the field', () => {
    const error = {
      ...invalidName,
      details: { issues: [{ path: 'cloud.baseUrl', message: 'cloud.baseUrl must be a URL' }] },
    };
    expect(fieldProblem(error, 'cloud')).toBe('cloud.baseUrl must be a URL');
  });

  it('shows other errors as they are', () => {
    const error = { code: 'not_found', message: 'No printer with id p9', details: {} };
    expect(fieldProblem(error, 'name')).toBe('No printer with id p9');
  });

  it('ignores malformed issue details', () => {
    const error = { ...invalidName, details: { issues: 'name is wrong' } };
    expect(fieldProblem(error, 'name')).toBe(invalidName.message);
  });
});
