import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

import type { NetworkInterfaceView } from '../../shared/control-api/printer-views.js';
import { formatCidr, netmaskPrefix, networkOf, parseIpv4 } from './ipv4.js';

/** The shape of `os.networkInterfaces()`, injected so tests can describe any machine. */
export type InterfaceSource = () => NodeJS.Dict<NetworkInterfaceInfo[]>;

export const systemInterfaces: InterfaceSource = networkInterfaces;

/**
 * Name patterns of virtual adapters and VPNs: container bridges and veth pairs, hypervisor
 * host-only networks, tunnels and overlay VPNs. Printers are rarely behind them, so the UI can
 * suggest a physical adapter first.
 */
const VIRTUAL_NAME_PATTERNS: readonly RegExp[] = [
  /^docker/i,
  /^veth/i,
  /^br-/i,
  /^virbr/i,
  /^vmnet/i,
  /^vboxnet/i,
  /^tun/i,
  /^tap/i,
  /^wg/i,
  /^utun/i,
  /^zt/i,
  /tailscale/i,
  /^vEthernet/i,
  /virtualbox/i,
  /vmware/i,
  /hyper-v/i,
  /zerotier/i,
];

export function isVirtualInterfaceName(name: string): boolean {
  return VIRTUAL_NAME_PATTERNS.some((pattern) => pattern.test(name));
}

/**
 * Lists the IPv4 addresses of the external interfaces, one entry per address, with the network
 * each belongs to. Loopback and other internal interfaces are left out.
 */
export function listNetworkInterfaces(
  source: InterfaceSource = systemInterfaces,
): NetworkInterfaceView[] {
  const views: NetworkInterfaceView[] = [];
  for (const [name, entries] of Object.entries(source())) {
    for (const entry of entries ?? []) {
      if (entry.family !== 'IPv4' || entry.internal) continue;
      const cidr = interfaceNetwork(entry);
      if (cidr === null) continue;
      views.push({ name, address: entry.address, cidr, virtual: isVirtualInterfaceName(name) });
    }
  }
  return views;
}

/** Returns the network of an IPv4 interface, such as `192.168.1.0/24`, or null. */
export function interfaceNetwork(entry: NetworkInterfaceInfo): string | null {
  const address = parseIpv4(entry.address);
  const prefix = netmaskPrefix(entry.netmask);
  if (address === null || prefix === null) return null;
  return formatCidr(networkOf(address, prefix));
}
