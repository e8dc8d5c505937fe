import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI_PATH = fileURLToPath(new URL('../cli.ts', import.meta.url));

/** Output and exit status of a finished CLI process. */
export interface CliOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Test helper: runs `moonraker-owl` from the source tree in a child process. Every process it
 * started is killed by its pid in `killAll`, so a test that fails never leaves one behind.
 */
export class CliProcesses {
  private readonly running = new Set<ChildProcess>();

  /** Starts the CLI with `args`; `output` collects what it writes. */
  start(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningCli {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_PATH, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.running.add(child);
    child.once('exit', () => this.running.delete(child));
    return new RunningCli(child);
  }

  /** Runs the CLI to its end, or kills it and rejects after `timeoutMs`. */
  run(
    args: readonly string[],
    timeoutMs: number,
    env: NodeJS.ProcessEnv = {},
  ): Promise<CliOutcome> {
    return this.start(args, env).exited(timeoutMs);
  }

  killAll(): void {
    for (const child of this.running) {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }
    this.running.clear();
  }
}

export class RunningCli {
  stdout = '';
  stderr = '';
  private readonly exit: Promise<CliOutcome>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exit = new Promise((resolve) => {
      child.once('close', (code, signal) =>
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr }),
      );
    });
  }

  /** Resolves once stdout contains `text`, or rejects after `timeoutMs`. */
  waitForOutput(text: string, timeoutMs: number): Promise<void> {
    return this.waitFor('stdout', text, timeoutMs);
  }

  /** Resolves once stderr, where the JSON log lines go, contains `text`, or rejects after `timeoutMs`. */
  waitForLog(text: string, timeoutMs: number): Promise<void> {
    return this.waitFor('stderr', text, timeoutMs);
  }

  private waitFor(stream: 'stdout' | 'stderr', text: string, timeoutMs: number): Promise<void> {
    const source = this.child[stream];
    return new Promise((resolve, reject) => {
      // This listener runs after the constructor's, which appended the chunk already.
      const check = (): void => {
        if (!this[stream].includes(text)) return;
        clearTimeout(timer);
        source?.off('data', check);
        resolve();
      };
      const timer = setTimeout(() => {
        source?.off('data', check);
        reject(
          new Error(`No "${text}" on ${stream} within ${timeoutMs} ms; stderr: ${this.stderr}`),
        );
      }, timeoutMs);
      source?.on('data', check);
      check();
    });
  }

  /** Resolves with the outcome once the process ended, or rejects after `timeoutMs`. */
  exited(timeoutMs: number): Promise<CliOutcome> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`The CLI did not exit within ${timeoutMs} ms; stderr: ${this.stderr}`));
      }, timeoutMs);
      void this.exit.then((outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
    });
  }

  /** Sends SIGTERM, as a service manager stops the process. */
  stop(): void {
    if (this.child.pid !== undefined && this.child.exitCode === null) {
      process.kill(this.child.pid, 'SIGTERM');
    }
  }
}
