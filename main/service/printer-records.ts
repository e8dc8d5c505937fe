import { isIPv6 } from 'node:net';

import type { DeviceCredentials } from '../../shared/contract/device-http.js';
import type { PrinterSettings } from '../../shared/settings/app-settings.js';
import {
  printerNamed,
  sanitizePrinterName,
  uniquePrinterName,
} from '../../shared/settings/printer-names.js';
import { parseHostInput } from '../discovery/host-input.js';
import { CodedError } from '../support/coded-error.js';
import type { FleetPrinter } from './fleet/fleet-bridge.js';
import type { FleetSecrets } from './settings/fleet-secrets.js';

/** Builds the runtime's view of a printer from its settings and its secrets. */
export async function toFleetPrinter(
  printer: PrinterSettings,
  secrets: FleetSecrets,
): Promise<FleetPrinter> {
  const apiKey = await secrets.getApiKey(printer.id);
  const credentials = printer.deviceId ? await secrets.getCredentials(printer.id) : undefined;
  return {
    id: printer.id,
    name: printer.name,
    moonrakerUrl: printer.moonrakerUrl,
    enabled: printer.enabled,
    ...(apiKey ? { apiKey } : {}),
    ...(credentials ? { credentials } : {}),
  };
}

/** Returns the cloud identity fields that settings keep. The private key stays in the secret store. */
export function linkedFields(credentials: DeviceCredentials): Partial<PrinterSettings> {
  return {
    deviceId: credentials.deviceId,
    printerId: credentials.printerId,
    ...(credentials.tenantId ? { tenantId: credentials.tenantId } : {}),
    ...(credentials.linkedAt ? { linkedAt: credentials.linkedAt } : {}),
  };
}

/**
 * Returns the request with the port split off a `host:port` host, and an IPv6 host without
 * brackets. Throws `invalid_arguments` for a host that is neither a name nor an address.
 */
export function withParsedHost<T extends { host: string; port?: number }>(request: T): T {
  const { host, port } = parseHostInput(request.host, request.port);
  return { ...request, host, ...(port === undefined ? {} : { port }) };
}

/** Builds `http://host:port` for Moonraker from a host that `parseHostInput` checked. */
export function moonrakerUrlOf(host: string, port = 7125): string {
  const bracketed = isIPv6(host) ? `[${host}]` : host;
  return `http://${bracketed}:${port}`;
}

/**
 * Returns the form of a Moonraker URL that settings store and that duplicates are found by:
 * scheme and host in lowercase, without a default port, a trailing slash, a query or a fragment.
 */
export function normalizeMoonrakerUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/** Throws `already_exists` when a printer other than `exceptId` uses the Moonraker URL. */
export function assertMoonrakerUrlFree(
  printers: readonly PrinterSettings[],
  moonrakerUrl: string,
  exceptId?: string,
): void {
  const normalized = normalizeMoonrakerUrl(moonrakerUrl);
  const owner = printers.find(
    (printer) =>
      printer.id !== exceptId && normalizeMoonrakerUrl(printer.moonrakerUrl) === normalized,
  );
  if (!owner) return;
  throw new CodedError(
    'already_exists',
    `A printer at ${normalized} is already in the fleet (${owner.name})`,
    { details: { printerId: owner.id } },
  );
}

/**
 * Throws `already_exists` when a printer stores the Moonraker instance key that a probe found, as
 * when one Moonraker is entered once as 127.0.0.1 and once as localhost.
 */
export function assertMoonrakerInstanceFree(
  printers: readonly PrinterSettings[],
  instanceKey: string,
): void {
  const owner = printers.find((printer) => printer.instanceKey === instanceKey);
  if (!owner) return;
  throw new CodedError(
    'already_exists',
    `This Moonraker is already in the fleet as ${owner.name} (at ${owner.moonrakerUrl})`,
    { details: { printerId: owner.id, instanceKey } },
  );
}

/**
 * Throws `already_exists` when a printer other than `exceptId` has the name, compared without
 * regard to case and surrounding spaces.
 */
export function assertPrinterNameFree(
  printers: readonly PrinterSettings[],
  name: string,
  exceptId?: string,
): void {
  const owner = printerNamed(printers, name, exceptId);
  if (!owner) return;
  throw new CodedError(
    'already_exists',
    `A printer named "${owner.name}" is already in the fleet; choose another name`,
    { details: { printerId: owner.id, name: owner.name } },
  );
}

/**
 * Returns the name of a printer added without one: the host name that Moonraker reported, else
 * the address it was added by, made valid by `sanitizePrinterName` and numbered, as in
 * `voron (2)`, when another printer has that name.
 */
export function defaultPrinterName(
  printers: readonly PrinterSettings[],
  hostname: string | undefined,
  host: string,
): string {
  const base = sanitizePrinterName(hostname ?? '') || sanitizePrinterName(host) || 'Printer';
  return uniquePrinterName(
    base,
    printers.map((printer) => printer.name),
  );
}
