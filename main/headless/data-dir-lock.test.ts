import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DataDirLock, LOCK_FILE_NAME, processIsAlive } from './data-dir-lock.js';

let folder: string;
const locks: DataDirLock[] = [];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'owl-lock-'));
});

afterEach(async () => {
  for (const lock of locks.splice(0)) await lock.release();
  await rm(folder, { recursive: true, force: true });
});

async function acquire(pid: number, alive: readonly number[] = []): Promise<DataDirLock> {
  const lock = await DataDirLock.acquire(folder, {
    pid,
    isAlive: (owner) => alive.includes(owner),
  });
  locks.push(lock);
  return lock;
}

function lockPath(): string {
  return join(folder, LOCK_FILE_NAME);
}

describe('DataDirLock', () => {
  describe('acquire', () => {
    it('writes its pid into the lock file', async () => {
      await acquire(4242);

      expect(await readFile(lockPath(), 'utf8')).toBe('4242\n');
    });

    it('rejects a second process while the first runs', async () => {
      await acquire(4242);

      const second = acquire(5151, [4242]);

      await expect(second).rejects.toMatchObject({
        code: 'data_dir_locked',
        message:
          `Another moonraker-owl is already using ${folder} (pid 4242). Stop it first, or ` +
          `pass another data folder; if no such process runs, delete ${lockPath()}.`,
        details: { pid: 4242, dataDir: folder },
      });
    });

    it('rejects a second lock in the same process', async () => {
      await acquire(4242);

      await expect(acquire(4242, [4242])).rejects.toMatchObject({ code: 'data_dir_locked' });
    });

    it('takes over the lock of a process that exited', async () => {
      await writeFile(lockPath(), '4242\n');

      await acquire(5151, []);

      expect(await readFile(lockPath(), 'utf8')).toBe('5151\n');
    });

    it('takes over a lock left with its own pid', async () => {
      await writeFile(lockPath(), '1\n');

      await acquire(1, [1]);

      expect(await readFile(lockPath(), 'utf8')).toBe('1\n');
    });

    it('takes over a lock without a pid', async () => {
      await writeFile(lockPath(), 'garbage');

      await acquire(5151, []);

      expect(await readFile(lockPath(), 'utf8')).toBe('5151\n');
    });

    it('creates a missing data folder', async () => {
      const nested = join(folder, 'a', 'b');

      const lock = await DataDirLock.acquire(nested, { pid: 4242, isAlive: () => false });
      locks.push(lock);

      expect(await readFile(join(nested, LOCK_FILE_NAME), 'utf8')).toBe('4242\n');
    });
  });

  describe('release', () => {
    it('removes the lock so the next process gets it', async () => {
      const first = await acquire(4242);

      await first.release();
      await first.release();

      await expect(acquire(5151, [4242])).resolves.toBeInstanceOf(DataDirLock);
    });

    it('leaves a lock that another process took over', async () => {
      const first = await acquire(4242);
      await writeFile(lockPath(), '5151\n');

      await first.release();

      expect(await readFile(lockPath(), 'utf8')).toBe('5151\n');
    });
  });
});

describe('processIsAlive', () => {
  it('finds this process', () => {
    expect(processIsAlive(process.pid)).toBe(true);
  });

  it('finds no process for an unused pid', () => {
    expect(processIsAlive(2 ** 22 + 12_345)).toBe(false);
  });
});
