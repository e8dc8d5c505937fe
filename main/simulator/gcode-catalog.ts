import { posix } from 'node:path';
import { isPlainObject } from './object-status.js';
import { thumbnailPng, type Rgba } from './png.js';

/** A G-code file in the simulated `gcodes` root. */
export interface GcodeFile {
  /** Path relative to the `gcodes` root, as Moonraker names files. */
  readonly filename: string;
  /**
   * Moonraker's metadata of the file, without the `filename`, `job_id` and `print_start_time`
   * fields that the metadata request adds from the job history.
   */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Background colour of the generated thumbnails. */
  readonly color: Rgba;
  /** Object names the file defines for EXCLUDE_OBJECT. */
  readonly objects?: readonly string[];
}

/** A thumbnail a file's metadata lists, with its path relative to the `gcodes` root. */
interface ThumbnailEntry {
  readonly width: number;
  readonly height: number;
  readonly color: Rgba;
}

const DEFAULT_COLOR: Rgba = [40, 96, 160, 255];

/**
 * The simulated `gcodes` root: file metadata and thumbnails. Thumbnails are PNGs drawn on first
 * request at the size the metadata states.
 */
export class GcodeCatalog {
  private readonly files = new Map<string, GcodeFile>();
  private readonly thumbnails = new Map<string, ThumbnailEntry>();

  constructor(files: readonly GcodeFile[]) {
    for (const file of files) this.add(file);
  }

  /** Adds a file, or replaces one with the same name. */
  add(file: GcodeFile): void {
    this.files.set(file.filename, file);
    for (const [path, entry] of thumbnailEntries(file)) this.thumbnails.set(path, entry);
  }

  file(filename: string): GcodeFile | undefined {
    return this.files.get(stripLeadingSlash(filename));
  }

  /** File list entries as `server.files.list` returns them for the `gcodes` root. */
  list(): { path: string; modified: number; size: number; permissions: string }[] {
    return [...this.files.values()].map((file) => ({
      path: file.filename,
      modified: numberField(file.metadata, 'modified'),
      size: numberField(file.metadata, 'size'),
      permissions: 'rw',
    }));
  }

  /** Returns the PNG at `path` (relative to the `gcodes` root), or undefined when none exists. */
  thumbnail(path: string): Buffer | undefined {
    const entry = this.thumbnails.get(stripLeadingSlash(path));
    return entry && thumbnailPng(entry.width, entry.height, entry.color);
  }
}

/** Builds a catalog entry from metadata found in a recording, such as a history job's. */
export function fileFromMetadata(filename: string, metadata: Record<string, unknown>): GcodeFile {
  const added = new Set(['filename', 'job_id', 'print_start_time']);
  const rest = Object.fromEntries(Object.entries(metadata).filter(([key]) => !added.has(key)));
  return { filename, metadata: rest, color: DEFAULT_COLOR };
}

function thumbnailEntries(file: GcodeFile): [string, ThumbnailEntry][] {
  const listed = file.metadata['thumbnails'];
  if (!Array.isArray(listed)) return [];
  const folder = posix.dirname(file.filename);
  const entries: [string, ThumbnailEntry][] = [];
  for (const thumbnail of listed) {
    if (!isPlainObject(thumbnail)) continue;
    const { width, height, relative_path: relativePath } = thumbnail;
    if (!isThumbnailSize(width) || !isThumbnailSize(height)) continue;
    if (typeof relativePath !== 'string') continue;
    const path = posix.normalize(posix.join(folder, relativePath));
    entries.push([path, { width, height, color: file.color }]);
  }
  return entries;
}

/** Thumbnail sides that are worth drawing; larger ones in a recording are skipped. */
function isThumbnailSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 1024;
}

function numberField(metadata: Readonly<Record<string, unknown>>, key: string): number {
  const value = metadata[key];
  return typeof value === 'number' ? value : 0;
}

function stripLeadingSlash(path: string): string {
  return path.replace(/^\/+/, '');
}
