import type { DiscoveredPrinter } from '../../shared/control-api/printer-views.js';
import type { AuthorizationHint } from './authorization-hint.js';
import type { MachineEvidence } from './machine-match.js';
import type { MoonrakerInstance } from './moonraker-identity.js';

/** Sightings as sources report them, and the registry's entry for one instance and machine. */

export type DiscoverySource = DiscoveredPrinter['via'][number];

/** A probe outcome worth listing: Moonraker confirmed, or Moonraker requesting authorization. */
export type SightingResult =
  | { readonly kind: 'confirmed'; readonly instance: MoonrakerInstance }
  | {
      readonly kind: 'unauthorized';
      readonly host: string;
      readonly port: number;
      readonly hint: AuthorizationHint;
    };

export interface Sighting {
  readonly source: DiscoverySource;
  /** The source's own name for what it found, to withdraw it later: an mDNS name, a sweep id. */
  readonly claim: string;
  readonly result: SightingResult;
  /** The mDNS record the address came from, with every address it listed. */
  readonly mdns?: { readonly host: string; readonly addresses: readonly string[] };
}

export interface RegistryEntry {
  key: string;
  /** Undefined while Moonraker requests authorization, until it has responded. */
  identity: string | undefined;
  host: string;
  port: number;
  state: DiscoveredPrinter['state'];
  instance: MoonrakerInstance | undefined;
  evidence: MachineEvidence;
  claims: Map<DiscoverySource, Set<string>>;
  hint: string | undefined;
  printerId: string | undefined;
}

export function newEntry(
  key: string,
  host: string,
  port: number,
  evidence: MachineEvidence,
): RegistryEntry {
  return {
    key,
    identity: undefined,
    host,
    port,
    state: 'confirmed',
    instance: undefined,
    evidence,
    claims: new Map(),
    hint: undefined,
    printerId: undefined,
  };
}

export function addClaim(entry: RegistryEntry, sighting: Pick<Sighting, 'source' | 'claim'>): void {
  const claims = entry.claims.get(sighting.source) ?? new Set<string>();
  claims.add(sighting.claim);
  entry.claims.set(sighting.source, claims);
}

/** Moves the claims and fleet link of a replaced entry to the entry that took its address. */
export function inherit(entry: RegistryEntry, replaced: RegistryEntry | undefined): void {
  if (!replaced) return;
  for (const [source, claims] of replaced.claims) {
    for (const claim of claims) addClaim(entry, { source, claim });
  }
  entry.printerId ??= replaced.printerId;
}

export function sightingEvidence(sighting: Sighting, instance: MoonrakerInstance): MachineEvidence {
  const addresses = [instance.host, ...(sighting.mdns?.addresses ?? [])];
  const evidence = { addresses: [...new Set(addresses)], facts: instance.machine };
  return sighting.mdns ? { ...evidence, mdnsHost: sighting.mdns.host } : evidence;
}

function duplicateHint(primary: RegistryEntry): string {
  return (
    `This printer reports the same Moonraker identity as the one at ${primary.host}, as a ` +
    'copied SD card would. Give each printer its own host name so that they can be told apart.'
  );
}

/** Builds the view of an entry; `primary` is the entry it duplicates, if any. */
export function entryView(
  entry: RegistryEntry,
  primary: RegistryEntry | undefined,
): DiscoveredPrinter {
  const instance = entry.instance;
  const view: DiscoveredPrinter = {
    key: entry.key,
    host: entry.host,
    port: entry.port,
    addresses: [...entry.evidence.addresses],
    via: [...entry.claims.keys()].sort(),
    state: entry.state,
  };
  if (instance?.hostname) view.hostname = instance.hostname;
  if (instance?.moonrakerVersion) view.moonrakerVersion = instance.moonrakerVersion;
  if (instance?.klipperVersion) view.klipperVersion = instance.klipperVersion;
  if (primary) view.duplicateOf = primary.key;
  if (entry.printerId) view.printerId = entry.printerId;
  const hint = entry.hint ?? (primary ? duplicateHint(primary) : undefined);
  if (hint) view.hint = hint;
  return view;
}
