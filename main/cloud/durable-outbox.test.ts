import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../test/support/fake-clock.js';
import { CodedError } from '../support/coded-error.js';
import { silentLogger } from '../support/logger.js';
import { captureLogger, flushLogs } from './__testing__/capture-logger.js';
import { settle } from './__testing__/fake-token-source.js';
import {
  DurableOutbox,
  type DurableOutboxOptions,
  type OutboxPublish,
  type QueuedMessage,
} from './durable-outbox.js';
import { JOURNAL_FILE_NAME } from './outbox-journal.js';

let folder: string;
const outboxes: DurableOutbox[] = [];
const unsettledSends: PendingSend[][] = [];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'owl-outbox-'));
});

afterEach(async () => {
  for (const sends of unsettledSends.splice(0)) {
    for (const send of sends) send.fail(new CodedError('not_connected', 'Test finished'));
  }
  for (const outbox of outboxes.splice(0)) await outbox.close();
  await rm(folder, { recursive: true, force: true });
});

interface PendingSend {
  message: QueuedMessage;
  ack: () => void;
  fail: (error: Error) => void;
}

/** A publish function whose sends the test acknowledges or fails one by one. */
function manualPublish(): { publish: OutboxPublish; sends: PendingSend[] } {
  const sends: PendingSend[] = [];
  unsettledSends.push(sends);
  const publish: OutboxPublish = (message) =>
    new Promise((resolve, reject) => sends.push({ message, ack: resolve, fail: reject }));
  return { publish, sends };
}

/** A publish function that acknowledges at once and records the payloads. */
function recordingPublish(): { publish: OutboxPublish; payloads: string[] } {
  const payloads: string[] = [];
  const publish: OutboxPublish = (message) => {
    payloads.push(message.payload.toString());
    return Promise.resolve();
  };
  return { publish, payloads };
}

async function openOutbox(
  publish: OutboxPublish,
  overrides: Partial<DurableOutboxOptions> = {},
): Promise<DurableOutbox> {
  const outbox = await DurableOutbox.open({
    folder,
    publish,
    clock: new FakeClock(),
    logger: silentLogger,
    ...overrides,
  });
  outboxes.push(outbox);
  return outbox;
}

function event(index: number): { topic: string; payload: string; qos: 2 } {
  return { topic: 'owl/printers/device-1/events', payload: `event-${index}`, qos: 2 };
}

async function journalLines(): Promise<string[]> {
  const text = await readFile(join(folder, JOURNAL_FILE_NAME), 'utf8');
  return text.split('\n').filter((line) => line !== '');
}

function notConnected(): CodedError {
  return new CodedError('not_connected', 'Cannot publish: the MQTT connection is reconnecting');
}

