import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DeviceCredentials } from '../../shared/contract/device-http.js';
import type { LocalCloud } from '../../main/local-cloud/local-cloud.js';
import { BridgeRig, type RunningSimulator } from '../support/bridge-rig.js';
import type { CloudObserver } from '../support/cloud-observer.js';
import { envelopeRequest, legacyRequest } from '../support/command-requests.js';
import { queryPrinterObjects } from '../support/simulator-access.js';

const ACK_TIMEOUT_MS = 10_000;
const COMMAND = 'print-param:set-z-offset';
const COMMAND_ID = '00000000-0000-7000-8000-00000000d0b1';

let rig: BridgeRig;

beforeEach(() => {
  rig = new BridgeRig();
});

afterEach(async () => {
  await rig.dispose();
});

interface DuplicateSetup {
  cloud: LocalCloud;
  observer: CloudObserver;
  printer: RunningSimulator;
  credentials: DeviceCredentials;
  dataDir: string;
}

async function startSetup(): Promise<DuplicateSetup> {
  const cloud = await rig.cloud();
  const { mqttUrl, operatorMqtt } = cloud.endpoints;
  const observer = await rig.observer({ url: mqttUrl, login: operatorMqtt });
  const credentials = await rig.linkDevice(cloud);
  const printer = await rig.simulator({ mode: { kind: 'scenario', name: 'idle' } });
  const dataDir = await rig.tempDir('owl-bridge-');
  return { cloud, observer, printer, credentials, dataDir };
}

async function startBridge(setup: DuplicateSetup, name: string) {
  const bridge = await rig.startBridge({
    name,
    moonraker: { url: setup.printer.url },
    cloud: { baseUrl: setup.cloud.endpoints.httpUrl, brokerUrl: setup.cloud.endpoints.mqttUrl },
    credentials: setup.credentials,
    dataDir: setup.dataDir,
  });
  await bridge.whenCloudConnected();
  return bridge;
}

/**
 * Sends a command that completes at once and waits for its completion. Commands are processed in
 * arrival order, so every message sent before it has been handled by then.
 */
async function settle(setup: DuplicateSetup, commandId: string): Promise<void> {
  const { deviceId } = setup.credentials;
  const request = legacyRequest(commandId, 'print-param:set-speed', { percent: 100 });
  await setup.observer.sendCommand(deviceId, 'print-param:set-speed', request);
  await setup.observer.waitForAck(deviceId, commandId, 'completed', ACK_TIMEOUT_MS);
}

/** Returns the Z offset the printer applies now. Each executed adjustment adds to it. */
async function zOffsetMm(setup: DuplicateSetup): Promise<number> {
  const { gcode_move: gcodeMove } = await queryPrinterObjects(setup.printer.url, ['gcode_move']);
  const origin = gcodeMove?.['homing_origin'] as number[] | undefined;
  return origin?.[2] ?? Number.NaN;
}

function ackSummaries(setup: DuplicateSetup) {
  return setup.observer.acks(setup.credentials.deviceId, COMMAND_ID).map(({ ack }) => {
    const { status, stage, result, skipped } = ack.payload;
    return { status, stage, ...(result ? { result } : {}), ...(skipped ? { skipped } : {}) };
  });
}

describe('duplicate command ids', () => {
  it('executes once and replays after a restart', { timeout: 45_000 }, async () => {
    const setup = await startSetup();
    const { deviceId } = setup.credentials;
    const request = envelopeRequest(deviceId, COMMAND_ID, COMMAND, { adjustMm: 0.1 });
    const first = await startBridge(setup, 'printer-1');

    await setup.observer.sendCommand(deviceId, COMMAND, request);
    await setup.observer.waitForAck(deviceId, COMMAND_ID, 'completed', ACK_TIMEOUT_MS);
    await setup.observer.sendCommand(deviceId, COMMAND, request);
    await setup.observer.waitForAck(deviceId, COMMAND_ID, 'completed', ACK_TIMEOUT_MS, 2);
    await settle(setup, 'settle-1');

    const executed = { status: 'completed', stage: 'execution', result: { adjustMm: 0.1 } };
    expect(ackSummaries(setup)).toEqual([
      { status: 'accepted', stage: 'dispatch' },
      executed,
      { ...executed, skipped: true },
    ]);
    expect(await zOffsetMm(setup)).toBeCloseTo(0.1, 6);

    await first.stop();
    await startBridge(setup, 'printer-1-restarted');
    await setup.observer.sendCommand(deviceId, COMMAND, request);
    await setup.observer.waitForAck(deviceId, COMMAND_ID, 'completed', ACK_TIMEOUT_MS, 3);
    await settle(setup, 'settle-2');

    expect(ackSummaries(setup)).toEqual([
      { status: 'accepted', stage: 'dispatch' },
      executed,
      { ...executed, skipped: true },
      { ...executed, skipped: true },
    ]);
    expect(await zOffsetMm(setup)).toBeCloseTo(0.1, 6);
    expect(setup.observer.problems()).toEqual([]);
  });
});
