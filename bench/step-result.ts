import type {
  BenchBroker,
  BenchScenario,
  BridgeHostMark,
  BridgeHostSummary,
  CloudHostMark,
  ProbeCounts,
  SimulatorHostMark,
} from './host-protocols.js';
import { percentile, type LatencyMatch } from './latency-matcher.js';
import type { LogStats } from './log-stats.js';
import type { ResourceMark } from './resource-meter.js';

const MIB = 1024 * 1024;
const SECONDS_PER_HOUR = 3600;

export interface LatencyResult {
  samples: number;
  /** Pauses and resumes in the window whose event did not arrive in time. */
  missing: number;
  /** Some of those, with their send time in seconds after the window opened. */
  missingExamples: { printer: number; state: string; secondsIntoWindow: number }[];
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Bound of the error from relating the processes' clocks. */
  clockUncertaintyMs: number;
  probes: ProbeCounts;
}

export interface ChannelResult {
  perPrinterPerMinute: number;
  bytesPerPrinterHour: number;
}

/** The measurements of one step; every rate is per printer. */
export interface StepResult {
  printers: number;
  scenario: BenchScenario;
  broker: BenchBroker;
  windowSeconds: number;
  connectSeconds: number;
  bridge: {
    cpuPercent: number;
    rssBaseMiB: number;
    rssMaxMiB: number;
    rssEndMiB: number;
    eventLoopP99Ms: number;
    eventLoopMaxMs: number;
  };
  latency?: LatencyResult;
  /** MQTT bytes on the bridges' broker connections, scaled to one printer and one hour. */
  mqtt: { sentPerPrinterHour: number; receivedPerPrinterHour: number };
  /** Messages and topic+payload bytes per channel, as the measuring subscriber received them. */
  channels: Record<string, ChannelResult>;
  moonraker: { framesPerPrinterSecond: number; bytesPerPrinterHour: number };
  /** CPU of the other processes of the benchmark, as % of one core. */
  otherCpuPercent: { simulators: number; cloud: number; broker?: number };
  /**
   * Busy cores of the whole machine, and the part that neither a process of the benchmark nor
   * interrupt handling (such as loopback networking) accounts for.
   */
  machine: { busyCores: number; unrelatedCores: number };
  /** Event-loop lag of the process with the broker and the subscriber. */
  cloudEventLoopP99Ms: number;
  health: LogStats & { outboxPending: number; notRunning: number };
  /** Runs of the step until one had a quiet enough machine; the last one is reported. */
  attempts: number;
}

export interface StepMeasurements {
  printers: number;
  scenario: BenchScenario;
  broker: BenchBroker;
  connectMs: number;
  bridgeBaseline: ResourceMark;
  bridge: [BridgeHostMark, BridgeHostMark];
  simulators: [SimulatorHostMark, SimulatorHostMark];
  cloud: [CloudHostMark, CloudHostMark];
  latency?: {
    match: LatencyMatch;
    windowFrom: number;
    clockUncertaintyMs: number;
    probes: ProbeCounts;
  };
  /** Busy cores of the whole machine over the window, its interrupt part, and the orchestrator. */
  machine: { busyCores: number; interruptCores: number; orchestratorCores: number };
  summary: BridgeHostSummary;
  logStats: LogStats;
}

export function buildStepResult(measured: StepMeasurements): StepResult {
  const [bridgeStart, bridgeEnd] = measured.bridge;
  const seconds = (bridgeEnd.resources.at - bridgeStart.resources.at) / 1000;
  const perPrinterHour = (bytes: number): number =>
    (bytes / measured.printers / seconds) * SECONDS_PER_HOUR;
  const mqttStart = bridgeStart.traffic.watched;
  const mqttEnd = bridgeEnd.traffic.watched;
  const [simStart, simEnd] = measured.simulators;
  const running = measured.summary.states['running'] ?? 0;

  return {
    printers: measured.printers,
    scenario: measured.scenario,
    broker: measured.broker,
    windowSeconds: seconds,
    connectSeconds: measured.connectMs / 1000,
    bridge: bridgeResources(measured.bridgeBaseline, bridgeStart.resources, bridgeEnd.resources),
    ...(measured.latency ? { latency: latencyResult(measured.latency) } : {}),
    mqtt: {
      sentPerPrinterHour: perPrinterHour(mqttEnd.sent - mqttStart.sent),
      receivedPerPrinterHour: perPrinterHour(mqttEnd.received - mqttStart.received),
    },
    channels: channelResults(measured.cloud[1].channels, measured.printers, seconds),
    moonraker: {
      framesPerPrinterSecond:
        (simEnd.framesSent - simStart.framesSent) / measured.printers / seconds,
      bytesPerPrinterHour: perPrinterHour(simEnd.frameBytes - simStart.frameBytes),
    },
    otherCpuPercent: otherCpu(measured),
    machine: machineLoad(measured, bridgeStart.resources, bridgeEnd.resources),
    cloudEventLoopP99Ms: measured.cloud[1].resources.eventLoopDelay.p99Ms,
    health: {
      ...measured.logStats,
      outboxPending: measured.summary.outboxPending,
      notRunning: measured.printers - running,
    },
    attempts: 1,
  };
}

