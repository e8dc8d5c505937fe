import { randomUUID } from 'node:crypto';

import type { IConnackPacket, IConnectPacket } from 'mqtt-packet';

import { errorMessage } from '../../support/coded-error.js';
import type { BrokerContext } from './broker-context.js';
import type { AuthenticationResult, ConnectRequest, ProtocolVersion } from './broker-types.js';
import { ReasonCode } from './reason-codes.js';
import type { PendingWill } from './session-store.js';
import { isValidTopicName } from './topic-filter.js';

/** The MQTT 5 default Receive Maximum when a client does not send one. */
const DEFAULT_RECEIVE_MAXIMUM = 0xffff;

/** Everything an accepted CONNECT settles for the connection and its session. */
export interface AcceptedConnect<Principal> {
  readonly ok: true;
  readonly clientId: string;
  readonly assignedClientId: boolean;
  readonly principal: Principal;
  readonly cleanStart: boolean;
  readonly sessionExpirySeconds: number;
  /** Set when the broker lowered the requested interval, which CONNACK then reports. */
  readonly sessionExpiryLowered: boolean;
  readonly keepaliveSeconds: number;
  readonly receiveMaximum: number;
  readonly clientMaximumPacketSize: number;
  readonly will: PendingWill | undefined;
}

export type ConnectEvaluation<Principal> =
  | AcceptedConnect<Principal>
  | { readonly ok: false; readonly reasonCode: number; readonly detail: string };

function rejected(reasonCode: number, detail: string): ConnectEvaluation<never> {
  return { ok: false, reasonCode, detail };
}

/**
 * Validates a CONNECT, runs the authenticator and checks that the client may publish its will.
 * Returns what to accept, or the reason code to reject with.
 */
export async function evaluateConnect<Principal>(
  packet: IConnectPacket,
  remoteAddress: string | undefined,
  context: BrokerContext<Principal>,
): Promise<ConnectEvaluation<Principal>> {
  const protocolVersion = (packet.protocolVersion ?? 4) as ProtocolVersion;
  const cleanStart = packet.clean ?? true;
  if (packet.properties?.authenticationMethod !== undefined) {
    return rejected(ReasonCode.badAuthenticationMethod, 'enhanced authentication not supported');
  }
  if (packet.will && !isValidTopicName(packet.will.topic)) {
    return rejected(ReasonCode.topicNameInvalid, `invalid will topic "${packet.will.topic}"`);
  }
  const assignedClientId = packet.clientId.length === 0;
  if (assignedClientId && protocolVersion !== 5 && (!cleanStart || protocolVersion === 3)) {
    return rejected(ReasonCode.clientIdentifierNotValid, 'empty client id needs a clean session');
  }

  const clientId = assignedClientId ? `auto-${randomUUID()}` : packet.clientId;
  const request: ConnectRequest = {
    clientId,
    username: packet.username,
    password: packet.password?.toString('utf8'),
    protocolVersion,
    remoteAddress,
  };
  const authentication = await authenticate(request, context);
  if (!authentication.ok) return rejected(authentication.reasonCode, 'authentication failed');
  const { principal } = authentication;

  if (packet.will && !isWillAllowed(principal, packet.will.topic, clientId, context)) {
    return rejected(ReasonCode.notAuthorized, `will topic "${packet.will.topic}" not authorized`);
  }
  const requestedExpiry = requestedSessionExpiry(packet, protocolVersion, context);
  const sessionExpirySeconds = Math.min(
    requestedExpiry,
    context.settings.maximumSessionExpirySeconds,
  );
  return {
    ok: true,
    clientId,
    assignedClientId,
    principal,
    cleanStart,
    sessionExpirySeconds,
    sessionExpiryLowered: protocolVersion === 5 && sessionExpirySeconds < requestedExpiry,
    keepaliveSeconds: packet.keepalive ?? 0,
    receiveMaximum: packet.properties?.receiveMaximum ?? DEFAULT_RECEIVE_MAXIMUM,
    clientMaximumPacketSize: packet.properties?.maximumPacketSize ?? Number.POSITIVE_INFINITY,
    will: pendingWill(packet, clientId),
  };
}

/** Builds the CONNACK of an accepted CONNECT, with the broker's capabilities for MQTT 5. */
export function connackFor<Principal>(
  accepted: AcceptedConnect<Principal>,
  sessionPresent: boolean,
  protocolVersion: ProtocolVersion,
  maximumPacketSize: number,
): IConnackPacket {
  if (protocolVersion !== 5) return { cmd: 'connack', returnCode: 0, sessionPresent };

  const properties: NonNullable<IConnackPacket['properties']> = {
    maximumPacketSize,
    retainAvailable: true,
    wildcardSubscriptionAvailable: true,
    subscriptionIdentifiersAvailable: false,
    sharedSubscriptionAvailable: false,
  };
  if (accepted.assignedClientId) properties.assignedClientIdentifier = accepted.clientId;
  if (accepted.sessionExpiryLowered) {
    properties.sessionExpiryInterval = accepted.sessionExpirySeconds;
  }
  return { cmd: 'connack', reasonCode: ReasonCode.success, sessionPresent, properties };
}

async function authenticate<Principal>(
  request: ConnectRequest,
  context: BrokerContext<Principal>,
): Promise<AuthenticationResult<Principal>> {
  try {
    return await context.settings.authenticate(request);
  } catch (error) {
    context.logger.warn(
      { clientId: request.clientId, err: errorMessage(error) },
      'authenticator failed, client rejected as server unavailable',
    );
    return { ok: false, reasonCode: ReasonCode.serverUnavailable };
  }
}

function isWillAllowed<Principal>(
  principal: Principal,
  topic: string,
  clientId: string,
  context: BrokerContext<Principal>,
): boolean {
  try {
    return context.settings.authorizePublish(principal, topic);
  } catch (error) {
    context.logger.warn(
      { clientId, topic, err: errorMessage(error) },
      'publish authorizer failed on the will topic, client rejected',
    );
    return false;
  }
}

/** MQTT 3.1.1 clean=false requests a session that never ends, so it gets the broker maximum. */
function requestedSessionExpiry<Principal>(
  packet: IConnectPacket,
  protocolVersion: ProtocolVersion,
  context: BrokerContext<Principal>,
): number {
  if (protocolVersion === 5) return packet.properties?.sessionExpiryInterval ?? 0;
  return (packet.clean ?? true) ? 0 : context.settings.maximumSessionExpirySeconds;
}

function pendingWill(packet: IConnectPacket, clientId: string): PendingWill | undefined {
  if (!packet.will) return undefined;
  const delaySeconds = packet.will.properties?.willDelayInterval ?? 0;
  return { clientId, will: packet.will, delaySeconds };
}
