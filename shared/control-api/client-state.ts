import { ControlError } from './control-error.js';

/**
 * Lifecycle of a control client. `waiting` is the pause before a reconnect attempt, and `idle`
 * is both the start and where a failed first attempt returns, since a first failure usually means
 * a wrong address or token rather than a service that is restarting.
 */
export type ControlClientState = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';

const TRANSITIONS: Readonly<Record<ControlClientState, readonly ControlClientState[]>> = {
  idle: ['connecting', 'closed'],
  connecting: ['open', 'idle', 'waiting', 'closed'],
  open: ['waiting', 'closed'],
  waiting: ['connecting', 'closed'],
  closed: [],
};

/** The state of a control client with its listeners. A transition outside the table throws. */
export class ClientLifecycle {
  private current: ControlClientState = 'idle';
  private readonly listeners = new Set<(state: ControlClientState) => void>();

  constructor(private readonly reportError: (message: string, cause?: unknown) => void) {}

  get state(): ControlClientState {
    return this.current;
  }

  onChange(listener: (state: ControlClientState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  transition(next: ControlClientState): void {
    if (!TRANSITIONS[this.current].includes(next)) {
      throw new Error(`Control client cannot go from ${this.current} to ${next}`);
    }
    this.current = next;
    for (const listener of [...this.listeners]) {
      try {
        listener(next);
      } catch (error) {
        this.reportError('A control client state listener threw', error);
      }
    }
  }

  /** Resolves at `open`, and rejects with the last failure at `idle` or when the client closes. */
  whenOpen(lastFailure: () => ControlError | null): Promise<void> {
    if (this.current === 'open') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const stop = this.onChange((state) => {
        if (state === 'open') resolve();
        else if (state === 'idle') reject(lastFailure() ?? closedBeforeOpen());
        else if (state === 'closed') reject(closedBeforeOpen());
        else return;
        stop();
      });
    });
  }

  clearListeners(): void {
    this.listeners.clear();
  }
}

function closedBeforeOpen(): ControlError {
  return new ControlError('disconnected', 'The control client closed before it connected');
}
