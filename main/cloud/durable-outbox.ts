import type { Clock, TimerHandle } from '../support/clock.js';
import { assertNever, CodedError } from '../support/coded-error.js';
import type { Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';
import { withDeadline } from './deadline.js';
import { OutboxJournal } from './outbox-journal.js';
import {
  messageBytes,
  OutboxQueue,
  toPutRecord,
  type OutboxMessage,
  type QueuedMessage,
} from './outbox-queue.js';
import type { JournalContents } from './outbox-records.js';
import { classifyPublishFailure } from './publish-failure.js';
import { RateLimitedLog } from './rate-limited-log.js';

export type { OutboxProperties } from './outbox-records.js';
export type { OutboxMessage, QueuedMessage } from './outbox-queue.js';

/** Sends one message and resolves once the broker acknowledged it. */
export type OutboxPublish = (message: QueuedMessage) => Promise<void>;

export interface DurableOutboxOptions {
  /** Folder of this device's journal, created when missing. */
  folder: string;
  publish: OutboxPublish;
  clock: Clock;
  logger: Logger;
  /** Maximum number of messages kept. Beyond it the oldest are dropped. Default 10 000. */
  maxMessages?: number;
  /** Maximum payload and topic bytes kept. Beyond it the oldest are dropped. Default 50 MiB. */
  maxBytes?: number;
  /** Journal size from which it is rewritten once everything is delivered. Default 64 KiB. */
  compactMinBytes?: number;
  /** How long `close` waits for the message in flight. Default 5000. */
  closeTimeoutMs?: number;
  /**
   * Maximum time in ms the delete record of a delivered or dropped message waits to share the
   * next message's journal write. Delete records are never synced on their own. Default 5000.
   */
  deleteDelayMs?: number;
}

export interface OutboxStats {
  pending: number;
  pendingBytes: number;
  /** Messages enqueued by this instance. */
  bufferedTotal: number;
  deliveredTotal: number;
  /** Delivered messages that had waited through a disconnect or a restart. */
  replayedTotal: number;
  /** Dropped because the outbox was over its bounds. */
  droppedTotal: number;
  /** Dropped because the broker rejected them for good (for example not authorized). */
  rejectedTotal: number;
}

const RETRY_INITIAL_MS = 1_000;
const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_MESSAGES = 10_000;
const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
const DEFAULT_COMPACT_MIN_BYTES = 64 * 1024;
/** Deleted messages below which a journal with live messages is not rewritten. */
const COMPACT_MIN_REMOVED = 1_000;
const RETRY_MAX_MS = 30_000;
const DEFAULT_DELETE_DELAY_MS = 5_000;

/**
 * Events and acks that must survive a disconnect and a restart. `enqueue` writes the message to
 * the journal and fsyncs it, and resolves once it is on disk. A single sender publishes strictly
 * in order, one message at a time, without waiting for that write, and deletes a message only
 * after the broker acknowledged it, so delivery is at least once. The delete record is written later without a sync of its own,
 * because losing it in a crash only sends the message once more. Nothing is sent while paused,
 * and `resume()` after each connect drains the queue. Beyond `maxMessages` or `maxBytes` the
 * oldest messages are dropped, and the number dropped is logged. The journal is rewritten
 * atomically once everything is delivered.
 */
export class DurableOutbox implements Disposable {
  private resumed = false;
  private closed = false;
  private closing: Promise<void> | null = null;
  private sending = false;
  /** The last drain loop started, which `close` waits for while `sending`. */
  private drainLoop: Promise<void> = Promise.resolve();
  private retryTimer: TimerHandle | null = null;
  private retryDelayMs = RETRY_INITIAL_MS;
  private removedSinceCompaction = 0;
  private drainWaiters: (() => void)[] = [];
  private readonly log: RateLimitedLog;
  private readonly counters = { buffered: 0, delivered: 0, replayed: 0, dropped: 0, rejected: 0 };

  private constructor(
    private readonly options: DurableOutboxOptions,
    private readonly journal: OutboxJournal,
    private readonly queue: OutboxQueue,
    private readonly logger: Logger,
  ) {
    this.log = new RateLimitedLog(logger, options.clock);
  }

  /** Opens the journal in `folder` and loads the messages a previous process left undelivered. */
  static async open(options: DurableOutboxOptions): Promise<DurableOutbox> {
    const logger = options.logger.child({ component: 'outbox' });
    const { journal, contents } = await OutboxJournal.open(options.folder, {
      clock: options.clock,
      unsyncedDelayMs: options.deleteDelayMs ?? DEFAULT_DELETE_DELAY_MS,
    });
    logJournalProblems(logger, options.folder, contents);

    const queue = OutboxQueue.fromRecords(contents.live, {
      maxMessages: options.maxMessages ?? DEFAULT_MAX_MESSAGES,
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    });
    if (queue.length > 0) {
      logger.info({ pending: queue.length }, 'outbox loaded undelivered messages');
    }
    return new DurableOutbox(options, journal, queue, logger);
  }

  /**
   * Resolves once the message is on disk. The message may be sent before that, because a crash
   * before the write completes loses only a message that was never reported stored. When the
   * write fails this rejects with `outbox_write_failed`, but the message stays queued in memory
   * and is still sent.
   */
  async enqueue(message: OutboxMessage): Promise<void> {
    this.assertAcceptable(message);
    const queued = this.queue.add(message, this.options.clock.now(), !this.resumed);
    this.counters.buffered += 1;
    this.dropOverflow();
    const stored = this.journal.append([toPutRecord(queued)]);
    this.kick();
    try {
      await stored;
    } catch (error) {
      this.logger.error({ err: error, topic: queued.topic }, 'outbox journal write failed');
      const text = `Could not store ${queued.topic} in the outbox journal`;
      throw new CodedError('outbox_write_failed', text, { cause: error });
    }
  }

  /** Starts draining. Call it after each connect. */
  resume(): void {
    if (this.closed) return;
    this.resumed = true;
    this.kick();
  }

  /** Stops sending after the message in flight. Call it on disconnect. */
  pause(): void {
    this.resumed = false;
    this.queue.markAllWaited();
    this.clearRetry();
  }

  /** Resolves when nothing is left to send. */
  drained(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  stats(): OutboxStats {
    return {
      pending: this.queue.length,
      pendingBytes: this.queue.bytes,
      bufferedTotal: this.counters.buffered,
      deliveredTotal: this.counters.delivered,
      replayedTotal: this.counters.replayed,
      droppedTotal: this.counters.dropped,
      rejectedTotal: this.counters.rejected,
    };
  }

  /**
   * Stops sending and closes the journal once its pending writes are done. A message in flight
   * gets up to `closeTimeoutMs` to be acknowledged, so that its delete record is written.
   */
  close(): Promise<void> {
    this.closing ??= this.performClose();
    return this.closing;
  }

  dispose(): void {
    void this.close();
  }

  private async performClose(): Promise<void> {
    this.closed = true;
    this.pause();
    if (this.sending) {
      const timeoutMs = this.options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
      const { clock } = this.options;
      await withDeadline(this.drainLoop, clock, timeoutMs, 'Outbox send').catch(() => {
        this.logger.warn('outbox closed with a message in flight, which will be sent again');
      });
    }
    await this.journal.close();
  }

  private assertAcceptable(message: OutboxMessage): void {
    if (this.closed) {
      const text = `Outbox is closed, so ${message.topic} was not queued`;
      throw new CodedError('outbox_closed', text, { details: { topic: message.topic } });
    }
    const bytes = messageBytes(message.topic, message.payload);
    const maxBytes = this.queue.bounds.maxBytes;
    if (bytes <= maxBytes) return;

    const text = `Message for ${message.topic} has ${bytes} bytes, more than the outbox maximum of ${maxBytes}`;
    throw new CodedError('message_too_large', text, {
      details: { topic: message.topic, bytes, maxBytes },
    });
  }

  private kick(): void {
    if (this.sending || !this.resumed || this.closed || this.retryTimer) return;
    this.drainLoop = this.drain();
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      for (;;) {
        const head = this.queue.head();
        if (!head || !this.resumed || this.closed) break;
        if (!(await this.sendHead(head))) break;
      }
    } finally {
      this.sending = false;
      this.settleDrainWaiters();
    }
  }

  /** Returns whether the sender may go on with the next message. */
  private async sendHead(head: QueuedMessage): Promise<boolean> {
    this.queue.inFlightId = head.id;
    try {
      await this.options.publish(head);
      this.retryDelayMs = RETRY_INITIAL_MS;
      this.counters.delivered += 1;
      if (head.waited) this.counters.replayed += 1;
      this.remove([head]);
      return true;
    } catch (error) {
      return this.handleSendFailure(head, error);
    } finally {
      this.queue.inFlightId = null;
    }
  }

  private handleSendFailure(head: QueuedMessage, error: unknown): boolean {
    const kind = classifyPublishFailure(error);
    switch (kind) {
      case 'offline':
        this.pause();
        return false;
      case 'rejected':
        this.logger.error(
          { err: error, topic: head.topic },
          'broker rejected an outbox message for good, so it was dropped',
        );
        this.counters.rejected += 1;
        this.remove([head]);
        return true;
      case 'transient': {
        const fields = { err: error, topic: head.topic, retryInMs: this.retryDelayMs };
        this.log.write('send_failed', 'warn', fields, 'outbox send failed, retrying');
        this.scheduleRetry();
        return false;
      }
      default:
        return assertNever(kind, 'publish failure kind');
    }
  }

  private scheduleRetry(): void {
    this.clearRetry();
    this.retryTimer = this.options.clock.setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, this.retryDelayMs);
    this.retryDelayMs = Math.min(RETRY_MAX_MS, this.retryDelayMs * 2);
  }

  private clearRetry(): void {
    if (!this.retryTimer) return;
    this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private dropOverflow(): void {
    const dropped = this.queue.takeOverflow();
    if (dropped.length === 0) return;
    this.counters.dropped += dropped.length;
    this.remove(dropped);
    const fields = { dropped: dropped.length, droppedTotal: this.counters.dropped };
    this.log.write(
      'overflow',
      'warn',
      fields,
      'outbox over its bounds, dropped the oldest messages',
    );
  }

  /** Deletes messages from the queue and the journal, and compacts once nothing is left. */
  private remove(messages: readonly QueuedMessage[]): void {
    this.queue.remove(messages);
    const records = messages.map((message) => ({ op: 'del' as const, id: message.id }));
    this.journal.appendUnsynced(records).catch((error: unknown) => {
      this.logger.error(
        { err: error },
        'outbox journal write failed, so delivered messages may be sent again',
      );
    });
    this.removedSinceCompaction += messages.length;
    this.compactIfWasteful();
    this.settleDrainWaiters();
  }

  /**
   * Rewrites the journal once everything is delivered and it reached `compactMinBytes`, or
   * earlier when it contains more deleted messages than live ones, as during a long outage with
   * overflow.
   */
  private compactIfWasteful(): void {
    if (this.closed) return;
    const minBytes = this.options.compactMinBytes ?? DEFAULT_COMPACT_MIN_BYTES;
    const wasteful = this.removedSinceCompaction > Math.max(COMPACT_MIN_REMOVED, this.queue.length);
    const delivered = this.queue.length === 0 && this.journal.sizeBytes >= minBytes;
    if (!delivered && !wasteful) return;

    this.removedSinceCompaction = 0;
    this.journal
      .rewrite(() => this.queue.all().map(toPutRecord))
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'outbox journal compaction failed');
      });
  }

  private settleDrainWaiters(): void {
    if (this.queue.length > 0) return;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }
}

function logJournalProblems(logger: Logger, folder: string, contents: JournalContents): void {
  if (contents.tornLastLine) {
    logger.warn({ folder }, 'outbox journal ended in a torn line, which was ignored');
  }
  if (contents.invalidLines > 0) {
    const fields = { folder, lines: contents.invalidLines };
    logger.error(fields, 'outbox journal had invalid lines, which were skipped');
  }
}
