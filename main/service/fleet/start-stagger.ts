export interface StaggerOptions {
  /** Spread added per printer, in milliseconds; 100 by default. */
  perPrinterMs?: number;
  /** Maximum spread, in milliseconds; 30 000 by default. */
  maxMs?: number;
}

const DEFAULT_PER_PRINTER_MS = 100;
const DEFAULT_MAX_SPREAD_MS = 30_000;

/**
 * Returns the window over which `count` bridges that start together are spread:
 * min(30 s, count × 100 ms) with the defaults, so 200 printers start within 20 s.
 */
export function startSpreadMs(count: number, options: StaggerOptions = {}): number {
  const perPrinterMs = options.perPrinterMs ?? DEFAULT_PER_PRINTER_MS;
  const maxMs = options.maxMs ?? DEFAULT_MAX_SPREAD_MS;
  return Math.max(0, Math.min(maxMs, count * perPrinterMs));
}

/** Returns one random start delay per bridge, uniform over the spread window of `count`. */
export function startDelays(
  count: number,
  random: () => number,
  options: StaggerOptions = {},
): number[] {
  const spreadMs = startSpreadMs(count, options);
  return Array.from({ length: count }, () => Math.floor(random() * spreadMs));
}
