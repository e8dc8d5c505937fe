import type { PrinterSummary } from '../../../../shared/control-api/printer-views.js';

/** A connected, idle, linked printer summary; `overrides` change any field. */
export function summary(overrides: Partial<PrinterSummary> = {}): PrinterSummary {
  return {
    id: 'p1',
    name: 'Voron',
    moonrakerUrl: 'http://192.168.1.20:7125',
    enabled: true,
    apiKeySet: false,
    link: 'linked',
    phase: 'Idle',
    temperatures: [],
    health: [],
    overall: 'ok',
    telemetry: { mode: 'idle', intervalSeconds: 30 },
    ...overrides,
  };
}

export function printing(progressPercent: number, overrides: Partial<PrinterSummary> = {}) {
  return summary({
    phase: 'Printing',
    job: { name: 'benchy.gcode', progressPercent },
    ...overrides,
  });
}
