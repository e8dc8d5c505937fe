import { describe, expect, it } from 'vitest';

import type { PrinterSummary } from '../../shared/control-api/printer-views.js';
import { describeClickToLink } from './click-to-link-report.js';
import { linkingError } from './linking/linking-errors.js';

const PRINTER_ID = '0b5e3c52-9d7a-4d0e-a1f4-2f4b8c6d9e10';

function summary(name: string): PrinterSummary {
  return { name } as PrinterSummary;
}

describe('describeClickToLink', () => {
  it('names a removed printer as removed', () => {
    const text = describeClickToLink({
      linked: [summary('Alpha')],
      failed: [
        {
          printerId: PRINTER_ID,
          name: PRINTER_ID,
          error: linkingError('link_failed', `Linking of ${PRINTER_ID} was cancelled`),
        },
      ],
    });

    expect(text).toBe(
      `Linked Alpha. The printer with id ${PRINTER_ID} was removed before Owl Web sent its ` +
        'code, so it was not linked.',
    );
    expect(text).not.toContain('was cancelled');
  });

  it('names a failed printer with its error', () => {
    const text = describeClickToLink({
      linked: [],
      failed: [
        {
          printerId: PRINTER_ID,
          name: 'Delta',
          error: linkingError('link_failed', 'The link code has expired'),
          summary: summary('Delta'),
        },
      ],
    });

    expect(text).toBe('Delta was not linked: The link code has expired.');
  });
});
