/**
 * Benchmark child process that runs the bridges, and nothing else, so that its CPU time and RSS
 * are theirs. It runs one BridgeGroup for the targets it is sent and reports its counters.
 */
import pino from 'pino';

import { BridgeGroup } from '../main/headless/bridge-group.js';
import { systemClock } from '../main/support/clock.js';
import { createLogger, type LogLevel } from '../main/support/logger.js';
import { APP_VERSION } from '../main/version.js';
import type { BridgeHostMark, BridgeHostProtocol, BridgeHostStart } from './host-protocols.js';
import { serveHost } from './host-rpc.js';
import { ResourceMeter } from './resource-meter.js';
import { SocketByteCounter } from './socket-bytes.js';
import { WindowProfiler } from './window-profiler.js';

const meter = new ResourceMeter();
const profiler = new WindowProfiler();
let group: BridgeGroup | undefined;
let sockets: SocketByteCounter | undefined;
let logDestination: ReturnType<typeof pino.destination> | undefined;

async function start(request: BridgeHostStart): Promise<{ started: number; connectMs: number }> {
  if (group) throw new Error('The bridges were already started');
  const brokerPort = Number(new URL(request.cloud.brokerUrl).port);
  sockets = new SocketByteCounter(brokerPort);
  logDestination = pino.destination({ dest: request.logFile, sync: false, mkdir: true });
  const logger = createLogger({ level: request.logLevel as LogLevel, destination: logDestination });

  const startedAt = performance.now();
  group = new BridgeGroup({
    cloud: request.cloud,
    dataDir: request.dataDir,
    version: APP_VERSION,
    clock: systemClock,
    logger,
    startSpacingMs: 0,
  });
  await group.start(request.targets);
  await withTimeout(group.whenAllConnected(), request.connectTimeoutMs, 'connecting the bridges');
  const started = group.snapshots().filter((snapshot) => snapshot.state === 'running').length;
  return { started, connectMs: performance.now() - startedAt };
}

function mark(): BridgeHostMark {
  return {
    resources: meter.mark(),
    traffic: sockets?.totals() ?? { watched: zero(), other: zero() },
  };
}

function summary(): BridgeHostProtocol['summary']['response'] {
  const states: Record<string, number> = {};
  const mqttStates: Record<string, number> = {};
  let outboxPending = 0;
  for (const snapshot of group?.snapshots() ?? []) {
    states[snapshot.state] = (states[snapshot.state] ?? 0) + 1;
    mqttStates[snapshot.mqtt.state] = (mqttStates[snapshot.mqtt.state] ?? 0) + 1;
    outboxPending += snapshot.outbox?.pending ?? 0;
  }
  return { states, mqttStates, outboxPending };
}

async function stop(): Promise<null> {
  await group?.stop();
  group = undefined;
  sockets?.dispose();
  meter.dispose();
  // The host exits right after this, so the last lines (the bridges' stops) are written now.
  try {
    logDestination?.flushSync();
  } catch {
    // The file was never opened, so there is nothing to write.
  }
  return null;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, operation: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${operation} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function zero(): { sent: number; received: number } {
  return { sent: 0, received: 0 };
}

serveHost<BridgeHostProtocol>(
  {
    ready: () => meter.mark(),
    start,
    'window-start': async ({ profile }) => {
      if (profile) await profiler.start();
      return mark();
    },
    'window-end': async ({ profileFile }) => {
      const result = mark();
      if (profileFile) await profiler.stop(profileFile);
      return result;
    },
    summary,
    stop,
  },
  async () => {
    await stop();
  },
);
