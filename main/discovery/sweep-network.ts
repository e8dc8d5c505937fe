import type { NetworkInterfaceView } from '../../shared/control-api/printer-views.js';
import { invalidArguments } from './discovery-errors.js';
import { assertSweepable, parseCidr, type Ipv4Cidr } from './ipv4.js';

/**
 * Chooses the block a sweep covers: the CIDR given, else the network of the chosen interface,
 * else the network of the only physical interface. Throws `invalid_arguments` with what to
 * enter when none applies or the block is larger than a /16.
 */
export function resolveSweepNetwork(
  request: { cidr?: string; interfaceAddress?: string },
  interfaces: readonly NetworkInterfaceView[],
): Ipv4Cidr {
  const cidr = parseCidr(request.cidr ?? interfaceNetwork(request.interfaceAddress, interfaces));
  assertSweepable(cidr);
  return cidr;
}

function interfaceNetwork(
  address: string | undefined,
  interfaces: readonly NetworkInterfaceView[],
): string {
  if (address !== undefined) {
    const chosen = interfaces.find((view) => view.address === address);
    if (chosen) return chosen.cidr;
    throw invalidArguments(
      `No network interface has the address ${address}. Choose one of: ${describe(interfaces)}.`,
      { interfaceAddress: address },
    );
  }

  const physical = interfaces.filter((view) => !view.virtual);
  const [only] = physical;
  if (physical.length === 1 && only) return only.cidr;
  if (physical.length === 0) {
    throw invalidArguments(
      'This computer has no physical network interface with an IPv4 address to sweep. ' +
        'Enter a network such as 192.168.1.0/24.',
    );
  }
  throw invalidArguments(
    `This computer is on several networks (${describe(physical)}). Choose a network ` +
      'interface, or enter a network such as 192.168.1.0/24.',
  );
}

function describe(interfaces: readonly NetworkInterfaceView[]): string {
  if (interfaces.length === 0) return 'none';
  return interfaces.map((view) => `${view.name} ${view.address} (${view.cidr})`).join(', ');
}
