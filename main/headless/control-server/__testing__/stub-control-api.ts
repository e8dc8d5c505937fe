import {
  controlMethods,
  type ControlApi,
  type ControlMethodName,
} from '../../../../shared/control-api/methods.js';
import type { PrinterSummary } from '../../../../shared/control-api/printer-views.js';
import { CodedError } from '../../../support/coded-error.js';

/**
 * A `ControlApi` for transport tests: the given methods run as written, and every other method
 * rejects with `not_found` naming itself.
 */
export function stubControlApi(methods: Partial<ControlApi> = {}): ControlApi {
  const api: Partial<Record<ControlMethodName, unknown>> = {};
  for (const method of Object.keys(controlMethods) as ControlMethodName[]) {
    api[method] =
      methods[method] ??
      (() => Promise.reject(new CodedError('not_found', `${method} is not stubbed`)));
  }
  return api as ControlApi;
}

export function printerSummary(overrides: Partial<PrinterSummary> = {}): PrinterSummary {
  return {
    id: 'p-1',
    name: 'Voron 2.4',
    moonrakerUrl: 'http://192.168.1.40:7125',
    enabled: true,
    apiKeySet: false,
    link: 'unlinked',
    temperatures: [{ name: 'extruder', value: 21.5, target: 0 }],
    health: [],
    overall: 'ok',
    telemetry: { mode: 'idle', intervalSeconds: 30 },
    ...overrides,
  };
}
