import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';

import { unzipSync } from 'fflate';

import { CodedError, errorMessage } from '../../support/coded-error.js';

/** Names of the files every diagnostics bundle contains. */
export const BUNDLE_FILE_NAMES = ['settings.json', 'logs.txt', 'printers.json', 'system.json'];

/**
 * Checks where a diagnostics bundle may be written. The path must be absolute, because the
 * service's working folder is not one the user chose, and end in `.zip`. Its folder must exist,
 * so a mistyped folder is reported rather than created. An existing file is replaced only when
 * it is an earlier diagnostics bundle. Throws `invalid_arguments`.
 */
export async function assertDiagnosticsTarget(path: string): Promise<void> {
  if (!isAbsolute(path)) {
    throw invalidTarget(path, `The diagnostics path ${path} is not absolute; enter a full path`);
  }
  if (!path.toLowerCase().endsWith('.zip')) {
    throw invalidTarget(path, `The diagnostics path ${path} must end in .zip`);
  }
  await assertFolder(path);
  const existing = await readExisting(path);
  if (existing === undefined || isDiagnosticsBundle(existing)) return;
  throw invalidTarget(
    path,
    `${path} already exists and is not a diagnostics bundle, so it was not replaced; ` +
      'choose another file name',
  );
}

async function assertFolder(path: string): Promise<void> {
  const folder = dirname(path);
  let isFolder: boolean;
  try {
    isFolder = (await stat(folder)).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw invalidTarget(
        path,
        `The folder ${folder} does not exist; create it first or choose another folder`,
      );
    }
    throw invalidTarget(
      path,
      `Failed to check the folder ${folder} (${errorMessage(error)}); choose another folder`,
    );
  }
  if (!isFolder) {
    throw invalidTarget(path, `${folder} is not a folder; choose another folder`);
  }
}

async function readExisting(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    // A missing file is no file to protect; the write reports any other problem of the folder.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw invalidTarget(
      path,
      `Failed to check the existing file ${path} (${errorMessage(error)}); choose another path`,
    );
  }
}

/** True for a zip whose entries are exactly the files of a diagnostics bundle. */
function isDiagnosticsBundle(data: Uint8Array): boolean {
  const names: string[] = [];
  try {
    // The filter lists every entry and skips its decompression.
    unzipSync(data, {
      filter: (file) => {
        names.push(file.name);
        return false;
      },
    });
  } catch {
    return false;
  }
  return (
    names.length === BUNDLE_FILE_NAMES.length &&
    BUNDLE_FILE_NAMES.every((name) => names.includes(name))
  );
}

function invalidTarget(path: string, message: string): CodedError {
  return new CodedError('invalid_arguments', message, { details: { path } });
}
