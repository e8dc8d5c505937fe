import type { EventEmitter } from 'node:events';

import bonjourService from 'bonjour-service';

import { silentLogger, type Logger } from '../support/logger.js';

export interface AdvertiseMoonrakerOptions {
  port: number;
  /** The service instance name, such as `Voron`. */
  name: string;
  txt?: Record<string, string>;
  /** Address of the interface to announce on; every interface when absent. */
  interfaceAddress?: string;
  /** The SRV target host name; the machine's host name when absent. */
  host?: string;
  logger?: Logger;
}

/** A published `_moonraker._tcp` service. `stop` sends the goodbye and closes the socket. */
export interface MoonrakerAdvertisement {
  stop(): Promise<void>;
}

/**
 * Announces a Moonraker server over mDNS as Moonraker's `[zeroconf]` component does, so the
 * simulator and tests can be discovered like a printer.
 */
export function advertiseMoonraker(options: AdvertiseMoonrakerOptions): MoonrakerAdvertisement {
  const logger = (options.logger ?? silentLogger).child({ component: 'mdns-advertiser' });
  const address = options.interfaceAddress;
  const socketOptions = address ? { interface: address, bind: '0.0.0.0' } : {};
  // bonjour-service hands its options to multicast-dns, though its types name service fields.
  type BonjourOptions = ConstructorParameters<typeof bonjourService.Bonjour>[0];
  const bonjour = new bonjourService.Bonjour(socketOptions as BonjourOptions, (error: unknown) =>
    logger.error({ err: error }, 'mDNS announcement failed'),
  );
  // NOTE: bonjour-service keeps its multicast socket private and adds no `error` listener, so
  // a failed bind would throw from the emitter. This reaches into the private field to add one.
  const socket = (bonjour as unknown as { server: { mdns: EventEmitter } }).server.mdns;
  socket.on('error', (error: Error) => logger.error({ err: error }, 'mDNS socket failed'));
  socket.on('warning', (error: Error) => logger.debug({ err: error }, 'mDNS socket warning'));

  bonjour.publish({
    name: options.name,
    type: 'moonraker',
    port: options.port,
    txt: options.txt ?? {},
    ...(options.host ? { host: options.host } : {}),
  });
  logger.info({ name: options.name, port: options.port }, 'Announcing Moonraker over mDNS');

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        bonjour.unpublishAll(() => bonjour.destroy(() => resolve()));
      });
      return stopping;
    },
  };
}
