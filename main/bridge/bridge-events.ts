import type { Clock } from '../support/clock.js';
import { errorMessage } from '../support/coded-error.js';
import { toDisposable, type Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';

/** What changed in a bridge, so an owner knows that its snapshot may read differently now. */
export type BridgeChangeKind = 'state' | 'moonraker' | 'printer' | 'mqtt' | 'commands' | 'rate';

/** An exception that one of the bridge's callbacks or timers threw. */
export interface BridgeFault {
  /** The callback that threw, such as `moonraker input` or `timer`. */
  source: string;
  error: unknown;
}

/**
 * Listeners of one bridge's changes and faults. Listener exceptions are logged and never reach
 * the bridge, so an owner's bug cannot break the printer it watches.
 */
export class BridgeEvents {
  private readonly changeListeners = new Set<(kind: BridgeChangeKind) => void>();
  private readonly faultListeners = new Set<(fault: BridgeFault) => void>();

  constructor(private readonly logger: Logger) {}

  onChange(listener: (kind: BridgeChangeKind) => void): Disposable {
    this.changeListeners.add(listener);
    return toDisposable(() => this.changeListeners.delete(listener));
  }

  onFault(listener: (fault: BridgeFault) => void): Disposable {
    this.faultListeners.add(listener);
    return toDisposable(() => this.faultListeners.delete(listener));
  }

  emitChange(kind: BridgeChangeKind): void {
    for (const listener of [...this.changeListeners]) this.call('change', () => listener(kind));
  }

  emitFault(fault: BridgeFault): void {
    for (const listener of [...this.faultListeners]) this.call('fault', () => listener(fault));
  }

  clear(): void {
    this.changeListeners.clear();
    this.faultListeners.clear();
  }

  private call(event: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.logger.error({ event, err: errorMessage(error) }, 'A bridge event listener threw');
    }
  }
}

/**
 * Wraps a callback so that an exception it throws goes to `onFault` instead of up the stack of
 * whoever called it: an emitter, a socket or a timer shared with other printers.
 */
export function guardCallback<Args extends unknown[]>(
  source: string,
  callback: (...args: Args) => void,
  onFault: (fault: BridgeFault) => void,
): (...args: Args) => void {
  return (...args: Args) => {
    try {
      callback(...args);
    } catch (error) {
      onFault({ source, error });
    }
  };
}

/** A clock whose timer callbacks report exceptions to `onFault` instead of throwing them. */
export function guardClock(clock: Clock, onFault: (fault: BridgeFault) => void): Clock {
  return {
    now: () => clock.now(),
    monotonic: () => clock.monotonic(),
    setTimeout: (callback, delayMs) =>
      clock.setTimeout(guardCallback('timer', callback, onFault), delayMs),
    clearTimeout: (handle) => clock.clearTimeout(handle),
  };
}
