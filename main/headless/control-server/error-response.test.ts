import { describe, expect, it } from 'vitest';

import { CodedError } from '../../support/coded-error.js';
import { silentLogger } from '../../support/logger.js';
import { toControlErrorData } from './error-response.js';

describe('toControlErrorData', () => {
  const serviceCodes = [
    'settings_read_only',
    'settings_invalid',
    'settings_write_failed',
    'settings_closed',
    'diagnostics_write_failed',
    'fleet_stopped',
  ];

  for (const code of serviceCodes) {
    it(`passes ${code} through`, () => {
      const error = new CodedError(code, `The ${code} message`, { details: { path: '/x' } });

      const data = toControlErrorData(error, 'settings.update', silentLogger);

      expect(data).toEqual({ code, message: `The ${code} message`, details: { path: '/x' } });
    });
  }

  it('hides an unknown code as internal', () => {
    const error = new CodedError('connect_timeout', 'socket details');

    const data = toControlErrorData(error, 'printers.add', silentLogger);

    expect(data).toEqual({
      code: 'internal',
      message: 'printers.add failed because of an internal error. See the service log for details',
    });
  });
});
