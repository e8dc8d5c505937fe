import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  LINK_PATH,
  TOKEN_PATH,
  linkRequestSchema,
  tokenRequestSchema,
  tokenSigningInput,
  type LinkResponse,
  type TokenResponse,
} from '../../shared/contract/device-http.js';
import { isoSeconds } from '../../shared/contract/time.js';
import type { Clock } from '../support/clock.js';
import { assertNever, CodedError } from '../support/coded-error.js';
import type { Logger } from '../support/logger.js';
import { generateDeviceKeyPair, verifyDeviceSignature } from './device-keys.js';
import type { DeviceRegistry } from './device-registry.js';
import { HttpError, parseBody, readJsonBody } from './http-io.js';
import type { LinkCodeBook } from './link-codes.js';
import type { Route, RouteResult } from './route.js';
import type { TokenAuthority } from './token-authority.js';

export interface DeviceRouteContext {
  clock: Clock;
  logger: Logger;
  registry: DeviceRegistry;
  authority: TokenAuthority;
  linkCodes: LinkCodeBook;
  tenantId: string;
  /** Largest accepted difference between a token request's timestamp and server time. */
  maxTimestampSkewSeconds: number;
}

/** Builds the two endpoints that a device calls without a token, link and token issue. */
export function deviceRoutes(context: DeviceRouteContext): Route[] {
  return [
    {
      method: 'POST',
      pattern: new RegExp(`^${LINK_PATH}$`),
      operator: false,
      handle: (request) => link(context, request),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${TOKEN_PATH}$`),
      operator: false,
      handle: (request) => issueToken(context, request),
    },
  ];
}

async function link(context: DeviceRouteContext, request: IncomingMessage): Promise<RouteResult> {
  const { linkCode } = parseBody(linkRequestSchema, await readJsonBody(request));
  const claim = context.linkCodes.claim(linkCode);
  switch (claim) {
    case 'accepted':
      return { status: 200, body: await registerDevice(context) };
    case 'pending':
      throw new HttpError(404, 'link_pending', 'Link code has not been accepted yet');
    case 'unknown':
      throw new HttpError(404, 'link_code_unknown', 'Link code not found');
    case 'used':
      throw new HttpError(409, 'link_code_used', 'Link code was already used');
    case 'expired':
      throw new HttpError(410, 'link_code_expired', 'Link code has expired');
    default:
      return assertNever(claim, 'link code claim');
  }
}

async function registerDevice(context: DeviceRouteContext): Promise<LinkResponse> {
  const keys = generateDeviceKeyPair();
  const device = await context.registry.register({
    deviceId: randomUUID(),
    printerId: randomUUID(),
    tenantId: context.tenantId,
    publicKey: keys.publicKeyBase64,
    linkedAt: isoSeconds(context.clock.now()),
  });
  return {
    printerId: device.printerId,
    deviceId: device.deviceId,
    devicePrivateKey: keys.seedBase64,
    tenantId: device.tenantId,
    linkedAt: device.linkedAt,
  };
}

async function issueToken(
  context: DeviceRouteContext,
  request: IncomingMessage,
): Promise<RouteResult> {
  const { deviceId, timestamp, signature } = parseBody(
    tokenRequestSchema,
    await readJsonBody(request),
  );
  const reject = (status: number, code: string, message: string): HttpError => {
    context.logger.info({ deviceId, status, code }, 'token request rejected');
    return new HttpError(status, code, message);
  };
  const device = context.registry.active(deviceId);
  if (!device) throw reject(404, 'device_unknown', `Device ${deviceId} is unknown or revoked`);

  const skewSeconds = Math.abs(timestamp - context.clock.now() / 1000);
  if (skewSeconds > context.maxTimestampSkewSeconds) {
    throw reject(
      401,
      'timestamp_out_of_range',
      `Timestamp differs from server time by ${Math.round(skewSeconds)} s; at most ${context.maxTimestampSkewSeconds} s is accepted`,
    );
  }
  const signed = tokenSigningInput(deviceId, timestamp);
  if (!verifyDeviceSignature(device.publicKey, signed, signature)) {
    throw reject(401, 'invalid_signature', 'Signature does not match the device key');
  }

  const issued = await issueProvisioned(context, deviceId);
  const body: TokenResponse = {
    accessToken: issued.accessToken,
    issuedAt: isoSeconds(issued.issuedAtMs),
    expiresIn: issued.expiresInSeconds,
    tokenType: 'Bearer',
  };
  return { status: 200, body };
}

/**
 * Signs the token and waits for the broker to accept it. A broker that could not take the token
 * becomes a 503 with the reason, which the device handles by requesting a token again later.
 */
async function issueProvisioned(context: DeviceRouteContext, deviceId: string) {
  try {
    return await context.authority.issue(deviceId);
  } catch (error) {
    if (!(error instanceof CodedError)) throw error;
    if (error.code !== 'provisioning_failed' && error.code !== 'provisioning_timeout') throw error;
    throw new HttpError(503, error.code, error.message, { 'retry-after': '5' });
  }
}
