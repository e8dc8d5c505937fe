import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { RotatingLogFile, type LogFileOperation } from './rotating-log-file.js';

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

  it('keeps appending when a rotation fails', async () => {
    const path = join(folder, 'app.log');
    // A folder in the place of the rotated copy, which can be neither deleted nor replaced.
    await mkdir(`${path}.1`);
    await writeFile(join(`${path}.1`, 'keep'), 'x');
    const errors: LogFileOperation[] = [];
    const file = new RotatingLogFile({
      path,
      maxBytes: 10,
      keep: 1,
      onError: (operation) => errors.push(operation),
    });

    const lines = Array.from({ length: 20 }, (_, index) => `line ${index}\n`);
    expect(() => lines.forEach((line) => file.write(line))).not.toThrow();
    file.close();

    expect(await readFile(path, 'utf8')).toBe(lines.join(''));
    expect(errors).toEqual(['rotate']);
  });

  it('rotates again once the obstacle is gone', async () => {
    const path = join(folder, 'app.log');
    await mkdir(`${path}.1`);
    await writeFile(join(`${path}.1`, 'keep'), 'x');
    const errors: LogFileOperation[] = [];
    const file = new RotatingLogFile({
      path,
      maxBytes: 10,
      keep: 1,
      onError: (operation) => errors.push(operation),
    });
    file.write('aaaaaa\n');
    file.write('bbbbbb\n');
    await rm(`${path}.1`, { recursive: true });

    // The failed rotation let the file grow to 14 bytes, so the next try waits for 17.
    file.write('cccccc\n');
    file.close();

    expect(errors).toEqual(['rotate']);
    expect(await readFile(`${path}.1`, 'utf8')).toBe('aaaaaa\nbbbbbb\n');
    expect(await readFile(path, 'utf8')).toBe('cccccc\n');
  });

  it('drops lines when the file cannot be opened', () => {
    const errors: LogFileOperation[] = [];
    const file = new RotatingLogFile({
      path: join(folder, 'missing', 'app.log'),
      maxBytes: 10,
      keep: 1,
      onError: (operation) => errors.push(operation),
    });

    expect(() => {
      file.write('one\n');
      file.write('two\n');
    }).not.toThrow();
    file.close();

    expect(errors).toEqual(['open']);
  });
});
