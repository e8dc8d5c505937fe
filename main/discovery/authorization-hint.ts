import { discoveryError, formatTarget, type DiscoveryError } from './discovery-errors.js';

/**
 * Advice for making Moonraker accept this computer: the `trusted_clients` entry for its
 * address, as it goes into moonraker.conf, or an API key.
 */
export interface AuthorizationHint {
  /** The entry for `trusted_clients`, such as `192.168.1.0/24`. */
  readonly trustedClient: string;
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
  trustedClient: string;
  apiKeySent: boolean;
}): AuthorizationHint {
  const { trustedClient } = options;
  const configLine = `    ${trustedClient}`;
  const configSnippet = `[authorization]\ntrusted_clients:\n${configLine}`;
  const target = formatTarget(options);
  const trust =
    `add the line "${trustedClient}" under trusted_clients: in the [authorization] section ` +
    'of moonraker.conf and restart Moonraker';
  const message = options.apiKeySent
    ? `Moonraker at ${target} rejected the API key (HTTP ${options.status}). Check the API key, ` +
      `or ${trust}.`
    : `Moonraker at ${target} requires authorization (HTTP ${options.status}). To trust this ` +
      `computer, ${trust}. Or fill in the API key.`;
  return { trustedClient, configLine, configSnippet, apiKeyRejected: options.apiKeySent, message };
}

/** Builds the `moonraker_unauthorized` error, with the hint in its details. */
export function unauthorizedError(hint: AuthorizationHint, status: number): DiscoveryError {
  return discoveryError('moonraker_unauthorized', hint.message, {
    details: {
      status,
      trustedClient: hint.trustedClient,
      configLine: hint.configLine,
      configSnippet: hint.configSnippet,
      apiKeyRejected: hint.apiKeyRejected,
    },
  });
}
