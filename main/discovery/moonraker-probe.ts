import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

import { systemClock, type Clock } from '../support/clock.js';
import {
  authorizationHint,
  unauthorizedError,
  type AuthorizationHint,
} from './authorization-hint.js';
import type { HttpRequestFunction } from '../support/http-request.js';
import {
  invalidArguments,
  notHttpError,
  notMoonrakerError,
  unreachableError,
  type DiscoveryError,
} from './discovery-errors.js';
import { httpGet, MAX_PROBE_BODY_BYTES, parseJson, type HttpGetResult } from './http-get.js';
import {
  instanceIdentity,
  machineFacts,
  NO_MACHINE_FACTS,
  printerInfoSchema,
  serverInfoSchema,
  type MoonrakerInstance,
  type PrinterInfo,
} from './moonraker-identity.js';
import { systemInterfaces, type InterfaceSource } from './network-interfaces.js';
import { trustedClientsEntry } from './trusted-clients.js';
import { tryTcpConnect } from './tcp-connect.js';

export const MOONRAKER_DEFAULT_PORT = 7125;

export interface ProbeMoonrakerOptions {
  host: string;
  port?: number;
  apiKey?: string;
  /** Deadline of each HTTP request. */
  timeoutMs: number;
  /** Sends each HTTP request, with `sendHttpRequest` over `node:http` by default. */
  request?: HttpRequestFunction;
  clock?: Clock;
  signal?: AbortSignal;
  /** Interfaces to find this computer's network in, for the `trusted_clients` hint. */
  interfaces?: InterfaceSource;
  /** Resolves a host name to the address that the identity names, `dns.lookup` by default. */
  resolveAddress?: (host: string) => Promise<string>;
}

/** Outcome of a probe. Every kind except `confirmed` carries the error to show. */
export type ProbeResult =
  | { readonly kind: 'confirmed'; readonly instance: MoonrakerInstance }
  | {
      readonly kind: 'unauthorized';
      readonly host: string;
      readonly port: number;
      readonly hint: AuthorizationHint;
      readonly error: DiscoveryError;
    }
  | {
      readonly kind: 'not_moonraker';
      readonly host: string;
      readonly port: number;
      readonly error: DiscoveryError;
    }
  | {
      readonly kind: 'unreachable';
      readonly host: string;
      readonly port: number;
      readonly error: DiscoveryError;
    };

type Target = { host: string; port: number };

/**
 * Returns the address that an identity names for `host`, so that `localhost` and `127.0.0.1`
 * give one identity. A host name that does not resolve keeps its name.
 */
async function identityAddress(
  host: string,
  resolve: (host: string) => Promise<string>,
): Promise<string> {
  if (isIP(host) !== 0) return host;
  try {
    return await resolve(host);
  } catch {
    return host;
  }
}

/** Resolves `host` with `dns.lookup`, preferring an IPv4 address as Moonraker hosts usually have one. */
async function resolveAddress(host: string): Promise<string> {
  const addresses = await lookup(host, { all: true });
  const chosen = addresses.find((entry) => entry.family === 4) ?? addresses[0];
  return chosen?.address ?? host;
}

/**
 * Probes `host:port` for Moonraker. `GET /server/info` must return Moonraker's JSON. Then
 * `GET /printer/info` adds Klipper's host name and version, and confirms Moonraker even when it
 * fails because Klippy is not connected. Last, `GET /machine/system_info` adds the machine's MAC
 * addresses when Moonraker provides them. Throws `invalid_arguments` for a bad host or port,
 * and resolves for every network outcome.
 */
export function probeMoonraker(options: ProbeMoonrakerOptions): Promise<ProbeResult> {
  const target = checkTarget(options.host, options.port ?? MOONRAKER_DEFAULT_PORT);
  if (!(options.timeoutMs > 0)) {
    throw invalidArguments(`The probe timeout must be positive, got ${options.timeoutMs} ms.`);
  }
  return runProbe(target, options);
}

