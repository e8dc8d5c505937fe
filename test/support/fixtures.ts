import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Recorded Moonraker sessions live outside the repository, in `shared/fixtures/moonraker/` next to
 * the checkout. Tests that replay them skip with this reason when the folder is absent.
 */
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const recordingsFolder = resolve(repositoryRoot, '..', 'shared', 'fixtures', 'moonraker');

export const recordingsMissingReason = `Moonraker recordings not found at ${recordingsFolder}`;

export function recordingPath(name: 'print-pause-cancel' | 'emergency-stop'): string {
  return join(recordingsFolder, `${name}.jsonl`);
}

export function hasRecordings(): boolean {
  return (
    existsSync(recordingPath('print-pause-cancel')) && existsSync(recordingPath('emergency-stop'))
  );
}
