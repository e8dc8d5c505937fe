import { z } from 'zod';

import { CodedError } from '../../support/coded-error.js';
import type { BrokerSettings } from './broker-context.js';
import type {
  AuthenticationResult,
  Authenticator,
  ClientIdentity,
  EmbeddedBrokerOptions,
} from './broker-types.js';

/** The largest packet MQTT can encode: a 4-byte remaining length of 268 435 455 plus the header. */
const MQTT_MAXIMUM_PACKET_SIZE = 268_435_460;

/** Node timers overflow above 2^31 - 1 ms, so a session may not outlive that while away. */
const MAXIMUM_TIMER_SECONDS = Math.floor(0x7fffffff / 1000);

const limitsSchema = z.object({
  maximumPacketSize: z
    .number()
    .int()
    .min(64)
    .max(MQTT_MAXIMUM_PACKET_SIZE)
    .default(1024 * 1024),
  maximumSessionExpirySeconds: z.number().int().min(0).max(MAXIMUM_TIMER_SECONDS).default(86_400),
  maximumQueuedMessages: z.number().int().min(1).default(1000),
  connectTimeoutMs: z.number().int().positive().default(10_000),
  closeTimeoutMs: z.number().int().positive().default(2_000),
  maximumWriteBufferBytes: z
    .number()
    .int()
    .positive()
    .default(8 * 1024 * 1024),
});

/** Accepts every client, with its client id and user name as the principal. */
export function allowAllClients(request: {
  clientId: string;
  username: string | undefined;
}): AuthenticationResult<ClientIdentity> {
  return { ok: true, principal: { clientId: request.clientId, username: request.username } };
}

/** Fills in defaults and checks the numeric limits. Throws `invalid_broker_options` on a bad one. */
export function resolveBrokerSettings<Principal>(options: EmbeddedBrokerOptions<Principal>): {
  settings: BrokerSettings<Principal>;
  closeTimeoutMs: number;
  maximumQueuedMessages: number;
} {
  const parsed = limitsSchema.safeParse({
    maximumPacketSize: options.maximumPacketSize,
    maximumSessionExpirySeconds: options.maximumSessionExpirySeconds,
    maximumQueuedMessages: options.maximumQueuedMessages,
    connectTimeoutMs: options.connectTimeoutMs,
    closeTimeoutMs: options.closeTimeoutMs,
    maximumWriteBufferBytes: options.maximumWriteBufferBytes,
  });
  if (!parsed.success) {
    throw new CodedError(
      'invalid_broker_options',
      `Invalid broker options: ${z.prettifyError(parsed.error)}`,
      { cause: parsed.error },
    );
  }
  const limits = parsed.data;
  // The options type makes `authenticate` required unless Principal is ClientIdentity.
  const authenticate = (options.authenticate ?? allowAllClients) as Authenticator<Principal>;
  return {
    settings: {
      authenticate,
      authorizePublish: options.authorizePublish ?? (() => true),
      authorizeSubscribe: options.authorizeSubscribe ?? (() => true),
      maximumPacketSize: limits.maximumPacketSize,
      maximumSessionExpirySeconds: limits.maximumSessionExpirySeconds,
      connectTimeoutMs: limits.connectTimeoutMs,
      maximumWriteBufferBytes: limits.maximumWriteBufferBytes,
    },
    closeTimeoutMs: limits.closeTimeoutMs,
    maximumQueuedMessages: limits.maximumQueuedMessages,
  };
}
