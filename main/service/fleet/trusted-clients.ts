import { isIPv4 } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';

/** The example network a fix names when this computer's own network is not known. */
export const EXAMPLE_NETWORK = '192.168.1.0/24';

/**
 * Returns the `trusted_clients` entry that lets this computer in: the IPv4 network of the
 * interface that owns `address` (such as `192.168.1.0/24`), or `address` itself for IPv6 and
 * for an address no interface owns.
 */
export function trustedClientsEntry(
  address: string,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
): string {
  const owner = Object.values(interfaces)
    .flatMap((entries) => entries ?? [])
    .find((entry) => entry.address === address);
  if (!owner || owner.family !== 'IPv4' || !isIPv4(address)) return address;

  const prefix = Number(owner.cidr?.split('/')[1] ?? prefixOfNetmask(owner.netmask));
  return `${ipv4NetworkAddress(address, prefix)}/${prefix}`;
}

/** Masks an IPv4 address to its network address, such as 192.168.1.37/24 → 192.168.1.0. */
export function ipv4NetworkAddress(address: string, prefix: number): string {
  const value = address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
  const mask = prefix <= 0 ? 0 : (0xffffffff << (32 - Math.min(32, prefix))) >>> 0;
  const network = (value & mask) >>> 0;
  return [24, 16, 8, 0].map((shift) => (network >>> shift) & 0xff).join('.');
}

function prefixOfNetmask(netmask: string): number {
  return netmask
    .split('.')
    .map((octet) => Number(octet).toString(2).replace(/0/g, '').length)
    .reduce((sum, bits) => sum + bits, 0);
}

/** Returns the `[authorization]` section of moonraker.conf that trusts `entry`. */
export function moonrakerConfSnippet(entry: string): string {
  return `[authorization]\ntrusted_clients:\n    ${entry}`;
}
