import { isCommandName } from '../../shared/contract/commands.js';
import type { DeviceIdentity } from '../../shared/contract/envelope.js';
import type { CommandState } from '../../shared/contract/events.js';
import type { Clock } from '../support/clock.js';
import { CodedError, assertNever, errorMessage } from '../support/coded-error.js';
import type { Disposable } from '../support/disposable.js';
import { LogRateLimiter } from '../support/logger.js';
import type { Logger } from '../support/logger.js';
import { CommandAckFactory } from './command-ack-factory.js';
import type { CommandContext, CommandResult } from './command-context.js';
import { runCommandHandler } from './command-dispatch.js';
import { parseCommandMessage } from './command-message-parser.js';
import type { ParsedCommand, RejectedCommand } from './command-message-parser.js';
import { CommandReporter } from './command-reporter.js';
import { ackReasonOf } from './handler-support.js';
import type { CommandOutput, ExecutionAck } from './command-reporter.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { PendingStateTracker, expectedStateOf } from './pending-state-tracker.js';
import type { StateSettlement } from './pending-state-tracker.js';

export type { CommandOutput } from './command-reporter.js';

export interface CommandProcessorOptions {
  identity: () => DeviceIdentity;
  /** `$origin` of the acks, such as `moonraker-owl@0.1.0`. */
  origin: string;
  context: Omit<CommandContext, 'logger'>;
  /** Must be opened (loaded) before the first message arrives. */
  idempotency: IdempotencyStore;
  output: CommandOutput;
  clock: Clock;
  logger: Logger;
  newAckId?: () => string;
  stateTimeoutSeconds?: number;
}

/** Final result of a command: its execution-stage ack and its command-state item. */
interface ExecutionOutcome extends ExecutionAck {
  state: CommandState;
  details?: Record<string, unknown>;
}

interface InFlightCommand {
  commandId: string;
  commandType: string;
  topicName: string;
  expectedState?: string;
}

const REJECTION_LOG_WINDOW_MS = 60_000;
const REJECTION_LOG_BURST = 10;

/**
 * Runs the command pipeline of one device: parse, replay duplicates from the idempotency store,
 * ignore duplicates still in flight, ack `accepted`, execute, and ack the outcome. Pause, resume
 * and cancel complete when `onPrintState` reports the expected state. Nothing thrown by parsing, a
 * handler or the output escapes `handleMessage`.
 */
export class CommandProcessor implements Disposable {
  private readonly inFlight = new Map<string, InFlightCommand>();
  private readonly reporter: CommandReporter;
  private readonly tracker: PendingStateTracker;
  private readonly context: CommandContext;
  private readonly logger: Logger;
  private readonly rejectionLog: LogRateLimiter;
  private readonly duplicateLog: LogRateLimiter;
  private disposed = false;

