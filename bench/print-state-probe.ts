import type { ProbeCounts } from './host-protocols.js';

/** Time a pause or resume request may take before it counts as failed. */
const REQUEST_TIMEOUT_MS = 5_000;

/**
 * Toggles one simulated printer between printing and paused through Moonraker's HTTP API
 * (`POST /printer/print/pause` and `/printer/print/resume`), every `intervalMs` after a first
 * delay, so that each change makes the bridge publish a print:paused or print:resumed event.
 */
export class PrintStateProbe {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly counts: ProbeCounts = { sent: 0, failed: 0 };

  constructor(
    private readonly moonrakerUrl: string,
    /** The printer's latest print_stats.state as its frames carried it. */
    private readonly currentState: () => string | undefined,
  ) {}

  start(firstDelayMs: number, intervalMs: number): void {
    this.timer = setTimeout(() => {
      this.tick();
      this.timer = setInterval(() => this.tick(), intervalMs);
    }, firstDelayMs);
  }

  /** Stops toggling and returns the request counts. */
  stop(): ProbeCounts {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.timer);
    return { ...this.counts };
  }

  private tick(): void {
    if (this.stopped) return;
    // A printer whose state no frame has carried yet is printing: the scenario starts a print.
    const action = this.currentState() === 'paused' ? 'resume' : 'pause';
    void this.send(action);
  }

  private async send(action: 'pause' | 'resume'): Promise<void> {
    try {
      const response = await fetch(`${this.moonrakerUrl}/printer/print/${action}`, {
        method: 'POST',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      if (response.ok) this.counts.sent += 1;
      else this.counts.failed += 1;
    } catch {
      this.counts.failed += 1;
    }
  }
}
