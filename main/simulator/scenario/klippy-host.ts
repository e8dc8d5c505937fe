import { CodedError } from '../../support/coded-error.js';
import type { KlippyState } from '../printer-backend.js';

/** Klipper's state messages, as `webhooks.state_message` reports them. */
export const READY_MESSAGE = 'Printer is ready';
export const STARTUP_MESSAGE =
  'Printer is not ready\nThe klippy host software is attempting to connect.  Please\nretry in a few moments.\n';
export const DISCONNECTED_MESSAGE = 'Klippy Disconnected';

/** Klipper's shutdown message for `reason`, e.g. "webhooks request" or "M112 command". */
export function shutdownMessage(reason: string): string {
  return (
    `Shutdown due to ${reason}\n` +
    'Once the underlying issue is corrected, use the\n' +
    '"FIRMWARE_RESTART" command to reset the firmware, reload the\n' +
    'config, and restart the host software.\n' +
    'Printer is shutdown\n'
  );
}

/**
 * Allowed next states for each Klippy state. A firmware restart disconnects from any connected
 * state, a shutdown needs a ready printer, and `error` is a failed startup.
 */
const KLIPPY_TRANSITIONS: Readonly<Record<KlippyState, readonly KlippyState[]>> = {
  ready: ['shutdown', 'disconnected'],
  shutdown: ['disconnected'],
  error: ['disconnected'],
  disconnected: ['startup'],
  startup: ['ready', 'error', 'disconnected'],
};

/** Klippy's connection and run state, as Moonraker reports it. */
export class KlippyHost {
  private current: KlippyState = 'ready';
  private currentMessage = READY_MESSAGE;

  get state(): KlippyState {
    return this.current;
  }

  get message(): string {
    return this.currentMessage;
  }

  get isReady(): boolean {
    return this.current === 'ready';
  }

  canMoveTo(next: KlippyState): boolean {
    return KLIPPY_TRANSITIONS[this.current].includes(next);
  }

  /** Moves to `next`; a transition the table does not allow is a bug in the model. */
  moveTo(next: KlippyState, message: string): void {
    if (!this.canMoveTo(next)) {
      throw new CodedError(
        'invalid_transition',
        `Klippy cannot go from ${this.current} to ${next}`,
      );
    }
    this.current = next;
    this.currentMessage = message;
  }

  /** Returns the `webhooks` object, which Klipper updates with every state change. */
  status(): Record<string, unknown> {
    return { state: this.current, state_message: this.currentMessage };
  }
}
