import type { BridgeSnapshot } from '../../bridge/bridge-snapshot.js';
import { report, type HealthLinkReport } from './health-levels.js';

const FIRMWARE_RESTART_FIX =
  'Fix the cause, then send FIRMWARE_RESTART (or restart the firmware from Mainsail/Fluidd).';

/** Derives the Klippy link, which can only be known while Moonraker is connected. */
export function klippyLink(snapshot: BridgeSnapshot): HealthLinkReport {
  if (snapshot.moonraker.state !== 'ready') {
    return report('klippy', 'unknown', 'Not checked until Moonraker is connected');
  }
  const klippy = snapshot.klippy;
  if (!klippy) return report('klippy', 'pending', "Waiting for Klippy's state");
  return klippyStateLink(klippy);
}

/** Derives the Klippy link from Klippy's state and its message, as Moonraker reports them. */
export function klippyStateLink(klippy: { state: string; message?: string }): HealthLinkReport {
  const message = klippy.message;
  const details = { state: klippy.state, ...(message ? { stateMessage: message } : {}) };
  switch (klippy.state) {
    case 'ready':
      return report('klippy', 'ok', 'Klippy is ready');
    case 'startup':
      return report('klippy', 'pending', 'Klippy is starting', { details });
    case 'shutdown':
      return report('klippy', 'error', `Klippy is shut down${reasonOf(message)}`, {
        fix: FIRMWARE_RESTART_FIX,
        details,
      });
    case 'error':
      return report('klippy', 'error', `Klippy reports an error${reasonOf(message)}`, {
        fix:
          'Correct what the message names (often in printer.cfg), then send FIRMWARE_RESTART ' +
          '(or restart the firmware from Mainsail/Fluidd).',
        details,
      });
    case 'disconnected':
      return report('klippy', 'error', 'Klippy is not connected to Moonraker', {
        fix: 'Check that the Klipper service runs on the printer, for example with `sudo systemctl restart klipper`.',
        details,
      });
    default:
      return report('klippy', 'warning', `Klippy is in the state ${klippy.state}`, { details });
  }
}

/** Klipper's messages span several lines; the first one states the reason. */
function reasonOf(message: string | undefined): string {
  const first = message?.split('\n')[0]?.trim();
  return first ? `: ${first}` : '';
}
