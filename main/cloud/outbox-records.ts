import { z } from 'zod';

/** The journal's JSON-lines records: their schemas, and how a journal's text is replayed. */

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

export function formatRecord(record: JournalRecord): string {
  return `${JSON.stringify(record)}\n`;
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
