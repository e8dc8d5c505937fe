import { describe, expect, it } from 'vitest';

import { printersBlockingRestart } from './restart-consent.js';

describe('printersBlockingRestart', () => {
  it('returns the printing and paused printers in order', () => {
    const printers = [
      { id: 'a', name: 'Voron', phase: 'Paused' },
      { id: 'b', name: 'Ender', phase: 'Idle' },
      { id: 'c', name: 'Prusa', phase: 'Printing' },
      { id: 'd', name: 'RatRig' },
    ];

    expect(printersBlockingRestart(printers).map((printer) => printer.id)).toEqual(['a', 'c']);
  });

  it('counts a cancelling or pausing printer as printing', () => {
    const printers = [
      { id: 'a', name: 'Voron', phase: 'Cancelling' },
      { id: 'b', name: 'Ender', phase: 'Completed' },
      { id: 'c', name: 'Prusa', phase: 'Pausing' },
    ];

    expect(printersBlockingRestart(printers).map((printer) => printer.id)).toEqual(['a', 'c']);
  });

  it('lets finished and failed prints restart', () => {
    const phases = ['Completed', 'Cancelled', 'Error', 'Offline', 'Idle'];
    const printers = phases.map((phase, index) => ({ id: String(index), name: phase, phase }));

    expect(printersBlockingRestart(printers)).toEqual([]);
  });
});
