import type { ObjectFieldMap, ObjectStatus } from './input.js';

export type PrintAction = 'pause' | 'resume' | 'cancel';

export const PRINT_ACTIONS: readonly PrintAction[] = ['pause', 'resume', 'cancel'];

/**
 * Printer operations available to command handlers. Every call has a deadline and fails with a
 * MoonrakerError (`timeout`, `unreachable`, `unauthorized`, `http_error`, …).
 */
export interface PrinterActions {
  /** `POST /printer/print/{action}`, then a `print_stats` query whose result is handed on. */
  printAction(action: PrintAction): Promise<void>;
  /** `POST /printer/emergency_stop`. */
  emergencyStop(): Promise<void>;
  /** `POST /printer/firmware_restart`. */
  firmwareRestart(): Promise<void>;
  /** `POST /printer/print/start?filename=…`. */
  startPrint(filename: string): Promise<void>;
  /** `POST /printer/gcode/script`, resolving when Klipper has run the script (10 s default). */
  runGcode(script: string, options?: { timeoutMs?: number }): Promise<void>;
  /**
   * The same call, but resolving once the request is sent rather than completed: on the reply or
   * after 5 s, whichever comes first. Failures after that are logged.
   */
  sendGcodeNoWait(script: string): Promise<void>;
  /** `POST /printer/objects/query`. Objects Klipper does not know are absent from the result. */
  queryObjects(objects: ObjectFieldMap): Promise<ObjectStatus>;
}
