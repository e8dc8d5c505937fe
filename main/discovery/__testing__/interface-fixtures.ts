import type { NetworkInterfaceInfo } from 'node:os';

/** Test helper: an IPv4 entry of `os.networkInterfaces()`. */
export function ipv4(address: string, netmask: string, internal = false): NetworkInterfaceInfo {
  return { address, netmask, family: 'IPv4', mac: '02:00:00:00:00:01', internal, cidr: null };
}

/** Test helper: the IPv6 link-local entry that most LAN interfaces have beside their IPv4 one. */
export const LINK_LOCAL_IPV6: NetworkInterfaceInfo = {
  address: 'fe80::1',
  netmask: 'ffff:ffff:ffff:ffff::',
  family: 'IPv6',
  mac: '02:00:00:00:00:01',
  internal: false,
  cidr: 'fe80::1/64',
  scopeid: 2,
};
