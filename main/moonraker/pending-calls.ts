import type { Clock, TimerHandle } from '../support/clock.js';
import { asMoonrakerError, type MoonrakerError } from './errors.js';
import { callTimeoutError } from './rpc-errors.js';

interface PendingCall {
  method: string;
  timer: TimerHandle;
  onResult?: (result: unknown) => void;
  resolve(result: unknown): void;
  reject(error: MoonrakerError): void;
}

/**
 * JSON-RPC requests waiting for their response, by id. Ids increase from 1, and each call has
 * its own deadline on the clock and rejects with `timeout` when it passes.
 */
export class PendingCalls {
  private readonly calls = new Map<number, PendingCall>();
  private nextId = 1;

  constructor(private readonly clock: Clock) {}

  /** Registers a call and returns its id and the promise its response settles. */
  add(
    method: string,
    timeoutMs: number,
    onResult?: (result: unknown) => void,
  ): { id: number; settled: Promise<unknown> } {
    const id = this.nextId++;
    const settled = new Promise<unknown>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.calls.delete(id);
        reject(callTimeoutError(method, timeoutMs));
      }, timeoutMs);
      this.calls.set(id, { method, timer, onResult, resolve, reject });
    });
    return { id, settled };
  }

  /**
   * Resolves the call, running its `onResult` first and synchronously. An `onResult` that throws
   * rejects the call instead. Returns false when no call with this id is pending.
   */
  resolve(id: number | string, result: unknown): boolean {
    const call = this.take(id);
    if (!call) return false;
    try {
      call.onResult?.(result);
      call.resolve(result);
    } catch (error) {
      call.reject(asMoonrakerError(error, 'invalid_response'));
    }
    return true;
  }

  /** Rejects the call with the error built from its method. False when none is pending. */
  reject(id: number | string, error: (method: string) => MoonrakerError): boolean {
    const call = this.take(id);
    if (!call) return false;
    call.reject(error(call.method));
    return true;
  }

  rejectAll(error: (method: string) => MoonrakerError): void {
    for (const id of [...this.calls.keys()]) this.reject(id, error);
  }

  private take(id: number | string): PendingCall | undefined {
    if (typeof id !== 'number') return undefined;
    const call = this.calls.get(id);
    if (!call) return undefined;
    this.calls.delete(id);
    this.clock.clearTimeout(call.timer);
    return call;
  }
}
