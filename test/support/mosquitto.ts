import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const MOSQUITTO_BINARY = '/usr/sbin/mosquitto';
const MOSQUITTO_CTRL = 'mosquitto_ctrl';
const DYNSEC_PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';
const READY_LINE = /mosquitto version \S+ running/;
const ADDRESS_IN_USE = /Address already in use/i;
const STOP_GRACE_MS = 5_000;
const TERM_REPEAT_MS = 500;
const MAX_LOG_LINES = 200;

export interface MosquittoOptions {
  /** Let clients connect without credentials; default true, and false with dynamic security. */
  allowAnonymous?: boolean;
  /** Load the dynamic-security plugin with an `admin` client that may send control commands. */
  dynamicSecurity?: boolean;
  /** Keep sessions and retained messages in the temp folder across `restart()`; default false. */
  persistence?: boolean;
  /** Time to wait for the "running" log line, in milliseconds; default 10 000. */
  readyTimeoutMs?: number;
}

export interface MosquittoAdmin {
  readonly username: string;
  readonly password: string;
}

/**
 * A Debian mosquitto for integration tests, on a free 127.0.0.1 port with its config in a temp
 * folder. It is stopped by its own PID only, so other mosquitto processes on the machine are safe.
 */
export class MosquittoProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly logLines: string[] = [];
  private readonly killOnExit = (): void => {
    this.child?.kill('SIGKILL');
  };

  private constructor(
    readonly port: number,
    readonly directory: string,
    readonly admin: MosquittoAdmin | undefined,
    private readonly readyTimeoutMs: number,
  ) {}

  /** Starts mosquitto and resolves once its log reports that it is running. */
  static async start(options: MosquittoOptions = {}): Promise<MosquittoProcess> {
    const directory = await mkdtemp(join(tmpdir(), 'owl-mosquitto-'));
    try {
      const admin = options.dynamicSecurity ? await initDynamicSecurity(directory) : undefined;
      return await MosquittoProcess.startOnFreePort(directory, admin, options);
    } catch (error) {
      await rm(directory, { recursive: true, force: true });
      throw error;
    }
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines mosquitto logged, for failure messages. */
  get log(): string {
    return this.logLines.join('\n');
  }

  /**
   * Sends SIGTERM to this mosquitto's PID and waits for it to exit. mosquitto 2.0.11 can lose a
   * SIGTERM that arrives just after it logged "running", so the signal is repeated every 500 ms,
   * and SIGKILL follows after 5 s.
   */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;

    const repeatTimer = setInterval(() => child.kill('SIGTERM'), TERM_REPEAT_MS);
    const forceTimer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.kill('SIGTERM');
    await this.exited;
    clearInterval(repeatTimer);
    clearTimeout(forceTimer);
  }

  /** Stops mosquitto and starts it again on the same port with the same folder. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /** Stops mosquitto and deletes its temp folder. */
  async close(): Promise<void> {
    await this.stop();
    await rm(this.directory, { recursive: true, force: true });
  }

  /** Spawns the process and waits for readiness, or rejects with the log when it fails. */
  private async launch(): Promise<void> {
    const child = spawn(MOSQUITTO_BINARY, ['-c', join(this.directory, 'mosquitto.conf')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    process.once('exit', this.killOnExit);
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        process.off('exit', this.killOnExit);
        resolve();
      });
    });
    this.captureLog(child);
    await this.waitUntilReady(child);
  }

  private waitUntilReady(child: ChildProcess): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (error: Error | undefined): void => {
        clearTimeout(timer);
        child.stderr?.off('data', onData);
        child.off('exit', onExit);
        child.off('error', onError);
        if (!error) {
          resolve();
          return;
        }
        child.kill('SIGKILL');
        reject(error);
      };
      const failure = (reason: string): Error =>
        new Error(`mosquitto on port ${this.port} ${reason}. Log:\n${this.log}`);
      const onData = (): void => {
        if (this.logLines.some((line) => READY_LINE.test(line))) settle(undefined);
      };
      const onExit = (code: number | null, signal: string | null): void =>
        settle(failure(`exited early (code ${code}, signal ${signal})`));
      const onError = (error: Error): void =>
        settle(failure(`could not be spawned: ${error.message}`));
      const timer = setTimeout(
        () => settle(failure('did not report running in time')),
        this.readyTimeoutMs,
      );
      child.stderr?.on('data', onData);
      child.once('exit', onExit);
      child.once('error', onError);
    });
  }

  /** Keeps the last log lines of the current process, split from the raw stderr text. */
  private captureLog(child: ChildProcess): void {
    let partial = '';
    this.logLines.length = 0;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.remember(line);
    });
  }

  private remember(line: string): void {
    this.logLines.push(line);
    if (this.logLines.length > MAX_LOG_LINES) this.logLines.shift();
  }

  /**
   * Starts on a port that was free a moment ago. Another process can take it in between, so an
   * "address in use" failure is retried on a new port a few times.
   */
  private static async startOnFreePort(
    directory: string,
    admin: MosquittoAdmin | undefined,
    options: MosquittoOptions,
  ): Promise<MosquittoProcess> {
    for (let attempt = 1; ; attempt += 1) {
      const port = await findFreePort();
      await writeConfig(directory, port, admin !== undefined, options);
      const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
      const instance = new MosquittoProcess(port, directory, admin, readyTimeoutMs);
      try {
        await instance.launch();
        return instance;
      } catch (error) {
        if (attempt >= 3 || !ADDRESS_IN_USE.test(instance.log)) throw error;
      }
    }
  }
}

export function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoProcess> {
  return MosquittoProcess.start(options);
}

/** Asks the kernel for a free port by listening on port 0, then releases it. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function initDynamicSecurity(directory: string): Promise<MosquittoAdmin> {
  const admin = { username: 'admin', password: randomBytes(12).toString('hex') };
  const file = join(directory, 'dynamic-security.json');
  await promisify(execFile)(MOSQUITTO_CTRL, [
    'dynsec',
    'init',
    file,
    admin.username,
    admin.password,
  ]);
  return admin;
}

async function writeConfig(
  directory: string,
  port: number,
  dynamicSecurity: boolean,
  options: MosquittoOptions,
): Promise<void> {
  const allowAnonymous = options.allowAnonymous ?? !dynamicSecurity;
  const lines = [
    'per_listener_settings false',
    `listener ${port} 127.0.0.1`,
    `allow_anonymous ${allowAnonymous}`,
    // mosquitto block-buffers stdout when it is a pipe, so readiness is read from stderr.
    'log_dest stderr',
  ];
  // As root, mosquitto switches to the `mosquitto` user, which cannot read this 0700 folder or
  // write the dynamic-security file. Staying root keeps the test setup simple.
  if (process.getuid?.() === 0) lines.push('user root');
  if (options.persistence) {
    const location = join(directory, 'persistence');
    await mkdir(location, { recursive: true });
    lines.push('persistence true', `persistence_location ${location}/`);
  } else {
    lines.push('persistence false');
  }
  if (dynamicSecurity) {
    lines.push(
      `plugin ${DYNSEC_PLUGIN}`,
      `plugin_opt_config_file ${join(directory, 'dynamic-security.json')}`,
    );
  }
  await writeFile(join(directory, 'mosquitto.conf'), `${lines.join('\n')}\n`);
}
