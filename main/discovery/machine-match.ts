import type { MachineFacts } from './moonraker-identity.js';

/**
 * Decides whether two sightings of one Moonraker identity are one machine reached twice (two
 * network interfaces, or mDNS and a sweep) or two machines. The second case arises when an SD
 * card was copied to another printer, because the copy keeps the host name and config but not
 * the hardware.
 */

/** Evidence about the machine behind one or more sightings. */
export interface MachineEvidence {
  /** Addresses it responded on or advertised together. */
  readonly addresses: readonly string[];
  readonly facts: MachineFacts;
  /** The host name its mDNS records point to, such as `voron.local`. */
  readonly mdnsHost?: string;
}

export type MachineComparison = 'same' | 'different' | 'unknown';

/**
 * Compares the strongest evidence first: a shared address, then hardware (MAC addresses, CPU
 * serial), then the addresses each machine reports for itself, then mDNS host names. Avahi
 * renames the second of two hosts that claim one name (`voron-2.local`), so differing mDNS
 * host names mean two machines.
 */
export function compareMachines(a: MachineEvidence, b: MachineEvidence): MachineComparison {
  if (intersects(a.addresses, b.addresses)) return 'same';
  const rules = [compareHardware, compareReportedAddresses, compareMdnsHosts];
  for (const rule of rules) {
    const comparison = rule(a, b);
    if (comparison !== 'unknown') return comparison;
  }
  return 'unknown';
}

/** Merges the evidence of two sightings found to be one machine. */
export function mergeEvidence(a: MachineEvidence, b: MachineEvidence): MachineEvidence {
  const facts: MachineFacts = {
    macAddresses: union(a.facts.macAddresses, b.facts.macAddresses),
    ipAddresses: union(a.facts.ipAddresses, b.facts.ipAddresses),
    ...(a.facts.cpuSerial || b.facts.cpuSerial
      ? { cpuSerial: a.facts.cpuSerial || b.facts.cpuSerial }
      : {}),
  };
  const mdnsHost = a.mdnsHost ?? b.mdnsHost;
  const addresses = union(a.addresses, b.addresses);
  return mdnsHost === undefined ? { addresses, facts } : { addresses, facts, mdnsHost };
}

function compareHardware(a: MachineEvidence, b: MachineEvidence): MachineComparison {
  const aMacs = a.facts.macAddresses;
  const bMacs = b.facts.macAddresses;
  if (aMacs.length > 0 && bMacs.length > 0) return intersects(aMacs, bMacs) ? 'same' : 'different';
  if (a.facts.cpuSerial && b.facts.cpuSerial) {
    return a.facts.cpuSerial === b.facts.cpuSerial ? 'same' : 'different';
  }
  return 'unknown';
}

/**
 * Compares self-reported addresses. A machine that lists its own addresses is the other
 * sighting's machine when the list contains that sighting's address, and another one otherwise.
 */
function compareReportedAddresses(a: MachineEvidence, b: MachineEvidence): MachineComparison {
  const ownership = [owns(a, b), owns(b, a)];
  if (ownership.includes(true)) return 'same';
  if (ownership.includes(false)) return 'different';
  return 'unknown';
}

function owns(owner: MachineEvidence, other: MachineEvidence): boolean | undefined {
  if (owner.facts.ipAddresses.length === 0) return undefined;
  return intersects(owner.facts.ipAddresses, other.addresses);
}

function compareMdnsHosts(a: MachineEvidence, b: MachineEvidence): MachineComparison {
  if (!a.mdnsHost || !b.mdnsHost) return 'unknown';
  return normalizeHost(a.mdnsHost) === normalizeHost(b.mdnsHost) ? 'same' : 'different';
}

function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

function intersects(a: readonly string[], b: readonly string[]): boolean {
  return a.some((value) => b.includes(value));
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
