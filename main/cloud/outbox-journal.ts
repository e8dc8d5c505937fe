import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

import { writeFileAtomic } from '../support/atomic-file.js';
import type { Clock, TimerHandle } from '../support/clock.js';
import { formatRecord, parseJournal } from './outbox-records.js';
import type { JournalContents, JournalRecord, PutRecord } from './outbox-records.js';

/** File name of the journal inside the outbox folder. */
export const JOURNAL_FILE_NAME = 'outbox.jsonl';

interface PendingWrite {
  text: string;
  /** The write must reach the disk (fdatasync) before it resolves. */
  durable: boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface OutboxJournalOptions {
  clock: Clock;
  /** Maximum time in ms an unsynced append waits to share the write of a durable one. */
  unsyncedDelayMs: number;
}

/**
 * Append-only JSON-lines file of put and delete records. Durable appends that arrive together,
 * or while the previous write is still on its way, share one write and one fdatasync (group
 * commit). Unsynced appends wait up to `unsyncedDelayMs` to ride along with the next durable
 * write, and are otherwise written without an fdatasync. Appends and rewrites run one after
 * another in call order. Open rewrites the file with only the live records, so a torn last line
 * is never appended to.
 */
export class OutboxJournal {
  private pending: PendingWrite[] = [];
  private flushQueued = false;
  private unsyncedTimer: TimerHandle | null = null;
  private closed = false;
  private chain: Promise<void> = Promise.resolve();
  private bytes = 0;

  private constructor(
    private readonly path: string,
    private handle: FileHandle | null,
    private readonly options: OutboxJournalOptions,
  ) {}

  static async open(
    folder: string,
    options: OutboxJournalOptions,
  ): Promise<{ journal: OutboxJournal; contents: JournalContents }> {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const path = join(folder, JOURNAL_FILE_NAME);
    const contents = parseJournal(await readIfExists(path));
    const text = contents.live.map(formatRecord).join('');
    await writeFileAtomic(path, text);

    const journal = new OutboxJournal(path, await open(path, 'a', 0o600), options);
    journal.bytes = Buffer.byteLength(text);
    return { journal, contents };
  }

  /** Size of the file in bytes, counting appends still being written. */
  get sizeBytes(): number {
    return this.bytes;
  }

  /** Resolves once the records are written and flushed to disk with fdatasync. */
  append(records: readonly JournalRecord[]): Promise<void> {
    return this.enqueueWrite(records, true);
  }

  /**
   * Resolves once the records are written, within `unsyncedDelayMs`, but maybe not yet on disk.
   * For records whose loss in a crash is harmless, such as the delete of a delivered message,
   * which is then sent once more after the restart.
   */
  appendUnsynced(records: readonly JournalRecord[]): Promise<void> {
    return this.enqueueWrite(records, false);
  }

  /**
   * Replaces the file atomically with `live()`, which is read when the rewrite runs, after every
   * earlier durable append. `live()` must reflect every append made so far, so the unsynced ones
   * waiting when it is read are settled without being written. Appends made later go to the new
   * file.
   */
  rewrite(live: () => readonly PutRecord[]): Promise<void> {
    return this.runInOrder(async () => {
      const covered = this.pending.filter((write) => !write.durable);
      const text = live().map(formatRecord).join('');
      await this.handle?.close();
      this.handle = null;
      try {
        await writeFileAtomic(this.path, text);
        this.settle(covered);
        this.bytes = Buffer.byteLength(text) + this.pendingBytes();
      } finally {
        // The old file is intact when the rewrite failed, so appends go on there.
        this.handle = await open(this.path, 'a', 0o600);
      }
    });
  }

  /** Writes what is pending, unsynced appends too, and closes the file. Later appends reject. */
  close(): Promise<void> {
    this.closed = true;
    if (this.pending.length > 0) this.queueFlush();
    return this.runInOrder(async () => {
      await this.handle?.close();
      this.handle = null;
    });
  }

  private enqueueWrite(records: readonly JournalRecord[], durable: boolean): Promise<void> {
    const text = records.map(formatRecord).join('');
    this.bytes += Buffer.byteLength(text);
    return new Promise((resolve, reject) => {
      this.pending.push({ text, durable, resolve, reject });
      if (durable || this.closed) this.queueFlush();
      else this.armUnsyncedTimer();
    });
  }

  private armUnsyncedTimer(): void {
    if (this.unsyncedTimer || this.flushQueued) return;
    this.unsyncedTimer = this.options.clock.setTimeout(() => {
      this.unsyncedTimer = null;
      this.queueFlush();
    }, this.options.unsyncedDelayMs);
  }

  private queueFlush(): void {
    if (this.unsyncedTimer) this.options.clock.clearTimeout(this.unsyncedTimer);
    this.unsyncedTimer = null;
    if (this.flushQueued) return;
    this.flushQueued = true;
    void this.runInOrder(() => this.flushPending());
  }

  /** Resolves writes that a rewrite made redundant, which then are not written at all. */
  private settle(writes: readonly PendingWrite[]): void {
    if (writes.length === 0) return;
    const settled = new Set(writes);
    this.pending = this.pending.filter((write) => !settled.has(write));
    for (const write of writes) write.resolve();
    if (this.pending.some((write) => !write.durable)) return;
    if (this.unsyncedTimer) this.options.clock.clearTimeout(this.unsyncedTimer);
    this.unsyncedTimer = null;
  }

  private pendingBytes(): number {
    return this.pending.reduce((sum, write) => sum + Buffer.byteLength(write.text), 0);
  }

  /** Writes every pending append at once, and syncs when any of them is durable. */
  private async flushPending(): Promise<void> {
    this.flushQueued = false;
    const batch = this.pending.splice(0);
    if (batch.length === 0) return;
    try {
      if (!this.handle) throw new Error(`outbox journal ${this.path} is closed`);
      await this.handle.write(batch.map((write) => write.text).join(''));
      if (batch.some((write) => write.durable)) await this.handle.datasync();
      for (const write of batch) write.resolve();
    } catch (error) {
      for (const write of batch) write.reject(error);
    }
  }

  private runInOrder(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
