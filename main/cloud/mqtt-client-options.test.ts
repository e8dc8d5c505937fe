import { describe, expect, it } from 'vitest';

import type { CodedError } from '../support/coded-error.js';
import { buildDeviceClientOptions, parseBrokerUrl } from './mqtt-client-options.js';

function parseError(url: string): CodedError {
  try {
    parseBrokerUrl(url);
  } catch (error) {
    return error as CodedError;
  }
  throw new Error(`expected ${url} to be rejected`);
}

describe('parseBrokerUrl', () => {
  it('turns TLS on for port 8883', () => {
    expect(parseBrokerUrl('mqtt://broker.example.com:8883')).toEqual({
      host: 'broker.example.com',
      port: 8883,
      useTls: true,
      url: 'mqtts://broker.example.com:8883',
    });
  });

  it('leaves TLS off for other mqtt ports', () => {
    const address = parseBrokerUrl('mqtt://127.0.0.1:1883');

    expect(address.useTls).toBe(false);
    expect(address.url).toBe('mqtt://127.0.0.1:1883');
  });

  it('turns TLS on for the mqtts scheme', () => {
    expect(parseBrokerUrl('mqtts://broker.example.com:9000').useTls).toBe(true);
  });

  it('lets an explicit useTls win over the port', () => {
    const address = parseBrokerUrl('mqtt://broker.example.com:8883', false);

    expect(address.useTls).toBe(false);
    expect(address.url).toBe('mqtt://broker.example.com:8883');
  });

  it('defaults the port by scheme', () => {
    expect(parseBrokerUrl('mqtts://broker.example.com').port).toBe(8883);
    expect(parseBrokerUrl('mqtt://broker.example.com').port).toBe(1883);
  });

  it('keeps IPv6 hosts bracketed in the URL', () => {
    const address = parseBrokerUrl('mqtt://[::1]:1883');

    expect(address.host).toBe('::1');
    expect(address.url).toBe('mqtt://[::1]:1883');
  });

  it('rejects other schemes', () => {
    const error = parseError('ws://broker.example.com:8083');

    expect(error.code).toBe('invalid_broker_url');
    expect(error.message).toBe(
      'Invalid broker URL "ws://broker.example.com:8083": unsupported scheme "ws" (use mqtt:// or mqtts://)',
    );
  });

  it('rejects text that is no URL', () => {
    const error = parseError('broker.example.com');

    expect(error.code).toBe('invalid_broker_url');
    expect(error.message).toBe('Invalid broker URL "broker.example.com": it is not a URL');
  });
});

describe('buildDeviceClientOptions', () => {
  const input = {
    deviceId: 'device-1',
    token: 'jwt-1',
    willPayload: '{"offline":true}',
    sessionExpirySeconds: 3600,
    connectTimeoutMs: 30_000,
    useTls: false,
  };

  it('sets client id, user name and password', () => {
    const options = buildDeviceClientOptions(input);

    expect(options.clientId).toBe('device-1');
    expect(options.username).toBe('device-1');
    expect(options.password).toBe('jwt-1');
  });

  it('asks for MQTT 5 with a persistent session and no library reconnect', () => {
    const options = buildDeviceClientOptions(input);

    expect(options.protocolVersion).toBe(5);
    expect(options.clean).toBe(false);
    expect(options.keepalive).toBe(60);
    expect(options.reconnectPeriod).toBe(0);
    expect(options.properties).toEqual({ sessionExpiryInterval: 3600 });
  });

  it('registers the retained Offline status as Will', () => {
    const options = buildDeviceClientOptions(input);

    expect(options.will?.topic).toBe('owl/printers/device-1/status');
    expect(options.will?.qos).toBe(1);
    expect(options.will?.retain).toBe(true);
    expect(options.will?.payload.toString()).toBe('{"offline":true}');
  });

  it('omits the session expiry when it is 0', () => {
    expect(buildDeviceClientOptions({ ...input, sessionExpirySeconds: 0 }).properties).toBe(
      undefined,
    );
  });

  it('verifies certificates with TLS', () => {
    const options = buildDeviceClientOptions({ ...input, useTls: true, ca: 'PEM' });

    expect(options.rejectUnauthorized).toBe(true);
    expect(options.ca).toBe('PEM');
  });
});
