import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';

import { trustedClientsEntry } from '../../discovery/trusted-clients.js';

/**
 * Lookup of the `trusted_clients` entry that lets this computer into the printer at
 * `host:port`. It resolves undefined when no route to the host is known.
 */
export type LocalNetworkLookup = (host: string, port: number) => Promise<string | undefined>;

export const lookupLocalNetwork: LocalNetworkLookup = async (host, port) => {
  const address = await localAddressTowards(host, port);
  return address ? trustedClientsEntry(address) : undefined;
};

/**
 * Returns the local address the system would send from to reach `host`. Connecting a UDP socket
 * only picks the route and sends no packet, so this works while the printer is unreachable too.
 */
function localAddressTowards(host: string, port: number): Promise<string | undefined> {
  const bare = host.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = createSocket(isIPv6(bare) ? 'udp6' : 'udp4');
    const finish = (address: string | undefined): void => {
      socket.close();
      resolve(address);
    };
    socket.on('error', () => finish(undefined));
    socket.connect(port, bare, () => {
      try {
        finish(socket.address().address);
      } catch {
        finish(undefined);
      }
    });
  });
}
