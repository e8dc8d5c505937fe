import type { UpdateStateView } from '../../../shared/contract/desktop-ipc.js';
import type { OwlBridge } from '../transport/owl-bridge.js';

/**
 * The preload's `window.owl` for component tests of the desktop methods. It returns `state` for
 * the update calls, records every call, and `push` sends an `app.update` event as the shell does.
 */
export class FakeDesktopBridge implements OwlBridge {
  readonly calls: { method: string; params: unknown }[] = [];
  /** The `restarting` value that `app.update.restart` returns. */
  restarting = true;
  private readonly listeners = new Set<(data: unknown) => void>();

  constructor(public state: UpdateStateView = { phase: 'idle' }) {}

  async call(method: string, params: unknown): Promise<unknown> {
    this.calls.push({ method, params });
    switch (method) {
      case 'app.update.state':
      case 'app.update.check':
        return this.state;
      case 'app.update.restart':
        return { restarting: this.restarting };
      default:
        throw { code: 'unknown_method', message: `No fake desktop method ${method}` };
    }
  }

  on(event: string, listener: (data: unknown) => void): () => void {
    if (event !== 'app.update') return () => undefined;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  push(state: UpdateStateView): void {
    this.state = state;
    for (const listener of [...this.listeners]) listener(state);
  }

  callsOf(method: string): unknown[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.params);
  }
}
