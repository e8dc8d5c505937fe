/**
 * Benchmark child process with one Moonraker simulator per printer. It records when each frame
 * carrying a new print_stats.state left a simulator, and toggles the prints for the latency probes.
 */
import { MoonrakerSimulator, type SentFrame } from '../main/simulator/moonraker-simulator.js';
import type {
  ProbeCounts,
  SimulatorHostMark,
  SimulatorHostProtocol,
  SimulatorHostStart,
  StateFrame,
} from './host-protocols.js';
import { ForwardClock } from './forward-clock.js';
import { serveHost } from './host-rpc.js';
import { PrintStateProbe } from './print-state-probe.js';
import { ResourceMeter } from './resource-meter.js';

/**
 * Simulated time skipped right after a printing simulator starts. The scenario's bed needs about
 * 88 s to come within 2 °C of 60 °C, so after this jump the print is extruding, with its progress
 * changing, before the bridges connect. Otherwise the whole window would measure a print that
 * waits for its heaters.
 */
const HEAT_UP_SKIP_MS = 100_000;

interface SimulatedPrinter {
  simulator: MoonrakerSimulator;
  url: string;
  state: string | undefined;
}

const meter = new ResourceMeter();
const printers: SimulatedPrinter[] = [];
const stateFrames: StateFrame[] = [];
let probes: PrintStateProbe[] = [];
let framesSent = 0;
let frameBytes = 0;

async function start(request: SimulatorHostStart): Promise<{ urls: string[] }> {
  for (let index = 0; index < request.count; index += 1) {
    const clock = new ForwardClock();
    const simulator = new MoonrakerSimulator({
      mode: { kind: 'scenario', name: request.scenario },
      identity: { hostname: `owl-bench-${index + 1}` },
      updateIntervalMs: request.updateIntervalMs,
      unknownCommand: 'respond',
      clock,
    });
    const { url } = await simulator.start();
    if (request.scenario === 'printing') clock.jump(HEAT_UP_SKIP_MS);
    const printer: SimulatedPrinter = { simulator, url, state: undefined };
    simulator.onFrame((frame) => recordFrame(index, printer, frame));
    printers.push(printer);
  }
  return { urls: printers.map((printer) => printer.url) };
}

/**
 * Counts a frame and keeps the print state changes. The simulator reports each frame right after
 * handing it to the socket, so `performance.now()` here is its send time on this process's clock.
 * The frame's own `sentAt` is on the simulator's clock, which the heat-up jump moved forward.
 */
function recordFrame(index: number, printer: SimulatedPrinter, frame: SentFrame): void {
  const sentAt = performance.now();
  framesSent += 1;
  frameBytes += Buffer.byteLength(frame.text);
  if (frame.method !== 'notify_status_update') return;
  if (!frame.text.includes('"print_stats"') || !frame.text.includes('"state"')) return;
  const state = printStatsState(frame.text);
  if (state === undefined) return;
  printer.state = state;
  stateFrames.push({ printer: index, state, sentAt });
}

/** Reads `params[0].print_stats.state` of a notify_status_update, when it is there. */
function printStatsState(text: string): string | undefined {
  const message = JSON.parse(text) as { params?: [Record<string, { state?: unknown }>?] };
  const state = message.params?.[0]?.['print_stats']?.state;
  return typeof state === 'string' ? state : undefined;
}

/** Starts one probe per printer, spread evenly over the interval. */
function startProbes(intervalMs: number): null {
  probes = printers.map((printer, index) => {
    const probe = new PrintStateProbe(printer.url, () => printer.state);
    probe.start((index * intervalMs) / printers.length, intervalMs);
    return probe;
  });
  return null;
}

function stopProbes(): ProbeCounts {
  const totals: ProbeCounts = { sent: 0, failed: 0 };
  for (const counts of probes.map((probe) => probe.stop())) {
    totals.sent += counts.sent;
    totals.failed += counts.failed;
  }
  probes = [];
  return totals;
}

function mark(): SimulatorHostMark {
  return { resources: meter.mark(), framesSent, frameBytes };
}

async function stop(): Promise<null> {
  stopProbes();
  await Promise.all(printers.map((printer) => printer.simulator.stop()));
  printers.length = 0;
  meter.dispose();
  return null;
}

serveHost<SimulatorHostProtocol>(
  {
    start,
    'probe-start': ({ intervalMs }) => startProbes(intervalMs),
    'probe-stop': () => stopProbes(),
    'window-start': () => mark(),
    'window-end': () => mark(),
    'state-frames': () => stateFrames,
    clock: () => ({ now: performance.now() }),
    stop,
  },
  async () => {
    await stop();
  },
);
