import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { MAX_COMMAND_PAYLOAD_BYTES } from '../../shared/contract/commands.js';
import type { CommandAck } from '../../shared/contract/commands.js';
import { ackTopic } from '../../shared/contract/topics.js';
import type { PrinterBridgeOptions } from '../../main/bridge/bridge-options.js';
import type { ScenarioName } from '../../main/simulator/moonraker-simulator.js';
import { BridgeRig } from '../support/bridge-rig.js';
import type { ReceivedAck } from '../support/cloud-observer.js';
import { envelopeRequest, legacyRequest } from '../support/command-requests.js';
import { startScenarioPrinter, type ScenarioPrinter } from '../support/scenario-printer.js';
import { printerReaches, queryPrinterObjects } from '../support/simulator-access.js';

const ACK_TIMEOUT_MS = 10_000;

let rig: BridgeRig;

beforeEach(() => {
  rig = new BridgeRig();
});

afterEach(async () => {
  await rig.dispose();
});

function startPrinter(
  scenario: ScenarioName,
  speed: number,
  overrides: Partial<PrinterBridgeOptions> = {},
): Promise<ScenarioPrinter> {
  return startScenarioPrinter(rig, scenario, speed, overrides);
}

function summary(received: ReceivedAck): Record<string, unknown> {
  const { status, stage, reason, result, skipped } = received.ack.payload;
  return {
    topic: received.message.topic,
    status,
    stage,
    ...(reason ? { reason } : {}),
    ...(result ? { result } : {}),
    ...(skipped ? { skipped } : {}),
  };
}

describe('command round trip', () => {
  it('acks a legacy fan request and sets the fan', async () => {
    const setup = await startPrinter('idle', 1);
    const topic = ackTopic(setup.deviceId, 'fan:set-speed');

    await setup.send(
      'fan:set-speed',
      legacyRequest('fan-1', 'fan:set-speed', { fan: 'fan', speed: 0.5 }),
    );
    await setup.waitForAck('fan-1', 'completed');

    expect(topic.endsWith('/acks/fan%3Aset-speed')).toBe(true);
    expect(setup.acks('fan-1').map(summary)).toEqual([
      { topic, status: 'accepted', stage: 'dispatch' },
      { topic, status: 'completed', stage: 'execution', result: { fan: 'fan', speed: 0.5 } },
    ]);
    const { fan } = await queryPrinterObjects(setup.printer.url, ['fan']);
    expect(fan?.['speed']).toBeCloseTo(127 / 255, 5);
    expect(setup.observer.problems()).toEqual([]);
  });

  it('confirms pause, resume and cancel by state', { timeout: 45_000 }, async () => {
    // At a real printer's pace, each of Klipper's macros takes 1 to 1.5 s.
    const setup = await startPrinter('printing', 1);
    await setup.observer.waitForEvent(setup.deviceId, 'print:started', ACK_TIMEOUT_MS);
    const steps = [
      { commandId: 'pause-1', command: 'print:pause', state: 'paused', envelope: true },
      { commandId: 'resume-1', command: 'print:resume', state: 'printing', envelope: false },
      { commandId: 'cancel-1', command: 'print:cancel', state: 'cancelled', envelope: true },
    ];

    for (const step of steps) {
      const reached = printerReaches(setup.printer, step.state, performance.now(), ACK_TIMEOUT_MS);
      const request = step.envelope
        ? envelopeRequest(setup.deviceId, step.commandId, step.command)
        : legacyRequest(step.commandId, step.command);
      await setup.send(step.command, request);
      await setup.waitForAck(step.commandId, 'completed');
      const reachedAt = await reached;

      const topic = ackTopic(setup.deviceId, step.command);
      const acks = setup.acks(step.commandId);
      expect(acks.map(summary)).toEqual([
        { topic, status: 'accepted', stage: 'dispatch' },
        { topic, status: 'completed', stage: 'execution' },
      ]);
      expect(acks[0]?.message.receivedAt).toBeLessThan(reachedAt);
      expect(acks[1]?.message.receivedAt).toBeGreaterThan(reachedAt);
    }
    await setup.observer.waitForEvent(setup.deviceId, 'print:cancelled', ACK_TIMEOUT_MS);
    expect(setup.observer.eventNames(setup.deviceId)).toEqual([
      'print:started',
      'print:paused',
      'print:resumed',
      'print:cancelled',
    ]);
    expect(setup.observer.problems()).toEqual([]);
  });

  it('times out a pause while idle', async () => {
    // The deadline is 2 s instead of the default 30 s. The same timer fires either way, sooner.
    const setup = await startPrinter('idle', 1, { commandStateTimeoutSeconds: 2 });

    await setup.send('print:pause', envelopeRequest(setup.deviceId, 'pause-idle', 'print:pause'));
    await setup.waitForAck('pause-idle', 'failed');

    const topic = ackTopic(setup.deviceId, 'print:pause');
    const acks = setup.acks('pause-idle');
    expect(acks.map(summary)).toEqual([
      { topic, status: 'accepted', stage: 'dispatch' },
      {
        topic,
        status: 'failed',
        stage: 'execution',
        reason: { code: 'state_timeout', message: "Timeout waiting for state 'paused'" },
      },
    ]);
    const waitedMs = (acks[1]?.message.receivedAt ?? 0) - (acks[0]?.message.receivedAt ?? 0);
    expect(waitedMs).toBeGreaterThanOrEqual(1_900);
  });
});

