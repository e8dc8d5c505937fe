import type { CommandAck } from '../../shared/contract/commands.js';
import type { CommandStateItem } from '../../shared/contract/events.js';

/** One ack of a command, as the local views show it. */
export interface CommandAckRecord {
  /** Wall-clock epoch milliseconds when the ack was sent. */
  at: number;
  status: string;
  stage: string;
  code?: string;
  message?: string;
}

/** A command the bridge received, with every ack it sent about it. */
export interface CommandRecord {
  commandId: string;
  command: string;
  /** Wall-clock epoch milliseconds when the command arrived. */
  receivedAt: number;
  acks: CommandAckRecord[];
}

export const DEFAULT_COMMAND_HISTORY_LIMIT = 50;

/** Acks kept per command: dispatch and execution, plus a few replays of a duplicate. */
const MAX_ACKS_PER_COMMAND = 8;

/**
 * The most recent commands of one bridge and their acks, oldest first, for the detail view and
 * the diagnostics. The oldest command is dropped once `limit` are held.
 */
export class CommandHistory {
  private readonly records = new Map<string, CommandRecord>();
  private anonymous = 0;

  constructor(
    private readonly now: () => number,
    private readonly limit = DEFAULT_COMMAND_HISTORY_LIMIT,
  ) {}

  /** Notes a command-state item; the first item of a command creates its record. */
  noteState(item: CommandStateItem): void {
    const { commandId, commandType } = item.data;
    this.recordFor(commandId, commandType);
  }

  /** Notes an ack; `topicName` names the command when no state item came first. */
  noteAck(topicName: string, ack: CommandAck): void {
    const { commandId, status, stage, reason } = ack.payload;
    const record = this.recordFor(commandId, topicName);
    record.acks.push({
      at: this.now(),
      status,
      stage,
      ...(reason?.code ? { code: reason.code } : {}),
      ...(reason?.message ? { message: reason.message } : {}),
    });
    if (record.acks.length > MAX_ACKS_PER_COMMAND) record.acks.shift();
  }

  list(): CommandRecord[] {
    return [...this.records.values()].map((record) => ({
      ...record,
      acks: record.acks.map((ack) => ({ ...ack })),
    }));
  }

  private recordFor(commandId: string, command: string): CommandRecord {
    // A message rejected before its id could be read has an empty id; each gets its own record.
    const key = commandId === '' ? `anonymous:${++this.anonymous}` : commandId;
    const known = this.records.get(key);
    if (known) return known;

    const record: CommandRecord = { commandId, command, receivedAt: this.now(), acks: [] };
    this.records.set(key, record);
    if (this.records.size > this.limit) {
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) this.records.delete(oldest);
    }
    return record;
  }
}
