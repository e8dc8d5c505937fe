import type { FrozenRecord } from './frozen-merge.js';
import { numberField } from './state-fields.js';

/**
 * Print progress. With the slicer's byte range of the G-code body known (file metadata
 * `gcode_start_byte`/`gcode_end_byte`), progress is the read position within that range, as
 * Mainsail shows it. Otherwise it is Klipper's `virtual_sdcard.progress`, which counts the
 * header and thumbnails too.
 */

/** Moonraker file metadata (`/server/files/metadata`), as far as progress and estimates use it. */
export interface FileMetadata {
  gcode_start_byte?: number;
  gcode_end_byte?: number;
  /** Slicer estimate of the print time, in seconds. */
  estimated_time?: number;
  /** Filament the slicer expects the print to use, in millimetres. */
  filament_total?: number;
  layer_count?: number;
}

/** Reads the fields used here from a metadata record; other fields are dropped. */
export function readFileMetadata(record: FrozenRecord | undefined): FileMetadata {
  const metadata: FileMetadata = {};
  const fields = [
    'gcode_start_byte',
    'gcode_end_byte',
    'estimated_time',
    'filament_total',
    'layer_count',
  ] as const;
  for (const field of fields) {
    const value = numberField(record, field);
    if (value !== undefined) metadata[field] = value;
  }
  return metadata;
}

/**
 * Progress in percent (0..100, unrounded), or undefined when Moonraker reports none. With
 * `awaitingMetadata`, a file position without a byte range gives no progress either, so that
 * the header-inclusive fallback is not reported just before the metadata arrives.
 */
export function progressPercent(
  virtualSdcard: FrozenRecord | undefined,
  metadata: FileMetadata | undefined,
  awaitingMetadata = false,
): number | undefined {
  const position = numberField(virtualSdcard, 'file_position');
  const start = metadata?.gcode_start_byte;
  const end = metadata?.gcode_end_byte;
  if (position !== undefined && start !== undefined && end !== undefined && end > start) {
    return filePositionPercent(position, start, end);
  }
  if (position !== undefined && awaitingMetadata) return undefined;

  const fraction = numberField(virtualSdcard, 'progress');
  return fraction === undefined ? undefined : clampPercent(fraction * 100);
}

function filePositionPercent(position: number, start: number, end: number): number {
  if (position <= start) return 0;
  if (position >= end) return 100;
  return ((position - start) / (end - start)) * 100;
}

export function clampPercent(value: number): number {
  return Math.min(100, Math.max(0, value));
}
