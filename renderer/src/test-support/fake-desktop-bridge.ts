import type {
  BridgeMethods,
  DesktopMethodName,
  RendererLogLine,
  UpdateStateView,
} from '../../../shared/contract/desktop-ipc.js';
import type { ControlMethodName } from '../../../shared/control-api/methods.js';
import type { OwlBridge } from '../transport/owl-bridge.js';

/**
 * The preload's `window.owl` for component tests of the desktop methods. It returns `state` for
 * the update calls, records every call and log line, and `push` sends an `app.update` event as
 * the shell does. Its `api` has no control methods, because component tests use `FakeTransport`.
 */
export class FakeDesktopBridge implements OwlBridge {
  readonly calls: { method: string; params: unknown }[] = [];
  readonly logged: RendererLogLine[] = [];
  /** The `restarting` value that `app.update.restart` returns. */
  restarting = true;
  readonly api: BridgeMethods<ControlMethodName> = {};
  readonly app: BridgeMethods<DesktopMethodName> = {
    'app.update.state': (params) => this.record('app.update.state', params, () => this.state),
    'app.update.check': (params) => this.record('app.update.check', params, () => this.state),
    'app.update.restart': (params) =>
      this.record('app.update.restart', params, () => ({ restarting: this.restarting })),
    'app.openExternal': (params) => this.record('app.openExternal', params, () => ({ ok: true })),
  };
  private readonly listeners = new Set<(data: unknown) => void>();

  constructor(public state: UpdateStateView = { phase: 'idle' }) {}

  on(event: string, listener: (data: unknown) => void): () => void {
    if (event !== 'app.update') return () => undefined;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  log(level: RendererLogLine['level'], message: string): void {
    this.logged.push({ level, message });
  }

  push(state: UpdateStateView): void {
    this.state = state;
    for (const listener of [...this.listeners]) listener(state);
  }

  callsOf(method: string): unknown[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.params);
  }

  private async record(method: string, params: unknown, result: () => unknown): Promise<unknown> {
    this.calls.push({ method, params });
    return result();
  }
}
