/**
 * Runs a DiscoveryService with mDNS in the namespace it is started in and prints every change of
 * the list as `{"event":"list","printers":[...]}`, with the milliseconds since start. Stops on
 * SIGTERM. Started by the namespace tests through `ip netns exec`.
 */
import { parseArgs } from 'node:util';

import { createLogger } from '../../support/logger.js';
import { DiscoveryService } from '../discovery-service.js';

const { values } = parseArgs({
  options: {
    interface: { type: 'string' },
    'requery-ms': { type: 'string', default: '2000' },
  },
});

const startedAt = performance.now();
const service = new DiscoveryService({
  logger: createLogger({ level: 'warn', pretty: false }),
  interfaceAddress: values.interface,
  requeryIntervalMs: Number(values['requery-ms']),
  probeTimeoutMs: 2000,
});
service.onChange((printers) => {
  const elapsedMs = Math.round(performance.now() - startedAt);
  console.log(JSON.stringify({ event: 'list', elapsedMs, printers }));
});
service.start();
console.log(JSON.stringify({ event: 'browsing' }));

process.once('SIGTERM', () => {
  service.dispose();
  process.exit(0);
});
