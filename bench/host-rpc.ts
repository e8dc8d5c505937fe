import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Request and response types of one host process, by request type. */
export type HostProtocol = Record<string, { request: unknown; response: unknown }>;

interface RequestMessage {
  id: number;
  type: string;
  body: unknown;
}

type ReplyMessage =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

interface PendingRequest {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export type HostHandlers<P extends HostProtocol> = {
  [K in keyof P]: (body: P[K]['request']) => Promise<P[K]['response']> | P[K]['response'];
};

/** How long `stop` waits for a host to exit after its `stop` request before it is killed. */
const EXIT_GRACE_MS = 15_000;

/**
 * A benchmark child process started with `fork`, responding to typed requests over
 * the IPC channel. Every request has a timeout, and the process is ended by its own PID only.
 */
export class HostProcess<P extends HostProtocol> {
  private readonly pending = new Map<number, PendingRequest>();
  private readonly exited: Promise<void>;
  private nextId = 1;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: ReplyMessage) => this.settle(message));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.rejectAll(new Error(`${name} exited (code ${code}, signal ${signal})`));
        resolve();
      });
    });
  }

  /**
   * Forks `script` with `extraExecArgv` such as profiler flags. A .ts script runs with the tsx loader,
   * and compiled JavaScript runs as it is, as the installed CLI does.
   */
  static start<P extends HostProtocol>(
    name: string,
    script: URL,
    extraExecArgv: readonly string[] = [],
  ): HostProcess<P> {
    const child = fork(fileURLToPath(script), [], {
      execArgv: [...loaderArgs(script), ...extraExecArgv],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new HostProcess<P>(name, child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  request<K extends keyof P & string>(
    type: K,
    body: P[K]['request'],
    timeoutMs = 30_000,
  ): Promise<P[K]['response']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name} did not respond to "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      const message: RequestMessage = { id, type, body };
      this.child.send(message, (error) => {
        if (error) this.fail(id, new Error(`Sending "${type}" to ${this.name} failed: ${error}`));
      });
    });
  }

  /**
   * Asks the host to stop, then waits for it to exit, and kills it by PID when it does not.
   * Returns false when the host had to be killed or had already died.
   */
  async stop(timeoutMs = EXIT_GRACE_MS): Promise<boolean> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return this.child.exitCode === 0;
    }
    let killed = false;
    const killTimer = setTimeout(() => {
      killed = true;
      this.kill();
    }, timeoutMs);
    await this.request('stop', undefined as P[string]['request'], timeoutMs).catch(() => undefined);
    await this.exited;
    clearTimeout(killTimer);
    return !killed && this.child.exitCode === 0;
  }

  /** Sends SIGKILL to this host's own PID. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private settle(message: ReplyMessage): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new Error(`${this.name}: ${message.error}`));
  }

  private fail(id: number, error: Error): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    pending.reject(error);
  }

  private rejectAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.fail(id, error);
  }
}

/**
 * Responds to the parent's requests in a host process. After the `stop` handler has run and its reply
 * was sent, the process exits. When the parent goes away, `onParentGone` runs and the process
 * exits too, so no host outlives its benchmark.
 */
export function serveHost<P extends HostProtocol>(
  handlers: HostHandlers<P>,
  onParentGone: () => Promise<void>,
): void {
  if (!process.send) throw new Error('A benchmark host must be started with an IPC channel');
  process.on('message', (message: RequestMessage) => void answer(handlers, message));
  process.once('disconnect', () => {
    void onParentGone().finally(() => process.exit(1));
  });
}

async function answer<P extends HostProtocol>(
  handlers: HostHandlers<P>,
  message: RequestMessage,
): Promise<void> {
  const handler = handlers[message.type] as ((body: unknown) => unknown) | undefined;
  let reply: ReplyMessage;
  try {
    if (!handler) throw new Error(`unknown request type "${message.type}"`);
    reply = { id: message.id, ok: true, result: (await handler(message.body)) ?? null };
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    reply = { id: message.id, ok: false, error: text };
  }
  process.send?.(reply, undefined, {}, () => {
    if (message.type === 'stop') process.exit(0);
  });
}

function loaderArgs(script: URL): string[] {
  return script.pathname.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
}
