/**
 * The rule for the printers that need the user's consent before the app restarts. A restart stops
 * every bridge, so the cloud gets no status from a printing or paused printer until the app runs
 * again. The desktop shell and the window both confirm with this rule, so they name the same
 * printers.
 */

/**
 * Phases in which a printer has a job that a restart would stop reporting. A printer that is still
 * cancelling or pausing has a job on the bed, so it counts as printing.
 */
export const RESTART_BLOCKING_PHASES: readonly string[] = [
  'Printing',
  'Paused',
  'Cancelling',
  'Pausing',
];

/** The fields of a printer summary that the rule reads. */
export interface RestartCandidate {
  id: string;
  name: string;
  phase?: string | undefined;
}

/** Returns the printers that are printing, paused, cancelling or pausing, in the given order. */
export function printersBlockingRestart<P extends RestartCandidate>(printers: readonly P[]): P[] {
  return printers.filter(
    (printer) => printer.phase !== undefined && RESTART_BLOCKING_PHASES.includes(printer.phase),
  );
}
