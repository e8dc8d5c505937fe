import { setMaxListeners } from 'node:events';

import { v7 as uuidv7 } from 'uuid';

import type { SweepProgress } from '../../shared/control-api/printer-views.js';
import { delay, type Clock } from '../support/clock.js';
import { errorMessage } from '../support/coded-error.js';
import type { Logger } from '../support/logger.js';
import { invalidArguments } from './discovery-errors.js';
import { cidrHosts, formatCidr, hostAddresses, type Ipv4Cidr } from './ipv4.js';
import { MOONRAKER_DEFAULT_PORT, type ProbeResult } from './moonraker-probe.js';
import { tryTcpConnect, type TcpConnectOptions, type TcpConnectResult } from './tcp-connect.js';

export interface SweepOptions {
  network: Ipv4Cidr;
  port?: number;
  /** Hosts tried at once; 32 by default. */
  concurrency?: number;
  /** Deadline of each TCP connect, in milliseconds; 800 by default. */
  perHostTimeoutMs?: number;
  /** Pause between batches, in milliseconds; 20 by default. */
  pacingMs?: number;
  /** Deadline of each HTTP request to an open port, in milliseconds; 2000 by default. */
  probeTimeoutMs?: number;
}

/** A host that responded as Moonraker, or as Moonraker requesting authorization. */
export type SweepFinding = Extract<ProbeResult, { kind: 'confirmed' | 'unauthorized' }>;

export interface SweepDependencies {
  clock: Clock;
  logger: Logger;
  probe: (target: {
    host: string;
    port: number;
    timeoutMs: number;
    signal: AbortSignal;
  }) => Promise<ProbeResult>;
  connect?: (options: TcpConnectOptions) => Promise<TcpConnectResult>;
  createId?: () => string;
  onProgress: (progress: SweepProgress) => void;
  onFound: (finding: SweepFinding, sweepId: string) => void;
}

const LIMITS = { concurrency: [1, 256], perHostTimeoutMs: [50, 10_000] } as const;

/**
 * A sweep of one port across an IPv4 block: hosts are tried in batches of `concurrency`, each
 * with a TCP connect first and the HTTP probe only on an open port, with a short pause between
 * batches. Progress is reported once at the start, after every batch and at the end.
 */
export class SubnetSweep {
  readonly id: string;
  /** Settles with the final progress; never rejects. */
  readonly done: Promise<SweepProgress>;
  private readonly controller = new AbortController();
  private current: SweepProgress;

  /** Throws `invalid_arguments` for an out-of-range option. */
  constructor(
    private readonly options: SweepOptions,
    private readonly dependencies: SweepDependencies,
  ) {
    checkOptions(options);
    // Every host in flight listens for the abort, once for its connect and once for its probe.
    setMaxListeners(2 * this.concurrency + 10, this.controller.signal);
    this.id = (dependencies.createId ?? uuidv7)();
    this.current = {
      sweepId: this.id,
      cidr: formatCidr(options.network),
      scanned: 0,
      total: cidrHosts(options.network).count,
      found: 0,
      state: 'running',
    };
    this.done = this.run();
  }

  get progress(): SweepProgress {
    return { ...this.current };
  }

  /** Stops starting hosts and aborts those in flight; the sweep ends as `cancelled`. */
  cancel(): void {
    this.controller.abort();
  }

  private async run(): Promise<SweepProgress> {
    const signal = this.controller.signal;
    await Promise.resolve();
    this.report();
    try {
      let first = true;
      for (const batch of batches(hostAddresses(this.options.network), this.concurrency)) {
        if (!first) await delay(this.dependencies.clock, this.options.pacingMs ?? 20, signal);
        first = false;
        await Promise.all(batch.map((host) => this.scanHost(host)));
        if (signal.aborted) break;
        this.report();
      }
      this.finish(signal.aborted ? 'cancelled' : 'finished');
    } catch (error) {
      if (signal.aborted) this.finish('cancelled');
      else this.finish('failed', errorMessage(error));
    }
    return this.progress;
  }

  private get concurrency(): number {
    return this.options.concurrency ?? 32;
  }

  private async scanHost(host: string): Promise<void> {
    const { clock } = this.dependencies;
    const signal = this.controller.signal;
    const port = this.options.port ?? MOONRAKER_DEFAULT_PORT;
    const connect = this.dependencies.connect ?? tryTcpConnect;
    const timeoutMs = this.options.perHostTimeoutMs ?? 800;

    const connection = await connect({ host, port, timeoutMs, clock, signal });
    const result = connection.open
      ? await this.dependencies.probe({
          host,
          port,
          timeoutMs: this.options.probeTimeoutMs ?? 2000,
          signal,
        })
      : undefined;
    if (signal.aborted) return;

    this.current.scanned += 1;
    if (result?.kind === 'confirmed' || result?.kind === 'unauthorized') {
      this.current.found += 1;
      this.notify(() => this.dependencies.onFound(result, this.id));
    } else if (result) {
      this.dependencies.logger.debug(
        { sweepId: this.id, host, port, kind: result.kind },
        'Open port is not Moonraker',
      );
    }
  }

  private finish(state: SweepProgress['state'], error?: string): void {
    this.current.state = state;
    if (error !== undefined) this.current.error = error;
    const { logger } = this.dependencies;
    const fields = { ...this.current };
    if (state === 'failed') logger.error(fields, 'Subnet sweep failed');
    else logger.info(fields, `Subnet sweep ${state}`);
    this.report();
  }

  private report(): void {
    const progress = this.progress;
    this.notify(() => this.dependencies.onProgress(progress));
  }

  /** Runs a listener; a listener that throws is logged and does not stop the sweep. */
  private notify(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.dependencies.logger.error({ err: error, sweepId: this.id }, 'Sweep listener failed');
    }
  }
}

function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length < size) continue;
    yield batch;
    batch = [];
  }
  if (batch.length > 0) yield batch;
}

function checkOptions(options: SweepOptions): void {
  const port = options.port ?? MOONRAKER_DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw invalidArguments(`Invalid port ${port}. Enter a port from 1 to 65535, usually 7125.`);
  }
  for (const [name, [min, max]] of Object.entries(LIMITS)) {
    const value = options[name as keyof typeof LIMITS];
    if (value === undefined || (Number.isInteger(value) && value >= min && value <= max)) continue;
    throw invalidArguments(`Invalid ${name} ${value}. Enter a whole number from ${min} to ${max}.`);
  }
}
