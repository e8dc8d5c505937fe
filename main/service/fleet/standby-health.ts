import type { PrinterProbe } from '../../../shared/control-api/printer-views.js';
import { assertNever } from '../../support/coded-error.js';
import { report, type HealthLinkReport } from './health-levels.js';
import { klippyStateLink } from './klippy-health.js';

/**
 * Derives the LAN, Moonraker and Klippy links of a printer that has no running bridge from its
 * latest probe. Before the first probe finished, the links are pending.
 */
export function standbyLinks(probe: PrinterProbe | undefined): HealthLinkReport[] {
  if (!probe) {
    const checking = 'Checking the printer';
    return [
      report('lan', 'pending', checking),
      report('moonraker', 'pending', checking),
      report('klippy', 'unknown', 'Not checked until Moonraker responds'),
    ];
  }
  const reachable = report('lan', 'ok', 'The printer is reachable');
  const notChecked = (reason: string) => report('klippy', 'unknown', `Not checked until ${reason}`);
  switch (probe.outcome) {
    case 'ready':
      return [reachable, moonrakerOk(probe), report('klippy', 'ok', 'Klippy is ready')];
    case 'klippy_not_ready':
      return [reachable, moonrakerOk(probe), klippyStateLink({ state: probe.klippyState ?? '' })];
    case 'unauthorized':
    case 'not_moonraker':
      return [
        reachable,
        report('moonraker', 'error', probe.summary, fixAndDetails(probe)),
        notChecked('Moonraker lets this computer in'),
      ];
    case 'unreachable':
      return [
        report('lan', 'offline', probe.summary, fixAndDetails(probe)),
        report('moonraker', 'unknown', 'Not checked until the printer is reachable'),
        notChecked('the printer is reachable'),
      ];
    default:
      return assertNever(probe.outcome, 'probe outcome');
  }
}

function moonrakerOk(probe: PrinterProbe): HealthLinkReport {
  const version = probe.moonrakerVersion ? ` ${probe.moonrakerVersion}` : '';
  const details = {
    ...(probe.moonrakerVersion ? { moonrakerVersion: probe.moonrakerVersion } : {}),
    ...(probe.klipperVersion ? { klipperVersion: probe.klipperVersion } : {}),
  };
  return report('moonraker', 'ok', `Moonraker${version} responds`, { details });
}

function fixAndDetails(probe: PrinterProbe): { fix?: string; details?: Record<string, unknown> } {
  return {
    ...(probe.fix ? { fix: probe.fix } : {}),
    ...(probe.details ? { details: probe.details } : {}),
  };
}
