import { describe, expect, it } from 'vitest';

import { compareMachines, mergeEvidence, type MachineEvidence } from './machine-match.js';

function evidence(
  addresses: string[],
  extra: { macs?: string[]; ips?: string[]; cpuSerial?: string; mdnsHost?: string } = {},
): MachineEvidence {
  const facts = {
    macAddresses: extra.macs ?? [],
    ipAddresses: extra.ips ?? [],
    ...(extra.cpuSerial ? { cpuSerial: extra.cpuSerial } : {}),
  };
  return extra.mdnsHost ? { addresses, facts, mdnsHost: extra.mdnsHost } : { addresses, facts };
}

describe('compareMachines', () => {
  it('matches a shared address', () => {
    expect(compareMachines(evidence(['10.0.0.5']), evidence(['10.0.0.5', '10.0.1.5']))).toBe(
      'same',
    );
  });

  it('matches a shared MAC address', () => {
    const wifi = evidence(['10.0.0.5'], { macs: ['aa:aa:aa:aa:aa:01', 'aa:aa:aa:aa:aa:02'] });
    const ethernet = evidence(['10.0.1.5'], { macs: ['aa:aa:aa:aa:aa:02'] });

    expect(compareMachines(wifi, ethernet)).toBe('same');
  });

  it('separates disjoint MAC addresses', () => {
    const original = evidence(['10.0.0.5'], {
      macs: ['aa:aa:aa:aa:aa:01'],
      mdnsHost: 'voron.local',
    });
    const copy = evidence(['10.0.0.6'], { macs: ['bb:bb:bb:bb:bb:01'], mdnsHost: 'voron.local' });

    expect(compareMachines(original, copy)).toBe('different');
  });

  it('separates different CPU serials', () => {
    const original = evidence(['10.0.0.5'], { cpuSerial: '10000000b898bdb4' });
    const copy = evidence(['10.0.0.6'], { cpuSerial: '10000000c0ffee00' });

    expect(compareMachines(original, copy)).toBe('different');
  });

  it('matches an address the machine reports as its own', () => {
    const wifi = evidence(['10.0.0.5'], { ips: ['10.0.0.5', '10.0.1.5'] });

    expect(compareMachines(wifi, evidence(['10.0.1.5']))).toBe('same');
  });

  it('separates an address the machine does not report', () => {
    const original = evidence(['10.0.0.5'], { ips: ['10.0.0.5'] });

    expect(compareMachines(original, evidence(['10.0.0.6']))).toBe('different');
  });

  it('compares mDNS host names', () => {
    const original = evidence(['10.0.0.5'], { mdnsHost: 'voron.local' });

    expect(compareMachines(original, evidence(['10.0.1.5'], { mdnsHost: 'Voron.local.' }))).toBe(
      'same',
    );
    expect(compareMachines(original, evidence(['10.0.0.6'], { mdnsHost: 'voron-2.local' }))).toBe(
      'different',
    );
  });

  it('returns unknown without evidence', () => {
    expect(compareMachines(evidence(['10.0.0.5']), evidence(['10.0.0.6']))).toBe('unknown');
  });
});

describe('mergeEvidence', () => {
  it('joins addresses and keeps known facts', () => {
    const merged = mergeEvidence(
      evidence(['10.0.0.5'], { mdnsHost: 'voron.local' }),
      evidence(['10.0.1.5', '10.0.0.5'], { macs: ['aa:aa:aa:aa:aa:01'], cpuSerial: 'b898bdb4' }),
    );

    expect(merged).toEqual({
      addresses: ['10.0.0.5', '10.0.1.5'],
      facts: { macAddresses: ['aa:aa:aa:aa:aa:01'], ipAddresses: [], cpuSerial: 'b898bdb4' },
      mdnsHost: 'voron.local',
    });
  });
});
