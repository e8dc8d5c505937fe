import { settleWithin, type Clock } from '../../support/clock.js';
import { toDisposable, type Disposable } from '../../support/disposable.js';
import type { Logger } from '../../support/logger.js';
import type { ControlConnection } from './control-connection.js';

/** The connected clients of a control server, for counting, broadcasting and shutting down. */
export class ConnectionRegistry {
  private readonly connections = new Set<ControlConnection>();
  private readonly countListeners = new Set<(count: number) => void>();

  constructor(private readonly logger: Logger) {}

  get size(): number {
    return this.connections.size;
  }

  /** Tracks a connection until its socket closes. */
  add(connection: ControlConnection): void {
    this.connections.add(connection);
    this.logger.info({ clients: this.connections.size }, 'control client connected');
    this.reportCount();
    void connection.closed.then(() => {
      this.connections.delete(connection);
      this.logger.info({ clients: this.connections.size }, 'control client disconnected');
      this.reportCount();
    });
  }

  onCountChange(listener: (count: number) => void): Disposable {
    this.countListeners.add(listener);
    return toDisposable(() => this.countListeners.delete(listener));
  }

  broadcast(text: string): void {
    for (const connection of this.connections) connection.sendText(text);
  }

  /** Closes every connection with 1001 and terminates those still open after `deadlineMs`. */
  async closeAll(clock: Clock, deadlineMs: number): Promise<void> {
    const connections = [...this.connections];
    for (const connection of connections) connection.close(1001, 'service stopping');
    const allClosed = Promise.all(connections.map((connection) => connection.closed));
    await settleWithin(clock, allClosed, deadlineMs);
    for (const connection of connections) connection.terminate();
  }

  private reportCount(): void {
    for (const listener of [...this.countListeners]) {
      try {
        listener(this.connections.size);
      } catch (error) {
        this.logger.error({ err: error }, 'client count listener threw');
      }
    }
  }
}
