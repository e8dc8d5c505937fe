import { describe, expect, it } from 'vitest';

import { estimateRemainingSeconds } from './remaining-time.js';
import type { RemainingTimeInputs } from './remaining-time.js';

const NOTHING: RemainingTimeInputs = {
  printDurationSeconds: undefined,
  progressPercent: undefined,
  filamentUsedMm: undefined,
  filamentTotalMm: undefined,
  slicerEstimateSeconds: undefined,
};

function estimate(inputs: Partial<RemainingTimeInputs>): number | undefined {
  return estimateRemainingSeconds({ ...NOTHING, ...inputs });
}

describe('estimateRemainingSeconds', () => {
  it('extrapolates the file progress', () => {
    expect(estimate({ printDurationSeconds: 120, progressPercent: 25 })).toBe(360);
  });

  it('extrapolates the filament share', () => {
    expect(estimate({ printDurationSeconds: 100, filamentUsedMm: 50, filamentTotalMm: 200 })).toBe(
      300,
    );
  });

  it('averages the file and filament estimates', () => {
    const inputs = {
      printDurationSeconds: 100,
      progressPercent: 50,
      filamentUsedMm: 50,
      filamentTotalMm: 200,
    };

    expect(estimate(inputs)).toBe(200);
  });

  it('falls back to the slicer estimate', () => {
    expect(estimate({ printDurationSeconds: 100, slicerEstimateSeconds: 569 })).toBe(469);
  });

  it('prefers extrapolation over the slicer estimate', () => {
    const inputs = { printDurationSeconds: 100, progressPercent: 50, slicerEstimateSeconds: 569 };

    expect(estimate(inputs)).toBe(100);
  });

  it('reports 0 when the slicer estimate is overrun', () => {
    expect(estimate({ printDurationSeconds: 700, slicerEstimateSeconds: 569 })).toBe(0);
  });

  it('ignores estimates that are not positive', () => {
    const inputs = { printDurationSeconds: 100, progressPercent: 100, slicerEstimateSeconds: 150 };

    expect(estimate(inputs)).toBe(50);
  });

  it('is unknown while the print duration is 0', () => {
    const inputs = { printDurationSeconds: 0, progressPercent: 5, slicerEstimateSeconds: 569 };

    expect(estimate(inputs)).toBeUndefined();
  });

  it('is unknown without any estimate', () => {
    expect(estimate({ printDurationSeconds: 10 })).toBeUndefined();
  });
});
