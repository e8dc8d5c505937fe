import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { RotatingLogFile } from './rotating-log-file.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'owl-log-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('RotatingLogFile', () => {
  it('rotates before exceeding the size limit', async () => {
    const path = join(folder, 'app.log');
    const file = new RotatingLogFile({ path, maxBytes: 10, keep: 2 });
    for (const line of ['aaaaaa\n', 'bbbbbb\n', 'cccccc\n', 'dddddd\n']) file.write(line);
    file.close();
    expect((await readdir(folder)).sort()).toEqual(['app.log', 'app.log.1', 'app.log.2']);
    expect(await readFile(path, 'utf8')).toBe('dddddd\n');
    expect(await readFile(`${path}.1`, 'utf8')).toBe('cccccc\n');
    expect(await readFile(`${path}.2`, 'utf8')).toBe('bbbbbb\n');
  });

  it('appends to an existing file', async () => {
    const path = join(folder, 'app.log');
    const first = new RotatingLogFile({ path, maxBytes: 100, keep: 1 });
    first.write('one\n');
    first.close();
    const second = new RotatingLogFile({ path, maxBytes: 100, keep: 1 });
    second.write('two\n');
    second.close();
    expect(await readFile(path, 'utf8')).toBe('one\ntwo\n');
  });
});
