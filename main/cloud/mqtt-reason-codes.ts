/**
 * MQTT reason codes that the device connection treats specially. Values are from MQTT 5.0
 * section 2.4, plus code 5, which is "not authorized" in MQTT 3.1.1 and that some brokers still
 * send to MQTT 5 clients.
 */

export const REASON_NOT_AUTHORIZED_V311 = 5;
export const REASON_BAD_USER_NAME_OR_PASSWORD = 134;
export const REASON_NOT_AUTHORIZED = 135;

const AUTH_FAILURE_CODES: ReadonlySet<number> = new Set([
  REASON_NOT_AUTHORIZED_V311,
  REASON_BAD_USER_NAME_OR_PASSWORD,
  REASON_NOT_AUTHORIZED,
]);

/** Returns whether a CONNACK or DISCONNECT reason code means the credentials were rejected. */
export function isAuthFailureCode(reasonCode: number | undefined): boolean {
  return reasonCode !== undefined && AUTH_FAILURE_CODES.has(reasonCode);
}

/**
 * PUBACK/PUBREC codes after which sending the same message again cannot succeed: not authorized,
 * topic name invalid, packet too large and payload format invalid. Others, such as quota exceeded
 * (151), may succeed later.
 */
const PERMANENT_PUBLISH_FAILURE_CODES: ReadonlySet<number> = new Set([135, 144, 149, 153]);

export function isPermanentPublishFailure(reasonCode: number | undefined): boolean {
  return reasonCode !== undefined && PERMANENT_PUBLISH_FAILURE_CODES.has(reasonCode);
}

/** Reason codes of 0x80 and above report a failure. */
export function isFailureReasonCode(reasonCode: number | undefined): boolean {
  return reasonCode !== undefined && reasonCode >= 0x80;
}
