import type {
  BenchBroker,
  BridgeHostMark,
  BridgeHostSummary,
  CloudHostMark,
  ProbeCounts,
  SimulatorHostMark,
} from './host-protocols.js';
import type { CommandMatch } from './command-matcher.js';
import {
  commandLatencyResult,
  frameLatencyResult,
  type CommandLatencyResult,
  type FrameLatencyResult,
  type MeasuredLatency,
} from './latency-result.js';
import type { LatencyMatch } from './latency-matcher.js';
import type { LogStats } from './log-stats.js';
import type { ResourceMark } from './resource-meter.js';
import { perPrinterHour, perPrinterMinute, perPrinterSecond } from './traffic-rates.js';

const MIB = 1024 * 1024;

/**
 * The measuring windows of a step, in the order they run: printers connected and idle, printing,
 * and printing while the cloud sends a pause or resume command to every printer every few seconds.
 */
export const PHASE_NAMES = ['idle', 'printing', 'commands'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

export interface ChannelResult {
  perPrinterPerMinute: number;
  bytesPerPrinterHour: number;
}

/** The measurements of one window; every rate is per printer. */
export interface PhaseResult {
  windowSeconds: number;
  bridge: {
    cpuPercent: number;
    rssMaxMiB: number;
    rssEndMiB: number;
    eventLoopP99Ms: number;
    eventLoopMaxMs: number;
  };
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
}

/** The measurements of one printer count. */
export interface StepResult {
  printers: number;
  broker: BenchBroker;
  connectSeconds: number;
  /** The bridge host's RSS after loading its modules, before any bridge started. */
  rssBaseMiB: number;
  /** The bridge host's largest sampled RSS from its start to the end of the last window. */
  rssMaxMiB: number;
  /** The bridge host's RSS at the end of the last window. */
  rssEndMiB: number;
  phases: Partial<Record<PhaseName, PhaseResult>>;
  frameLatency?: FrameLatencyResult;
  commandLatency?: CommandLatencyResult;
  health: LogStats & { outboxPending: number; notRunning: number };
  /** Runs of the step until one had a quiet enough machine; the last one is reported. */
  attempts: number;
}

/** The marks that each host took when one window opened and when it closed. */
export interface PhaseMarks {
  bridge: [BridgeHostMark, BridgeHostMark];
  simulators: [SimulatorHostMark, SimulatorHostMark];
  cloud: [CloudHostMark, CloudHostMark];
  /** Busy cores of the whole machine over the window, its interrupt part, and the orchestrator. */
  machine: { busyCores: number; interruptCores: number; orchestratorCores: number };
}

export interface StepMeasurements {
  printers: number;
  broker: BenchBroker;
  connectMs: number;
  bridgeBaseline: ResourceMark;
  phases: Partial<Record<PhaseName, PhaseMarks>>;
  frameLatency?: MeasuredLatency<LatencyMatch>;
  commandLatency?: MeasuredLatency<CommandMatch> & { probes: ProbeCounts; transports: string[] };
  summary: BridgeHostSummary;
  logStats: LogStats;
}

export function buildStepResult(measured: StepMeasurements): StepResult {
  const phases: Partial<Record<PhaseName, PhaseResult>> = {};
  for (const name of PHASE_NAMES) {
    const marks = measured.phases[name];
    if (marks) phases[name] = phaseResult(marks, measured.printers);
  }
  const running = measured.summary.states['running'] ?? 0;
  return {
    printers: measured.printers,
    broker: measured.broker,
    connectSeconds: measured.connectMs / 1000,
    rssBaseMiB: measured.bridgeBaseline.rssBytes / MIB,
    rssMaxMiB: stepRssMax(measured) / MIB,
    rssEndMiB: lastWindowEnd(measured).rssBytes / MIB,
    phases,
    ...(measured.frameLatency ? { frameLatency: frameLatencyResult(measured.frameLatency) } : {}),
    ...(measured.commandLatency
      ? { commandLatency: commandLatencyResult(measured.commandLatency) }
      : {}),
    health: {
      ...measured.logStats,
      outboxPending: measured.summary.outboxPending,
      notRunning: measured.printers - running,
    },
    attempts: 1,
  };
}

/** Returns the largest RSS of all marks. A window's first mark has the maximum since the mark before it. */
function stepRssMax(measured: StepMeasurements): number {
  const marks = Object.values(measured.phases).flatMap((phase) => phase.bridge);
  return Math.max(
    measured.bridgeBaseline.rssBytes,
    ...marks.map((mark) => Math.max(mark.resources.rssMaxBytes, mark.resources.rssBytes)),
  );
}

/** Returns the bridge host's mark at the end of the last window, or its baseline without one. */
function lastWindowEnd(measured: StepMeasurements): ResourceMark {
  const last = PHASE_NAMES.map((name) => measured.phases[name]).findLast((marks) => !!marks);
  return last ? last.bridge[1].resources : measured.bridgeBaseline;
}

function phaseResult(marks: PhaseMarks, printers: number): PhaseResult {
  const [bridgeStart, bridgeEnd] = marks.bridge;
  const [simStart, simEnd] = marks.simulators;
  const seconds = windowSeconds(bridgeStart.resources, bridgeEnd.resources);
  const simulatorSeconds = windowSeconds(simStart.resources, simEnd.resources);
  const mqttStart = bridgeStart.traffic.watched;
  const mqttEnd = bridgeEnd.traffic.watched;
  return {
    windowSeconds: seconds,
    bridge: bridgeResources(bridgeStart.resources, bridgeEnd.resources),
    mqtt: {
      sentPerPrinterHour: perPrinterHour(mqttEnd.sent - mqttStart.sent, printers, seconds),
      receivedPerPrinterHour: perPrinterHour(
        mqttEnd.received - mqttStart.received,
        printers,
        seconds,
      ),
    },
    channels: channelResults(marks.cloud, printers),
    moonraker: {
      framesPerPrinterSecond: perPrinterSecond(
        simEnd.framesSent - simStart.framesSent,
        printers,
        simulatorSeconds,
      ),
      bytesPerPrinterHour: perPrinterHour(
        simEnd.frameBytes - simStart.frameBytes,
        printers,
        simulatorSeconds,
      ),
    },
    otherCpuPercent: otherCpu(marks),
    machine: machineLoad(marks),
    cloudEventLoopP99Ms: marks.cloud[1].resources.eventLoopDelay.p99Ms,
  };
}

function bridgeResources(start: ResourceMark, end: ResourceMark): PhaseResult['bridge'] {
  return {
    cpuPercent: cpuPercent(start, end),
    rssMaxMiB: Math.max(end.rssMaxBytes, start.rssBytes) / MIB,
    rssEndMiB: end.rssBytes / MIB,
    eventLoopP99Ms: end.eventLoopDelay.p99Ms,
    eventLoopMaxMs: end.eventLoopDelay.maxMs,
  };
}

/** Rates per channel. The subscriber's counts restart at each mark, so the end mark has the window's counts. */
function channelResults(
  [start, end]: PhaseMarks['cloud'],
  printers: number,
): Record<string, ChannelResult> {
  const seconds = windowSeconds(start.resources, end.resources);
  const results: Record<string, ChannelResult> = {};
  for (const [channel, traffic] of Object.entries(end.channels)) {
    results[channel] = {
      perPrinterPerMinute: perPrinterMinute(traffic.messages, printers, seconds),
      bytesPerPrinterHour: perPrinterHour(traffic.bytes, printers, seconds),
    };
  }
  return results;
}

function otherCpu(marks: PhaseMarks): PhaseResult['otherCpuPercent'] {
  const [cloudStart, cloudEnd] = marks.cloud;
  const result: PhaseResult['otherCpuPercent'] = {
    simulators: cpuPercent(marks.simulators[0].resources, marks.simulators[1].resources),
    cloud: cpuPercent(cloudStart.resources, cloudEnd.resources),
  };
  if (cloudStart.brokerCpuMicros !== undefined && cloudEnd.brokerCpuMicros !== undefined) {
    const elapsedMicros = (cloudEnd.resources.at - cloudStart.resources.at) * 1000;
    result.broker = ((cloudEnd.brokerCpuMicros - cloudStart.brokerCpuMicros) / elapsedMicros) * 100;
  }
  return result;
}

function machineLoad(marks: PhaseMarks): PhaseResult['machine'] {
  const others = otherCpu(marks);
  const bridgePercent = cpuPercent(marks.bridge[0].resources, marks.bridge[1].resources);
  const benchPercent = bridgePercent + others.simulators + others.cloud + (others.broker ?? 0);
  const { busyCores, interruptCores, orchestratorCores } = marks.machine;
  const unrelatedCores = busyCores - interruptCores - benchPercent / 100 - orchestratorCores;
  return { busyCores, unrelatedCores };
}

/** CPU time between two marks of one process, as % of one core's time in that interval. */
function cpuPercent(start: ResourceMark, end: ResourceMark): number {
  const elapsedMicros = (end.at - start.at) * 1000;
  return ((end.cpuMicros - start.cpuMicros) / elapsedMicros) * 100;
}

function windowSeconds(start: ResourceMark, end: ResourceMark): number {
  return (end.at - start.at) / 1000;
}
