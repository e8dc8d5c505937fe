import { readFile, rename } from 'node:fs/promises';

import { z } from 'zod';

import { ACK_STAGES, ACK_STATUSES, ackReasonSchema } from '../../shared/contract/commands.js';
import type { AckReason, AckStage, AckStatus } from '../../shared/contract/commands.js';
import { writeFileAtomic } from '../support/atomic-file.js';
import type { Clock } from '../support/clock.js';
import { errorMessage } from '../support/coded-error.js';
import type { Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';

/**
 * The execution-stage acks of recent commands, kept on disk so that a cloud retry of a command
 * that already ran is replayed from the record instead of being run again, even after a restart.
 */

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const IDEMPOTENCY_MAX_ENTRIES = 10_000;

export interface IdempotencyRecord {
  status: AckStatus;
  stage: AckStage;
  reason?: AckReason;
  result?: Record<string, unknown>;
  /** Wall-clock epoch milliseconds, because records outlive the process. */
  recordedAt: number;
}

const recordSchema = z.object({
  commandId: z.string().min(1),
  status: z.enum(ACK_STATUSES),
  stage: z.enum(ACK_STAGES),
  reason: ackReasonSchema.optional(),
  result: z.record(z.string(), z.unknown()).optional(),
  recordedAt: z.number(),
});

const FILE_VERSION = 1;
const fileSchema = z.object({ version: z.literal(FILE_VERSION), records: z.array(recordSchema) });

export interface IdempotencyStoreOptions {
  path: string;
  clock: Clock;
  logger: Logger;
  ttlMs?: number;
  maxEntries?: number;
  writeFile?: (path: string, data: string) => Promise<void>;
}

export class IdempotencyStore implements Disposable {
  private readonly records = new Map<string, IdempotencyRecord>();
  private readonly logger: Logger;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly writeFile: (path: string, data: string) => Promise<void>;
  private dirty = false;
  private writing = false;
  private idle: Promise<void> = Promise.resolve();
  private disposed = false;

  private constructor(private readonly options: IdempotencyStoreOptions) {
    this.logger = options.logger.child({ component: 'idempotency-store' });
    this.ttlMs = options.ttlMs ?? IDEMPOTENCY_TTL_MS;
    this.maxEntries = options.maxEntries ?? IDEMPOTENCY_MAX_ENTRIES;
    this.writeFile = options.writeFile ?? ((path, data) => writeFileAtomic(path, data));
  }

  /** Opens the store and loads its file. A missing or corrupt file yields an empty store. */
  static async open(options: IdempotencyStoreOptions): Promise<IdempotencyStore> {
    const store = new IdempotencyStore(options);
    await store.load();
    return store;
  }

  get size(): number {
    return this.records.size;
  }

  /** Returns the record of a command, unless there is none or it has expired. */
  get(commandId: string): IdempotencyRecord | undefined {
    const record = this.records.get(commandId);
    if (!record) return undefined;
    if (this.isExpired(record)) {
      this.records.delete(commandId);
      return undefined;
    }
    return record;
  }

  /** Stores the ack of a command, evicting the oldest records over the limit, and saves the file. */
  record(commandId: string, ack: Omit<IdempotencyRecord, 'recordedAt'>): void {
    if (this.disposed) {
      this.logger.warn({ commandId }, 'Ack not recorded because the store is disposed');
      return;
    }
    this.records.delete(commandId);
    this.records.set(commandId, { ...ack, recordedAt: this.options.clock.now() });
    this.evictOverflow();
    this.scheduleWrite();
  }

  /** Resolves once every record made so far is on disk, or its write has failed and been logged. */
  flush(): Promise<void> {
    return this.idle;
  }

  /** Stops taking records. Writes already scheduled still run; await `flush()` to wait for them. */
  dispose(): void {
    this.disposed = true;
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.options.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.logger.error(
        { path: this.options.path, err: errorMessage(error) },
        'Reading the idempotency file failed; starting empty',
      );
      return;
    }
    const parsed = parseFile(text);
    if (!parsed) {
      await this.setCorruptFileAside();
      return;
    }
    const live = parsed.filter((entry) => !this.isExpired(entry));
    live.sort((a, b) => a.recordedAt - b.recordedAt);
    for (const { commandId, ...record } of live) this.records.set(commandId, record);
    this.evictOverflow();
    this.logger.debug({ records: this.records.size }, 'Loaded idempotency records');
  }

  private async setCorruptFileAside(): Promise<void> {
    const backup = `${this.options.path}.corrupt-${this.options.clock.now()}`;
    this.logger.warn(
      { path: this.options.path, backup },
      'Idempotency file is corrupt; starting empty',
    );
    try {
      await rename(this.options.path, backup);
    } catch (error) {
      this.logger.error(
        { backup, err: errorMessage(error) },
        'Moving the corrupt idempotency file aside failed',
      );
    }
  }

  private isExpired(record: IdempotencyRecord): boolean {
    return this.options.clock.now() - record.recordedAt >= this.ttlMs;
  }

  private evictOverflow(): void {
    for (const commandId of this.records.keys()) {
      if (this.records.size <= this.maxEntries) return;
      this.records.delete(commandId);
    }
  }

  /** Writes run one at a time; records made during a write are saved by one more write after it. */
  private scheduleWrite(): void {
    this.dirty = true;
    if (this.writing) return;
    this.writing = true;
    this.idle = this.drainWrites();
  }

  private async drainWrites(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      await this.writeSnapshot();
    }
    this.writing = false;
  }

  private async writeSnapshot(): Promise<void> {
    const records = [...this.records]
      .filter(([, record]) => !this.isExpired(record))
      .map(([commandId, record]) => ({ commandId, ...record }));
    try {
      await this.writeFile(this.options.path, JSON.stringify({ version: FILE_VERSION, records }));
    } catch (error) {
      // The next record writes the whole set again, so nothing stays lost once a write succeeds.
      this.logger.error(
        { path: this.options.path, err: errorMessage(error) },
        'Saving idempotency records failed',
      );
    }
  }
}

function parseFile(text: string): z.infer<typeof recordSchema>[] | null {
  try {
    const parsed = fileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.records : null;
  } catch {
    return null;
  }
}