  constructor(private readonly options: CommandProcessorOptions) {
    this.logger = options.logger.child({ component: 'command-processor' });
    this.context = { ...options.context, logger: this.logger };
    const acks = new CommandAckFactory({
      identity: options.identity,
      origin: options.origin,
      clock: options.clock,
      ...(options.newAckId ? { newId: options.newAckId } : {}),
    });
    const { output, idempotency, clock } = options;
    this.reporter = new CommandReporter({ acks, output, idempotency, clock, logger: this.logger });
    this.tracker = new PendingStateTracker({
      clock: options.clock,
      onSettled: (settlement) => this.onStateSettled(settlement),
      ...(options.stateTimeoutSeconds ? { timeoutSeconds: options.stateTimeoutSeconds } : {}),
    });
    const now = () => options.clock.monotonic();
    this.rejectionLog = new LogRateLimiter(REJECTION_LOG_WINDOW_MS, REJECTION_LOG_BURST, now);
    this.duplicateLog = new LogRateLimiter(REJECTION_LOG_WINDOW_MS, REJECTION_LOG_BURST, now);
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Processes one message from `commands/#`; resolves once its handler has finished. */
  async handleMessage(topic: string, payload: Uint8Array): Promise<void> {
    if (this.disposed) return;
    try {
      await this.process(topic, payload);
    } catch (error) {
      this.logger.error({ topic, err: errorMessage(error) }, 'Command processing failed');
    }
  }

  /** Call on every observed change of `print_stats.state`. */
  onPrintState(state: string): void {
    this.tracker.onPrintState(state);
  }

  /**
   * Fails every in-flight and state-pending command with one `agent_restart` ack each, for a
   * shutdown or a lost Moonraker. The caller must not call it for a planned reconnect.
   */
  abandonAll(detail: string): void {
    for (const command of [...this.inFlight.values()]) {
      this.tracker.remove(command.commandId);
      this.logger.warn({ commandId: command.commandId, detail }, 'Command abandoned');
      const expected = command.expectedState ? { expectedState: command.expectedState } : {};
      this.finish(command, {
        status: 'failed',
        reason: { code: 'agent_restart', message: detail },
        state: 'abandoned',
        details: { reason: 'agent_restart', detail, ...expected },
      });
    }
  }

  /** Stops processing. Call `abandonAll` first so that every command in flight gets its final ack. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.tracker.dispose();
  }

  private async process(topic: string, payload: Uint8Array): Promise<void> {
    const parsed = parseCommandMessage(topic, payload, this.options.identity().deviceId);
    switch (parsed.kind) {
      case 'ignored':
        this.logger.debug({ topic, reason: parsed.reason }, 'Message ignored');
        return;
      case 'rejected':
        this.reject(parsed);
        return;
      case 'parsed':
        await this.accept(parsed);
        return;
      default:
        assertNever(parsed, 'parse result');
    }
  }

  private reject(rejection: RejectedCommand): void {
    const { commandId, topicName, code, message } = rejection;
    const suppressed = this.rejectionLog.admit(code);
    if (suppressed !== null) {
      this.logger.warn({ commandId, topicName, code, suppressed }, `Command rejected: ${message}`);
    }

    const reason = { code, message };
    this.reporter.sendAck(topicName, { commandId, status: 'failed', stage: 'dispatch', reason });
    if (commandId === '') return;
    this.reporter.recordState(commandId, topicName.toLowerCase(), 'rejected', { code });
  }

  private async accept(parsed: ParsedCommand): Promise<void> {
    const { commandId, topicName } = parsed;
    const record = this.options.idempotency.get(commandId);
    if (record) {
      this.logger.info(
        { commandId, status: record.status },
        'Duplicate command replayed from its record',
      );
      const { status, stage, reason, result } = record;
      this.reporter.sendAck(topicName, { commandId, status, stage, reason, result, skipped: true });
      return;
    }
    if (this.inFlight.has(commandId)) {
      const suppressed = this.duplicateLog.admit('in_flight');
      if (suppressed !== null) {
        this.logger.info(
          { commandId, suppressed },
          `Duplicate command id ${commandId} while in flight; ignored`,
        );
      }
      return;
    }

    const command: InFlightCommand = { commandId, commandType: parsed.command, topicName };
    const expectedState = expectedStateOf(parsed.command);
    if (expectedState) command.expectedState = expectedState;
    this.inFlight.set(commandId, command);
    this.reporter.recordState(commandId, command.commandType, 'dispatched');
    this.reporter.sendAck(topicName, { commandId, status: 'accepted', stage: 'dispatch' });
    this.reporter.recordState(commandId, command.commandType, 'accepted');
    await this.execute(command, parsed.parameters);
  }

  private async execute(
    command: InFlightCommand,
    parameters: Record<string, unknown>,
  ): Promise<void> {
    const { commandId, commandType, expectedState } = command;
    if (expectedState) this.tracker.expect({ commandId, commandType, expectedState });

    let result: CommandResult;
    try {
      result = await this.runHandler(commandType, parameters);
    } catch (error) {
      this.tracker.remove(commandId);
      if (this.isCurrent(command)) this.fail(command, ackReasonOf(error));
      return;
    }

    if (!this.isCurrent(command)) return;
    if (expectedState) {
      this.tracker.confirm(commandId);
      return;
    }
    this.finish(command, { status: 'completed', result, state: 'completed', details: result });
  }

  private async runHandler(
    name: string,
    parameters: Record<string, unknown>,
  ): Promise<CommandResult> {
    if (!isCommandName(name)) {
      throw new CodedError('unsupported_command', `Unsupported command '${name}'`);
    }
    return runCommandHandler(name, parameters, this.context);
  }

  private onStateSettled(settlement: StateSettlement): void {
    const command = this.inFlight.get(settlement.command.commandId);
    if (!command || this.disposed) return;
    if (settlement.outcome === 'reached') {
      this.finish(command, { status: 'completed', state: 'completed' });
      return;
    }

    const { expectedState } = settlement.command;
    const message = `Timeout waiting for state '${expectedState}'`;
    this.logger.warn({ commandId: command.commandId, expectedState }, message);
    this.finish(command, {
      status: 'failed',
      reason: { code: 'state_timeout', message },
      state: 'timeout',
      details: { expectedState, timeoutSeconds: settlement.timeoutSeconds },
    });
  }

  private fail(command: InFlightCommand, reason: { code: string; message: string }): void {
    const { commandId, commandType } = command;
    this.logger.warn(
      { commandId, commandType, code: reason.code },
      `Command failed: ${reason.message}`,
    );
    this.finish(command, { status: 'failed', reason, state: 'failed', details: { ...reason } });
  }

  private finish(command: InFlightCommand, outcome: ExecutionOutcome): void {
    const { commandId, commandType, topicName } = command;
    this.inFlight.delete(commandId);
    this.reporter.sendExecutionAck(topicName, commandId, outcome);
    this.reporter.recordState(commandId, commandType, outcome.state, outcome.details);
  }

  private isCurrent(command: InFlightCommand): boolean {
    return !this.disposed && this.inFlight.get(command.commandId) === command;
  }
}
