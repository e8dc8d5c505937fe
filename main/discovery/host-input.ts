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

/** The scheme of a pasted URL such as `http://`, captured without `://`. */
const URL_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/**
 * Reads the host field of a manual add or probe. It accepts a host name, an IPv4 address, an
 * IPv6 address with or without brackets, and any of them followed by `:port` (IPv6 in brackets).
 * It also accepts an http:// URL of them with an optional trailing slash, as pasted from a
 * browser, and rejects an https:// one (see `authorityOfUrl`). A URL without a port leaves the port to `port` or the Moonraker default, as a
 * bare host does. A port in the host wins only when `port` is absent or equal. Throws
 * `invalid_arguments`.
 */
export function parseHostInput(input: string, port: number | undefined): HostInput {
  const trimmed = input.trim();
  const host = URL_SCHEME.test(trimmed) ? authorityOfUrl(input, trimmed) : trimmed;
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

/**
 * Returns the `host:port` part of an http:// URL. Throws for another scheme, and for a path,
 * query or fragment, because only the host and port reach a Moonraker added by address.
 * An https:// URL is rejected too: discovery probes and lists printers by host and port over
 * http, so adding one would send requests, and any API key, over plain http.
 */
function authorityOfUrl(input: string, url: string): string {
  const scheme = (URL_SCHEME.exec(url)?.[1] ?? '').toLowerCase();
  if (scheme === 'https') {
    throw invalidArguments(
      `Invalid address "${input}": a printer cannot be added by an https:// address, because ` +
        'adding by address probes Moonraker over http://. Add the printer by its http:// host ' +
        "and port, or add it and then set its https:// Moonraker URL in the printer's settings.",
      { host: input },
    );
  }
  if (scheme !== 'http') {
    throw invalidArguments(
      `Invalid address "${input}": a Moonraker is reached over http:// or https://, not ` +
        `${scheme}://. Enter the printer's host and port, such as 192.168.1.20:7125.`,
      { host: input },
    );
  }
  const rest = url.slice(scheme.length + '://'.length);
  const end = rest.search(/[/?#]/);
  if (end === -1) return rest;
  if (rest.slice(end) !== '/') {
    throw invalidArguments(
      `Invalid address "${input}": only a host and a port can be added here, without a path ` +
        'or query. Add the printer by host and port, then set its full Moonraker URL in the ' +
        "printer's settings.",
      { host: input },
    );
  }
  return rest.slice(0, end);
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
