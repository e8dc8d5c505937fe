import type { IClientOptions } from 'mqtt';

import { channelTopic } from '../../shared/contract/topics.js';
import { CodedError } from '../support/coded-error.js';

/** Broker port of Owl Cloud, which also switches TLS on by default. */
export const OWL_BROKER_TLS_PORT = 8883;
const PLAIN_MQTT_PORT = 1883;
export const MQTT_KEEPALIVE_SECONDS = 60;

export interface BrokerAddress {
  host: string;
  port: number;
  useTls: boolean;
  /** `mqtt://host:port` or `mqtts://host:port`, as passed to the MQTT client. */
  url: string;
}

/**
 * Parses `mqtt://host:port` or `mqtts://host:port`. Without an explicit `useTls`, TLS is on for the
 * `mqtts` scheme and for port 8883. A missing port is 8883 with TLS and 1883 without.
 * Throws `invalid_broker_url` for anything else.
 */
export function parseBrokerUrl(brokerUrl: string, useTls?: boolean): BrokerAddress {
  const url = parseUrl(brokerUrl);
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'mqtt' && scheme !== 'mqtts') {
    throw invalidBrokerUrl(brokerUrl, `unsupported scheme "${scheme}" (use mqtt:// or mqtts://)`);
  }
  if (!url.hostname) throw invalidBrokerUrl(brokerUrl, 'the host name is missing');

  const explicitPort = url.port === '' ? undefined : Number(url.port);
  const tls = useTls ?? (scheme === 'mqtts' || explicitPort === OWL_BROKER_TLS_PORT);
  const port = explicitPort ?? (tls ? OWL_BROKER_TLS_PORT : PLAIN_MQTT_PORT);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { host, port, useTls: tls, url: `${tls ? 'mqtts' : 'mqtt'}://${urlHost}:${port}` };
}

function parseUrl(brokerUrl: string): URL {
  try {
    return new URL(brokerUrl);
  } catch (error) {
    throw invalidBrokerUrl(brokerUrl, 'it is not a URL', error);
  }
}

function invalidBrokerUrl(brokerUrl: string, reason: string, cause?: unknown): CodedError {
  return new CodedError('invalid_broker_url', `Invalid broker URL "${brokerUrl}": ${reason}`, {
    cause,
    details: { brokerUrl },
  });
}

export interface DeviceClientOptionsInput {
  deviceId: string;
  token: string;
  willPayload: Buffer | string;
  sessionExpirySeconds: number;
  connectTimeoutMs: number;
  useTls: boolean;
  ca?: string | Buffer;
}

/**
 * CONNECT options of a device: MQTT 5, client id and user name both the device id, the JWT as
 * password, Clean Start false with a session expiry, and the retained Offline status as Will.
 * MQTT.js's own reconnect is off, because it would present the JWT of its first connect again.
 */
export function buildDeviceClientOptions(input: DeviceClientOptionsInput): IClientOptions {
  const options: IClientOptions = {
    protocolVersion: 5,
    clientId: input.deviceId,
    username: input.deviceId,
    password: input.token,
    clean: false,
    keepalive: MQTT_KEEPALIVE_SECONDS,
    reconnectPeriod: 0,
    connectTimeout: input.connectTimeoutMs,
    resubscribe: false,
    queueQoSZero: false,
    will: {
      topic: channelTopic(input.deviceId, 'status'),
      payload: toBuffer(input.willPayload),
      qos: 1,
      retain: true,
    },
  };
  if (input.sessionExpirySeconds > 0) {
    options.properties = { sessionExpiryInterval: Math.floor(input.sessionExpirySeconds) };
  }
  if (input.useTls) {
    // NOTE: no test here connects over TLS. MQTT.js's TLS transport derives the SNI name from the
    // host and verifies the certificate against `ca` or the system store.
    options.rejectUnauthorized = true;
    if (input.ca !== undefined) options.ca = input.ca;
  }
  return options;
}

function toBuffer(payload: Buffer | string): Buffer {
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
}
