import { afterEach, describe, expect, it } from 'vitest';

import {
  startDemo,
  type DemoPrinter,
  type RunningDemo,
} from '../../main/headless/demo/demo-runner.js';
import { systemClock } from '../../main/support/clock.js';
import { silentLogger } from '../../main/support/logger.js';

let demo: RunningDemo | undefined;

afterEach(async () => {
  await demo?.stop();
  demo = undefined;
});

describe('startDemo', () => {
  it('reports each printer as it is linked', { timeout: 30_000 }, async () => {
    const linked: DemoPrinter[] = [];
    let linkedAtCloudStart = -1;

    demo = await startDemo({
      printers: 2,
      scenario: 'idle',
      speed: 10,
      clock: systemClock,
      logger: silentLogger,
      onCloudStarted: async () => {
        linkedAtCloudStart = linked.length;
      },
      onPrinterLinked: (printer) => linked.push(printer),
    });

    expect(linkedAtCloudStart).toBe(0);
    expect(linked).toEqual(demo.printers);
    expect(linked.map((printer) => printer.name)).toEqual(['printer-1', 'printer-2']);
  });
});
