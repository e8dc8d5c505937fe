/**
 * Runs a Moonraker simulator on every address of the namespace it is started in, and announces
 * it over mDNS with `--advertise NAME`. Prints `{"event":"ready","port":N}` once listening and
 * stops cleanly on SIGTERM. Started by the namespace tests through `ip netns exec`.
 */
import { parseArgs } from 'node:util';

import { MoonrakerSimulator } from '../../simulator/moonraker-simulator.js';
import { advertiseMoonraker, type MoonrakerAdvertisement } from '../advertise-moonraker.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    hostname: { type: 'string', default: 'namespace-voron' },
    advertise: { type: 'string' },
    interface: { type: 'string' },
  },
});

const simulator = new MoonrakerSimulator({
  mode: { kind: 'scenario', name: 'idle' },
  host: '0.0.0.0',
  port: Number(values.port),
  identity: { hostname: values.hostname },
});
const { url } = await simulator.start();
const port = Number(new URL(url).port);

let advertisement: MoonrakerAdvertisement | undefined;
if (values.advertise) {
  advertisement = advertiseMoonraker({
    port,
    name: values.advertise,
    txt: { version: 'v0.9.3-simulated' },
    interfaceAddress: values.interface,
  });
}
console.log(JSON.stringify({ event: 'ready', port }));

process.once('SIGTERM', () => {
  void (async () => {
    await advertisement?.stop();
    await simulator.stop();
    process.exit(0);
  })();
});
