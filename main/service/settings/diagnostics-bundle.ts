import { strToU8, zipSync, type Zippable } from 'fflate';

import type { PrinterDetail } from '../../../shared/control-api/printer-views.js';
import type { AppSettings } from '../../../shared/settings/app-settings.js';
import { writeFileAtomic } from '../../support/atomic-file.js';
import type { Clock } from '../../support/clock.js';
import { CodedError, errorMessage } from '../../support/coded-error.js';
import { assertDiagnosticsTarget } from './diagnostics-target.js';
import { fileTimestamp } from './file-timestamp.js';
import { createRedactor, redactLogLine, type Redactor } from './secret-redaction.js';
import { collectSystemInfo } from './system-info.js';

export type TimelineEntry = PrinterDetail['timeline'][number];

export interface DiagnosticsBundleOptions {
  /** Absolute path of the .zip to write. An existing file is replaced only when it is a bundle. */
  path: string;
  settings: Readonly<AppSettings>;
  /**
   * Secret values (Moonraker API keys, private keys, tokens) to remove wherever they occur in the
   * bundle, logs included, on top of what the field names and patterns catch.
   * `FleetSecrets.secretValues` returns the stored ones.
   */
  secretsRedacted: readonly string[];
  /** Recent log lines, oldest first: pino JSON or plain text. */
  logs: readonly string[];
  /** Connection timeline of each printer, by printer id. */
  timelines: Readonly<Record<string, readonly TimelineEntry[]>>;
  /** Current view of each printer, by printer id, such as a PrinterDetail or a bridge snapshot. */
  snapshots: Readonly<Record<string, unknown>>;
  appVersion: string;
  clock: Clock;
}

export interface DiagnosticsBundleResult {
  path: string;
  bytes: number;
}

export type DiagnosticsErrorCode = 'diagnostics_write_failed';

/**
 * Writes a zip for a bug report: `settings.json`, `logs.txt`, `printers.json` (snapshot and
 * timeline of each printer) and `system.json`. Every file passes through the secret redactor
 * first. The zip gets mode 0600, because logs can name hosts and printers. Rejects with
 * `invalid_arguments` for a path that `assertDiagnosticsTarget` rejects.
 */
export async function writeDiagnosticsBundle(
  options: DiagnosticsBundleOptions,
): Promise<DiagnosticsBundleResult> {
  await assertDiagnosticsTarget(options.path);
  const redactor = createRedactor(options.secretsRedacted);
  const nowMs = options.clock.now();
  const files: Record<string, string> = {
    'settings.json': formatJson(redactor.value(options.settings)),
    'logs.txt': formatLogs(options.logs, redactor),
    'printers.json': formatJson(redactor.value(printersDocument(options, nowMs))),
    'system.json': formatJson(redactor.value(collectSystemInfo(options.appVersion, nowMs))),
  };

  const archive = zipSync(toZippable(files), { level: 6, mtime: new Date(nowMs) });
  try {
    await writeFileAtomic(options.path, archive, 0o600);
  } catch (error) {
    throw new CodedError<DiagnosticsErrorCode>(
      'diagnostics_write_failed',
      `Failed to write the diagnostics bundle to ${options.path}: ${errorMessage(error)}; ` +
        'choose a folder you can write to',
      { cause: error, details: { path: options.path } },
    );
  }
  return { path: options.path, bytes: archive.byteLength };
}

/** Names a bundle after the time it was made: `moonraker-owl-diagnostics-2026-01-01T12-00-00-000Z.zip`. */
export function diagnosticsBundleName(nowMs: number): string {
  return `moonraker-owl-diagnostics-${fileTimestamp(nowMs)}.zip`;
}

function printersDocument(options: DiagnosticsBundleOptions, nowMs: number): unknown {
  const ids = [...new Set([...Object.keys(options.snapshots), ...Object.keys(options.timelines)])];
  const printers = Object.fromEntries(
    ids
      .sort()
      .map((id) => [
        id,
        { snapshot: options.snapshots[id] ?? null, timeline: options.timelines[id] ?? [] },
      ]),
  );
  return { generatedAt: new Date(nowMs).toISOString(), printers };
}

function formatLogs(lines: readonly string[], redactor: Redactor): string {
  if (lines.length === 0) return '';
  return `${lines.map((line) => redactLogLine(line, redactor)).join('\n')}\n`;
}

function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function toZippable(files: Record<string, string>): Zippable {
  return Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)]));
}
