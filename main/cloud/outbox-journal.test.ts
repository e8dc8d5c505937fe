import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { FakeClock } from '../../test/support/fake-clock.js';
import { JOURNAL_FILE_NAME, OutboxJournal } from './outbox-journal.js';
import type { PutRecord } from './outbox-records.js';

const DELAY_MS = 1_000;

let folder: string;
let clock: FakeClock;
const journals: OutboxJournal[] = [];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'owl-journal-'));
  clock = new FakeClock();
});

afterEach(async () => {
  for (const journal of journals.splice(0)) await journal.close();
  vi.restoreAllMocks();
  await rm(folder, { recursive: true, force: true });
});

async function openJournal(): Promise<OutboxJournal> {
  const { journal } = await OutboxJournal.open(folder, { clock, unsyncedDelayMs: DELAY_MS });
  journals.push(journal);
  return journal;
}

function put(id: number): PutRecord {
  return {
    op: 'put',
    id,
    topic: 'owl/printers/device-1/events',
    payload: '',
    qos: 2,
    enqueuedAt: 0,
  };
}

async function journalOps(): Promise<string[]> {
  const text = await readFile(join(folder, JOURNAL_FILE_NAME), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const record = JSON.parse(line) as { op: string; id: number };
      return `${record.op} ${record.id}`;
    });
}

/** Counts fdatasync calls on every file handle from now on. */
async function countDatasyncs() {
  const probe = await open(join(folder, 'probe'), 'w');
  const prototype = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
  await probe.close();
  return vi.spyOn(prototype, 'datasync');
}

describe('OutboxJournal', () => {
  describe('appendUnsynced', () => {
    it('writes the records once the delay has passed', async () => {
      const journal = await openJournal();
      await journal.append([put(1)]);
      const written = journal.appendUnsynced([{ op: 'del', id: 1 }]);
      expect(await journalOps()).toEqual(['put 1']);

      clock.advance(DELAY_MS);
      await written;

      expect(await journalOps()).toEqual(['put 1', 'del 1']);
    });

    it('shares the write of the next durable append', async () => {
      const journal = await openJournal();
      await journal.append([put(1)]);
      const deleted = journal.appendUnsynced([{ op: 'del', id: 1 }]);
      await journal.append([put(2)]);
      await deleted;

      expect(await journalOps()).toEqual(['put 1', 'del 1', 'put 2']);
      expect(clock.pendingTimers).toBe(0);
    });

    it('does not sync a write of unsynced records only', async () => {
      const journal = await openJournal();
      const datasync = await countDatasyncs();
      const written = journal.appendUnsynced([{ op: 'del', id: 1 }]);
      clock.advance(DELAY_MS);
      await written;
      expect(datasync).not.toHaveBeenCalled();

      await journal.append([put(2)]);
      expect(datasync).toHaveBeenCalledTimes(1);
    });

    it('writes waiting records on close', async () => {
      const journal = await openJournal();
      await journal.append([put(1)]);
      const written = journal.appendUnsynced([{ op: 'del', id: 1 }]);
      await journal.close();
      await written;

      expect(await journalOps()).toEqual(['put 1', 'del 1']);
      expect(clock.pendingTimers).toBe(0);
    });
  });

  describe('rewrite', () => {
    it('settles the unsynced records that the live records cover', async () => {
      const journal = await openJournal();
      await journal.append([put(1), put(2)]);
      const deleted = journal.appendUnsynced([{ op: 'del', id: 1 }]);
      await journal.rewrite(() => [put(2)]);
      await deleted;

      expect(await journalOps()).toEqual(['put 2']);
      expect(clock.pendingTimers).toBe(0);
    });

    it('keeps unsynced records appended after the live records were read', async () => {
      const journal = await openJournal();
      await journal.append([put(1), put(2)]);
      let later: Promise<void> = Promise.resolve();
      await journal.rewrite(() => {
        later = journal.appendUnsynced([{ op: 'del', id: 2 }]);
        return [put(2)];
      });
      await journal.close();
      await later;

      expect(await journalOps()).toEqual(['put 2', 'del 2']);
    });
  });
});
