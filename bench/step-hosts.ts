import { readFile } from 'node:fs/promises';

import type { BridgeTarget } from '../main/headless/bridge-group.js';
import type {
  BenchBroker,
  BridgeHostProtocol,
  CloudHostProtocol,
  CloudHostStarted,
  SimulatorHostProtocol,
} from './host-protocols.js';
import type { ResourceMark } from './resource-meter.js';
import { HostProcess } from './host-rpc.js';
import { linkPrinters } from './printer-linking.js';

export interface StepHostOptions {
  printers: number;
  broker: BenchBroker;
  updateIntervalMs: number;
  /** The step's own folder: the bridges' data and their log file. */
  stepDir: string;
  logFile: string;
  logLevel: string;
}

/**
 * Returns the URL of the host script `name` beside this module, with this module's extension: .js
 * when the benchmark runs compiled, .ts when it runs through tsx.
 */
function siblingScript(name: string): URL {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, import.meta.url);
}

/** Time allowed for the bridges to connect: generous, so a slow machine still finishes. */
function connectTimeoutMs(printers: number): number {
  return 30_000 + printers * 500;
}

/**
 * The three fresh child processes of one step: the local cloud with the measuring subscriber, the
 * Moonraker simulators, and the bridges. `start` links every printer and waits until each bridge
 * is connected to the broker.
 */
export class StepHosts {
  bridgeBaseline: ResourceMark | undefined;
  connectMs = 0;
  private cloudStarted: CloudHostStarted | undefined;
  private readonly printerByDevice = new Map<string, number>();

  private constructor(
    readonly cloud: HostProcess<CloudHostProtocol>,
    readonly simulators: HostProcess<SimulatorHostProtocol>,
    readonly bridges: HostProcess<BridgeHostProtocol>,
  ) {}

  static async start(options: StepHostOptions): Promise<StepHosts> {
    const hosts = new StepHosts(
      HostProcess.start('cloud host', siblingScript('cloud-host')),
      HostProcess.start('simulator host', siblingScript('simulator-host')),
      HostProcess.start('bridge host', siblingScript('bridge-host')),
    );
    try {
      await hosts.startAll(options);
      return hosts;
    } catch (error) {
      await hosts.stop();
      throw error;
    }
  }

  /** Returns the index of the simulated printer that was linked as `deviceId`. */
  printerIndex(deviceId: string): number | undefined {
    return this.printerByDevice.get(deviceId);
  }

  /** Device ids in printer order. */
  deviceIds(): string[] {
    return [...this.printerByDevice.entries()]
      .sort((a, b) => a[1] - b[1])
      .map(([deviceId]) => deviceId);
  }

  /** Stops the bridges first, so they send their Offline status, then the simulators and cloud. */
  async stop(): Promise<void> {
    await this.bridges.stop();
    await this.simulators.stop();
    const cloudStopped = await this.cloud.stop();
    const brokerPid = this.cloudStarted?.brokerPid;
    if (!cloudStopped && brokerPid !== undefined) await killMosquittoIfAlive(brokerPid);
  }

  private async startAll(options: StepHostOptions): Promise<void> {
    const [cloud, simulators, baseline] = await Promise.all([
      this.cloud.request('start', { broker: options.broker }),
      this.simulators.request(
        'start',
        { count: options.printers, updateIntervalMs: options.updateIntervalMs },
        60_000 + options.printers * 200,
      ),
      this.bridges.request('ready', undefined),
    ]);
    this.cloudStarted = cloud;
    this.bridgeBaseline = baseline;

    const targets = await linkPrinters(cloud, simulators.urls);
    for (const [index, target] of targets.entries()) {
      this.printerByDevice.set(target.credentials.deviceId, index);
    }
    await this.startBridges(options, cloud, targets);
  }

  private async startBridges(
    options: StepHostOptions,
    cloud: CloudHostStarted,
    targets: BridgeTarget[],
  ): Promise<void> {
    const timeoutMs = connectTimeoutMs(options.printers);
    const { started, connectMs } = await this.bridges.request(
      'start',
      {
        targets,
        cloud: { baseUrl: cloud.httpUrl, brokerUrl: cloud.mqttUrl },
        dataDir: options.stepDir,
        logFile: options.logFile,
        logLevel: options.logLevel,
        connectTimeoutMs: timeoutMs,
      },
      timeoutMs + 5_000,
    );
    if (started !== options.printers) {
      throw new Error(
        `Only ${started} of ${options.printers} bridges started; see ${options.logFile}`,
      );
    }
    this.connectMs = connectMs;
  }
}

/**
 * Ends a mosquitto that outlived its cloud host (as when the host was killed), by the PID the
 * host reported, after checking that this PID still belongs to a mosquitto.
 */
async function killMosquittoIfAlive(pid: number): Promise<void> {
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!command.includes('mosquitto')) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // The process exited in the meantime.
  }
}
