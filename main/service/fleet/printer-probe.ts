import type { PrinterProbe } from '../../../shared/control-api/printer-views.js';
import type { ProbeResult } from '../../discovery/moonraker-probe.js';
import { rejectedApiKeyFix, trustedClientsFix } from '../../discovery/trusted-clients.js';
import { assertNever } from '../../support/coded-error.js';
import { klippyStateLink } from './klippy-health.js';

/** Turns a probe of a printer without a bridge into its view, finished at `at` (epoch ms). */
export function printerProbeOf(result: ProbeResult, at: number): PrinterProbe {
  switch (result.kind) {
    case 'confirmed':
      return confirmedProbe(result.instance, at);
    case 'unauthorized': {
      const { hint } = result;
      const target = `${result.host}:${result.port}`;
      return {
        at,
        outcome: 'unauthorized',
        summary: hint.apiKeyRejected
          ? `Moonraker at ${target} rejected the API key`
          : `Moonraker at ${target} does not trust this computer`,
        fix: hint.apiKeyRejected
          ? rejectedApiKeyFix(hint.trustedClient)
          : trustedClientsFix(hint.trustedClient),
        details: {
          ...(hint.trustedClient === undefined ? {} : { trustedClient: hint.trustedClient }),
          configSnippet: hint.configSnippet,
          apiKeyRejected: hint.apiKeyRejected,
        },
      };
    }
    case 'unreachable':
    case 'not_moonraker': {
      // The details carry the stable `reason` (such as `refused`) that the UI translates.
      const details = definedValues(result.error.details);
      return {
        at,
        outcome: result.kind,
        ...splitAdvice(result.error.message),
        ...(details ? { details } : {}),
      };
    }
    default:
      return assertNever(result, 'probe result');
  }
}

function confirmedProbe(
  instance: Extract<ProbeResult, { kind: 'confirmed' }>['instance'],
  at: number,
): PrinterProbe {
  const versions = {
    ...(instance.moonrakerVersion ? { moonrakerVersion: instance.moonrakerVersion } : {}),
    ...(instance.klipperVersion ? { klipperVersion: instance.klipperVersion } : {}),
    klippyState: instance.klippyState,
  };
  const moonraker = instance.moonrakerVersion
    ? `Moonraker ${instance.moonrakerVersion}`
    : 'Moonraker';
  if (instance.klippyState === 'ready') {
    return {
      at,
      outcome: 'ready',
      summary: `${moonraker} responds and Klippy is ready`,
      ...versions,
    };
  }
  const klippy = klippyStateLink({ state: instance.klippyState });
  return {
    at,
    outcome: 'klippy_not_ready',
    summary: `${moonraker} responds, but ${klippy.summary}`,
    ...(klippy.fix ? { fix: klippy.fix } : {}),
    ...versions,
  };
}

/**
 * Splits a probe error such as "Nothing listens on … (connection refused). Check that …" into
 * what happened and what to do, at the end of its first sentence.
 */
function splitAdvice(message: string): { summary: string; fix?: string } {
  const end = message.search(/\.\s+[A-Z]/);
  if (end < 0) return { summary: message.replace(/\.$/, '') };
  return { summary: message.slice(0, end), fix: message.slice(end + 1).trim() };
}

function definedValues(
  details: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> | undefined {
  const entries = Object.entries(details ?? {}).filter(([, value]) => value !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
