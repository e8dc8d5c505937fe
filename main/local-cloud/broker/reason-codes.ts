/**
 * MQTT 5 reason codes the broker sends (MQTT 5.0, section 2.4), and the MQTT 3.1.1 CONNACK return
 * codes that stand in for them when the client speaks 3.1.1.
 */
export const ReasonCode = {
  success: 0x00,
  grantedQos1: 0x01,
  grantedQos2: 0x02,
  disconnectWithWill: 0x04,
  noSubscriptionExisted: 0x11,
  unspecifiedError: 0x80,
  malformedPacket: 0x81,
  protocolError: 0x82,
  unsupportedProtocolVersion: 0x84,
  clientIdentifierNotValid: 0x85,
  badUserNameOrPassword: 0x86,
  notAuthorized: 0x87,
  serverUnavailable: 0x88,
  serverShuttingDown: 0x8b,
  badAuthenticationMethod: 0x8c,
  keepAliveTimeout: 0x8d,
  sessionTakenOver: 0x8e,
  topicFilterInvalid: 0x8f,
  topicNameInvalid: 0x90,
  packetIdentifierNotFound: 0x92,
  topicAliasInvalid: 0x94,
  packetTooLarge: 0x95,
  administrativeAction: 0x98,
  sharedSubscriptionsNotSupported: 0x9e,
  subscriptionIdentifiersNotSupported: 0xa1,
} as const;

/** The reason codes an authenticator may reject a CONNECT with. */
export type ConnectRejectionCode =
  | typeof ReasonCode.badUserNameOrPassword
  | typeof ReasonCode.notAuthorized
  | typeof ReasonCode.serverUnavailable;

/** MQTT 3.1.1 CONNACK return codes (MQTT 3.1.1, section 3.2.2.3). */
export const ConnectReturnCode = {
  accepted: 0,
  unacceptableProtocolVersion: 1,
  identifierRejected: 2,
  serverUnavailable: 3,
  badUserNameOrPassword: 4,
  notAuthorized: 5,
} as const;

/** The SUBACK return code of MQTT 3.1.1 for any rejected topic filter. */
export const SUBACK_FAILURE_V3 = 0x80;

/**
 * Maps an MQTT 5 CONNACK reason code to the MQTT 3.1.1 return code with the same meaning. Returns
 * null for codes without one, where MQTT 3.1.1 closes the connection without a CONNACK.
 */
export function connectReturnCodeV3(reasonCode: number): number | null {
  switch (reasonCode) {
    case ReasonCode.success:
      return ConnectReturnCode.accepted;
    case ReasonCode.unsupportedProtocolVersion:
      return ConnectReturnCode.unacceptableProtocolVersion;
    case ReasonCode.clientIdentifierNotValid:
      return ConnectReturnCode.identifierRejected;
    case ReasonCode.badUserNameOrPassword:
      return ConnectReturnCode.badUserNameOrPassword;
    case ReasonCode.notAuthorized:
      return ConnectReturnCode.notAuthorized;
    case ReasonCode.serverUnavailable:
      return ConnectReturnCode.serverUnavailable;
    default:
      return null;
  }
}
