import { describe, expect, it } from 'vitest';

import { perPrinterHour, perPrinterMinute, perPrinterSecond } from './traffic-rates.js';

describe('perPrinterHour', () => {
  it('scales a window total to one printer and one hour', () => {
    // 10 printers sent 120 000 bytes in 60 s: 200 bytes a second each.
    expect(perPrinterHour(120_000, 10, 60)).toBe(720_000);
  });

  it('gives the same rate for a window of another length', () => {
    expect(perPrinterHour(60_000, 10, 30)).toBe(perPrinterHour(120_000, 10, 60));
  });

  it('returns NaN for an empty window', () => {
    expect(perPrinterHour(100, 10, 0)).toBeNaN();
  });

  it('returns NaN without printers', () => {
    expect(perPrinterHour(100, 0, 60)).toBeNaN();
  });
});

describe('perPrinterMinute', () => {
  it('scales a window total to one printer and one minute', () => {
    expect(perPrinterMinute(40, 2, 30)).toBe(40);
  });
});

describe('perPrinterSecond', () => {
  it('divides by printers and seconds', () => {
    expect(perPrinterSecond(400, 4, 25)).toBe(4);
  });
});
