import { unlinkSync } from 'node:fs';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { CodedError, errorMessage } from '../support/coded-error.js';
import type { Disposable } from '../support/disposable.js';

/** The lock file in the data folder; it contains the pid of the process that holds it. */
export const LOCK_FILE_NAME = 'moonraker-owl.lock';

export interface DataDirLockOptions {
  /** This process's id; `process.pid` by default. */
  pid?: number;
  /** Tells whether a process runs; a signal-0 `process.kill` by default. */
  isAlive?: (pid: number) => boolean;
}

/** Attempts at taking the lock: a stale lock is removed and the next attempt takes it. */
const MAX_ATTEMPTS = 3;

/** Locks held in this process as `pid:path`, so a second lock in the same process fails too. */
const heldInProcess = new Set<string>();

/**
 * Ownership of a data folder by one moonraker-owl process, so that two services never write the
 * same settings, secrets and outboxes. The lock is a file with the owner's pid. A lock whose
 * process no longer runs is stale and is taken over.
 */
export class DataDirLock implements Disposable {
  private released = false;
  private readonly onExit = (): void => this.releaseSync();

  private constructor(
    readonly path: string,
    private readonly pid: number,
  ) {
    process.once('exit', this.onExit);
  }

  /**
   * Creates the folder when needed and takes its lock. Throws `data_dir_locked` naming the
   * folder and the owner's pid while another running process has it.
   */
  static async acquire(dataDir: string, options: DataDirLockOptions = {}): Promise<DataDirLock> {
    const pid = options.pid ?? process.pid;
    const isAlive = options.isAlive ?? processIsAlive;
    const path = join(dataDir, LOCK_FILE_NAME);
    if (heldInProcess.has(`${pid}:${path}`)) throw lockedError(dataDir, path, pid);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });

    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      if (await tryCreate(path, pid)) {
        heldInProcess.add(`${pid}:${path}`);
        return new DataDirLock(path, pid);
      }
      const owner = await readOwner(path);
      // A lock with this process's own pid was left by an earlier run that had the same pid,
      // as the first process of a container always has, since this process holds no lock.
      if (owner !== undefined && owner !== pid && isAlive(owner)) {
        throw lockedError(dataDir, path, owner);
      }
      // NOTE: two processes that find the same stale lock at once may both remove it, so the
      // later removal can delete the lock the earlier one has just taken.
      await unlink(path).catch(ignoreMissing);
    }
    throw new CodedError('data_dir_lock_failed', `Could not take the lock ${path}; try again`);
  }

  /** Removes the lock file if it still names this process. Idempotent. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    heldInProcess.delete(`${this.pid}:${this.path}`);
    process.off('exit', this.onExit);
    if ((await readOwner(this.path)) === this.pid) await unlink(this.path).catch(ignoreMissing);
  }

  dispose(): void {
    void this.release();
  }

  /** Removes the lock as the process exits, when only synchronous work still runs. */
  private releaseSync(): void {
    if (this.released) return;
    this.released = true;
    heldInProcess.delete(`${this.pid}:${this.path}`);
    try {
      unlinkSync(this.path);
    } catch {
      // The file is gone already, or the folder was removed.
    }
  }
}

/**
 * Creates the lock with its content in one step: the pid goes into a file of this process, which
 * is then hard-linked as the lock. Linking fails when the lock exists, so no reader ever sees an
 * empty lock.
 */
async function tryCreate(path: string, pid: number): Promise<boolean> {
  const draft = `${path}.${pid}.${Date.now()}`;
  await writeFile(draft, `${pid}\n`, { mode: 0o600 });
  try {
    await link(draft, path);
    return true;
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    throw new CodedError(
      'data_dir_lock_failed',
      `Could not create ${path}: ${errorMessage(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    await unlink(draft).catch(ignoreMissing);
  }
}

/** Returns the pid in the lock, or undefined when it is missing or holds no pid. */
async function readOwner(path: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Signal 0 checks that a process exists; EPERM means it exists but belongs to another user. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM';
  }
}

function lockedError(dataDir: string, path: string, pid: number): CodedError<'data_dir_locked'> {
  return new CodedError(
    'data_dir_locked',
    `Another moonraker-owl is already using ${dataDir} (pid ${pid}). Stop it first, or pass ` +
      `another data folder; if no such process runs, delete ${path}.`,
    { details: { dataDir, pid, lockFile: path } },
  );
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function ignoreMissing(error: unknown): void {
  if (codeOf(error) !== 'ENOENT') throw error;
}
