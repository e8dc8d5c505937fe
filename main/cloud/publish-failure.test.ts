import { describe, expect, it } from 'vitest';

import { CodedError } from '../support/coded-error.js';
import { classifyPublishFailure } from './publish-failure.js';

describe('classifyPublishFailure', () => {
  it.each([
    ['not_connected', {}, 'offline'],
    ['publish_failed', { reason: 'connection_closed' }, 'offline'],
    ['publish_failed', { reasonCode: 135 }, 'rejected'],
    ['publish_failed', { reasonCode: 144 }, 'rejected'],
    ['publish_failed', { reasonCode: 151 }, 'transient'],
    ['publish_failed', {}, 'transient'],
    ['timed_out', {}, 'transient'],
  ] as const)('classifies %s %o as %s', (code, details, expected) => {
    const error = new CodedError(code, 'Publish to t failed', { details });

    expect(classifyPublishFailure(error)).toBe(expected);
  });

  it('classifies a plain error as transient', () => {
    expect(classifyPublishFailure(new Error('socket hang up'))).toBe('transient');
  });
});
