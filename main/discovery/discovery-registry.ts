import type { DiscoveredPrinter } from '../../shared/control-api/printer-views.js';
import { compareMachines, mergeEvidence, type MachineEvidence } from './machine-match.js';
import { NO_MACHINE_FACTS, type MoonrakerInstance } from './moonraker-identity.js';
import {
  addClaim,
  entryView,
  inherit,
  newEntry,
  sightingEvidence,
  type DiscoverySource,
  type RegistryEntry,
  type Sighting,
  type SightingResult,
} from './registry-entry.js';

export type { DiscoverySource, Sighting, SightingResult } from './registry-entry.js';

/**
 * The discovered printers, one entry per Moonraker instance and machine. Sightings of one
 * instance on several addresses or through several sources merge into one entry. A second
 * machine with the same identity, such as a printer running a copy of another's SD card, gets
 * its own entry, flagged with `duplicateOf`.
 */
export class DiscoveryRegistry {
  private readonly entries = new Map<string, RegistryEntry>();

  /** Adds or merges a sighting and returns the entry it landed in. */
  record(sighting: Sighting): DiscoveredPrinter {
    const entry =
      sighting.result.kind === 'confirmed'
        ? this.recordConfirmed(sighting, sighting.result.instance)
        : this.recordUnauthorized(sighting, sighting.result);
    return this.view(entry);
  }

  /**
   * Applies a new probe of an entry's address under the entry's own claims: it updates the
   * entry, or replaces it when another instance now responds there. Returns whether it existed.
   */
  reprobed(key: string, result: SightingResult): boolean {
    const entry = this.entries.get(key);
    const [source, claims] = entry?.claims.entries().next().value ?? [];
    const [claim] = claims ?? [];
    if (!source || claim === undefined) return false;
    this.record({ source, claim, result });
    return true;
  }

  /** Marks the entry unreachable, keeping it listed with the error message as its hint. */
  markUnreachable(key: string, message: string): boolean {
    const entry = this.entries.get(key);
    if (!entry || (entry.state === 'unreachable' && entry.hint === message)) return false;
    entry.state = 'unreachable';
    entry.hint = message;
    return true;
  }

  /**
   * Withdraws a source's claim, as when an mDNS service sends a goodbye. An entry left without any
   * source is removed. Returns whether anything changed.
   */
  withdraw(source: DiscoverySource, claim: string): boolean {
    let changed = false;
    for (const entry of [...this.entries.values()]) {
      const claims = entry.claims.get(source);
      if (!claims?.delete(claim)) continue;
      changed = true;
      if (claims.size === 0) entry.claims.delete(source);
      if (entry.claims.size === 0) this.entries.delete(entry.key);
    }
    return changed;
  }

  /** Notes that a printer of the fleet came from this entry. Returns whether it changed. */
  setPrinterId(key: string, printerId: string | undefined): boolean {
    const entry = this.entries.get(key);
    if (!entry || entry.printerId === printerId) return false;
    entry.printerId = printerId;
    return true;
  }

  /** Returns the address and port of each entry, for a refresh to probe again. */
  targets(): { key: string; host: string; port: number }[] {
    return [...this.entries.values()].map(({ key, host, port }) => ({ key, host, port }));
  }

  list(): DiscoveredPrinter[] {
    return [...this.entries.values()].map((entry) => this.view(entry));
  }

  clear(): void {
    this.entries.clear();
  }

  private recordConfirmed(sighting: Sighting, instance: MoonrakerInstance): RegistryEntry {
    const evidence = sightingEvidence(sighting, instance);
    const replaced = this.releaseAddress(instance.host, instance.port, instance.identity);

    const sameIdentity = [...this.entries.values()].filter(
      (entry) => entry.identity === instance.identity,
    );
    const match =
      sameIdentity.find((entry) => compareMachines(entry.evidence, evidence) === 'same') ??
      // NOTE: without evidence either way, two addresses of one identity are taken to be one
      // machine with two interfaces. Only hardware, self-reported addresses or mDNS host names
      // tell a copied SD card apart.
      sameIdentity.find((entry) => compareMachines(entry.evidence, evidence) === 'unknown');
    if (match) {
      this.mergeConfirmed(match, sighting, instance, evidence);
      inherit(match, replaced);
      return match;
    }

    const key =
      sameIdentity.length === 0 ? instance.identity : `${instance.identity}@${instance.host}`;
    const entry = newEntry(key, instance.host, instance.port, evidence);
    entry.identity = instance.identity;
    this.mergeConfirmed(entry, sighting, instance, evidence);
    inherit(entry, replaced);
    this.entries.set(key, entry);
    return entry;
  }

  private mergeConfirmed(
    entry: RegistryEntry,
    sighting: Sighting,
    instance: MoonrakerInstance,
    evidence: MachineEvidence,
  ): void {
    if (entry.host !== instance.host && entry.state !== 'confirmed') entry.host = instance.host;
    if (entry.host === instance.host) entry.instance = instance;
    entry.instance ??= instance;
    entry.evidence = mergeEvidence(entry.evidence, evidence);
    entry.state = 'confirmed';
    entry.hint = undefined;
    addClaim(entry, sighting);
  }

  private recordUnauthorized(
    sighting: Sighting,
    result: Extract<SightingResult, { kind: 'unauthorized' }>,
  ): RegistryEntry {
    const existing = this.findByAddress(result.host, result.port);
    if (existing) {
      if (existing.host === result.host) {
        existing.state = 'unauthorized';
        existing.hint = result.hint.message;
      }
      addClaim(existing, sighting);
      return existing;
    }
    const evidence = { addresses: [result.host], facts: NO_MACHINE_FACTS };
    const entry = newEntry(
      `address:${result.host}:${result.port}`,
      result.host,
      result.port,
      evidence,
    );
    entry.state = 'unauthorized';
    entry.hint = result.hint.message;
    addClaim(entry, sighting);
    this.entries.set(entry.key, entry);
    return entry;
  }

  /**
   * Detaches an address that now responds as another instance, as when Moonraker first asked for
   * authorization or Klippy was not yet connected. An entry that was reached at that address is
   * removed and returned, so that the new entry inherits its claims.
   */
  private releaseAddress(host: string, port: number, identity: string): RegistryEntry | undefined {
    const previous = this.findByAddress(host, port);
    if (!previous || previous.identity === identity) return undefined;
    if (previous.host === host) {
      this.entries.delete(previous.key);
      return previous;
    }
    const addresses = previous.evidence.addresses.filter((address) => address !== host);
    previous.evidence = { ...previous.evidence, addresses };
    return undefined;
  }

  private findByAddress(host: string, port: number): RegistryEntry | undefined {
    return [...this.entries.values()].find(
      (entry) => entry.port === port && entry.evidence.addresses.includes(host),
    );
  }

  private view(entry: RegistryEntry): DiscoveredPrinter {
    return entryView(entry, this.primaryOf(entry));
  }

  /** Returns the first entry of the same identity, unless that is this entry. */
  private primaryOf(entry: RegistryEntry): RegistryEntry | undefined {
    if (entry.identity === undefined) return undefined;
    const first = [...this.entries.values()].find((other) => other.identity === entry.identity);
    return first === entry ? undefined : first;
  }
}
