import type { IncomingMessage } from 'node:http';
import type { Clock } from '../support/clock.js';
import type { DeviceRegistry, RegisteredDevice } from './device-registry.js';
import { HttpError, parseBody, readJsonBody } from './http-io.js';
import type { LinkCodeBook } from './link-codes.js';
import {
  OPERATOR_DEVICES_PATH,
  OPERATOR_LINK_CODES_PATH,
  linkCodeRequestSchema,
  type DeviceListResponse,
  type DeviceSummary,
  type LinkCodeResponse,
} from './operator-api.js';
import type { Route, RouteResult } from './route.js';

export interface OperatorRouteContext {
  clock: Clock;
  registry: DeviceRegistry;
  linkCodes: LinkCodeBook;
}

/** Endpoints that play the Owl web UI: mint link codes, list and revoke devices. */
export function operatorRoutes(context: OperatorRouteContext): Route[] {
  return [
    {
      method: 'POST',
      pattern: new RegExp(`^${OPERATOR_LINK_CODES_PATH}$`),
      operator: true,
      handle: (request) => mintLinkCode(context, request),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${OPERATOR_DEVICES_PATH}$`),
      operator: true,
      handle: () => Promise.resolve(listDevices(context)),
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^${OPERATOR_DEVICES_PATH}/(?<deviceId>[^/]+)$`),
      operator: true,
      handle: (_request, params) => revokeDevice(context, params.deviceId ?? ''),
    },
  ];
}

async function mintLinkCode(
  context: OperatorRouteContext,
  request: IncomingMessage,
): Promise<RouteResult> {
  const options = parseBody(linkCodeRequestSchema, (await readJsonBody(request)) ?? {});
  const minted = context.linkCodes.mint(options);
  const body: LinkCodeResponse = {
    code: minted.code,
    expiresAt: new Date(minted.expiresAt).toISOString(),
  };
  return { status: 201, body };
}

function listDevices(context: OperatorRouteContext): RouteResult {
  const body: DeviceListResponse = { devices: context.registry.list().map(summarize) };
  return { status: 200, body };
}

async function revokeDevice(context: OperatorRouteContext, deviceId: string): Promise<RouteResult> {
  const revokedAt = new Date(context.clock.now()).toISOString();
  if (!(await context.registry.revoke(deviceId, revokedAt))) {
    throw new HttpError(404, 'device_unknown', `Device ${deviceId} not found`);
  }
  return { status: 204 };
}

function summarize(device: RegisteredDevice): DeviceSummary {
  return {
    deviceId: device.deviceId,
    printerId: device.printerId,
    tenantId: device.tenantId,
    linkedAt: device.linkedAt,
    revokedAt: device.revokedAt,
  };
}
