import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../test/support/fake-clock.js';
import { silentLogger } from '../support/logger.js';
import type { Logger } from '../support/logger.js';
import { IDEMPOTENCY_TTL_MS, IdempotencyStore } from './idempotency-store.js';
import type { IdempotencyStoreOptions } from './idempotency-store.js';

const COMPLETED = { status: 'completed', stage: 'execution' } as const;

function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = {
    write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>),
  };
  return { logger: pino({ level: 'debug' }, destination), lines };
}

describe('IdempotencyStore', () => {
  let folder: string;
  let path: string;
  let clock: FakeClock;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'idempotency-'));
    path = join(folder, 'idempotency.json');
    clock = new FakeClock();
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  function open(extra: Partial<IdempotencyStoreOptions> = {}): Promise<IdempotencyStore> {
    return IdempotencyStore.open({ path, clock, logger: silentLogger, ...extra });
  }

  describe('open', () => {
    it('starts empty without a file', async () => {
      const store = await open();
      expect(store.size).toBe(0);
    });

    it('loads the records another instance saved', async () => {
      const first = await open();
      first.record('c1', { ...COMPLETED, result: { heater: 'extruder', target: 200 } });
      first.record('c2', {
        status: 'failed',
        stage: 'execution',
        reason: { code: 'gcode_error', message: 'm' },
      });
      await first.flush();

      const second = await open();
      expect(second.get('c1')).toEqual({
        ...COMPLETED,
        result: { heater: 'extruder', target: 200 },
        recordedAt: clock.now(),
      });
      expect(second.get('c2')).toMatchObject({
        status: 'failed',
        reason: { code: 'gcode_error', message: 'm' },
      });
    });

    it('drops records that expired while it was closed', async () => {
      const first = await open();
      first.record('old', COMPLETED);
      clock.advance(IDEMPOTENCY_TTL_MS / 2);
      first.record('new', COMPLETED);
      await first.flush();

      clock.advance(IDEMPOTENCY_TTL_MS / 2);
      const second = await open();
      expect(second.get('old')).toBeUndefined();
      expect(second.get('new')).toBeDefined();
      expect(second.size).toBe(1);
    });

    it('moves a corrupt file aside and starts empty', async () => {
      await writeFile(path, '{"version": 1, "records": [ truncated');
      const { logger, lines } = capturingLogger();

      const store = await open({ logger });

      expect(store.size).toBe(0);
      const files = await readdir(folder);
      expect(files).toEqual([`idempotency.json.corrupt-${clock.now()}`]);
      const backup = await readFile(join(folder, files[0] ?? ''), 'utf8');
      expect(backup).toBe('{"version": 1, "records": [ truncated');
      expect(lines.some((line) => line.msg === 'Idempotency file is corrupt; starting empty')).toBe(
        true,
      );
    });

    it('treats a file of the wrong shape as corrupt', async () => {
      await writeFile(
        path,
        JSON.stringify({ version: 1, records: [{ commandId: 'c1', status: 'done' }] }),
      );
      const store = await open();
      expect(store.size).toBe(0);
      expect(await readdir(folder)).toHaveLength(1);
    });

    it('keeps working after a corrupt file', async () => {
      await writeFile(path, 'not json');
      const store = await open();
      store.record('c1', COMPLETED);
      await store.flush();
      expect((await open()).get('c1')).toBeDefined();
    });
  });

  describe('get', () => {
    it('returns nothing for an unknown id', async () => {
      expect((await open()).get('nope')).toBeUndefined();
    });

    it('forgets a record after 24 hours', async () => {
      const store = await open();
      store.record('c1', COMPLETED);
      clock.advance(IDEMPOTENCY_TTL_MS - 1);
      expect(store.get('c1')).toBeDefined();
      clock.advance(1);
      expect(store.get('c1')).toBeUndefined();
    });
  });

  describe('record', () => {
    it('evicts the oldest records over the limit', async () => {
      const store = await open({ maxEntries: 3 });
      for (const id of ['c1', 'c2', 'c3', 'c4']) store.record(id, COMPLETED);

      expect(store.size).toBe(3);
      expect(store.get('c1')).toBeUndefined();
      expect(store.get('c4')).toBeDefined();
    });

    it('caps loaded records at the limit, oldest out', async () => {
      const first = await open();
      for (const id of ['c1', 'c2', 'c3']) {
        first.record(id, COMPLETED);
        clock.advance(1000);
      }
      await first.flush();

      const second = await open({ maxEntries: 2 });
      expect(second.get('c1')).toBeUndefined();
      expect(second.get('c2')).toBeDefined();
      expect(second.get('c3')).toBeDefined();
    });

    it('writes one file at a time and saves the latest records last', async () => {
      const writes: string[] = [];
      let active = 0;
      let maxActive = 0;
      const releases: (() => void)[] = [];
      const writeFileSpy = async (_path: string, data: string): Promise<void> => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((resolve) => releases.push(resolve));
        writes.push(data);
        active -= 1;
      };
      const store = await open({ writeFile: writeFileSpy });

      store.record('c1', COMPLETED);
      store.record('c2', COMPLETED);
      store.record('c3', COMPLETED);
      const flushed = store.flush();
      while (releases.length > 0 || active > 0) {
        releases.shift()?.();
        await new Promise((resolve) => setImmediate(resolve));
      }
      await flushed;

      expect(maxActive).toBe(1);
      expect(writes).toHaveLength(2);
      const last = JSON.parse(writes.at(-1) ?? '{}') as { records: { commandId: string }[] };
      expect(last.records.map((record) => record.commandId)).toEqual(['c1', 'c2', 'c3']);
    });

    it('logs a failed write and saves everything with the next one', async () => {
      const { logger, lines } = capturingLogger();
      let fail = true;
      const saved: string[] = [];
      const store = await open({
        logger,
        writeFile: (_path, data) => {
          if (fail) return Promise.reject(new Error('disk full'));
          saved.push(data);
          return Promise.resolve();
        },
      });

      store.record('c1', COMPLETED);
      await store.flush();
      fail = false;
      store.record('c2', COMPLETED);
      await store.flush();

      expect(
        lines.some(
          (line) => line.msg === 'Saving idempotency records failed' && line.err === 'disk full',
        ),
      ).toBe(true);
      const records = (JSON.parse(saved[0] ?? '{}') as { records: { commandId: string }[] })
        .records;
      expect(records.map((record) => record.commandId)).toEqual(['c1', 'c2']);
    });

    it('loses no record made before dispose', async () => {
      const store = await open();
      store.record('c1', COMPLETED);
      store.dispose();
      store.record('late', COMPLETED);
      await store.flush();

      const reopened = await open();
      expect(reopened.get('c1')).toBeDefined();
      expect(reopened.get('late')).toBeUndefined();
    });

    it('writes the file with owner-only permissions', async () => {
      const store = await open();
      store.record('c1', COMPLETED);
      await store.flush();
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    });
  });
});
