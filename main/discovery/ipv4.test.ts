import { describe, expect, it } from 'vitest';

import {
  assertSweepable,
  cidrContains,
  cidrHosts,
  formatCidr,
  hostAddresses,
  netmaskPrefix,
  parseCidr,
  parseIpv4,
} from './ipv4.js';

describe('parseIpv4', () => {
  it('parses dotted quads', () => {
    expect(parseIpv4('192.168.1.20')).toBe(0xc0a80114);
    expect(parseIpv4('0.0.0.0')).toBe(0);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
  });

  it.each(['192.168.1', '192.168.1.256', '192.168.01.1', '1.2.3.4.5', 'a.b.c.d', '', '::1'])(
    'rejects "%s"',
    (text) => {
      expect(parseIpv4(text)).toBeNull();
    },
  );
});

describe('netmaskPrefix', () => {
  it('counts the prefix bits', () => {
    expect(netmaskPrefix('255.255.255.0')).toBe(24);
    expect(netmaskPrefix('255.255.0.0')).toBe(16);
    expect(netmaskPrefix('255.255.255.255')).toBe(32);
    expect(netmaskPrefix('0.0.0.0')).toBe(0);
  });

  it('rejects a mask with gaps', () => {
    expect(netmaskPrefix('255.0.255.0')).toBeNull();
  });
});

describe('parseCidr', () => {
  it('clears the host bits', () => {
    expect(formatCidr(parseCidr('192.168.1.77/24'))).toBe('192.168.1.0/24');
  });

  it('reads a bare address as /32', () => {
    expect(formatCidr(parseCidr('10.0.0.9'))).toBe('10.0.0.9/32');
  });

  it.each(['192.168.1.0/33', '192.168.1.0/', '192.168.1.0/24/1', 'printers/24', '10.0.0.0/x'])(
    'rejects "%s"',
    (text) => {
      expect(() => parseCidr(text)).toThrow(
        expect.objectContaining({
          code: 'invalid_arguments',
          message: `Invalid IPv4 CIDR "${text}". Enter a network such as 192.168.1.0/24.`,
        }),
      );
    },
  );
});

describe('cidrHosts', () => {
  it('leaves out network and broadcast addresses', () => {
    const hosts = cidrHosts(parseCidr('192.168.1.0/24'));

    expect(hosts.count).toBe(254);
    expect([...hostAddresses(parseCidr('192.168.1.0/24'))].at(0)).toBe('192.168.1.1');
    expect([...hostAddresses(parseCidr('192.168.1.0/24'))].at(-1)).toBe('192.168.1.254');
  });

  it('lists a /28 in order', () => {
    const addresses = [...hostAddresses(parseCidr('127.0.0.0/28'))];

    expect(addresses).toHaveLength(14);
    expect(addresses[0]).toBe('127.0.0.1');
    expect(addresses[4]).toBe('127.0.0.5');
    expect(addresses[13]).toBe('127.0.0.14');
  });

  it('keeps both addresses of a /31 and the one of a /32', () => {
    expect([...hostAddresses(parseCidr('10.0.0.4/31'))]).toEqual(['10.0.0.4', '10.0.0.5']);
    expect([...hostAddresses(parseCidr('10.0.0.4/32'))]).toEqual(['10.0.0.4']);
  });

  it('counts a /16', () => {
    expect(cidrHosts(parseCidr('172.16.0.0/16')).count).toBe(65_534);
  });
});

describe('cidrContains', () => {
  it('tells inside from outside', () => {
    const cidr = parseCidr('10.213.4.0/24');

    expect(cidrContains(cidr, parseIpv4('10.213.4.200') ?? -1)).toBe(true);
    expect(cidrContains(cidr, parseIpv4('10.213.5.1') ?? -1)).toBe(false);
  });
});

describe('assertSweepable', () => {
  it('accepts a /16', () => {
    expect(() => assertSweepable(parseCidr('172.16.0.0/16'))).not.toThrow();
  });

  it('rejects a block larger than /16', () => {
    expect(() => assertSweepable(parseCidr('10.0.0.0/8'))).toThrow(
      expect.objectContaining({
        code: 'invalid_arguments',
        message:
          'The network 10.0.0.0/8 has 16,777,214 addresses, too many to sweep. Enter a block ' +
          'of /16 or smaller, such as 192.168.1.0/24.',
      }),
    );
  });
});