describe('DurableOutbox', () => {
  describe('enqueue', () => {
    it('resolves once the message is in the journal', async () => {
      const { publish } = manualPublish();
      const outbox = await openOutbox(publish);
      outbox.resume();

      await outbox.enqueue(event(1));
      const lines = await journalLines();

      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? '')).toMatchObject({ op: 'put', id: 1, qos: 2 });
    });

    it('sends without waiting for the journal write', async () => {
      const { publish, sends } = manualPublish();
      const outbox = await openOutbox(publish);
      outbox.resume();

      const enqueued = outbox.enqueue(event(1));
      expect(sends.map((send) => send.message.payload.toString())).toEqual(['event-1']);
      await enqueued;
    });

    it('does not resend a message delivered during its journal write', async () => {
      const first = await openOutbox(recordingPublish().publish);
      first.resume();
      await first.enqueue(event(1));
      await first.drained();
      await first.close();

      const { publish, payloads } = recordingPublish();
      const second = await openOutbox(publish);
      second.resume();
      await second.drained();

      expect(payloads).toEqual([]);
    });

    it('sends nothing while paused', async () => {
      const { publish, sends } = manualPublish();
      const outbox = await openOutbox(publish);

      await outbox.enqueue(event(1));
      await settle();

      expect(sends).toHaveLength(0);
      expect(outbox.stats().pending).toBe(1);
    });

    it('rejects a message larger than the byte bound', async () => {
      const outbox = await openOutbox(recordingPublish().publish, { maxBytes: 40 });

      let error: CodedError | undefined;
      try {
        await outbox.enqueue({
          topic: 'owl/printers/device-1/events',
          payload: 'x'.repeat(20),
          qos: 2,
        });
      } catch (caught) {
        error = caught as CodedError;
      }

      expect(error?.code).toBe('message_too_large');
      expect(error?.message).toBe(
        'Message for owl/printers/device-1/events has 48 bytes, more than the outbox maximum of 40',
      );
    });

    it('rejects after close', async () => {
      const outbox = await openOutbox(recordingPublish().publish);
      await outbox.close();

      let error: CodedError | undefined;
      try {
        await outbox.enqueue(event(1));
      } catch (caught) {
        error = caught as CodedError;
      }

      expect(error?.code).toBe('outbox_closed');
      expect(error?.message).toBe(
        'Outbox is closed, so owl/printers/device-1/events was not queued',
      );
    });
  });

  describe('sending', () => {
    it('sends one message at a time in order', async () => {
      const { publish, sends } = manualPublish();
      const outbox = await openOutbox(publish);
      for (const index of [1, 2, 3]) await outbox.enqueue(event(index));

      outbox.resume();
      await settle();
      expect(sends).toHaveLength(1);
      sends[0]?.ack();
      await settle();
      expect(sends).toHaveLength(2);
      sends[1]?.ack();
      await settle();
      sends[2]?.ack();
      await outbox.drained();

      expect(sends.map((send) => send.message.payload.toString())).toEqual([
        'event-1',
        'event-2',
        'event-3',
      ]);
      expect(outbox.stats()).toMatchObject({ pending: 0, deliveredTotal: 3, replayedTotal: 3 });
    });

    it('keeps a message until the broker acknowledged it', async () => {
      const { publish, sends } = manualPublish();
      const outbox = await openOutbox(publish);
      outbox.resume();
      await outbox.enqueue(event(1));
      await settle();

      sends[0]?.fail(notConnected());
      await settle();

      expect(outbox.stats().pending).toBe(1);
      expect(sends).toHaveLength(1);
    });

    it('pauses on not_connected and sends again after resume', async () => {
      const { publish, sends } = manualPublish();
      const outbox = await openOutbox(publish);
      outbox.resume();
      await outbox.enqueue(event(1));
      await settle();
      sends[0]?.fail(notConnected());
      await outbox.enqueue(event(2));
      await settle();
      expect(sends).toHaveLength(1);

      outbox.resume();
      await settle();
      sends[1]?.ack();
      await settle();
      sends[2]?.ack();
      await outbox.drained();

      expect(sends.map((send) => send.message.payload.toString())).toEqual([
        'event-1',
        'event-1',
        'event-2',
      ]);
    });

    it('retries a transient failure after a backoff', async () => {
      const clock = new FakeClock();
      const { publish, sends } = manualPublish();
      const outbox = await openOutbox(publish, { clock });
      outbox.resume();
      await outbox.enqueue(event(1));
      await settle();

      const quota = new CodedError('publish_failed', 'Quota exceeded', {
        details: { reasonCode: 151 },
      });
      sends[0]?.fail(quota);
      await settle();
      clock.advance(999);
      await settle();
      expect(sends).toHaveLength(1);
      clock.advance(1);
      await settle();

      expect(sends).toHaveLength(2);
      expect(sends[1]?.message.payload.toString()).toBe('event-1');
    });

    it('drops a message rejected for good', async () => {
      const { publish, sends } = manualPublish();
      const outbox = await openOutbox(publish);
      outbox.resume();
      await outbox.enqueue(event(1));
      await outbox.enqueue(event(2));
      await settle();

      const notAuthorized = new CodedError('publish_failed', 'Not authorized', {
        details: { reasonCode: 135 },
      });
      sends[0]?.fail(notAuthorized);
      await settle();
      sends[1]?.ack();
      await outbox.drained();

      expect(sends.map((send) => send.message.payload.toString())).toEqual(['event-1', 'event-2']);
      expect(outbox.stats()).toMatchObject({ rejectedTotal: 1, deliveredTotal: 1 });
    });
  });

  describe('restart', () => {
    it('resumes undelivered messages in a new instance on the same folder', async () => {
      const first = await openOutbox(recordingPublish().publish);
      for (const index of [1, 2, 3]) await first.enqueue(event(index));
      await first.close();

      const { publish, payloads } = recordingPublish();
      const second = await openOutbox(publish);
      second.resume();
      await second.drained();

      expect(payloads).toEqual(['event-1', 'event-2', 'event-3']);
      expect(second.stats().replayedTotal).toBe(3);
    });

    it('does not resend acknowledged messages', async () => {
      const { publish: firstPublish, sends } = manualPublish();
      const first = await openOutbox(firstPublish);
      for (const index of [1, 2]) await first.enqueue(event(index));
      first.resume();
      await settle();
      sends[0]?.ack();
      await settle();
      sends[1]?.fail(notConnected());
      await settle();
      await first.close();

      const { publish, payloads } = recordingPublish();
      const second = await openOutbox(publish);
      second.resume();
      await second.drained();

      expect(payloads).toEqual(['event-2']);
    });

    it('lets close wait for the message in flight', async () => {
      const { publish: firstPublish, sends } = manualPublish();
      const first = await openOutbox(firstPublish);
      await first.enqueue(event(1));
      first.resume();
      await settle();

      const closed = first.close();
      sends[0]?.ack();
      await closed;
      const { publish, payloads } = recordingPublish();
      const second = await openOutbox(publish);
      second.resume();
      await settle();

      expect(payloads).toEqual([]);
      expect(second.stats().pending).toBe(0);
    });

    it('keeps MQTT properties and QoS across a restart', async () => {
      const first = await openOutbox(recordingPublish().publish);
      await first.enqueue({
        topic: 'owl/printers/device-1/acks/print%3Apause',
        payload: Buffer.from([0, 255, 10]),
        qos: 1,
        properties: { userProperties: { traceparent: '00-ab-cd-01' } },
      });
      await first.close();

      const { publish, sends } = manualPublish();
      const second = await openOutbox(publish);
      second.resume();
      await settle();

      expect(sends[0]?.message.payload).toEqual(Buffer.from([0, 255, 10]));
      expect(sends[0]?.message.qos).toBe(1);
      expect(sends[0]?.message.properties).toEqual({
        userProperties: { traceparent: '00-ab-cd-01' },
      });
    });

    it('ignores a torn last line and logs it', async () => {
      const first = await openOutbox(recordingPublish().publish);
      for (const index of [1, 2]) await first.enqueue(event(index));
      await first.close();
      const path = join(folder, JOURNAL_FILE_NAME);
      await writeFile(path, `${await readFile(path, 'utf8')}{"op":"put","id":3,"top`);
      const { logger, entries } = captureLogger();

      const { publish, payloads } = recordingPublish();
      const second = await openOutbox(publish, { logger });
      second.resume();
      await second.drained();
      await flushLogs();

      expect(payloads).toEqual(['event-1', 'event-2']);
      expect(entries.map((entry) => entry.msg)).toContain(
        'outbox journal ended in a torn line, which was ignored',
      );
      const records = (await journalLines()).map((line) => JSON.parse(line) as { id: number });
      expect(records.map((record) => record.id)).not.toContain(3);
    });

    it('skips invalid lines in the middle and logs their count', async () => {
      const valid = '{"op":"put","id":1,"topic":"t","payload":"YQ==","qos":2,"enqueuedAt":0}';
      await writeFile(join(folder, JOURNAL_FILE_NAME), `not json\n${valid}\n{"op":"nope"}\n`);
      const { logger, entries } = captureLogger();

      const { publish, payloads } = recordingPublish();
      const outbox = await openOutbox(publish, { logger });
      outbox.resume();
      await outbox.drained();
      await flushLogs();

      expect(payloads).toEqual(['a']);
      const entry = entries.find(
        (line) => line.msg === 'outbox journal had invalid lines, which were skipped',
      );
      expect(entry?.['lines']).toBe(2);
    });
  });

  describe('bounds', () => {
    it('drops the oldest messages beyond maxMessages and logs the count', async () => {
      const { logger, entries } = captureLogger();
      const { publish, payloads } = recordingPublish();
      const outbox = await openOutbox(publish, { maxMessages: 3, logger });

      for (const index of [1, 2, 3, 4, 5]) await outbox.enqueue(event(index));
      outbox.resume();
      await outbox.drained();
      await flushLogs();

      expect(payloads).toEqual(['event-3', 'event-4', 'event-5']);
      expect(outbox.stats().droppedTotal).toBe(2);
      const warnings = entries.filter(
        (entry) => entry.msg === 'outbox over its bounds, dropped the oldest messages',
      );
      expect(warnings.map((entry) => entry['droppedTotal'])).toEqual([1, 2]);
    });

    it('drops by bytes but never the message in flight', async () => {
      const { publish, sends } = manualPublish();
      // Each event is 28 topic bytes plus 7 payload bytes.
      const outbox = await openOutbox(publish, { maxBytes: 70 });
      outbox.resume();
      await outbox.enqueue(event(1));
      await settle();

      await outbox.enqueue(event(2));
      await outbox.enqueue(event(3));
      sends[0]?.ack();
      await settle();
      sends[1]?.ack();
      await outbox.drained();

      expect(sends.map((send) => send.message.payload.toString())).toEqual(['event-1', 'event-3']);
      expect(outbox.stats().droppedTotal).toBe(1);
    });
  });

  describe('compaction', () => {
    it('rewrites the journal empty once everything is delivered', async () => {
      const { publish } = recordingPublish();
      const outbox = await openOutbox(publish, { compactMinBytes: 0 });
      for (const index of [1, 2]) await outbox.enqueue(event(index));

      outbox.resume();
      await outbox.drained();
      await outbox.close();

      expect(await journalLines()).toEqual([]);
    });

    it('compacts when deleted messages outnumber live ones', async () => {
      const outbox = await openOutbox(recordingPublish().publish, { maxMessages: 100 });
      for (let index = 1; index <= 1_500; index += 1) await outbox.enqueue(event(index));
      await outbox.close();

      const lines = await journalLines();
      const reopened = await openOutbox(recordingPublish().publish);

      expect(lines.length).toBeLessThan(1_000);
      expect(reopened.stats().pending).toBe(100);
    });

    it('writes a delete record with the next message', async () => {
      const outbox = await openOutbox(recordingPublish().publish);
      outbox.resume();
      await outbox.enqueue(event(1));
      await outbox.drained();
      expect(await journalLines()).toHaveLength(1);

      await outbox.enqueue(event(2));

      const ops = (await journalLines()).map((line) => (JSON.parse(line) as { op: string }).op);
      expect(ops).toEqual(['put', 'del', 'put']);
    });

    it('sends a message again when a crash lost its delete record', async () => {
      const first = await openOutbox(recordingPublish().publish);
      first.resume();
      await first.enqueue(event(1));
      await first.drained();

      const { publish, payloads } = recordingPublish();
      const second = await openOutbox(publish);
      second.resume();
      await second.drained();

      expect(payloads).toEqual(['event-1']);
    });

    it('keeps delete records below the compaction size', async () => {
      const { publish } = recordingPublish();
      const outbox = await openOutbox(publish);
      await outbox.enqueue(event(1));

      outbox.resume();
      await outbox.drained();
      await outbox.close();

      const ops = (await journalLines()).map((line) => (JSON.parse(line) as { op: string }).op);
      expect(ops).toEqual(['put', 'del']);
    });
  });
});
