import type { NetworkInterfaceInfo } from 'node:os';

import { describe, expect, it } from 'vitest';

import { isVirtualInterfaceName, listNetworkInterfaces } from './network-interfaces.js';

function ipv4(address: string, netmask: string, internal = false): NetworkInterfaceInfo {
  return {
    address,
    netmask,
    family: 'IPv4',
    mac: '02:00:00:00:00:01',
    internal,
    cidr: null,
  };
}

const machine = (): NodeJS.Dict<NetworkInterfaceInfo[]> => ({
  lo: [ipv4('127.0.0.1', '255.0.0.0', true)],
  eth0: [
    ipv4('192.168.1.23', '255.255.255.0'),
    {
      address: 'fe80::1',
      netmask: 'ffff:ffff:ffff:ffff::',
      family: 'IPv6',
      mac: '02:00:00:00:00:01',
      internal: false,
      cidr: 'fe80::1/64',
      scopeid: 2,
    },
  ],
  docker0: [ipv4('172.17.0.1', '255.255.0.0')],
  tailscale0: [ipv4('100.101.102.103', '255.255.255.255')],
});

describe('listNetworkInterfaces', () => {
  it('lists external IPv4 addresses with their network', () => {
    expect(listNetworkInterfaces(machine)).toEqual([
      { name: 'eth0', address: '192.168.1.23', cidr: '192.168.1.0/24', virtual: false },
      { name: 'docker0', address: '172.17.0.1', cidr: '172.17.0.0/16', virtual: true },
      {
        name: 'tailscale0',
        address: '100.101.102.103',
        cidr: '100.101.102.103/32',
        virtual: true,
      },
    ]);
  });
});

describe('isVirtualInterfaceName', () => {
  it.each([
    'docker0',
    'veth1a2b3c',
    'br-5f3e2d1c',
    'virbr0',
    'vmnet8',
    'vboxnet0',
    'tun0',
    'tap0',
    'wg0',
    'utun3',
    'ztabcdef12',
    'tailscale0',
    'vEthernet (WSL)',
    'VirtualBox Host-Only Network',
  ])('flags %s', (name) => {
    expect(isVirtualInterfaceName(name)).toBe(true);
  });

  it.each(['eth0', 'enp3s0', 'wlan0', 'wlp2s0', 'en0', 'Ethernet', 'Wi-Fi'])(
    'keeps %s physical',
    (name) => {
      expect(isVirtualInterfaceName(name)).toBe(false);
    },
  );
});
