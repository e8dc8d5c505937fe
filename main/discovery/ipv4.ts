import { invalidArguments } from './discovery-errors.js';

/** IPv4 addresses as unsigned 32-bit integers, and CIDR blocks of them. */

/** The largest block a sweep may cover: a /16 has 65,534 hosts. */
export const MIN_SWEEP_PREFIX = 16;

export interface Ipv4Cidr {
  /** The network address, with the host bits cleared. */
  readonly network: number;
  readonly prefix: number;
}

const OCTET = /^(0|[1-9]\d{0,2})$/;

/** Parses dotted-quad notation such as `192.168.1.20`; null for anything else. */
export function parseIpv4(text: string): number | null {
  const parts = text.trim().split('.');
  if (parts.length !== 4) return null;

  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

export function isIpv4(text: string): boolean {
  return parseIpv4(text) !== null;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Counts the leading one bits of a netmask such as `255.255.255.0`; null when not contiguous. */
export function netmaskPrefix(netmask: string): number | null {
  const value = parseIpv4(netmask);
  if (value === null) return null;
  for (let prefix = 0; prefix <= 32; prefix += 1) {
    if (prefixMask(prefix) === value) return prefix;
  }
  return null;
}

/**
 * Parses `a.b.c.d/n`, or a bare address as a /32. Host bits are cleared, so `192.168.1.7/24` is
 * the block 192.168.1.0/24. Throws `invalid_arguments` naming the value otherwise.
 */
export function parseCidr(text: string): Ipv4Cidr {
  const [addressText = '', prefixText, ...rest] = text.trim().split('/');
  const address = parseIpv4(addressText);
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  const validPrefix = /^\d{1,2}$/.test(prefixText ?? '32') && prefix >= 0 && prefix <= 32;
  if (address === null || !validPrefix || rest.length > 0) {
    throw invalidArguments(`Invalid IPv4 CIDR "${text}". Enter a network such as 192.168.1.0/24.`, {
      cidr: text,
    });
  }
  return { network: (address & prefixMask(prefix)) >>> 0, prefix };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

/** Returns the network block an interface address belongs to, such as `192.168.1.0/24`. */
export function networkOf(address: number, prefix: number): Ipv4Cidr {
  return { network: (address & prefixMask(prefix)) >>> 0, prefix };
}

export function cidrContains(cidr: Ipv4Cidr, address: number): boolean {
  return (address & prefixMask(cidr.prefix)) >>> 0 === cidr.network;
}

/**
 * Returns the range of host addresses of a block. The network and broadcast addresses are left
 * out, except in /31 and /32 blocks, which have none (RFC 3021).
 */
export function cidrHosts(cidr: Ipv4Cidr): { first: number; last: number; count: number } {
  const size = 2 ** (32 - cidr.prefix);
  if (cidr.prefix >= 31) {
    return { first: cidr.network, last: cidr.network + size - 1, count: size };
  }
  return { first: cidr.network + 1, last: cidr.network + size - 2, count: size - 2 };
}

/** Lists the host addresses of a block in order, as dotted quads. */
export function* hostAddresses(cidr: Ipv4Cidr): Generator<string> {
  const { first, last } = cidrHosts(cidr);
  for (let value = first; value <= last; value += 1) yield formatIpv4(value);
}

/** Throws `invalid_arguments` for a block larger than a /16, which a sweep does not cover. */
export function assertSweepable(cidr: Ipv4Cidr): void {
  if (cidr.prefix >= MIN_SWEEP_PREFIX) return;
  const hosts = cidrHosts(cidr).count.toLocaleString('en-US');
  throw invalidArguments(
    `The network ${formatCidr(cidr)} has ${hosts} addresses, too many to sweep. ` +
      `Enter a block of /${MIN_SWEEP_PREFIX} or smaller, such as 192.168.1.0/24.`,
    { cidr: formatCidr(cidr), maxPrefix: MIN_SWEEP_PREFIX },
  );
}
