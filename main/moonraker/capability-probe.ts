import type { Logger } from '../support/logger.js';
import { isMoonrakerError, type MoonrakerError } from './errors.js';
import type { ObjectFieldMap } from './input.js';
import {
  heatersStatusSchema,
  objectsListSchema,
  parseResult,
  parseStatus,
  serverInfoSchema,
  type ServerInfo,
} from './schemas.js';
import { buildSubscriptionManifest, type HeaterLists } from './subscription-manifest.js';

/** Result of the last probe: Moonraker's server info and the printer's loaded objects. */
export interface Capabilities {
  serverInfo: ServerInfo;
  /** False when Klippy could not list its objects (not connected, or still starting up). */
  klippyAvailable: boolean;
  objects: string[];
  heaters: string[];
  sensors: string[];
  /** Names of the loaded `gcode_macro` objects, without the prefix. */
  macros: string[];
  /** The subscription built from the objects, empty while Klippy is unavailable. */
  manifest: ObjectFieldMap;
}

export type RpcCall = (method: string, params: unknown, timeoutMs: number) => Promise<unknown>;

export interface ProbeOptions {
  timeoutMs: number;
  include?: readonly string[];
  exclude?: readonly string[];
  logger: Logger;
}

/**
 * Asks Moonraker what it is and what the printer has loaded: `server.info`, then
 * `printer.objects.list` and the `heaters` object. A failing `server.info` fails the probe. When
 * Klippy rejects the objects list the probe still succeeds with `klippyAvailable: false`, and a
 * failing heaters query only loses the heater lists.
 */
export async function probeCapabilities(
  call: RpcCall,
  options: ProbeOptions,
): Promise<Capabilities> {
  const info = await call('server.info', undefined, options.timeoutMs);
  const serverInfo = parseResult(serverInfoSchema, info, 'server.info');

  const objects = await listObjects(call, options);
  if (objects === null) return unavailableKlippy(serverInfo);

  const heaters = await queryHeaters(call, options);
  const manifest = buildSubscriptionManifest({
    objects,
    heaters,
    include: options.include,
    exclude: options.exclude,
  });
  return {
    serverInfo,
    klippyAvailable: true,
    objects,
    heaters: manifest.heaters,
    sensors: manifest.sensors,
    macros: manifest.macros,
    manifest: manifest.objects,
  };
}

async function listObjects(call: RpcCall, options: ProbeOptions): Promise<string[] | null> {
  try {
    const result = await call('printer.objects.list', undefined, options.timeoutMs);
    return parseResult(objectsListSchema, result, 'printer.objects.list').objects;
  } catch (error) {
    if (!isKlippyRefusal(error)) throw error;
    options.logger.info({ err: error }, 'Klippy cannot list its objects yet');
    return null;
  }
}

async function queryHeaters(call: RpcCall, options: ProbeOptions): Promise<HeaterLists | null> {
  try {
    const params = { objects: { heaters: null } };
    const result = await call('printer.objects.query', params, options.timeoutMs);
    const heaters = parseStatus(result, 'printer.objects.query heaters')['heaters'];
    if (!heaters) return null;
    const parsed = parseResult(heatersStatusSchema, heaters, 'the heaters object');
    return {
      availableHeaters: parsed.available_heaters,
      availableSensors: parsed.available_sensors,
    };
  } catch (error) {
    if (!isKlippyRefusal(error) && !isInvalidResponse(error)) throw error;
    options.logger.warn(
      { err: error },
      'Heater discovery failed, so the subscription goes without it',
    );
    return null;
  }
}

/** Tells an error response from Moonraker apart from a broken connection or missing authorization. */
function isKlippyRefusal(error: unknown): error is MoonrakerError {
  return isMoonrakerError(error) && (error.code === 'rpc_error' || error.code === 'not_found');
}

function isInvalidResponse(error: unknown): boolean {
  return isMoonrakerError(error) && error.code === 'invalid_response';
}

function unavailableKlippy(serverInfo: ServerInfo): Capabilities {
  return {
    serverInfo,
    klippyAvailable: false,
    objects: [],
    heaters: [],
    sensors: [],
    macros: [],
    manifest: {},
  };
}
