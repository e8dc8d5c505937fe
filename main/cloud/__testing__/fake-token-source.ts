import { toDisposable, type Disposable } from '../../support/disposable.js';
import type { TokenSource } from '../token-source.js';

/** Test helper: tokens named `token-1`, `token-2`, … that change on refresh and renewal. */
export class FakeTokenSource implements TokenSource {
  refreshCount = 0;
  private generation = 1;
  private readonly listeners = new Set<() => void>();
  private readonly issuedListeners = new Set<() => void>();
  private pendingRelease: { promise: Promise<void>; release: () => void } | null = null;

  /** Resolves after `release()` when `hold()` was called, which stalls connect attempts. */
  async current(): Promise<string> {
    await this.pendingRelease?.promise;
    return this.token;
  }

  hold(): void {
    if (this.pendingRelease) return;
    let release = (): void => undefined;
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.pendingRelease = { promise, release };
  }

  release(): void {
    this.pendingRelease?.release();
    this.pendingRelease = null;
  }

  refresh(): Promise<string> {
    this.refreshCount += 1;
    this.generation += 1;
    return Promise.resolve(this.token);
  }

  onRenewed(listener: () => void): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  onIssued(listener: () => void): Disposable {
    this.issuedListeners.add(listener);
    return toDisposable(() => this.issuedListeners.delete(listener));
  }

  /** Issues the next token and calls the renewal listeners, as a scheduled renewal does. */
  renew(): void {
    this.generation += 1;
    for (const listener of [...this.listeners]) listener();
    this.announceIssued();
  }

  /** Calls the listeners of `onIssued`, as a token that the manager's own retry obtained does. */
  announceIssued(): void {
    for (const listener of [...this.issuedListeners]) listener();
  }

  get token(): string {
    return `token-${this.generation}`;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

/** Lets queued microtasks and immediates run, so fake clients can emit their events. */
export async function settle(rounds = 5): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}
