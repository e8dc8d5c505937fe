import { describe, expect, it } from 'vitest';

import { cancelledEndReason, failedEndReason, reasonText } from './end-reason.js';

describe('cancelledEndReason', () => {
  it('is plain without a message', () => {
    expect(cancelledEndReason(undefined)).toBe('cancelled');
    expect(cancelledEndReason('  ')).toBe('cancelled');
  });

  it('appends the message', () => {
    expect(cancelledEndReason('Cancelled by user')).toBe('cancelled:Cancelled by user');
  });
});

describe('failedEndReason', () => {
  it.each([
    [{ kind: 'klippy_shutdown' } as const, 'error:klippy_shutdown'],
    [{ kind: 'klippy_error' } as const, 'error:klippy_error'],
    [{ kind: 'unknown' } as const, 'error:unknown'],
    [{ kind: 'message', message: 'Move out of range' } as const, 'error:Move out of range'],
    [{ kind: 'message', message: '' } as const, 'error:unknown'],
  ])('maps %j to %s', (cause, reason) => {
    expect(failedEndReason(cause)).toBe(reason);
  });

  it('collapses whitespace and cuts the message to 120 characters', () => {
    const message = `Heater extruder\nnot heating   at expected rate ${'x'.repeat(200)}`;
    const reason = failedEndReason({ kind: 'message', message });

    expect(reason.startsWith('error:Heater extruder not heating at expected rate x')).toBe(true);
    expect(reason.length).toBe('error:'.length + 120);
  });
});

describe('reasonText', () => {
  it('cuts between characters, not inside them', () => {
    const text = reasonText('支'.repeat(130));

    expect([...text].length).toBe(120);
    expect(text).toBe('支'.repeat(120));
  });
});
