import type { CommandLatencyResult, FrameLatencyResult } from '../latency-result.js';
import type { PhaseResult, StepResult } from '../step-result.js';

/** Builds a window's results with round numbers, where `cpuPercent` and the MQTT rates vary per test. */
export function phaseResult(
  cpuPercent: number,
  mqtt: { sent: number; received: number },
): PhaseResult {
  return {
    windowSeconds: 30,
    bridge: { cpuPercent, rssMaxMiB: 120, rssEndMiB: 118, eventLoopP99Ms: 1, eventLoopMaxMs: 4 },
    mqtt: { sentPerPrinterHour: mqtt.sent, receivedPerPrinterHour: mqtt.received },
    channels: {
      status: { perPrinterPerMinute: 7, bytesPerPrinterHour: 418_000 },
      acks: { perPrinterPerMinute: 40, bytesPerPrinterHour: 900_000 },
    },
    moonraker: { framesPerPrinterSecond: 4, bytesPerPrinterHour: 4_900_000 },
    otherCpuPercent: { simulators: 2, cloud: 1 },
    machine: { busyCores: 0.2, unrelatedCores: 0.05 },
    cloudEventLoopP99Ms: 1,
  };
}

/** Builds a step with all three windows and both latencies, with `overrides` replacing top-level fields. */
export function stepResult(printers: number, overrides: Partial<StepResult> = {}): StepResult {
  return {
    printers,
    broker: 'embedded',
    connectSeconds: 0.5,
    rssBaseMiB: 100,
    rssMaxMiB: 150,
    rssEndMiB: 140,
    phases: {
      idle: phaseResult(1.25, { sent: 173_000, received: 240 }),
      printing: phaseResult(4.5, { sent: 580_000, received: 1_680 }),
      commands: phaseResult(8, { sent: 2_700_000, received: 950_000 }),
    },
    frameLatency: frameLatency(),
    commandLatency: commandLatency(),
    health: { warnLines: 0, errorLines: 0, topMessages: [], outboxPending: 0, notRunning: 0 },
    attempts: 1,
    ...overrides,
  };
}

export function frameLatency(overrides: Partial<FrameLatencyResult> = {}): FrameLatencyResult {
  return {
    samples: 200,
    missing: 1,
    missingExamples: [],
    p50Ms: 6,
    p99Ms: 15.25,
    maxMs: 21,
    clockUncertaintyMs: 0.1,
    ...overrides,
  };
}

export function commandLatency(
  overrides: Partial<CommandLatencyResult> = {},
): CommandLatencyResult {
  return {
    samples: 200,
    unmatched: 0,
    unmatchedExamples: [],
    unexpected: 0,
    transports: ['http'],
    p50Ms: 3.5,
    p99Ms: 9,
    maxMs: 12,
    clockUncertaintyMs: 0.1,
    probes: { sent: 220, failed: 0 },
    ...overrides,
  };
}
