/**
 * Remaining print time estimated the way Mainsail does. The file-based estimate extrapolates the
 * print duration over the progress, the filament-based one over the share of the slicer's
 * filament total used so far. The positive ones are averaged. The slicer estimate minus the
 * print duration is the fallback.
 */

export interface RemainingTimeInputs {
  /** `print_stats.print_duration`: seconds spent actually printing. */
  printDurationSeconds: number | undefined;
  progressPercent: number | undefined;
  filamentUsedMm: number | undefined;
  filamentTotalMm: number | undefined;
  slicerEstimateSeconds: number | undefined;
}

/** Returns whole seconds, or undefined while nothing has been printed yet or no estimate exists. */
export function estimateRemainingSeconds(inputs: RemainingTimeInputs): number | undefined {
  const elapsed = inputs.printDurationSeconds;
  if (elapsed === undefined || elapsed <= 0) return undefined;

  const estimates = [fileEstimate(elapsed, inputs), filamentEstimate(elapsed, inputs)].filter(
    (estimate): estimate is number => estimate !== undefined && estimate > 0,
  );
  if (estimates.length > 0) {
    const average = estimates.reduce((sum, estimate) => sum + estimate, 0) / estimates.length;
    return Math.round(average);
  }

  const slicer = inputs.slicerEstimateSeconds;
  if (slicer === undefined || slicer <= 0) return undefined;
  return Math.max(0, Math.round(slicer - elapsed));
}

function fileEstimate(elapsed: number, inputs: RemainingTimeInputs): number | undefined {
  const percent = inputs.progressPercent;
  if (percent === undefined || percent <= 0) return undefined;
  return elapsed / (percent / 100) - elapsed;
}

function filamentEstimate(elapsed: number, inputs: RemainingTimeInputs): number | undefined {
  const used = inputs.filamentUsedMm;
  const total = inputs.filamentTotalMm;
  if (used === undefined || total === undefined || used <= 0 || total <= 0) return undefined;
  return elapsed / (used / total) - elapsed;
}