async function runProbe(target: Target, options: ProbeMoonrakerOptions): Promise<ProbeResult> {
  const get = (path: string): Promise<HttpGetResult> =>
    httpGet({
      url: `${baseUrl(target)}${path}`,
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs,
      clock: options.clock ?? systemClock,
      ...(options.request ? { request: options.request } : {}),
      signal: options.signal,
    });

  const server = await get('/server/info');
  if (!server.ok) return unreachable(target, server, options.timeoutMs);
  if (isAuthorizationFailure(server.status)) return unauthorized(target, server.status, options);
  const serverInfo = moonrakerResult(server, '/server/info', serverInfoSchema);
  if (!serverInfo.ok) return notMoonraker(target, serverInfo.observed);

  const printer = await get('/printer/info');
  if (printer.ok && isAuthorizationFailure(printer.status)) {
    return unauthorized(target, printer.status, options);
  }
  const printerInfo = printer.ok
    ? moonrakerResult(printer, '/printer/info', printerInfoSchema)
    : undefined;
  const info: PrinterInfo | undefined = printerInfo?.ok ? printerInfo.value : undefined;

  const system = await get('/machine/system_info');
  const machine =
    system.ok && system.status === 200 ? machineFacts(result(system.body)) : NO_MACHINE_FACTS;
  const address = await identityAddress(target.host, options.resolveAddress ?? resolveAddress);
  const instance: MoonrakerInstance = {
    host: target.host,
    port: target.port,
    identity: instanceIdentity(
      { host: address, port: target.port },
      serverInfo.value,
      info,
      machine,
    ),
    klippyState: serverInfo.value.klippy_state,
    klippyConnected: serverInfo.value.klippy_connected,
    moonrakerVersion: serverInfo.value.moonraker_version,
    klipperVersion: info?.software_version,
    hostname: info?.hostname,
    configFile: info?.config_file,
    machine,
  };
  return { kind: 'confirmed', instance };
}

/** Returns the probe's error, or null when it confirmed Moonraker. */
export function probeError(result: ProbeResult): DiscoveryError | null {
  return result.kind === 'confirmed' ? null : result.error;
}

export function baseUrl(target: Target): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `http://${host}:${target.port}`;
}

function checkTarget(host: string, port: number): Target {
  const trimmed = typeof host === 'string' ? host.trim() : '';
  if (trimmed === '' || /[\s/?#@]/.test(trimmed)) {
    throw invalidArguments(
      `Invalid host "${String(host)}". Enter a host name or IP address, such as 192.168.1.50.`,
      { host },
    );
  }
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw invalidArguments(`Invalid port ${port}. Enter a port from 1 to 65535, usually 7125.`, {
      port,
    });
  }
  return { host: trimmed.replace(/^\[(.*)\]$/, '$1'), port };
}

function isAuthorizationFailure(status: number): boolean {
  return status === 401 || status === 403;
}

function result(body: string): unknown {
  const parsed = parseJson(body);
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  return (parsed as { result?: unknown }).result;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; observed: string };

/** Reads Moonraker's `{"result": …}` envelope and checks the result's shape. */
function moonrakerResult<T>(
  response: Extract<HttpGetResult, { ok: true }>,
  path: string,
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
): Parsed<T> {
  if (response.status !== 200) {
    return { ok: false, observed: `GET ${path} returned HTTP ${response.status}` };
  }
  if (response.truncated) {
    return {
      ok: false,
      observed: `GET ${path} returned a response larger than ${MAX_PROBE_BODY_BYTES} bytes`,
    };
  }
  if (parseJson(response.body) === undefined) {
    const type = response.contentType.split(';')[0] || 'no content type';
    return { ok: false, observed: `GET ${path} returned ${type}, not JSON` };
  }
  const parsed = schema.safeParse(result(response.body));
  if (!parsed.success) {
    return { ok: false, observed: `GET ${path} returned JSON without Moonraker's fields` };
  }
  return { ok: true, value: parsed.data };
}

function unreachable(
  target: Target,
  failure: Extract<HttpGetResult, { ok: false }>,
  timeoutMs: number,
): ProbeResult {
  if (failure.reason === 'not_http') {
    const error = notHttpError(target, { systemCode: failure.systemCode, cause: failure.cause });
    return { kind: 'not_moonraker', ...target, error };
  }
  const error = unreachableError(target, failure.reason, {
    timeoutMs,
    systemCode: failure.systemCode,
    cause: failure.cause,
  });
  return { kind: 'unreachable', host: target.host, port: target.port, error };
}

function notMoonraker(target: Target, observed: string): ProbeResult {
  return { kind: 'not_moonraker', ...target, error: notMoonrakerError(target, observed) };
}

async function unauthorized(
  target: Target,
  status: number,
  options: ProbeMoonrakerOptions,
): Promise<ProbeResult> {
  const connection = await tryTcpConnect({
    ...target,
    timeoutMs: options.timeoutMs,
    clock: options.clock ?? systemClock,
  });
  const localAddress = connection.open ? connection.localAddress : undefined;
  const interfaces = options.interfaces ?? systemInterfaces;
  // NOTE: without a local address (the port closed right after responding) the hint names no
  // network, so the person has to fill in this computer's address.
  const trustedClient = localAddress ? trustedClientsEntry(localAddress, interfaces) : undefined;
  const hint = authorizationHint({
    ...target,
    status,
    trustedClient,
    apiKeySent: Boolean(options.apiKey),
  });
  return { kind: 'unauthorized', ...target, hint, error: unauthorizedError(hint, status) };
}
