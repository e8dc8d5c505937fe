import { discoveryError, formatTarget, type DiscoveryError } from './discovery-errors.js';
import { moonrakerConfSnippet, rejectedApiKeyFix, trustedClientsFix } from './trusted-clients.js';

/**
 * Advice for making Moonraker accept this computer: the `trusted_clients` entry for its
 * address, as it goes into moonraker.conf, or an API key.
 */
export interface AuthorizationHint {
  /** The entry for `trusted_clients`, such as `192.168.1.0/24`; absent when it is not known. */
  readonly trustedClient?: string;
  /** The entry as a line of moonraker.conf, indented under `trusted_clients:`. */
  readonly configLine: string;
  /** The whole `[authorization]` section to merge into moonraker.conf. */
  readonly configSnippet: string;
  /** True when an API key was sent and Moonraker rejected it. */
  readonly apiKeyRejected: boolean;
  /** The advice as one paragraph for a person. */
  readonly message: string;
}

export function authorizationHint(options: {
  host: string;
  port: number;
  status: number;
  /** This computer's `trusted_clients` entry, when its address towards the printer is known. */
  trustedClient: string | undefined;
  apiKeySent: boolean;
}): AuthorizationHint {
  const { trustedClient } = options;
  const configSnippet = moonrakerConfSnippet(trustedClient);
  const configLine = configSnippet.split('\n').at(-1) ?? '';
  const target = formatTarget(options);
  const message = options.apiKeySent
    ? `Moonraker at ${target} rejected the API key (HTTP ${options.status}). ` +
      rejectedApiKeyFix(trustedClient)
    : `Moonraker at ${target} requires authorization (HTTP ${options.status}). ` +
      trustedClientsFix(trustedClient);
  return {
    ...(trustedClient === undefined ? {} : { trustedClient }),
    configLine,
    configSnippet,
    apiKeyRejected: options.apiKeySent,
    message,
  };
}

/** Builds the `moonraker_unauthorized` error, with the hint in its details. */
export function unauthorizedError(hint: AuthorizationHint, status: number): DiscoveryError {
  return discoveryError('moonraker_unauthorized', hint.message, {
    details: {
      status,
      ...(hint.trustedClient === undefined ? {} : { trustedClient: hint.trustedClient }),
      configLine: hint.configLine,
      configSnippet: hint.configSnippet,
      apiKeyRejected: hint.apiKeyRejected,
    },
  });
}
