import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Test helper: a private Debian mosquitto on a free loopback port. */

export const MOSQUITTO_BINARY = '/usr/sbin/mosquitto';
const PASSWD_BINARY = '/usr/bin/mosquitto_passwd';
const execFileAsync = promisify(execFile);
const STOP_DEADLINE_MS = 5_000;
const START_DEADLINE_MS = 10_000;

export interface MosquittoOptions {
  /** Extra configuration lines, in which `{dir}` becomes the temporary folder. */
  config?: string[];
  /** Files written into the temporary folder before start, by name. */
  files?: Record<string, string>;
  /** User names and passwords for a password file. Anonymous logins are then rejected. */
  passwords?: Record<string, string>;
}

/** Finds a free port by binding port 0 and releasing it again. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('no port bound'));
      });
    });
  });
}

async function writePasswordFile(
  dir: string,
  passwords: Record<string, string> | undefined,
): Promise<string[]> {
  if (!passwords) return [];
  const path = join(dir, 'passwd');
  await writeFile(path, '', { mode: 0o644 });
  for (const [user, password] of Object.entries(passwords)) {
    await execFileAsync(PASSWD_BINARY, ['-b', path, user, password]);
  }
  await chmod(path, 0o644);
  return ['allow_anonymous false', `password_file ${path}`];
}

export class MosquittoProcess {
  private child: ChildProcess | null = null;
  private output = '';
  private watchers: {
    pattern: RegExp;
    from: number;
    resolve: (match: RegExpMatchArray) => void;
  }[] = [];

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async start(options: MosquittoOptions = {}): Promise<MosquittoProcess> {
    const dir = await mkdtemp(join(tmpdir(), 'owl-cloud-mosquitto-'));
    // Mosquitto started as root drops to the `mosquitto` user, which must read these files.
    await chmod(dir, 0o755);
    for (const [name, text] of Object.entries(options.files ?? {})) {
      await writeFile(join(dir, name), text, { mode: 0o644 });
    }
    const passwordLines = await writePasswordFile(dir, options.passwords);
    const port = await freePort();
    const lines = [
      `listener ${port} 127.0.0.1`,
      'persistence false',
      // stdout to a pipe is block-buffered, so the log would arrive late, but stderr is not.
      'log_dest stderr',
      'log_type all',
      ...passwordLines,
      ...(options.config ?? (passwordLines.length > 0 ? [] : ['allow_anonymous true'])),
    ].map((line) => line.replaceAll('{dir}', dir));
    await writeFile(join(dir, 'mosquitto.conf'), `${lines.join('\n')}\n`, { mode: 0o644 });

    const broker = new MosquittoProcess(dir, port);
    try {
      await broker.spawn();
    } catch (error) {
      await broker.dispose();
      throw error;
    }
    return broker;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get log(): string {
    return this.output;
  }

  /** Length of the output so far, to pass as `from` to `waitForLog`. */
  get logLength(): number {
    return this.output.length;
  }

  /** Resolves with the first match of `pattern` in the output from character `from` on. */
  waitForLog(pattern: RegExp, from = 0): Promise<RegExpMatchArray> {
    const existing = this.output.slice(from).match(pattern);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve) => this.watchers.push({ pattern, from, resolve }));
  }

  /** Sends SIGTERM to this broker's PID and waits for it to exit, with SIGKILL after 5 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
    await exited;
    clearTimeout(timer);
    this.child = null;
  }

  /** Stops the broker and starts it again on the same port, with an empty state. */
  async restart(): Promise<void> {
    await this.stop();
    await this.spawn();
  }

  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  private spawn(): Promise<void> {
    const child = spawn(MOSQUITTO_BINARY, ['-c', join(this.dir, 'mosquitto.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const runningFrom = this.output.length;
    child.stdout?.on('data', (chunk: Buffer) => this.append(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.append(chunk));

    return new Promise((resolve, reject) => {
      const fail = (error: Error): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(error);
      };
      const onExit = (code: number | null): void => {
        fail(new Error(`mosquitto exited with code ${code} before running:\n${this.output}`));
      };
      const timer = setTimeout(() => {
        fail(new Error(`mosquitto did not report running within ${START_DEADLINE_MS} ms`));
      }, START_DEADLINE_MS);
      child.once('exit', onExit);
      child.once('error', fail);
      void this.waitForLog(/mosquitto version \S+ running/, runningFrom).then(() => {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      });
    });
  }

  private append(chunk: Buffer): void {
    this.output += chunk.toString('utf8');
    const waiting = this.watchers;
    this.watchers = [];
    for (const watcher of waiting) {
      const match = this.output.slice(watcher.from).match(watcher.pattern);
      if (match) watcher.resolve(match);
      else this.watchers.push(watcher);
    }
  }
}