interface MalformedCase {
  title: string;
  topicName: string;
  payload: string | Buffer;
  commandId: string;
  /** The acks in order: a dispatch failure alone, or accepted and an execution failure. */
  expected: Record<string, unknown>[];
}

function dispatchFailure(code: string, message: string): Record<string, unknown>[] {
  return [{ status: 'failed', stage: 'dispatch', reason: { code, message } }];
}

function executionFailure(code: string, message: string): Record<string, unknown>[] {
  return [
    { status: 'accepted', stage: 'dispatch' },
    { status: 'failed', stage: 'execution', reason: { code, message } },
  ];
}

/** Valid JSON that is one byte larger than the largest payload the device parses. */
function oversizedRequest(): string {
  const base = legacyRequest('too-large', 'fan:set-speed', { fan: 'fan', speed: 0.5, padding: '' });
  const padding = 'x'.repeat(MAX_COMMAND_PAYLOAD_BYTES + 1 - Buffer.byteLength(base));
  return base.replace('"padding":""', `"padding":"${padding}"`);
}

function malformedCases(deviceId: string): MalformedCase[] {
  return [
    {
      title: 'text that is not JSON',
      topicName: 'print:pause',
      payload: 'pause please',
      commandId: '',
      expected: dispatchFailure('invalid_json', 'Payload is not valid JSON'),
    },
    {
      title: 'a JSON array',
      topicName: 'print:pause',
      payload: '[{"commandId":"in-array"}]',
      commandId: '',
      expected: dispatchFailure('invalid_payload', 'Payload must be a JSON object'),
    },
    {
      title: 'a request without an id',
      topicName: 'print:pause',
      payload: JSON.stringify({ command: 'print:pause', parameters: {} }),
      commandId: '',
      expected: dispatchFailure('invalid_payload', 'Payload has no command id ($id or commandId)'),
    },
    {
      title: 'legacy parameters that are not an object',
      topicName: 'fan:set-speed',
      payload: JSON.stringify({
        commandId: 'params-text',
        command: 'fan:set-speed',
        parameters: 'fast',
      }),
      commandId: 'params-text',
      expected: dispatchFailure('invalid_parameters', "'parameters' must be a JSON object"),
    },
    {
      title: 'envelope parameters that are not an object',
      topicName: 'fan:set-speed',
      payload: JSON.stringify({
        $v: 1,
        $type: 'command.request',
        $id: 'params-array',
        deviceId,
        payload: { command: 'fan:set-speed', parameters: [0.5] },
      }),
      commandId: 'params-array',
      expected: dispatchFailure('invalid_parameters', "'payload.parameters' must be a JSON object"),
    },
    {
      title: 'a payload over 64 KiB',
      topicName: 'fan:set-speed',
      payload: oversizedRequest(),
      commandId: '',
      expected: dispatchFailure(
        'payload_too_large',
        `Payload of ${MAX_COMMAND_PAYLOAD_BYTES + 1} bytes exceeds ${MAX_COMMAND_PAYLOAD_BYTES}`,
      ),
    },
    {
      title: 'bytes that are not UTF-8',
      topicName: 'print:pause',
      payload: Buffer.concat([
        Buffer.from('{"commandId":"'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}'),
      ]),
      commandId: '',
      expected: dispatchFailure('invalid_encoding', 'Payload is not valid UTF-8'),
    },
    {
      title: 'a fan speed of the wrong type',
      topicName: 'fan:set-speed',
      payload: envelopeRequest(deviceId, 'speed-type', 'fan:set-speed', {
        fan: 'fan',
        speed: true,
      }),
      commandId: 'speed-type',
      expected: executionFailure(
        'invalid_parameters',
        "Invalid parameters: 'speed' expected a number or a numeric string",
      ),
    },
    {
      title: 'an unknown command',
      topicName: 'print:levitate',
      payload: legacyRequest('unknown-1', 'print:levitate'),
      commandId: 'unknown-1',
      expected: executionFailure('unsupported_command', "Unsupported command 'print:levitate'"),
    },
    {
      title: 'a fan name carrying a G-code line',
      topicName: 'fan:set-speed',
      payload: legacyRequest('inject-1', 'fan:set-speed', { fan: 'fan\nM112', speed: 0.5 }),
      commandId: 'inject-1',
      expected: executionFailure(
        'invalid_identifier',
        `Invalid fan name "fan\\nM112": use only letters, digits, '_', '-' and '.'`,
      ),
    },
  ];
}

