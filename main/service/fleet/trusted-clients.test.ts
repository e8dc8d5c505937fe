import type { NetworkInterfaceInfo } from 'node:os';

import { describe, expect, it } from 'vitest';

import { ipv4NetworkAddress, trustedClientsEntry } from './trusted-clients.js';

const interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = {
  lo: [
    {
      address: '127.0.0.1',
      netmask: '255.0.0.0',
      family: 'IPv4',
      mac: '00:00:00:00:00:00',
      internal: true,
      cidr: '127.0.0.1/8',
    },
  ],
  eth0: [
    {
      address: '192.168.1.37',
      netmask: '255.255.255.0',
      family: 'IPv4',
      mac: '02:00:00:00:00:01',
      internal: false,
      cidr: '192.168.1.37/24',
    },
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
};

describe('trustedClientsEntry', () => {
  it('returns the network of the interface that owns the address', () => {
    expect(trustedClientsEntry('192.168.1.37', interfaces)).toBe('192.168.1.0/24');
    expect(trustedClientsEntry('127.0.0.1', interfaces)).toBe('127.0.0.0/8');
  });

  it('returns an IPv6 address as it is', () => {
    expect(trustedClientsEntry('fe80::1', interfaces)).toBe('fe80::1');
  });

  it('returns an address no interface owns as it is', () => {
    expect(trustedClientsEntry('10.0.0.9', interfaces)).toBe('10.0.0.9');
  });
});

describe('ipv4NetworkAddress', () => {
  it('masks the host bits', () => {
    expect(ipv4NetworkAddress('10.20.30.40', 16)).toBe('10.20.0.0');
    expect(ipv4NetworkAddress('10.20.30.40', 32)).toBe('10.20.30.40');
    expect(ipv4NetworkAddress('172.16.5.130', 25)).toBe('172.16.5.128');
    expect(ipv4NetworkAddress('10.20.30.40', 0)).toBe('0.0.0.0');
  });
});
