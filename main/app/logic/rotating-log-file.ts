import { closeSync, existsSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';

export interface RotatingLogFileOptions {
  path: string;
  /** The file is rotated before a write would take it past this many bytes. */
  maxBytes: number;
  /** Rotated files kept next to it as `<path>.1` (newest) to `<path>.<keep>`. */
  keep: number;
}

/**
 * A log file that rotates by size: `app.log` becomes `app.log.1`, the oldest copy is deleted.
 * Writes are synchronous, like pino's default destination, so the last lines before a crash
 * reach the disk.
 */
export class RotatingLogFile {
  private fd: number;
  private size: number;

  constructor(private readonly options: RotatingLogFileOptions) {
    this.fd = openSync(options.path, 'a', 0o600);
    this.size = statSync(options.path).size;
  }

  write(text: string): void {
    const bytes = Buffer.byteLength(text);
    if (this.size > 0 && this.size + bytes > this.options.maxBytes) this.rotate();
    writeSync(this.fd, text);
    this.size += bytes;
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
    closeSync(this.fd);
  }

  private rotate(): void {
    const { path, keep } = this.options;
    closeSync(this.fd);
    rmSync(`${path}.${keep}`, { force: true });
    for (let index = keep - 1; index >= 1; index -= 1) {
      if (existsSync(`${path}.${index}`)) renameSync(`${path}.${index}`, `${path}.${index + 1}`);
    }
    if (keep > 0) renameSync(path, `${path}.1`);
    this.fd = openSync(path, keep > 0 ? 'a' : 'w', 0o600);
    this.size = 0;
  }
}
