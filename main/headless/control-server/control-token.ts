import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { link, mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { writeFileAtomic } from '../../support/atomic-file.js';
import { CodedError } from '../../support/coded-error.js';
import type { Logger } from '../../support/logger.js';

export const CONTROL_TOKEN_FILE_NAME = 'control-token';

/** 32 random bytes, which base64url spells in 43 characters. */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43,}$/;

export function generateControlToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * Returns the token that control clients must present, reading `control-token` in the data
 * folder, or creating it (mode 0600) at first start. A file with a wrong format is replaced. So
 * is a file that other users could read, because they may have copied the token, and the new
 * file has mode 0600.
 */
export async function loadControlToken(dataDir: string, logger: Logger): Promise<string> {
  const path = join(dataDir, CONTROL_TOKEN_FILE_NAME);
  const existing = await readToken(path);
  if (existing === undefined) return createToken(path, logger);
  if (!TOKEN_PATTERN.test(existing)) {
    logger.warn({ path }, 'control token file is malformed; writing a new token');
    return replaceToken(path);
  }
  const mode = await readableByOthers(path);
  if (mode !== undefined) {
    const token = await replaceToken(path);
    logger.warn(
      { path, mode: mode.toString(8) },
      'Replaced the control token, because other users could read its file and may have ' +
        'copied it. Open pages need the address printed at this start.',
    );
    return token;
  }
  return existing;
}

/** Compares in constant time, hashing first so that tokens of any length take the same path. */
export function controlTokensMatch(expected: string, presented: string): boolean {
  const left = createHash('sha256').update(expected).digest();
  const right = createHash('sha256').update(presented).digest();
  return timingSafeEqual(left, right);
}

/**
 * Throws `control_token_invalid`, naming the path, when `control-token` in the data folder exists
 * but is not a file, such as a folder. A missing file is fine, because the first start writes it.
 */
export async function assertControlTokenUsable(dataDir: string): Promise<void> {
  const path = join(dataDir, CONTROL_TOKEN_FILE_NAME);
  try {
    if (!(await stat(path)).isFile()) throw notAFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
}

function notAFile(path: string): CodedError {
  return new CodedError(
    'control_token_invalid',
    `The control token ${path} is not a file; remove it so that a new token can be written`,
  );
}

async function readToken(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw notAFile(path);
    throw error;
  }
}

/**
 * Writes the token to a temporary file and hard-links it into place, so two services starting
 * at once agree on one token: the link fails for the second, which then reads the first's file.
 */
async function createToken(path: string, logger: Logger): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const token = generateControlToken();
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${token}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readToken(path)) ?? token;
  } finally {
    await rm(temporary, { force: true });
  }
  logger.info({ path }, 'created the control token');
  return token;
}

/** Writes a new token through a new file of mode 0600, so no old open handle reads it. */
async function replaceToken(path: string): Promise<string> {
  const token = generateControlToken();
  await writeFileAtomic(path, `${token}\n`, 0o600);
  return token;
}

/** Returns the file's permission bits when its group or other users may access it. */
async function readableByOthers(path: string): Promise<number | undefined> {
  if (process.platform === 'win32') return undefined;
  const { mode } = await stat(path);
  return (mode & 0o077) === 0 ? undefined : mode & 0o777;
}
