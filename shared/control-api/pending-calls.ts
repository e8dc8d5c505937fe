import { ControlError } from './control-error.js';
import type { ClientTimers } from './control-socket.js';

interface PendingCall {
  method: string;
  timer: unknown;
  resolve(result: unknown): void;
  reject(error: ControlError): void;
}

/**
 * Calls sent and still without a response, by request id. Each call rejects with `timeout` when its
 * response does not arrive within its own deadline.
 */
export class PendingCalls {
  private readonly calls = new Map<number, PendingCall>();
  private nextId = 1;

  constructor(private readonly timers: ClientTimers) {}

  get size(): number {
    return this.calls.size;
  }

  /** Reserves an id for a call, whose promise settles by `resolve`, `reject` or the deadline. */
  register(method: string, timeoutMs: number): { id: number; result: Promise<unknown> } {
    const id = this.nextId++;
    const result = new Promise<unknown>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => this.expire(id), timeoutMs);
      this.calls.set(id, { method, timer, resolve, reject });
    });
    return { id, result };
  }

  resolve(id: number, result: unknown): boolean {
    const call = this.take(id);
    call?.resolve(result);
    return call !== undefined;
  }

  reject(id: number, error: ControlError): boolean {
    const call = this.take(id);
    call?.reject(error);
    return call !== undefined;
  }

  /** Rejects every pending call with the error that `describe` builds from its method name. */
  rejectAll(describe: (method: string) => ControlError): void {
    for (const id of [...this.calls.keys()]) {
      const call = this.take(id);
      call?.reject(describe(call.method));
    }
  }

  private expire(id: number): void {
    const call = this.calls.get(id);
    if (!call) return;
    this.calls.delete(id);
    call.reject(new ControlError('timeout', `The control call ${call.method} timed out`));
  }

  private take(id: number): PendingCall | undefined {
    const call = this.calls.get(id);
    if (!call) return undefined;
    this.calls.delete(id);
    this.timers.clearTimeout(call.timer);
    return call;
  }
}
