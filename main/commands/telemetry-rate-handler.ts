import { setTelemetryRateParametersSchema } from '../../shared/contract/command-parameters.js';
import type { TelemetryRateRequest } from '../../shared/contract/telemetry-rate.js';
import { CodedError } from '../support/coded-error.js';
import type { CommandContext, CommandResult } from './command-context.js';
import { parseParameters } from './handler-support.js';

/**
 * Handles `control:set-telemetry-rate`: validates the request and hands it to the telemetry rate
 * control, which corrects the times for clock skew and computes the watch window.
 */
export async function setTelemetryRate(
  parameters: Record<string, unknown>,
  context: CommandContext,
): Promise<CommandResult> {
  const request = toRateRequest(parameters);
  if (!context.telemetry) {
    throw new CodedError('sensors_unavailable', 'Telemetry is not running on this device');
  }
  const applied = context.telemetry.applyRate(request);
  return withoutUndefined({ ...applied });
}

/** Builds the request; `issuedAt` falls back to its older name `requestedAt`. */
export function toRateRequest(parameters: Record<string, unknown>): TelemetryRateRequest {
  const parsed = parseParameters(setTelemetryRateParametersSchema, parameters);
  return withoutUndefined({
    mode: parsed.mode ?? 'idle',
    intervalSeconds: parsed.intervalSeconds,
    maxHz: parsed.maxHz,
    durationSeconds: parsed.durationSeconds,
    issuedAt: parsed.issuedAt ?? parsed.requestedAt,
    serverUtcNow: parsed.serverUtcNow,
    expiresAt: parsed.expiresAt,
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
