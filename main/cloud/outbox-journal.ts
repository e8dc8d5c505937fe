import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

import { z } from 'zod';

import { writeFileAtomic } from '../support/atomic-file.js';

/** File name of the journal inside the outbox folder. */
export const JOURNAL_FILE_NAME = 'outbox.jsonl';

/** MQTT 5 PUBLISH properties that survive a JSON round trip, which is all the outbox keeps. */
export const outboxPropertiesSchema = z.object({
  contentType: z.string().optional(),
  messageExpiryInterval: z.number().int().nonnegative().optional(),
  payloadFormatIndicator: z.boolean().optional(),
  responseTopic: z.string().optional(),
  userProperties: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
});
export type OutboxProperties = z.infer<typeof outboxPropertiesSchema>;

const putRecordSchema = z.object({
  op: z.literal('put'),
  id: z.number().int().positive(),
  topic: z.string().min(1),
  /** Base64 of the payload bytes. */
  payload: z.string(),
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  properties: outboxPropertiesSchema.optional(),
  enqueuedAt: z.number(),
});
const deleteRecordSchema = z.object({ op: z.literal('del'), id: z.number().int().positive() });
const journalRecordSchema = z.discriminatedUnion('op', [putRecordSchema, deleteRecordSchema]);

export type PutRecord = z.infer<typeof putRecordSchema>;
export type JournalRecord = z.infer<typeof journalRecordSchema>;

export interface JournalContents {
  /** Messages put and not deleted, in id order. */
  live: PutRecord[];
  /** The last line had no newline and did not parse: a write cut short by a crash. */
  tornLastLine: boolean;
  /** Lines before the last one that did not parse or did not match the schema. */
  invalidLines: number;
}

interface PendingWrite {
  text: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Append-only JSON-lines file of put and delete records. Appends that arrive together share one
 * write and one fsync. Appends and rewrites run one after another in call order. Open rewrites
 * the file with only the live records, so a torn last line is never appended to.
 */
export class OutboxJournal {
  private pending: PendingWrite[] = [];
  private flushQueued = false;
  private chain: Promise<void> = Promise.resolve();
  private bytes = 0;

  private constructor(
    private readonly path: string,
    private handle: FileHandle | null,
  ) {}

  static async open(
    folder: string,
  ): Promise<{ journal: OutboxJournal; contents: JournalContents }> {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const path = join(folder, JOURNAL_FILE_NAME);
    const contents = parseJournal(await readIfExists(path));
    const text = contents.live.map(formatRecord).join('');
    await writeFileAtomic(path, text);

    const journal = new OutboxJournal(path, await open(path, 'a', 0o600));
    journal.bytes = Buffer.byteLength(text);
    return { journal, contents };
  }

  /** Size of the file in bytes, counting appends still being written. */
  get sizeBytes(): number {
    return this.bytes;
  }

  /** Resolves once the records are written and flushed to disk with fdatasync. */
  append(records: readonly JournalRecord[]): Promise<void> {
    const text = records.map(formatRecord).join('');
    this.bytes += Buffer.byteLength(text);
    return new Promise((resolve, reject) => {
      this.pending.push({ text, resolve, reject });
      if (this.flushQueued) return;
      this.flushQueued = true;
      void this.runInOrder(() => this.flushPending());
    });
  }

  /**
   * Replaces the file atomically with `live()`, which is read when the rewrite runs, after every
   * earlier append. Appends made later go to the new file.
   */
  rewrite(live: () => readonly PutRecord[]): Promise<void> {
    return this.runInOrder(async () => {
      const text = live().map(formatRecord).join('');
      await this.handle?.close();
      this.handle = null;
      try {
        await writeFileAtomic(this.path, text);
        this.bytes = Buffer.byteLength(text) + this.pendingBytes();
      } finally {
        // The old file is intact when the rewrite failed, so appends go on there.
        this.handle = await open(this.path, 'a', 0o600);
      }
    });
  }

  /** Writes what is pending and closes the file. Later appends reject. */
  close(): Promise<void> {
    return this.runInOrder(async () => {
      await this.handle?.close();
      this.handle = null;
    });
  }

  private pendingBytes(): number {
    return this.pending.reduce((sum, write) => sum + Buffer.byteLength(write.text), 0);
  }

  private async flushPending(): Promise<void> {
    this.flushQueued = false;
    const batch = this.pending.splice(0);
    try {
      if (!this.handle) throw new Error(`outbox journal ${this.path} is closed`);
      await this.handle.write(batch.map((write) => write.text).join(''));
      await this.handle.datasync();
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

function formatRecord(record: JournalRecord): string {
  return `${JSON.stringify(record)}\n`;
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/**
 * Replays the records. A put for an id already seen and a delete of an unknown id are ignored,
 * because a rewrite may copy a record that a pending append then writes again.
 */
export function parseJournal(text: string): JournalContents {
  const lines = text.split('\n');
  const endsWithNewline = lines.at(-1) === '';
  if (endsWithNewline) lines.pop();

  const live = new Map<number, PutRecord>();
  const deleted = new Set<number>();
  let invalidLines = 0;
  let tornLastLine = false;
  lines.forEach((line, index) => {
    const record = parseLine(line);
    if (record === null) {
      const isLast = index === lines.length - 1;
      if (isLast && !endsWithNewline) tornLastLine = true;
      else if (line.trim() !== '') invalidLines += 1;
      return;
    }
    applyRecord(record, live, deleted);
  });
  const sorted = [...live.values()].sort((a, b) => a.id - b.id);
  return { live: sorted, tornLastLine, invalidLines };
}

function parseLine(line: string): JournalRecord | null {
  try {
    const parsed = journalRecordSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function applyRecord(
  record: JournalRecord,
  live: Map<number, PutRecord>,
  deleted: Set<number>,
): void {
  if (record.op === 'del') {
    live.delete(record.id);
    deleted.add(record.id);
    return;
  }
  if (!live.has(record.id) && !deleted.has(record.id)) live.set(record.id, record);
}
