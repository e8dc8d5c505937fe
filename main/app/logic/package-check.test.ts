import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const entry = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string })
  .main;
const built = existsSync(join(root, entry)) && existsSync(join(root, 'dist/renderer/index.html'));
const skipReason = built ? '' : ' (skipped: run npm run build:app and the renderer build first)';

describe.skipIf(!built)(`offline packaging${skipReason}`, () => {
  it('puts main, preload and renderer into app.asar', async () => {
    const { stdout } = await promisify(execFile)('bash', ['scripts/package-check.sh'], {
      cwd: root,
      timeout: 60_000,
    });
    expect(stdout).toContain('contains the main entry, the preload and the renderer');
  }, 60_000);
});
