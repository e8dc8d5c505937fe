import type { BridgeSnapshot, MqttFacts } from '../../bridge/bridge-snapshot.js';
import { isAuthFailureCode } from '../../cloud/mqtt-reason-codes.js';
import { endpointLabel, report, type HealthLinkReport } from './health-levels.js';

type Failure = NonNullable<MqttFacts['lastFailure']>;

const RELINK = 'Relink this printer.';
const CHECK_INTERNET =
  "Check this computer's internet connection and the cloud addresses in the settings; the bridge keeps retrying.";

/** Derives the cloud link from the device's MQTT connection and its last failed attempt. */
export function cloudLink(snapshot: BridgeSnapshot): HealthLinkReport {
  const { mqtt } = snapshot;
  const broker = endpointLabel(mqtt.brokerUrl);
  switch (mqtt.state) {
    case 'connected':
      return report('cloud', 'ok', 'Connected to Owl Cloud', { details: { broker } });
    case 'connecting':
    case 'reconnecting':
      if (mqtt.lastFailure) return failureLink(mqtt.lastFailure, broker, snapshot.cloudUrl);
      return mqtt.state === 'connecting'
        ? report('cloud', 'pending', `Connecting to the Owl broker at ${broker}`)
        : report('cloud', 'pending', 'Reconnecting to Owl Cloud', {
            details: mqtt.lastDisconnect ? { ...mqtt.lastDisconnect } : {},
          });
    case 'idle':
      return report('cloud', 'pending', 'Waiting for the bridge to start');
    default:
      return report('cloud', 'unknown', 'Not connected to Owl Cloud');
  }
}

function failureLink(failure: Failure, broker: string, cloudUrl: string): HealthLinkReport {
  const details = {
    code: failure.code,
    message: failure.message,
    ...(failure.reasonCode === undefined ? {} : { reasonCode: failure.reasonCode }),
  };
  switch (failure.code) {
    case 'device_unknown':
      return report(
        'cloud',
        'error',
        "Owl Cloud does not know this printer's device, or its key was revoked",
        {
          fix: RELINK,
          details,
        },
      );
    case 'token_rejected':
      return report('cloud', 'error', "Owl Cloud rejected this printer's signed token request", {
        fix: "Check that this computer's clock is correct; if it is, relink this printer.",
        details,
      });
    case 'connect_refused':
      return refusedLink(failure.reasonCode, broker, details);
    case 'connect_failed':
    case 'connect_timeout':
      return report(
        'cloud',
        'error',
        `Cannot reach the Owl broker at ${broker}; check the internet connection`,
        {
          fix: CHECK_INTERNET,
          details,
        },
      );
    case 'cloud_unreachable':
      return report(
        'cloud',
        'error',
        `Cannot reach Owl Cloud at ${endpointLabel(cloudUrl)}; check the internet connection`,
        {
          fix: CHECK_INTERNET,
          details,
        },
      );
    case 'cloud_not_ready':
      return report('cloud', 'warning', 'Owl Cloud is not ready for this printer yet', {
        fix: 'Nothing to do: the bridge tries again when Owl Cloud asks it to.',
        details,
      });
    case 'rate_limited':
      return report(
        'cloud',
        'warning',
        "Owl Cloud is rate limiting this printer's token requests",
        {
          fix: 'Nothing to do: the bridge tries again later.',
          details,
        },
      );
    default:
      return report('cloud', 'error', `Owl Cloud did not issue a token: ${failure.message}`, {
        fix: 'The bridge keeps retrying; if this persists, check the cloud address in the settings.',
        details,
      });
  }
}

function refusedLink(
  reasonCode: number | undefined,
  broker: string,
  details: Record<string, unknown>,
): HealthLinkReport {
  const code = reasonCode ?? 0;
  if (isAuthFailureCode(reasonCode)) {
    return report(
      'cloud',
      'error',
      `The Owl broker rejected this printer's credentials (reason code ${code})`,
      {
        fix: RELINK,
        details,
      },
    );
  }
  return report(
    'cloud',
    'warning',
    `The Owl broker at ${broker} refused the connection (reason code ${code})`,
    {
      fix: 'The bridge keeps retrying; if this persists, check the broker address in the settings.',
      details,
    },
  );
}
