import { isIPv4, isIPv6 } from 'node:net';

import { invalidArguments, type DiscoveryError } from './discovery-errors.js';

/** A host as entered by hand, split from its port. An IPv6 address has no brackets. */
export interface HostInput {
  host: string;
  port: number | undefined;
}

const BRACKETED = /^\[([^\]]+)\](?::(\d{1,5}))?$/;
const NAME_WITH_PORT = /^([^:]+):(\d{1,5})$/;
const HOST_NAME_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/**
 * Reads the host field of a manual add or probe. It accepts a host name, an IPv4 address, an
 * IPv6 address with or without brackets, and any of them followed by `:port` (IPv6 in brackets).
 * A port in the host wins only when `port` is absent or equal. Throws `invalid_arguments`.
 */
export function parseHostInput(input: string, port: number | undefined): HostInput {
  const host = input.trim();
  if (isIPv6(host)) return { host: checkIPv6(input, host), port };

  const bracketed = BRACKETED.exec(host);
  if (bracketed) {
    const address = bracketed[1] ?? '';
    if (!isIPv6(address)) throw invalidHost(input);
    return { host: checkIPv6(input, address), port: mergePort(input, bracketed[2], port) };
  }

  const withPort = NAME_WITH_PORT.exec(host);
  if (withPort) {
    const name = withPort[1] ?? '';
    if (!isHostName(name)) throw invalidHost(input);
    return { host: name, port: mergePort(input, withPort[2], port) };
  }

  if (!isHostName(host)) throw invalidHost(input);
  return { host, port };
}

/** True for a host name or an IPv4 address; a name whose last label is a number must be IPv4. */
function isHostName(name: string): boolean {
  const labels = name.replace(/\.$/, '').split('.');
  if (name.length > 253 || !labels.every((label) => HOST_NAME_LABEL.test(label))) return false;
  const last = labels.at(-1) ?? '';
  return !/^\d+$/.test(last) || isIPv4(name);
}

/** Rejects a zone id such as `%eth0`, which a URL cannot carry. */
function checkIPv6(input: string, address: string): string {
  if (!address.includes('%')) return address;
  throw invalidArguments(
    `Invalid host "${input}": an IPv6 zone id (%…) cannot be used in a URL. Enter the ` +
      "printer's host name or a global or unique local IPv6 address.",
    { host: input },
  );
}

function mergePort(input: string, text: string | undefined, port: number | undefined) {
  if (text === undefined) return port;
  const parsed = Number(text);
  if (parsed < 1 || parsed > 65_535) {
    throw invalidArguments(
      `Invalid port ${text} in host "${input}". Enter a port from 1 to 65535.`,
      {
        host: input,
      },
    );
  }
  if (port !== undefined && port !== parsed) {
    throw invalidArguments(
      `Host "${input}" names port ${parsed} but the port field is ${port}. Enter the port once.`,
      { host: input, port },
    );
  }
  return parsed;
}

function invalidHost(input: string): DiscoveryError {
  return invalidArguments(
    `Invalid host "${input}". Enter a host name, an IPv4 or IPv6 address, or one of them with ` +
      'a port, such as printer.local, 192.168.1.20:7125 or [fd00::20]:7125.',
    { host: input },
  );
}