function bridgeResources(
  baseline: ResourceMark,
  start: ResourceMark,
  end: ResourceMark,
): StepResult['bridge'] {
  return {
    cpuPercent: cpuPercent(start, end),
    rssBaseMiB: baseline.rssBytes / MIB,
    rssMaxMiB: Math.max(end.rssMaxBytes, start.rssBytes) / MIB,
    rssEndMiB: end.rssBytes / MIB,
    eventLoopP99Ms: end.eventLoopDelay.p99Ms,
    eventLoopMaxMs: end.eventLoopDelay.maxMs,
  };
}

function latencyResult(latency: NonNullable<StepMeasurements['latency']>): LatencyResult {
  const values = latency.match.latenciesMs;
  return {
    samples: values.length,
    missing: latency.match.missing,
    missingExamples: latency.match.missingExamples.map((change) => ({
      printer: change.printer,
      state: change.state,
      secondsIntoWindow: (change.sentAt - latency.windowFrom) / 1000,
    })),
    p50Ms: percentile(values, 50) ?? Number.NaN,
    p99Ms: percentile(values, 99) ?? Number.NaN,
    maxMs: percentile(values, 100) ?? Number.NaN,
    clockUncertaintyMs: latency.clockUncertaintyMs,
    probes: latency.probes,
  };
}

function channelResults(
  channels: CloudHostMark['channels'],
  printers: number,
  seconds: number,
): Record<string, ChannelResult> {
  const results: Record<string, ChannelResult> = {};
  for (const [channel, traffic] of Object.entries(channels)) {
    results[channel] = {
      perPrinterPerMinute: (traffic.messages / printers / seconds) * 60,
      bytesPerPrinterHour: (traffic.bytes / printers / seconds) * SECONDS_PER_HOUR,
    };
  }
  return results;
}

function otherCpu(measured: StepMeasurements): StepResult['otherCpuPercent'] {
  const [cloudStart, cloudEnd] = measured.cloud;
  const result: StepResult['otherCpuPercent'] = {
    simulators: cpuPercent(measured.simulators[0].resources, measured.simulators[1].resources),
    cloud: cpuPercent(cloudStart.resources, cloudEnd.resources),
  };
  if (cloudStart.brokerCpuMicros !== undefined && cloudEnd.brokerCpuMicros !== undefined) {
    const elapsedMicros = (cloudEnd.resources.at - cloudStart.resources.at) * 1000;
    result.broker = ((cloudEnd.brokerCpuMicros - cloudStart.brokerCpuMicros) / elapsedMicros) * 100;
  }
  return result;
}

function machineLoad(
  measured: StepMeasurements,
  bridgeStart: ResourceMark,
  bridgeEnd: ResourceMark,
): StepResult['machine'] {
  const others = otherCpu(measured);
  const benchPercent =
    cpuPercent(bridgeStart, bridgeEnd) + others.simulators + others.cloud + (others.broker ?? 0);
  const { busyCores, interruptCores, orchestratorCores } = measured.machine;
  const unrelatedCores = busyCores - interruptCores - benchPercent / 100 - orchestratorCores;
  return { busyCores, unrelatedCores };
}

/** CPU time between two marks of one process, as % of one core's time in that interval. */
function cpuPercent(start: ResourceMark, end: ResourceMark): number {
  const elapsedMicros = (end.at - start.at) * 1000;
  return ((end.cpuMicros - start.cpuMicros) / elapsedMicros) * 100;
}
