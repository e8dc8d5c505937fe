import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { captureLogger, flushLogs } from '../../cloud/__testing__/capture-logger.js';
import { silentLogger } from '../../support/logger.js';
import {
  CONTROL_TOKEN_FILE_NAME,
  controlTokensMatch,
  generateControlToken,
  loadControlToken,
} from './control-token.js';

/** pino's number for the warn level. */
const PINO_WARN = 40;

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'control-token-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const tokenPath = (): string => join(folder, CONTROL_TOKEN_FILE_NAME);

describe('loadControlToken', () => {
  it('creates a 0600 token file at first start', async () => {
    const token = await loadControlToken(folder, silentLogger);

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await readFile(tokenPath(), 'utf8')).toBe(`${token}\n`);
    expect((await stat(tokenPath())).mode & 0o777).toBe(0o600);
  });

  it('creates the data folder when it is missing', async () => {
    const nested = join(folder, 'state', 'owl');

    const token = await loadControlToken(nested, silentLogger);

    expect(await readFile(join(nested, CONTROL_TOKEN_FILE_NAME), 'utf8')).toBe(`${token}\n`);
  });

  it('reuses the token on later starts', async () => {
    const first = await loadControlToken(folder, silentLogger);
    const second = await loadControlToken(folder, silentLogger);

    expect(second).toBe(first);
  });

  it('agrees on one token when two starts race', async () => {
    const tokens = await Promise.all([
      loadControlToken(folder, silentLogger),
      loadControlToken(folder, silentLogger),
      loadControlToken(folder, silentLogger),
    ]);

    expect(new Set(tokens).size).toBe(1);
    expect(await readFile(tokenPath(), 'utf8')).toBe(`${tokens[0]}\n`);
  });

  it('replaces a malformed token file', async () => {
    await writeFile(tokenPath(), 'short\n', { mode: 0o600 });

    const token = await loadControlToken(folder, silentLogger);

    expect(token).not.toBe('short');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await readFile(tokenPath(), 'utf8')).toBe(`${token}\n`);
  });

  it.skipIf(process.platform === 'win32')('replaces a token others could read', async () => {
    const exposed = generateControlToken();
    await writeFile(tokenPath(), `${exposed}\n`);
    await chmod(tokenPath(), 0o644);
    const capture = captureLogger();

    const token = await loadControlToken(folder, capture.logger);
    await flushLogs();

    expect(token).not.toBe(exposed);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await readFile(tokenPath(), 'utf8')).toBe(`${token}\n`);
    expect((await stat(tokenPath())).mode & 0o777).toBe(0o600);
    const warning = capture.entries.find((entry) => entry.level === PINO_WARN);
    expect(warning?.msg).toContain('other users could read its file');
    expect(warning?.['mode']).toBe('644');
    expect(JSON.stringify(capture.entries)).not.toContain(exposed);
    expect(await loadControlToken(folder, silentLogger)).toBe(token);
  });
});

describe('generateControlToken', () => {
  it('returns a different token each time', () => {
    expect(generateControlToken()).not.toBe(generateControlToken());
  });
});

describe('controlTokensMatch', () => {
  const token = generateControlToken();

  it('accepts the same token', () => {
    expect(controlTokensMatch(token, `${token}`)).toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['a prefix', token.slice(0, 20)],
    ['a longer string', `${token}x`],
    ['another token', generateControlToken()],
  ])('rejects %s', (_name, presented) => {
    expect(controlTokensMatch(token, presented)).toBe(false);
  });
});
