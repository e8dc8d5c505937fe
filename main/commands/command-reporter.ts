import type { AckReason, CommandAck } from '../../shared/contract/commands.js';
import type { CommandState, CommandStateItem } from '../../shared/contract/events.js';
import type { Clock } from '../support/clock.js';
import { errorMessage } from '../support/coded-error.js';
import type { Logger } from '../support/logger.js';
import type { AckContent, CommandAckFactory } from './command-ack-factory.js';
import type { CommandResult } from './command-context.js';
import { createCommandStateItem } from './command-state-item.js';
import type { IdempotencyStore } from './idempotency-store.js';

/** Destination of acks and command-state items; in the bridge, the device's MQTT connection. */
export interface CommandOutput {
  /** `topicName` is the command segment of the request topic; the ack topic is built from it. */
  publishAck(topicName: string, ack: CommandAck): void;
  recordCommandState(item: CommandStateItem): void;
}

/** Final status of a command, as its execution-stage ack states it. */
export interface ExecutionAck {
  status: 'completed' | 'failed';
  reason?: AckReason;
  result?: CommandResult;
}

export interface CommandReporterOptions {
  acks: CommandAckFactory;
  output: CommandOutput;
  idempotency: IdempotencyStore;
  clock: Clock;
  logger: Logger;
}

/**
 * Sends acks and command-state items to the output and records execution-stage acks for replay.
 * An exception thrown by the output is logged and not passed on to the command pipeline.
 */
export class CommandReporter {
  constructor(private readonly options: CommandReporterOptions) {}

  sendAck(topicName: string, content: AckContent): void {
    this.publish(topicName, this.options.acks.create(content));
  }

  /**
   * Records the execution-stage ack before publishing it, so that a retry arriving right after
   * the ack is replayed from the record instead of being run a second time.
   */
  sendExecutionAck(topicName: string, commandId: string, outcome: ExecutionAck): void {
    const { status, reason, result } = outcome;
    const ack = this.options.acks.create({ commandId, status, stage: 'execution', reason, result });
    const sent = ack.payload;
    this.options.idempotency.record(commandId, {
      status,
      stage: 'execution',
      ...(sent.reason ? { reason: sent.reason } : {}),
      ...(sent.result ? { result: sent.result } : {}),
    });
    this.publish(topicName, ack);
  }

  recordState(
    commandId: string,
    commandType: string,
    state: CommandState,
    details?: Record<string, unknown>,
  ): void {
    const now = this.options.clock.now();
    const item = createCommandStateItem({ commandId, commandType, state, details }, now);
    try {
      this.options.output.recordCommandState(item);
    } catch (error) {
      const fields = { commandId, state, err: errorMessage(error) };
      this.options.logger.error(fields, 'Recording the command state failed');
    }
  }

  private publish(topicName: string, ack: CommandAck): void {
    try {
      this.options.output.publishAck(topicName, ack);
    } catch (error) {
      const fields = { commandId: ack.payload.commandId, topicName, err: errorMessage(error) };
      this.options.logger.error(fields, 'Publishing the ack failed');
    }
  }
}
