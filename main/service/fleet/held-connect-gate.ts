import type { ConnectGate } from '../../cloud/connect-loop.js';
import type { Disposable } from '../../support/disposable.js';
import type { ConnectBudget, HeldAdmission } from './connect-budget.js';

/**
 * The connect gate of one device connection. Each attempt keeps its admission from the gate
 * until `settle` reports the attempt's outcome, because an attempt may request a token before
 * its CONNECT goes out. The next gate call settles an attempt whose outcome was never reported.
 */
export class HeldConnectGate implements Disposable {
  private held: HeldAdmission | undefined;
  private disposed = false;

  constructor(private readonly budget: ConnectBudget) {}

  readonly gate: ConnectGate = async (signal) => {
    this.settle();
    const held = await this.budget.hold(signal);
    if (this.disposed) held.release();
    else this.held = held;
  };

  /** Ends the held admission: the attempt connected, failed, or its connection stopped. */
  settle(): void {
    this.held?.release();
    this.held = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.settle();
  }
}
