import type { CloudMessage } from './cloud-message.js';
import type { PrinterBridgeOptions } from '../../main/bridge/bridge-options.js';
import type { PrinterBridge } from '../../main/bridge/printer-bridge.js';
import type { ScenarioName } from '../../main/simulator/moonraker-simulator.js';
import type { AckStatus, CommandAck } from '../../shared/contract/commands.js';
import type { BridgeRig, RunningSimulator } from './bridge-rig.js';
import type { CloudObserver, ReceivedAck } from './cloud-observer.js';

const FIRST_STATUS_TIMEOUT_MS = 10_000;

/** A linked scenario printer with its bridge, seen from the cloud's side. */
export interface ScenarioPrinter {
  observer: CloudObserver;
  printer: RunningSimulator;
  bridge: PrinterBridge;
  deviceId: string;
  /** Publishes a request on `commands/{topicName}`. */
  send(topicName: string, payload: string | Buffer): Promise<void>;
  acks(commandId: string): ReceivedAck[];
  waitForAck(commandId: string, status: AckStatus, timeoutMs?: number): Promise<CommandAck>;
}

/**
 * Starts the local cloud with its embedded broker, a scenario printer and its bridge, and waits
 * until the cloud has received the printer's first live status.
 */
export async function startScenarioPrinter(
  rig: BridgeRig,
  scenario: ScenarioName,
  speed: number,
  overrides: Partial<PrinterBridgeOptions> = {},
): Promise<ScenarioPrinter> {
  const cloud = await rig.cloud();
  const { httpUrl, mqttUrl, operatorMqtt } = cloud.endpoints;
  const observer = await rig.observer({ url: mqttUrl, login: operatorMqtt });
  const credentials = await rig.linkDevice(cloud);
  const printer = await rig.simulator({ mode: { kind: 'scenario', name: scenario, speed } });
  const { deviceId } = credentials;
  const bridge = await rig.startBridge({
    moonraker: { url: printer.url },
    cloud: { baseUrl: httpUrl, brokerUrl: mqttUrl },
    credentials,
    ...overrides,
  });
  await bridge.whenCloudConnected();
  await observer.messages.waitForItem(
    (message) =>
      message.kind === 'status' && message.deviceId === deviceId && !isOfflineStatus(message),
    FIRST_STATUS_TIMEOUT_MS,
    'the first live status',
  );
  return {
    observer,
    printer,
    bridge,
    deviceId,
    send: (topicName, payload) => observer.sendCommand(deviceId, topicName, payload),
    acks: (commandId) => observer.acks(deviceId, commandId),
    waitForAck: (commandId, status, timeoutMs = FIRST_STATUS_TIMEOUT_MS) =>
      observer.waitForAck(deviceId, commandId, status, timeoutMs),
  };
}

/** The Offline status (Will or graceful stop) is the only status with `$seq` 0. */
function isOfflineStatus(message: CloudMessage): boolean {
  return (message.body as { $seq?: number } | undefined)?.$seq === 0;
}
