import { STATUS_VOLATILE_KEYS } from '../../shared/contract/status.js';

/**
 * Change detection for the status body: JSON with keys sorted at every depth, after removing the
 * keys that change merely because time passes (elapsed and remaining seconds, `lastUpdated`).
 */

const VOLATILE_KEYS: ReadonlySet<string> = new Set(STATUS_VOLATILE_KEYS);

export function contractKey(payload: unknown): string {
  return JSON.stringify(stableValue(payload));
}

function stableValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stableValue);
  if (typeof value !== 'object' || value === null) return value;

  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (VOLATILE_KEYS.has(key)) continue;
    sorted[key] = stableValue((value as Record<string, unknown>)[key]);
  }
  return sorted;
}
