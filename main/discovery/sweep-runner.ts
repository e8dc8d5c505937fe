import type {
  NetworkInterfaceView,
  SweepProgress,
} from '../../shared/control-api/printer-views.js';
import { ListenerSet } from '../support/listener-set.js';
import type { Clock } from '../support/clock.js';
import type { Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';
import { discoveryError } from './discovery-errors.js';
import type { Sighting } from './discovery-registry.js';
import type { ProbeResult } from './moonraker-probe.js';
import { SubnetSweep } from './subnet-sweep.js';
import { resolveSweepNetwork } from './sweep-network.js';

/** A sweep request from a caller; SweepOptions lists the defaults. */
export interface SweepRequest {
  /** IPv4 CIDR; the network of `interfaceAddress` (or of the only physical interface) if absent. */
  cidr?: string;
  port?: number;
  concurrency?: number;
  perHostTimeoutMs?: number;
  interfaceAddress?: string;
}

export interface SweepRunnerOptions {
  clock: Clock;
  logger: Logger;
  interfaces: () => NetworkInterfaceView[];
  probe: (target: {
    host: string;
    port: number;
    timeoutMs: number;
    signal: AbortSignal;
  }) => Promise<ProbeResult>;
  onFound: (sighting: Sighting) => void;
  onListenerError: (error: unknown) => void;
  createId?: () => string;
}

/** How many finished sweeps are remembered, so a late cancel of one is not an error. */
const FINISHED_SWEEPS_KEPT = 20;

/** Runs one subnet sweep at a time and forwards its progress and findings. */
export class SweepRunner implements Disposable {
  private readonly progress: ListenerSet<[SweepProgress]>;
  private running: SubnetSweep | undefined;
  private readonly finished: string[] = [];
  private disposed = false;

  constructor(private readonly options: SweepRunnerOptions) {
    this.progress = new ListenerSet(options.onListenerError);
  }

  onProgress(listener: (progress: SweepProgress) => void): Disposable {
    return this.progress.add(listener);
  }

  /**
   * Starts a sweep and returns its first progress. Throws `busy` while another sweep runs and
   * `invalid_arguments` for a bad CIDR, interface or option.
   */
  start(request: SweepRequest): SweepProgress {
    if (this.running) {
      const { cidr, scanned, total } = this.running.progress;
      throw discoveryError(
        'busy',
        `A sweep of ${cidr} is already running (${scanned} of ${total} addresses scanned). ` +
          'Cancel it or wait for it to finish.',
        { details: { sweepId: this.running.id } },
      );
    }
    const network = resolveSweepNetwork(request, this.options.interfaces());
    const sweep = new SubnetSweep(
      {
        network,
        port: request.port,
        concurrency: request.concurrency,
        perHostTimeoutMs: request.perHostTimeoutMs,
      },
      {
        clock: this.options.clock,
        logger: this.options.logger,
        probe: this.options.probe,
        createId: this.options.createId,
        onProgress: (progress) => this.progress.emit(progress),
        onFound: (result, sweepId) =>
          this.options.onFound({ source: 'sweep', claim: sweepId, result }),
      },
    );
    this.running = sweep;
    void sweep.done.then(() => this.finish(sweep));
    this.options.logger.info(sweep.progress, 'Subnet sweep started');
    return sweep.progress;
  }

  /** Cancels the running sweep. A finished one is left alone; an unknown id is `not_found`. */
  cancel(sweepId: string): void {
    if (this.running?.id === sweepId) {
      this.running.cancel();
      return;
    }
    if (this.finished.includes(sweepId)) return;
    throw discoveryError('not_found', `No sweep with id "${sweepId}" was started.`, {
      details: { sweepId },
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.running?.cancel();
    this.progress.clear();
  }

  private finish(sweep: SubnetSweep): void {
    if (this.running === sweep) this.running = undefined;
    this.finished.push(sweep.id);
    if (this.finished.length > FINISHED_SWEEPS_KEPT) this.finished.shift();
  }
}
