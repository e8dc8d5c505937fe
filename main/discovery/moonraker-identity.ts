import { z } from 'zod';

/**
 * The facts a probe learns about a Moonraker instance, and the identity it is de-duplicated by.
 * The `server.info` result in Moonraker's API documentation (docs/external_api/server.md) has no
 * instance id, only versions and Klippy's state. So the identity falls back to facts from
 * `printer.info` that stay the same across restarts.
 */

/** `server.info`: the fields that mark a reply as Moonraker's. */
export const serverInfoSchema = z.looseObject({
  klippy_connected: z.boolean(),
  klippy_state: z.string(),
  moonraker_version: z.string().optional(),
  /** Not in the documented API; used when a Moonraker version reports one. */
  instance_id: z.string().min(1).optional().catch(undefined),
});

export const printerInfoSchema = z.looseObject({
  hostname: z.string().optional().catch(undefined),
  software_version: z.string().optional().catch(undefined),
  config_file: z.string().optional().catch(undefined),
});

const systemInfoSchema = z.looseObject({
  system_info: z.looseObject({
    cpu_info: z.looseObject({ serial_number: z.string().optional() }).optional().catch(undefined),
    network: z
      .record(
        z.string(),
        z.looseObject({
          mac_address: z.string().optional(),
          ip_addresses: z.array(z.looseObject({ address: z.string() })).default([]),
        }),
      )
      .optional()
      .catch(undefined),
  }),
});

/** Facts about the machine a Moonraker runs on, to tell one host from a copy of its SD card. */
export interface MachineFacts {
  /** MAC addresses of its network interfaces, lower case. */
  readonly macAddresses: readonly string[];
  /** IP addresses the machine reports for itself. */
  readonly ipAddresses: readonly string[];
  readonly cpuSerial?: string;
}

export const NO_MACHINE_FACTS: MachineFacts = { macAddresses: [], ipAddresses: [] };

export interface MoonrakerInstance {
  readonly host: string;
  readonly port: number;
  /** Stable key of the instance, the same on every address it is reached at. */
  readonly identity: string;
  readonly klippyState: string;
  readonly klippyConnected: boolean;
  readonly moonrakerVersion?: string;
  readonly klipperVersion?: string;
  readonly hostname?: string;
  readonly configFile?: string;
  readonly machine: MachineFacts;
}

export type ServerInfo = z.infer<typeof serverInfoSchema>;
export type PrinterInfo = z.infer<typeof printerInfoSchema>;

/**
 * Derives the identity: the instance id when Moonraker reports one, else the Klipper host name,
 * config file and port (two Moonrakers on one host differ by port and config). Both repeat across
 * machines: farms run many hosts named "mainsailos", and a copied SD card keeps both. So unless
 * the machine reports a hardware fact (a MAC address or CPU serial) that distinguishes copies, the
 * identity ends with `@` and the address, and each host gets its own entry. NOTE: such a machine
 * reached on two addresses (two interfaces) is listed twice. Without `printer.info`, while
 * Klippy is not connected, the address and port are all there is.
 */
export function instanceIdentity(
  target: { host: string; port: number },
  server: ServerInfo,
  printer: PrinterInfo | undefined,
  machine: MachineFacts,
): string {
  const shared = sharedIdentity(target.port, server, printer);
  // NOTE: this identity changes once Klippy connects, so an entry found while Klippy was down
  // is replaced by one with a new key (the registry carries its sources and fleet link over).
  if (shared === undefined) return `address:${target.host}:${target.port}`;
  return hasHardwareFact(machine) ? shared : `${shared}@${target.host}`;
}

/** Returns the identity from the instance id or Klipper's host name, which copies share. */
function sharedIdentity(
  port: number,
  server: ServerInfo,
  printer: PrinterInfo | undefined,
): string | undefined {
  if (server.instance_id) return `instance:${server.instance_id}`;
  if (printer?.hostname) return `host:${printer.hostname}:${port}:${printer.config_file ?? ''}`;
  return undefined;
}

/** Returns whether the facts name the machine's hardware, which a copied SD card lacks. */
function hasHardwareFact(machine: MachineFacts): boolean {
  return machine.macAddresses.length > 0 || machine.cpuSerial !== undefined;
}

/** Reads MAC addresses, IP addresses and the CPU serial from `machine.system_info`. */
export function machineFacts(systemInfo: unknown): MachineFacts {
  const parsed = systemInfoSchema.safeParse(systemInfo);
  if (!parsed.success) return NO_MACHINE_FACTS;

  const info = parsed.data.system_info;
  const interfaces = Object.values(info.network ?? {});
  const macAddresses = interfaces
    .map((entry) => entry.mac_address?.toLowerCase())
    .filter((mac): mac is string => Boolean(mac) && mac !== '00:00:00:00:00:00');
  const ipAddresses = interfaces.flatMap((entry) => entry.ip_addresses.map((ip) => ip.address));
  const cpuSerial = info.cpu_info?.serial_number || undefined;
  return cpuSerial ? { macAddresses, ipAddresses, cpuSerial } : { macAddresses, ipAddresses };
}