describe('malformed command requests', () => {
  it('fails each with its code and keeps working', { timeout: 45_000 }, async () => {
    const setup = await startPrinter('idle', 1);
    const cases = malformedCases(setup.deviceId);
    const ackMessages = () => setup.observer.ofKind(setup.deviceId, 'ack');
    const firstAckOf: number[] = [];

    for (const malformed of cases) {
      const before = ackMessages().length;
      firstAckOf.push(before);
      await setup.send(malformed.topicName, malformed.payload);
      await setup.observer.messages.waitFor(
        () => (ackMessages().length >= before + malformed.expected.length ? true : undefined),
        ACK_TIMEOUT_MS,
        `the acks of ${malformed.title}`,
      );
    }
    firstAckOf.push(ackMessages().length);
    await setup.send(
      'fan:set-speed',
      legacyRequest('after-1', 'fan:set-speed', { fan: 'fan', speed: 0.25 }),
    );
    const completed = await setup.waitForAck('after-1', 'completed');

    const received = ackMessages();
    cases.forEach((malformed, index) => {
      const acks = received.slice(firstAckOf[index], firstAckOf[index + 1]).map((message) => {
        const { commandId, ...rest } = (message.body as CommandAck).payload;
        return { commandId, topic: message.topic, ...rest };
      });
      const topic = ackTopic(setup.deviceId, malformed.topicName);
      const expected = malformed.expected.map((ack) => ({
        commandId: malformed.commandId,
        topic,
        ...ack,
      }));
      expect(acks, malformed.title).toMatchObject(expected);
      expect(acks, malformed.title).toHaveLength(expected.length);
    });
    expect(completed.payload.result).toEqual({ fan: 'fan', speed: 0.25 });
    const { fan, webhooks } = await queryPrinterObjects(setup.printer.url, ['fan', 'webhooks']);
    expect(fan?.['speed']).toBeCloseTo(63 / 255, 5);
    expect(webhooks?.['state']).toBe('ready');
    expect(setup.observer.eventNames(setup.deviceId)).toEqual([]);
    expect(setup.observer.problems()).toEqual([]);
  });
});
