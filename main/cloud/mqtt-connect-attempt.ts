import type { IClientOptions, IConnackPacket, OnMessageCallback } from 'mqtt';

import type { Clock } from '../support/clock.js';
import { CodedError, errorMessage } from '../support/coded-error.js';
import type { MqttClientHandle, MqttConnectFunction } from './mqtt-client-handle.js';

/**
 * Why one connect attempt failed: the broker refused it in CONNACK (`details.reasonCode`), no
 * CONNACK came in time, the socket failed or closed first, or the attempt was aborted.
 */
export type ConnectErrorCode =
  'connect_refused' | 'connect_timeout' | 'connect_failed' | 'connect_aborted';

export interface ConnectAttemptInput {
  connect: MqttConnectFunction;
  url: string;
  options: IClientOptions;
  clock: Clock;
  timeoutMs: number;
  signal: AbortSignal;
  /** Installed on the new client before CONNECT goes out, so no session message is missed. */
  onMessage: OnMessageCallback;
}

export interface OpenedClient {
  client: MqttClientHandle;
  connack: IConnackPacket;
}

/**
 * Creates one MQTT client and resolves once the broker accepted it. On failure the client is
 * destroyed and the promise rejects with a `ConnectErrorCode`. The client keeps its `error`
 * listener, so a late error event never throws.
 */
export function openMqttClient(input: ConnectAttemptInput): Promise<OpenedClient> {
  return new Promise((resolve, reject) => {
    if (input.signal.aborted) {
      reject(abortedError());
      return;
    }
    let client: MqttClientHandle;
    try {
      client = input.connect(input.url, input.options);
    } catch (error) {
      reject(failedError(error));
      return;
    }

    let settled = false;
    const finish = (error: CodedError | null, connack?: IConnackPacket): void => {
      if (settled) return;
      settled = true;
      input.clock.clearTimeout(timer);
      input.signal.removeEventListener('abort', onAbort);
      if (error === null && connack !== undefined) {
        resolve({ client, connack });
        return;
      }
      client.end(true, {}, () => undefined);
      reject(error ?? failedError(new Error('no CONNACK packet')));
    };
    const onAbort = (): void => finish(abortedError());
    const timer = input.clock.setTimeout(
      () => finish(timeoutError(input.timeoutMs)),
      input.timeoutMs,
    );
    input.signal.addEventListener('abort', onAbort, { once: true });

    client.on('message', input.onMessage);
    client.on('connect', (connack) => finish(null, connack));
    client.on('error', (error) => finish(errorFromClient(error, input.timeoutMs)));
    client.on('close', () => finish(failedError(new Error('connection closed before CONNACK'))));
  });
}

/** MQTT.js reports a refusing CONNACK as an error whose `code` is the numeric reason code. */
function errorFromClient(error: Error & { code?: unknown }, timeoutMs: number): CodedError {
  if (typeof error.code === 'number') {
    return new CodedError('connect_refused', `Broker refused the connection: ${error.message}`, {
      cause: error,
      details: { reasonCode: error.code },
    });
  }
  if (error.message === 'connack timeout') return timeoutError(timeoutMs);
  return failedError(error);
}

function failedError(cause: unknown): CodedError {
  return new CodedError(
    'connect_failed',
    `Connecting to the broker failed: ${errorMessage(cause)}`,
    {
      cause,
    },
  );
}

function timeoutError(timeoutMs: number): CodedError {
  return new CodedError('connect_timeout', `No CONNACK from the broker within ${timeoutMs} ms`, {
    details: { timeoutMs },
  });
}

function abortedError(): CodedError {
  return new CodedError('connect_aborted', 'Connect attempt aborted because the connection stops');
}

/** Returns the CONNACK reason code of a connect error, if the broker sent one. */
export function connectReasonCode(error: unknown): number | undefined {
  if (!(error instanceof CodedError) || error.code !== 'connect_refused') return undefined;
  const reasonCode = error.details['reasonCode'];
  return typeof reasonCode === 'number' ? reasonCode : undefined;
}
