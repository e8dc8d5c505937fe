import { closeSync, existsSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';

export interface RotatingLogFileOptions {
  path: string;
  /** The file is rotated before a write would take it past this many bytes. */
  maxBytes: number;
  /** Rotated files kept next to it as `<path>.1` (newest) to `<path>.<keep>`. */
  keep: number;
  /**
   * Receives each failure to open, write or rotate the file. The file sits under the logger,
   * so this must not log through it; the app writes these to stderr.
   */
  onError?: (operation: LogFileOperation, error: unknown) => void;
}

export type LogFileOperation = 'open' | 'write' | 'rotate';

/**
 * A log file that rotates by size: `app.log` becomes `app.log.1`, the oldest copy is deleted.
 * Writes are synchronous, like pino's default destination, so the last lines before a crash
 * reach the disk. It never throws into the logger: a failed open or write drops the line, and a
 * failed rotation keeps appending to the current file and tries again after another `maxBytes`.
 * Each kind of failure is reported once until that operation succeeds again.
 */
export class RotatingLogFile {
  private fd: number | undefined;
  private size = 0;
  /** Size at which the next rotation is due; raised by `maxBytes` after a failed rotation. */
  private rotateAt: number;
  private readonly failing = new Set<LogFileOperation>();

  constructor(private readonly options: RotatingLogFileOptions) {
    this.rotateAt = options.maxBytes;
    this.open();
  }

  write(text: string): void {
    const bytes = Buffer.byteLength(text);
    if (this.fd !== undefined && this.size > 0 && this.size + bytes > this.rotateAt) this.rotate();
    if (this.fd === undefined) this.open();
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, text);
      this.size += bytes;
      this.succeeded('write');
    } catch (error) {
      this.failed('write', error);
    }
  }

  /** A stream for pino's multistream. */
  stream(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.write(chunk.toString('utf8'));
        done();
      },
    });
  }

  close(): void {
    this.closeQuietly();
  }

  private open(): void {
    const { path, keep } = this.options;
    try {
      this.fd = openSync(path, keep > 0 ? 'a' : 'w', 0o600);
      this.size = statSync(path).size;
      this.rotateAt = Math.max(this.options.maxBytes, this.size);
      this.succeeded('open');
    } catch (error) {
      this.closeQuietly();
      this.failed('open', error);
    }
  }

  private rotate(): void {
    const { path, keep, maxBytes } = this.options;
    this.closeQuietly();
    try {
      rmSync(`${path}.${keep}`, { force: true });
      for (let index = keep - 1; index >= 1; index -= 1) {
        if (existsSync(`${path}.${index}`)) renameSync(`${path}.${index}`, `${path}.${index + 1}`);
      }
      if (keep > 0) renameSync(path, `${path}.1`);
      this.succeeded('rotate');
    } catch (error) {
      this.failed('rotate', error);
    }
    this.open();
    // After a failed rotation the file is still full, so the next try waits for more lines.
    if (this.failing.has('rotate')) this.rotateAt = this.size + maxBytes;
  }

  private closeQuietly(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // The descriptor is gone either way, and the next write opens the file again.
    }
    this.fd = undefined;
  }

  private failed(operation: LogFileOperation, error: unknown): void {
    if (this.failing.has(operation)) return;
    this.failing.add(operation);
    this.options.onError?.(operation, error);
  }

  private succeeded(operation: LogFileOperation): void {
    this.failing.delete(operation);
  }
}
