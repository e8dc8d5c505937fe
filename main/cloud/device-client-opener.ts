import type { OnMessageCallback } from 'mqtt';

import type { Clock } from '../support/clock.js';
import type { Logger } from '../support/logger.js';
import type { ConnectionStats } from './connection-stats.js';
import type { MqttConnectFunction } from './mqtt-client-handle.js';
import { buildDeviceClientOptions, type BrokerAddress } from './mqtt-client-options.js';
import { connectReasonCode, openMqttClient, type OpenedClient } from './mqtt-connect-attempt.js';
import { isAuthFailureCode } from './mqtt-reason-codes.js';
import type { TokenSource } from './token-source.js';

export interface DeviceClientOpenerOptions {
  address: BrokerAddress;
  ca?: string | Buffer;
  deviceId: string;
  tokens: TokenSource;
  clock: Clock;
  logger: Logger;
  willPayload: () => Buffer | string;
  sessionExpirySeconds: number;
  connectTimeoutMs: number;
  mqttConnect: MqttConnectFunction;
  stats: ConnectionStats;
  onMessage: OnMessageCallback;
}

/**
 * Makes one connect attempt of a device: a fresh client with the current token and a freshly
 * built Will. When the broker refuses the token (CONNACK 5, 134 or 135), the token is refreshed
 * and the attempt retried once, so at most two clients are created per call.
 */
export class DeviceClientOpener {
  constructor(private readonly options: DeviceClientOpenerOptions) {}

  async open(signal: AbortSignal): Promise<OpenedClient> {
    this.options.stats.recordConnectAttempt();
    const token = await this.options.tokens.current();
    try {
      return await this.openWithToken(token, signal);
    } catch (error) {
      const reasonCode = connectReasonCode(error);
      if (!isAuthFailureCode(reasonCode)) throw error;

      this.options.logger.warn(
        { reasonCode },
        'broker rejected the access token; refreshing it and retrying once',
      );
      const refreshed = await this.options.tokens.refresh();
      return await this.openWithToken(refreshed, signal);
    }
  }

  private async openWithToken(token: string, signal: AbortSignal): Promise<OpenedClient> {
    const { options } = this;
    const clientOptions = buildDeviceClientOptions({
      deviceId: options.deviceId,
      token,
      willPayload: options.willPayload(),
      sessionExpirySeconds: options.sessionExpirySeconds,
      connectTimeoutMs: options.connectTimeoutMs,
      useTls: options.address.useTls,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    });
    try {
      const opened = await openMqttClient({
        connect: options.mqttConnect,
        url: options.address.url,
        options: clientOptions,
        clock: options.clock,
        timeoutMs: options.connectTimeoutMs,
        signal,
        onMessage: options.onMessage,
      });
      options.stats.recordConnectResult(opened.connack.reasonCode ?? 0);
      return opened;
    } catch (error) {
      options.stats.recordConnectResult(connectReasonCode(error) ?? null);
      throw error;
    }
  }
}
