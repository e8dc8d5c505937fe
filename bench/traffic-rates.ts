const SECONDS_PER_MINUTE = 60;
const SECONDS_PER_HOUR = 3600;

/**
 * Scales an amount counted over all printers during a window to one printer and one hour: the
 * amount divided by the printers and by the window's length, times 3600 s. Returns NaN for an
 * empty window or no printers, as no rate can be derived from them.
 */
export function perPrinterHour(amount: number, printers: number, windowSeconds: number): number {
  return perPrinterSecond(amount, printers, windowSeconds) * SECONDS_PER_HOUR;
}

/** Scales an amount counted over all printers during a window to one printer and one minute. */
export function perPrinterMinute(amount: number, printers: number, windowSeconds: number): number {
  return perPrinterSecond(amount, printers, windowSeconds) * SECONDS_PER_MINUTE;
}

/** Scales an amount counted over all printers during a window to one printer and one second. */
export function perPrinterSecond(amount: number, printers: number, windowSeconds: number): number {
  if (!(printers > 0) || !(windowSeconds > 0)) return Number.NaN;
  return amount / printers / windowSeconds;
}
