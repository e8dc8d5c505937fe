import type { MoonrakerFacts } from '../../bridge/bridge-snapshot.js';
import { assertNever } from '../../support/coded-error.js';
import type { MoonrakerErrorCode } from '../../moonraker/input.js';
import { endpointLabel, report, type HealthLinkReport } from './health-levels.js';
import {
  moonrakerConfSnippet,
  rejectedApiKeyFix,
  trustedClientsFix,
} from '../../discovery/trusted-clients.js';

type Failure = NonNullable<MoonrakerFacts['failure']>;
type LinkPair = [lan: HealthLinkReport, moonraker: HealthLinkReport];

/** Socket error codes that mean the host name could not be resolved. */
const NAME_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN']);
/** Socket error codes that mean this computer has no route to the printer's network. */
const ROUTE_CODES = new Set(['ENETUNREACH', 'ENETDOWN']);

const NOT_CHECKED = 'Not checked until the printer answers on the network';

/**
 * Derives the LAN and Moonraker links from the Moonraker connection. While the client retries,
 * the last failure stays in force, so a printer that is switched off reads as one calm `offline`
 * state rather than flapping between connecting and failed on every attempt.
 */
export function moonrakerLinks(facts: MoonrakerFacts, trustedEntry?: string): LinkPair {
  const endpoint = endpointLabel(facts.url);
  const reachable = report('lan', 'ok', `Reachable at ${endpoint}`);
  switch (facts.state) {
    case 'ready': {
      const version = facts.version ? ` ${facts.version}` : '';
      return [reachable, report('moonraker', 'ok', `Connected to Moonraker${version}`)];
    }
    case 'probing':
      return [reachable, report('moonraker', 'pending', "Reading the printer's configuration")];
    case 'idle':
    case 'connecting':
    case 'backoff':
      return facts.failure
        ? failureLinks(facts, facts.failure, endpoint, trustedEntry)
        : [
            report('lan', 'pending', `Connecting to ${endpoint}`),
            report('moonraker', 'pending', 'Waiting for Moonraker to answer'),
          ];
    case 'disposed':
      return [
        report('lan', 'unknown', 'Not checked while the bridge is stopped'),
        report('moonraker', 'unknown', 'Not connected while the bridge is stopped'),
      ];
    default:
      return [
        report('lan', 'unknown', `Unknown Moonraker connection state ${facts.state}`),
        report('moonraker', 'unknown', `Unknown Moonraker connection state ${facts.state}`),
      ];
  }
}

function failureLinks(
  facts: MoonrakerFacts,
  failure: Failure,
  endpoint: string,
  trustedEntry: string | undefined,
): LinkPair {
  const details = { code: failure.code, message: failure.message, ...retryDetail(facts) };
  const reachable = report('lan', 'ok', `Reachable at ${endpoint}`);
  const code = failure.code as MoonrakerErrorCode;
  switch (code) {
    case 'unauthorized':
      return [reachable, unauthorizedLink(facts, failure, endpoint, trustedEntry)];
    case 'unreachable':
      return [unreachableLink(failure, facts.url, endpoint, details), waitingLink()];
    case 'timeout':
      return [switchedOffLink(endpoint, details), waitingLink()];
    case 'closed':
      return [
        reachable,
        report('moonraker', 'warning', 'Moonraker closed the connection; reconnecting', {
          details,
        }),
      ];
    case 'not_found':
    case 'http_error':
      return [
        reachable,
        report('moonraker', 'error', `${endpoint} answers, but not as Moonraker`, {
          fix: 'Check the port: Moonraker listens on 7125 unless moonraker.conf sets another.',
          details,
        }),
      ];
    case 'rpc_error':
    case 'invalid_response':
      return [
        reachable,
        report('moonraker', 'error', `Moonraker answered with an error: ${failure.message}`, {
          fix: 'Check moonraker.log on the printer; restarting Moonraker often clears it.',
          details,
        }),
      ];
    case 'invalid_url':
      return [
        report('lan', 'error', `The Moonraker address ${facts.url} is invalid`, {
          fix: "Edit the printer's address.",
          details,
        }),
        waitingLink(),
      ];
    default:
      assertNever(code, 'Moonraker failure code');
  }
}

/**
 * Moonraker rejects a client without a valid API key unless its address is in `trusted_clients`,
 * so the fix names the entry for this computer's network, or the API key when one is set.
 */
function unauthorizedLink(
  facts: MoonrakerFacts,
  failure: Failure,
  endpoint: string,
  trustedEntry: string | undefined,
): HealthLinkReport {
  const status = /\b(401|403)\b/.exec(failure.message)?.[1] ?? '401';
  if (facts.apiKeyConfigured) {
    return report(
      'moonraker',
      'error',
      `Moonraker at ${endpoint} rejected the API key (HTTP ${status})`,
      {
        fix: rejectedApiKeyFix(trustedEntry),
        details: { code: failure.code, status: Number(status), apiKeyConfigured: true },
      },
    );
  }
  return report(
    'moonraker',
    'error',
    `Moonraker at ${endpoint} does not trust this computer (HTTP ${status})`,
    {
      fix: trustedClientsFix(trustedEntry),
      details: {
        code: failure.code,
        status: Number(status),
        apiKeyConfigured: false,
        ...(trustedEntry ? { trustedClientsEntry: trustedEntry } : {}),
        moonrakerConf: moonrakerConfSnippet(trustedEntry),
      },
    },
  );
}

function unreachableLink(
  failure: Failure,
  url: string,
  endpoint: string,
  details: Record<string, unknown>,
): HealthLinkReport {
  const systemCode = systemCodeOf(failure.message);
  const withCode = { ...details, ...(systemCode ? { systemCode } : {}) };
  if (systemCode && NAME_CODES.has(systemCode)) {
    return report('lan', 'error', `Cannot resolve the host name of ${endpoint}`, {
      fix: "Check the printer's address, or enter its IP address instead of the name.",
      details: withCode,
    });
  }
  if (systemCode && ROUTE_CODES.has(systemCode)) {
    return report('lan', 'error', `This computer has no network route to ${hostOf(url)}`, {
      fix: "Check this computer's network connection and that it is on the printer's network.",
      details: withCode,
    });
  }
  return switchedOffLink(endpoint, withCode);
}

/**
 * Reports a printer that does not respond as offline, a state rather than an error, because a
 * printer that is switched off refuses or ignores connections.
 */
function switchedOffLink(endpoint: string, details: Record<string, unknown>): HealthLinkReport {
  return report(
    'lan',
    'offline',
    `Moonraker is not answering on ${endpoint}; is the printer switched on?`,
    {
      fix: 'Switch the printer on and check its network connection; the bridge connects as soon as it answers.',
      details,
    },
  );
}

function waitingLink(): HealthLinkReport {
  return report('moonraker', 'unknown', NOT_CHECKED);
}

function retryDetail(facts: MoonrakerFacts): Record<string, unknown> {
  return facts.retryInMs === undefined ? {} : { retryInMs: facts.retryInMs };
}

/**
 * Reads the socket error code that the Moonraker client puts in brackets into its message, such
 * as `ECONNREFUSED` in "Cannot reach Moonraker at … (ECONNREFUSED)."
 */
export function systemCodeOf(message: string): string | undefined {
  return /\((E[A-Z0-9]+|UND_ERR_[A-Z_]+)\)/.exec(message)?.[1];
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
