import type { MqttClient } from 'mqtt';

import type { Clock } from '../../support/clock.js';
import { CodedError, errorMessage } from '../../support/coded-error.js';
import type { Logger } from '../../support/logger.js';
import {
  DYNSEC_COMMAND_TOPIC,
  DYNSEC_RESPONSE_TOPIC,
  type DynsecCommand,
  type DynsecResponse,
  dynsecResponseBatchSchema,
} from './dynsec-protocol.js';

export type DynsecErrorCode =
  | 'dynsec_connect_failed'
  | 'dynsec_timeout'
  | 'dynsec_command_failed'
  | 'dynsec_closed'
  | 'invalid_device_id'
  | 'invalid_credentials';

interface PendingResponse {
  resolve: (response: DynsecResponse) => void;
  reject: (error: Error) => void;
}

/**
 * Sends JSON command batches to mosquitto's dynamic-security plugin over an admin MQTT client and
 * matches each response to its command by a `correlationData` string, which the plugin echoes.
 */
export class DynsecChannel {
  private readonly pending = new Map<string, PendingResponse>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly client: MqttClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
    private readonly correlationPrefix: string,
  ) {
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
  }

  /** Subscribes to the response topic. Throws `dynsec_connect_failed` when that is rejected. */
  async start(): Promise<void> {
    const notAdmin = (cause?: unknown): CodedError =>
      new CodedError(
        'dynsec_connect_failed',
        `Subscription to ${DYNSEC_RESPONSE_TOPIC} was rejected; the user needs the dynsec admin role`,
        { cause },
      );
    let granted: { qos: number }[];
    try {
      granted = await this.client.subscribeAsync(DYNSEC_RESPONSE_TOPIC, { qos: 1 });
    } catch (error) {
      if (errorMessage(error).startsWith('Subscribe error')) throw notAdmin(error);
      throw new CodedError(
        'dynsec_connect_failed',
        `Subscribing to ${DYNSEC_RESPONSE_TOPIC} failed: ${errorMessage(error)}`,
        { cause: error },
      );
    }
    if (granted.some((grant) => grant.qos > 2)) throw notAdmin();
  }

  /** Sends one batch and resolves with the responses in command order. */
  async send(commands: readonly DynsecCommand[]): Promise<DynsecResponse[]> {
    if (this.closed)
      throw new CodedError('dynsec_closed', 'The dynamic-security channel is closed');

    const ids = commands.map(() => `${this.correlationPrefix}-${this.nextId++}`);
    const responses = Promise.all(ids.map((id) => this.expect(id)));
    // A timeout can reject the responses while the publish is still in flight.
    responses.catch(() => undefined);
    const timer = this.clock.setTimeout(() => this.timeOut(ids, commands), this.timeoutMs);
    const batch = commands.map((command, index) => ({ ...command, correlationData: ids[index] }));
    try {
      await this.client.publishAsync(DYNSEC_COMMAND_TOPIC, JSON.stringify({ commands: batch }), {
        qos: 1,
      });
      return await responses;
    } catch (error) {
      this.rejectAll(ids, error instanceof Error ? error : new Error(errorMessage(error)));
      throw error;
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  /** Rejects every waiting command with `dynsec_closed` and ends the admin client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new CodedError('dynsec_closed', 'The dynamic-security channel was closed');
    this.rejectAll([...this.pending.keys()], error);
    await this.client.endAsync(true);
  }

  private expect(id: string): Promise<DynsecResponse> {
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  private timeOut(ids: readonly string[], commands: readonly DynsecCommand[]): void {
    const names = commands.map((command) => command.command).join(', ');
    const error = new CodedError(
      'dynsec_timeout',
      `No dynamic-security response to ${names} within ${this.timeoutMs} ms`,
      { details: { commands: names } },
    );
    this.rejectAll(ids, error);
  }

  private rejectAll(ids: readonly string[], error: Error): void {
    for (const id of ids) {
      this.pending.get(id)?.reject(error);
      this.pending.delete(id);
    }
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (topic !== DYNSEC_RESPONSE_TOPIC) return;
    const parsed = dynsecResponseBatchSchema.safeParse(parseJson(payload));
    if (!parsed.success) {
      this.logger.warn({ topic, bytes: payload.length }, 'invalid dynamic-security response');
      return;
    }
    for (const response of parsed.data.responses) {
      const waiter = response.correlationData ? this.pending.get(response.correlationData) : null;
      if (!waiter || !response.correlationData) continue;
      this.pending.delete(response.correlationData);
      waiter.resolve(response);
    }
  }
}

function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}
