import type { NetworkInterfaceInfo } from 'node:os';

import { describe, expect, it } from 'vitest';

import { ipv4, LINK_LOCAL_IPV6 } from './__testing__/interface-fixtures.js';
import {
  moonrakerConfSnippet,
  rejectedApiKeyFix,
  trustedClientsEntry,
  trustedClientsFix,
} from './trusted-clients.js';

const machine = (): NodeJS.Dict<NetworkInterfaceInfo[]> => ({
  lo: [ipv4('127.0.0.1', '255.0.0.0', true)],
  eth0: [ipv4('192.168.1.37', '255.255.255.0'), LINK_LOCAL_IPV6],
  wlan0: [ipv4('172.16.5.130', '255.255.255.128')],
});

describe('trustedClientsEntry', () => {
  it('returns the network of a LAN address', () => {
    expect(trustedClientsEntry('192.168.1.37', machine)).toBe('192.168.1.0/24');
    expect(trustedClientsEntry('172.16.5.130', machine)).toBe('172.16.5.128/25');
  });

  it('returns a loopback address as the single address', () => {
    expect(trustedClientsEntry('127.0.0.1', machine)).toBe('127.0.0.1');
  });

  it('returns an IPv6 address as it is', () => {
    expect(trustedClientsEntry('fe80::1', machine)).toBe('fe80::1');
  });

  it('returns an address no interface owns as it is', () => {
    expect(trustedClientsEntry('10.9.8.7', machine)).toBe('10.9.8.7');
  });
});

describe('moonrakerConfSnippet', () => {
  it('puts the entry under trusted_clients', () => {
    expect(moonrakerConfSnippet('127.0.0.1')).toBe(
      '[authorization]\ntrusted_clients:\n    127.0.0.1',
    );
  });

  it('shows the example network without an entry', () => {
    expect(moonrakerConfSnippet(undefined)).toBe(
      '[authorization]\ntrusted_clients:\n    192.168.1.0/24',
    );
  });
});

describe('trustedClientsFix', () => {
  it('names the line, the section, the file and the API key', () => {
    expect(trustedClientsFix('192.168.1.0/24')).toBe(
      'To trust this computer, add the line "192.168.1.0/24" under trusted_clients: in the ' +
        '[authorization] section of moonraker.conf and restart Moonraker, or fill in the ' +
        "printer's API key.",
    );
  });

  it('names this computer when the entry is unknown', () => {
    expect(trustedClientsFix(undefined)).toBe(
      "To trust this computer, add this computer's IP address or network (such as " +
        '192.168.1.0/24) under trusted_clients: in the [authorization] section of ' +
        "moonraker.conf and restart Moonraker, or fill in the printer's API key.",
    );
  });
});

describe('rejectedApiKeyFix', () => {
  it('names the API key first', () => {
    expect(rejectedApiKeyFix('127.0.0.1')).toBe(
      "Check the printer's API key (Mainsail and Fluidd show it in their authorization " +
        'settings), or add the line "127.0.0.1" under trusted_clients: in the [authorization] ' +
        'section of moonraker.conf and restart Moonraker.',
    );
  });
});
