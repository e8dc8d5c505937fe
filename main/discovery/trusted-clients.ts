import { interfaceNetwork, systemInterfaces, type InterfaceSource } from './network-interfaces.js';

/**
 * Advice for making Moonraker accept this computer without an API key: an entry of `trusted_clients`
 * in the `[authorization]` section of moonraker.conf. Discovery, the add-printer check and the
 * fleet's health chain all build their advice here, so they name the same entry.
 */

/** The network a fix shows as an example when this computer's address towards the printer is unknown. */
export const EXAMPLE_NETWORK = '192.168.1.0/24';

/**
 * Returns the `trusted_clients` entry for this computer when it reaches the printer from `localAddress`.
 * For an address of an external IPv4 interface this is the interface's network, such as
 * `192.168.1.0/24`, so the entry still holds after the computer gets a new address from DHCP.
 * A loopback or other internal address, an IPv6 address and an address that no interface owns
 * are returned as they are: a printer on this computer sees it as `127.0.0.1`, and trusting all
 * of 127.0.0.0/8 would add nothing.
 */
export function trustedClientsEntry(
  localAddress: string,
  source: InterfaceSource = systemInterfaces,
): string {
  for (const entries of Object.values(source())) {
    const entry = entries?.find((candidate) => candidate.address === localAddress);
    if (!entry) continue;
    if (entry.internal || entry.family !== 'IPv4') return localAddress;
    return interfaceNetwork(entry) ?? localAddress;
  }
  return localAddress;
}

/** Returns the `[authorization]` section of moonraker.conf that trusts `entry`, or the example. */
export function moonrakerConfSnippet(entry: string | undefined): string {
  return `[authorization]\ntrusted_clients:\n    ${entry ?? EXAMPLE_NETWORK}`;
}

/**
 * Returns what to add where, such as `add the line "192.168.1.0/24" under trusted_clients: in
 * the [authorization] section of moonraker.conf and restart Moonraker`. Without an entry it
 * names this computer's address with the example network.
 */
export function trustInstruction(entry: string | undefined): string {
  const line =
    entry === undefined
      ? `this computer's IP address or network (such as ${EXAMPLE_NETWORK})`
      : `the line "${entry}"`;
  return (
    `add ${line} under trusted_clients: in the [authorization] section of moonraker.conf ` +
    'and restart Moonraker'
  );
}

/** Returns the fix for a Moonraker that requires authorization: trust this computer, or use an API key. */
export function trustedClientsFix(entry: string | undefined): string {
  return `To trust this computer, ${trustInstruction(entry)}, or fill in the printer's API key.`;
}

/** Returns the fix for a Moonraker that rejected the API key that was sent. */
export function rejectedApiKeyFix(entry: string | undefined): string {
  return (
    "Check the printer's API key (Mainsail and Fluidd show it in their authorization " +
    `settings), or ${trustInstruction(entry)}.`
  );
}
