import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { appSettingsSchema } from '../../../shared/settings/app-settings.js';
import { FakeClock } from '../../../test/support/fake-clock.js';
import { writeDiagnosticsBundle, type DiagnosticsBundleOptions } from './diagnostics-bundle.js';
import { assertDiagnosticsTarget } from './diagnostics-target.js';

function bundleOptions(path: string): DiagnosticsBundleOptions {
  return {
    path,
    settings: appSettingsSchema.parse({ version: 1 }),
    secretsRedacted: [],
    logs: [],
    timelines: {},
    snapshots: {},
    appVersion: '0.0.0-test',
    clock: new FakeClock(),
  };
}

describe('assertDiagnosticsTarget', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'owl-diagnostics-target-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('rejects a relative path', async () => {
    await expect(assertDiagnosticsTarget('rel.zip')).rejects.toMatchObject({
      code: 'invalid_arguments',
      message: 'The diagnostics path rel.zip is not absolute; enter a full path',
    });
  });

  it('rejects a name without .zip', async () => {
    const path = join(folder, 'bundle.txt');

    await expect(assertDiagnosticsTarget(path)).rejects.toMatchObject({
      code: 'invalid_arguments',
      message: `The diagnostics path ${path} must end in .zip`,
    });
  });

  it('rejects a folder that does not exist', async () => {
    const missing = join(folder, 'missing', 'dir');
    const path = join(missing, 'x.zip');

    await expect(assertDiagnosticsTarget(path)).rejects.toMatchObject({
      code: 'invalid_arguments',
      message: `The folder ${missing} does not exist; create it first or choose another folder`,
    });
    await expect(writeDiagnosticsBundle(bundleOptions(path))).rejects.toMatchObject({
      code: 'invalid_arguments',
    });
    await expect(stat(join(folder, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects a file in place of the folder', async () => {
    const blocker = join(folder, 'file');
    await writeFile(blocker, 'a file where a folder should be');

    await expect(assertDiagnosticsTarget(join(blocker, 'x.zip'))).rejects.toMatchObject({
      code: 'invalid_arguments',
      message: `${blocker} is not a folder; choose another folder`,
    });
  });

  it('keeps an existing file that is not a bundle', async () => {
    const path = join(folder, 'photos.zip');
    await writeFile(path, 'holiday photos');

    await expect(assertDiagnosticsTarget(path)).rejects.toMatchObject({
      code: 'invalid_arguments',
      message:
        `${path} already exists and is not a diagnostics bundle, so it was not replaced; ` +
        'choose another file name',
    });
    expect(await readFile(path, 'utf8')).toBe('holiday photos');
  });

  it('keeps an existing zip of other files', async () => {
    const path = join(folder, 'other.zip');
    await writeFile(path, zipSync({ 'notes.txt': strToU8('notes') }));

    await expect(assertDiagnosticsTarget(path)).rejects.toMatchObject({
      code: 'invalid_arguments',
    });
  });

  it('replaces an earlier bundle', async () => {
    const path = join(folder, 'bundle.zip');
    await writeDiagnosticsBundle(bundleOptions(path));

    await expect(assertDiagnosticsTarget(path)).resolves.toBeUndefined();
    await expect(writeDiagnosticsBundle(bundleOptions(path))).resolves.toMatchObject({ path });
  });
});
