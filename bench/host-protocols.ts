import type { BridgeTarget } from '../main/headless/bridge-group.js';
import type { ResourceMark } from './resource-meter.js';
import type { SocketTraffic } from './socket-bytes.js';

export type BenchBroker = 'embedded' | 'mosquitto';

/** The two print states that a probe toggles between, and the event each change produces. */
export const PROBE_EVENTS = { paused: 'print:paused', printing: 'print:resumed' } as const;
export type ProbeEventName = (typeof PROBE_EVENTS)[keyof typeof PROBE_EVENTS];

/** The commands the cloud side sends as probes, and the Moonraker method each one makes the bridge call. */
export const PROBE_COMMANDS = {
  'print:pause': 'printer.print.pause',
  'print:resume': 'printer.print.resume',
} as const;
export type ProbeCommandName = keyof typeof PROBE_COMMANDS;
export type ProbeMethod = (typeof PROBE_COMMANDS)[ProbeCommandName];

export const PROBE_METHODS: readonly string[] = Object.values(PROBE_COMMANDS);

export interface ClockReading {
  /** `performance.now()` of the responding process. */
  now: number;
}

/** A notify_status_update that carried a new print_stats.state, as the simulator sent it. */
export interface StateFrame {
  printer: number;
  state: string;
  /** `performance.now()` of the simulator host when the frame was handed to the socket. */
  sentAt: number;
}

/** A print:paused or print:resumed event as the measuring subscriber received it. */
export interface EventReceipt {
  deviceId: string;
  eventName: ProbeEventName;
  /** `performance.now()` of the cloud host when the message was handed to the subscriber. */
  receivedAt: number;
}

/** A pause or resume command as the cloud host published it. */
export interface CommandPublish {
  deviceId: string;
  command: ProbeCommandName;
  commandId: string;
  /** `performance.now()` of the cloud host right before the message was handed to mqtt.js. */
  sentAt: number;
}

/** A printer.print.pause or printer.print.resume request as a simulator received it. */
export interface MoonrakerRequest {
  printer: number;
  method: ProbeMethod;
  transport: 'http' | 'websocket';
  /** `performance.now()` of the simulator host when the request reached the simulator's API. */
  receivedAt: number;
}

export interface ChannelTraffic {
  messages: number;
  /** Topic plus payload bytes of the messages, as the subscriber received them. */
  bytes: number;
}

export interface BridgeHostStart {
  targets: BridgeTarget[];
  cloud: { baseUrl: string; brokerUrl: string };
  dataDir: string;
  logFile: string;
  logLevel: string;
  connectTimeoutMs: number;
}

export interface BridgeHostMark {
  resources: ResourceMark;
  traffic: SocketTraffic;
}

export interface BridgeHostSummary {
  states: Record<string, number>;
  mqttStates: Record<string, number>;
  outboxPending: number;
}

/** Requests of the bridge host; a type alias, so it fits the generic request map. */
export type BridgeHostProtocol = {
  ready: { request: undefined; response: ResourceMark };
  start: { request: BridgeHostStart; response: { started: number; connectMs: number } };
  'window-start': { request: { profile: boolean }; response: BridgeHostMark };
  'window-end': { request: { profileFile?: string }; response: BridgeHostMark };
  summary: { request: undefined; response: BridgeHostSummary };
  stop: { request: undefined; response: null };
};

export interface SimulatorHostStart {
  count: number;
  updateIntervalMs: number;
}

export interface SimulatorHostMark {
  resources: ResourceMark;
  framesSent: number;
  frameBytes: number;
}

export interface ProbeCounts {
  /** Commands whose publish the broker acknowledged. */
  sent: number;
  failed: number;
}

export interface PrintStarts {
  started: number;
  /** Error messages of the starts that Moonraker's HTTP API rejected, at most a few. */
  failures: string[];
}

/** Requests of the simulator host; a type alias, so it fits the generic request map. */
export type SimulatorHostProtocol = {
  start: { request: SimulatorHostStart; response: { urls: string[] } };
  'start-prints': { request: undefined; response: PrintStarts };
  'window-start': { request: undefined; response: SimulatorHostMark };
  'window-end': { request: undefined; response: SimulatorHostMark };
  'state-frames': { request: undefined; response: StateFrame[] };
  requests: { request: undefined; response: MoonrakerRequest[] };
  clock: { request: undefined; response: ClockReading };
  stop: { request: undefined; response: null };
};

export interface CloudHostStarted {
  httpUrl: string;
  mqttUrl: string;
  operatorToken: string;
  /** PID of the mosquitto process, when the broker is mosquitto. */
  brokerPid?: number;
}

export interface CloudHostMark {
  resources: ResourceMark;
  /** CPU time of the mosquitto process, when the broker is mosquitto. */
  brokerCpuMicros?: number;
  /** Traffic by channel (`status`, `sensors`, `events`, `acks`, …) since the previous mark. */
  channels: Record<string, ChannelTraffic>;
}

export interface ProbeStart {
  /** Device ids of the printers to probe, in printer order. */
  deviceIds: string[];
  intervalMs: number;
}

/** Requests of the cloud host; a type alias, so it fits the generic request map. */
export type CloudHostProtocol = {
  start: { request: { broker: BenchBroker }; response: CloudHostStarted };
  'probe-start': { request: ProbeStart; response: null };
  'probe-stop': { request: undefined; response: ProbeCounts };
  'window-start': { request: undefined; response: CloudHostMark };
  'window-end': { request: undefined; response: CloudHostMark };
  receipts: { request: undefined; response: EventReceipt[] };
  commands: { request: undefined; response: CommandPublish[] };
  clock: { request: undefined; response: ClockReading };
  stop: { request: undefined; response: null };
};
