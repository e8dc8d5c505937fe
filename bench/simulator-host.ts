/**
 * Benchmark child process with one Moonraker simulator per printer, each running the idle
 * scenario until `start-prints`. It records when each frame carrying a new print_stats.state left
 * a simulator, and when each pause or resume request reached one.
 */
import {
  MoonrakerSimulator,
  type ReceivedRequest,
  type SentFrame,
} from '../main/simulator/moonraker-simulator.js';
import type {
  MoonrakerRequest,
  PrintStarts,
  ProbeMethod,
  SimulatorHostMark,
  SimulatorHostProtocol,
  SimulatorHostStart,
  StateFrame,
} from './host-protocols.js';
import { PROBE_METHODS } from './host-protocols.js';
import { ForwardClock } from './forward-clock.js';
import { serveHost } from './host-rpc.js';
import { ResourceMeter } from './resource-meter.js';

/**
 * Simulated time skipped right after a print starts. The bed needs about 88 s to come within
 * 2 °C of 60 °C, so after this jump the print is extruding, with its progress changing, within
 * one status update. Otherwise the printing window would measure a print that waits for its
 * heaters.
 */
const HEAT_UP_SKIP_MS = 100_000;
/** The simulator's 14-minute demo file, the one its printing scenario starts with. */
const PRINT_FILE = 'owl_cube_0.2mm_PLA_14m.gcode';
const PRINT_START_TIMEOUT_MS = 10_000;
const MAX_REPORTED_FAILURES = 3;

interface SimulatedPrinter {
  simulator: MoonrakerSimulator;
  clock: ForwardClock;
  url: string;
}

const meter = new ResourceMeter();
const printers: SimulatedPrinter[] = [];
const stateFrames: StateFrame[] = [];
const requests: MoonrakerRequest[] = [];
let framesSent = 0;
let frameBytes = 0;

async function start(request: SimulatorHostStart): Promise<{ urls: string[] }> {
  for (let index = 0; index < request.count; index += 1) {
    const clock = new ForwardClock();
    const simulator = new MoonrakerSimulator({
      mode: { kind: 'scenario', name: 'idle' },
      identity: { hostname: `owl-bench-${index + 1}` },
      updateIntervalMs: request.updateIntervalMs,
      unknownCommand: 'respond',
      clock,
    });
    const { url } = await simulator.start();
    simulator.onFrame((frame) => recordFrame(index, frame));
    simulator.onRequest((request) => recordRequest(index, request));
    printers.push({ simulator, clock, url });
  }
  return { urls: printers.map((printer) => printer.url) };
}

/**
 * Counts a frame and keeps the print state changes. The simulator reports each frame right after
 * handing it to the socket, so `performance.now()` here is its send time on this process's clock.
 * The frame's own `sentAt` is on the simulator's clock, which the heat-up jump moved forward.
 */
function recordFrame(index: number, frame: SentFrame): void {
  const sentAt = performance.now();
  framesSent += 1;
  frameBytes += Buffer.byteLength(frame.text);
  if (frame.method !== 'notify_status_update') return;
  if (!frame.text.includes('"print_stats"') || !frame.text.includes('"state"')) return;
  const state = printStatsState(frame.text);
  if (state !== undefined) stateFrames.push({ printer: index, state, sentAt });
}

/** Keeps the pause and resume requests, which the simulator reports before they run. */
function recordRequest(index: number, { method, transport }: ReceivedRequest): void {
  if (!PROBE_METHODS.includes(method)) return;
  const receivedAt = performance.now();
  requests.push({ printer: index, method: method as ProbeMethod, transport, receivedAt });
}

/** Reads `params[0].print_stats.state` of a notify_status_update, when it is there. */
function printStatsState(text: string): string | undefined {
  const message = JSON.parse(text) as { params?: [Record<string, { state?: unknown }>?] };
  const state = message.params?.[0]?.['print_stats']?.state;
  return typeof state === 'string' ? state : undefined;
}

/**
 * Starts the demo file on every printer through Moonraker's HTTP API, as a user would, and then
 * skips the heat-up on each printer that started.
 */
async function startPrints(): Promise<PrintStarts> {
  const outcomes = await Promise.all(printers.map((printer) => startPrint(printer)));
  const failures = outcomes.filter((outcome) => outcome !== undefined);
  return {
    started: outcomes.length - failures.length,
    failures: failures.slice(0, MAX_REPORTED_FAILURES),
  };
}

/** Returns undefined once the print started, or why it did not. */
async function startPrint(printer: SimulatedPrinter): Promise<string | undefined> {
  const query = new URLSearchParams({ filename: PRINT_FILE });
  try {
    const response = await fetch(`${printer.url}/printer/print/start?${query}`, {
      method: 'POST',
      signal: AbortSignal.timeout(PRINT_START_TIMEOUT_MS),
    });
    const body = await response.text();
    if (!response.ok) return `${printer.url}: HTTP ${response.status} ${body.slice(0, 200)}`;
    printer.clock.jump(HEAT_UP_SKIP_MS);
    return undefined;
  } catch (error) {
    return `${printer.url}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function mark(): SimulatorHostMark {
  return { resources: meter.mark(), framesSent, frameBytes };
}

async function stop(): Promise<null> {
  await Promise.all(printers.map((printer) => printer.simulator.stop()));
  printers.length = 0;
  meter.dispose();
  return null;
}

serveHost<SimulatorHostProtocol>(
  {
    start,
    'start-prints': startPrints,
    'window-start': () => mark(),
    'window-end': () => mark(),
    'state-frames': () => stateFrames,
    requests: () => requests,
    clock: () => ({ now: performance.now() }),
    stop,
  },
  async () => {
    await stop();
  },
);
