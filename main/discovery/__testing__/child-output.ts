import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * The lines a child process writes to stdout and stderr, for tests that wait for a line. A wait
 * fails when the deadline passes or the child exits first, with the output so far in the error.
 */
export class ChildOutput {
  readonly lines: string[] = [];
  private readonly watchers = new Set<() => void>();
  private exit: string | undefined;

  constructor(
    child: ChildProcess,
    private readonly label: string,
  ) {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => this.add(line));
    }
    child.once('exit', (code, signal) => {
      this.exit = `exited with ${signal ?? `code ${code}`}`;
      this.notify();
    });
  }

  /** Resolves with the first line `accept` takes. */
  waitForLine(accept: (line: string) => boolean, timeoutMs: number, what: string) {
    return new Promise<string>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.watchers.delete(check);
      };
      const check = (): void => {
        const line = this.lines.find(accept);
        if (line !== undefined) {
          finish();
          resolve(line);
        } else if (this.exit) {
          finish();
          reject(this.failure(what, this.exit));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(this.failure(what, `gave no such line within ${timeoutMs} ms`));
      }, timeoutMs);
      this.watchers.add(check);
      check();
    });
  }

  /** Resolves with the first JSON line `accept` takes; lines that are not JSON are skipped. */
  async waitForJson<T>(accept: (value: T) => boolean, timeoutMs: number, what: string) {
    const line = await this.waitForLine(
      (candidate) => {
        const value = parseLine<T>(candidate);
        return value !== undefined && accept(value);
      },
      timeoutMs,
      what,
    );
    return JSON.parse(line) as T;
  }

  private add(line: string): void {
    this.lines.push(line);
    this.notify();
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }

  private failure(what: string, why: string): Error {
    const tail = this.lines.slice(-30).join('\n');
    return new Error(`${this.label} ${why} while waiting for ${what}. Output:\n${tail}`);
  }
}

function parseLine<T>(line: string): T | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as T;
  } catch {
    return undefined;
  }
}
