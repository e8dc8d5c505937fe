import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { MAX_COMMAND_PAYLOAD_BYTES, commandAckSchema } from '../../shared/contract/commands.js';
import type { CommandAck } from '../../shared/contract/commands.js';
import { commandStateItemSchema } from '../../shared/contract/events.js';
import type { CommandStateItem } from '../../shared/contract/events.js';
import { commandTopic } from '../../shared/contract/topics.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import { CodedError } from '../support/coded-error.js';
import type { Logger } from '../support/logger.js';
import { CommandProcessor } from './command-processor.js';
import type { CommandOutput } from './command-processor.js';
import { IdempotencyStore } from './idempotency-store.js';
import { FakePrinter, FakeTelemetry } from './__testing__/fake-printer.js';

const DEVICE = '00000000-0000-0000-0000-000000000003';
const IDENTITY = { deviceId: DEVICE, tenantId: 'tenant-1', printerId: 'printer-1' };

class RecordingOutput implements CommandOutput {
  readonly acks: { topicName: string; ack: CommandAck }[] = [];
  readonly items: CommandStateItem[] = [];
  onAck: (ack: CommandAck) => void = () => undefined;

  publishAck(topicName: string, ack: CommandAck): void {
    this.acks.push({ topicName, ack: commandAckSchema.parse(ack) });
    this.onAck(ack);
  }

  recordCommandState(item: CommandStateItem): void {
    this.items.push(commandStateItemSchema.parse(item));
  }

  get payloads(): CommandAck['payload'][] {
    return this.acks.map((entry) => entry.ack.payload);
  }

  get states(): string[] {
    return this.items.map((item) => `${item.data.commandId} ${item.data.state}`);
  }

  clear(): void {
    this.acks.length = 0;
    this.items.length = 0;
  }
}

function envelope(id: string, command: string, parameters: Record<string, unknown> = {}) {
  return {
    $v: 1,
    $type: 'command.request',
    $id: id,
    $ts: '2026-01-01T12:00:00+00:00',
    payload: { command, parameters },
  };
}

function encode(document: unknown): Uint8Array {
  return new TextEncoder().encode(
    typeof document === 'string' ? document : JSON.stringify(document),
  );
}

describe('CommandProcessor', () => {
  let folder: string;
  let clock: FakeClock;
  let printer: FakePrinter;
  let telemetry: FakeTelemetry;
  let output: RecordingOutput;
  let store: IdempotencyStore;
  let processor: CommandProcessor;
  let logLines: Record<string, unknown>[];

  function capturingLogger(): Logger {
    const destination = {
      write: (line: string) => logLines.push(JSON.parse(line) as Record<string, unknown>),
    };
    return pino({ level: 'debug' }, destination);
  }

  async function createProcessor(): Promise<CommandProcessor> {
    store = await IdempotencyStore.open({
      path: join(folder, 'idempotency.json'),
      clock,
      logger: capturingLogger(),
    });
    return new CommandProcessor({
      identity: () => IDENTITY,
      origin: 'moonraker-owl@0.1.0',
      context: { actions: printer, state: printer, telemetry },
      idempotency: store,
      output,
      clock,
      logger: capturingLogger(),
    });
  }

  function send(topicName: string, document: unknown): Promise<void> {
    return processor.handleMessage(commandTopic(DEVICE, topicName), encode(document));
  }

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'commands-'));
    clock = new FakeClock();
    printer = new FakePrinter();
    telemetry = new FakeTelemetry();
    output = new RecordingOutput();
    logLines = [];
    processor = await createProcessor();
  });

  afterEach(async () => {
    processor.dispose();
    await store.flush();
    store.dispose();
    expect(clock.pendingTimers).toBe(0);
    await rm(folder, { recursive: true, force: true });
  });

  describe('handleMessage', () => {
    it('acks, executes and completes a command', async () => {
      await send(
        'heater:set-target',
        envelope('c1', 'heater:set-target', { heater: 'extruder', target: 210 }),
      );

      expect(printer.gcode).toEqual(['SET_HEATER_TEMPERATURE HEATER=extruder TARGET=210.0']);
      expect(output.acks.map((entry) => entry.topicName)).toEqual([
        'heater:set-target',
        'heater:set-target',
      ]);
      expect(output.payloads).toEqual([
        {
          commandId: 'c1',
          status: 'accepted',
          stage: 'dispatch',
          tenantId: 'tenant-1',
          printerId: 'printer-1',
          correlation: { tenantId: 'tenant-1', printerId: 'printer-1' },
        },
        {
          commandId: 'c1',
          status: 'completed',
          stage: 'execution',
          tenantId: 'tenant-1',
          printerId: 'printer-1',
          correlation: { tenantId: 'tenant-1', printerId: 'printer-1' },
          result: { heater: 'extruder', target: 210 },
        },
      ]);
      expect(output.states).toEqual(['c1 dispatched', 'c1 accepted', 'c1 completed']);
      expect(output.items[2]).toEqual({
        eventName: 'system:command-state',
        severity: 'info',
        occurredAt: '2026-01-01T12:00:00+00:00',
        data: {
          commandId: 'c1',
          commandType: 'heater:set-target',
          state: 'completed',
          heater: 'extruder',
          target: 210,
        },
      });
    });

    it('runs a command in the legacy format', async () => {
      await send('fan:set-speed', {
        commandId: 'c2',
        command: 'fan:set-speed',
        parameters: { fan: 'fan', speed: 1 },
      });

      expect(printer.gcode).toEqual(['M106 S255']);
      expect(output.payloads.map((payload) => payload.status)).toEqual(['accepted', 'completed']);
      expect(output.payloads[1]?.result).toEqual({ fan: 'fan', speed: 1 });
    });

    it('selects the handler by payload and acks on the topic name', async () => {
      await send('Control:Rate', {
        commandId: 'c3',
        command: 'control:set-telemetry-rate',
        parameters: { mode: 'watch' },
      });

      expect(telemetry.requests).toEqual([{ mode: 'watch' }]);
      expect(output.acks.map((entry) => entry.topicName)).toEqual(['Control:Rate', 'Control:Rate']);
      expect(output.items.map((item) => item.data.commandType)).toEqual([
        'control:set-telemetry-rate',
        'control:set-telemetry-rate',
        'control:set-telemetry-rate',
      ]);
    });

    it('fails a handler error with its code and message', async () => {
      await send(
        'heater:set-target',
        envelope('c4', 'heater:set-target', { heater: 'extruder', target: 400 }),
      );

      const reason = {
        code: 'invalid_target',
        message: 'Target for extruder 400 is outside 0..300',
      };
      expect(output.payloads.map((payload) => payload.status)).toEqual(['accepted', 'failed']);
      expect(output.payloads[1]).toMatchObject({ stage: 'execution', reason });
      expect(output.items[2]?.data).toEqual({
        commandId: 'c4',
        commandType: 'heater:set-target',
        state: 'failed',
        ...reason,
      });
      expect(output.items[2]?.severity).toBe('warning');
      expect(printer.calls).toEqual([]);
    });

    it('fails an unknown command after accepting it', async () => {
      await send('sync:job-thumbnail', envelope('c5', 'sync:job-thumbnail'));

      expect(output.payloads).toMatchObject([
        { status: 'accepted', stage: 'dispatch' },
        {
          status: 'failed',
          stage: 'execution',
          reason: {
            code: 'unsupported_command',
            message: "Unsupported command 'sync:job-thumbnail'",
          },
        },
      ]);
      expect(output.states).toEqual(['c5 dispatched', 'c5 accepted', 'c5 failed']);
    });

    it('maps an error without a code to command_failed', async () => {
      telemetry.applyRate = () => {
        throw new TypeError('cadence is broken');
      };
      await send('control:set-telemetry-rate', envelope('c6', 'control:set-telemetry-rate'));

      expect(output.payloads[1]?.reason).toEqual({
        code: 'command_failed',
        message: 'cadence is broken',
      });
    });

    it('maps an error with a foreign code to command_failed', async () => {
      telemetry.applyRate = () => {
        throw new CodedError('timeout', 'cadence timed out');
      };
      await send('control:set-telemetry-rate', envelope('c7', 'control:set-telemetry-rate'));

      expect(output.payloads[1]?.reason).toEqual({
        code: 'command_failed',
        message: 'cadence timed out',
      });
    });

    it('records the execution ack before publishing it', async () => {
      const recordedAtPublish: boolean[] = [];
      output.onAck = (ack) => {
        if (ack.payload.stage === 'execution')
          recordedAtPublish.push(store.get(ack.payload.commandId) !== undefined);
      };
      await send('print-param:reset-z-offset', envelope('c8', 'print-param:reset-z-offset'));

      expect(recordedAtPublish).toEqual([true]);
    });

    it('survives an output that throws', async () => {
      output.onAck = () => {
        throw new Error('broker gone');
      };
      await expect(
        send('print-param:reset-z-offset', envelope('c9', 'print-param:reset-z-offset')),
      ).resolves.toBeUndefined();

      output.onAck = () => undefined;
      await send(
        'print-param:set-speed',
        envelope('c10', 'print-param:set-speed', { percent: 120 }),
      );
      expect(printer.gcode).toEqual(['SET_GCODE_OFFSET Z=0 MOVE=1', 'M220 S120']);
      expect(output.payloads.at(-1)).toMatchObject({ commandId: 'c10', status: 'completed' });
    });

    it('ignores a message for another device', async () => {
      await processor.handleMessage(
        commandTopic('other-device', 'print:pause'),
        encode(envelope('c11', 'print:pause')),
      );
      expect(output.acks).toEqual([]);
      expect(output.items).toEqual([]);
      expect(printer.calls).toEqual([]);
    });

    it('does nothing after dispose', async () => {
      processor.dispose();
      await send('print:pause', envelope('c12', 'print:pause'));
      expect(output.acks).toEqual([]);
    });
  });

  describe('malformed messages', () => {
    const cases: [string, Uint8Array, string, string][] = [
      [
        'an oversized payload',
        new Uint8Array(MAX_COMMAND_PAYLOAD_BYTES + 1),
        'payload_too_large',
        '',
      ],
      ['non-UTF-8 bytes', new Uint8Array([0xc3, 0x28]), 'invalid_encoding', ''],
      ['text that is not JSON', encode('{"commandId":'), 'invalid_json', ''],
      ['a JSON array', encode('[1,2]'), 'invalid_payload', ''],
      ['a missing id', encode({ command: 'print:pause' }), 'invalid_payload', ''],
      [
        'parameters of the wrong type',
        encode({ commandId: 'm1', parameters: 'x' }),
        'invalid_parameters',
        'm1',
      ],
      [
        'envelope parameters of the wrong type',
        encode({ $id: 'm2', payload: { parameters: [] } }),
        'invalid_parameters',
        'm2',
      ],
    ];

    it.each(cases)('rejects %s with one failed ack', async (_label, payload, code, commandId) => {
      await processor.handleMessage(commandTopic(DEVICE, 'print:pause'), payload);

      expect(output.acks).toHaveLength(1);
      expect(output.acks[0]?.topicName).toBe('print:pause');
      expect(output.payloads[0]).toMatchObject({
        commandId,
        status: 'failed',
        stage: 'dispatch',
        reason: { code },
      });
      expect(output.states).toEqual(commandId ? [`${commandId} rejected`] : []);
      if (commandId)
        expect(output.items[0]?.data).toEqual({
          commandId,
          commandType: 'print:pause',
          state: 'rejected',
          code,
        });
      expect(printer.calls).toEqual([]);
      expect(processor.inFlightCount).toBe(0);
      expect(logLines).toContainEqual(expect.objectContaining({ commandId, code, level: 40 }));

      output.clear();
      await send('print-param:set-flow', envelope('next', 'print-param:set-flow', { percent: 97 }));
      expect(printer.gcode).toEqual(['M221 S97']);
      expect(output.payloads.map((entry) => entry.status)).toEqual(['accepted', 'completed']);
    });

    it('does not record a rejection for replay', async () => {
      await send('print:pause', { commandId: 'm3', parameters: 5 });
      expect(store.get('m3')).toBeUndefined();
    });
  });

  describe('duplicates', () => {
    const command = envelope('d1', 'heater:set-target', { heater: 'heater_bed', target: 60 });

    it('replays a completed command without running it again', async () => {
      await send('heater:set-target', command);
      const original = output.acks[1]?.ack;
      output.clear();
      clock.advance(5_000);

      await send('heater:set-target', command);

      expect(printer.gcode).toHaveLength(1);
      expect(output.items).toEqual([]);
      expect(output.acks).toHaveLength(1);
      const replay = output.acks[0]?.ack;
      expect(replay?.payload).toEqual({ ...original?.payload, skipped: true });
      expect(replay?.$id).not.toBe(original?.$id);
      expect(replay?.$ts).toBe('2026-01-01T12:00:05+00:00');
    });

    it('replays a failed command with its reason', async () => {
      await send(
        'heater:set-target',
        envelope('d2', 'heater:set-target', { heater: 'chamber', target: 1 }),
      );
      output.clear();

      await send(
        'heater:set-target',
        envelope('d2', 'heater:set-target', { heater: 'chamber', target: 1 }),
      );

      expect(output.payloads).toEqual([
        expect.objectContaining({
          status: 'failed',
          stage: 'execution',
          reason: {
            code: 'invalid_heater',
            message: 'Unknown heater "chamber"; valid heaters: extruder, heater_bed',
          },
          skipped: true,
        }),
      ]);
    });

    it('replays after a restart from the saved file', async () => {
      await send('heater:set-target', command);
      processor.dispose();
      await store.flush();
      store.dispose();
      output.clear();

      processor = await createProcessor();
      await send('heater:set-target', {
        commandId: 'd1',
        command: 'heater:set-target',
        parameters: {},
      });

      expect(printer.gcode).toHaveLength(1);
      expect(output.payloads).toEqual([
        expect.objectContaining({
          commandId: 'd1',
          status: 'completed',
          result: { heater: 'heater_bed', target: 60 },
          skipped: true,
        }),
      ]);
    });

    it('ignores a duplicate while the command runs', async () => {
      const release = printer.hold('runGcode');
      const first = send('heater:set-target', command);
      await send('heater:set-target', command);

      expect(output.payloads.map((payload) => payload.status)).toEqual(['accepted']);
      release();
      await first;

      expect(printer.gcode).toHaveLength(1);
      expect(output.payloads.map((payload) => payload.status)).toEqual(['accepted', 'completed']);
      expect(output.states).toEqual(['d1 dispatched', 'd1 accepted', 'd1 completed']);
    });

    it('logs a duplicate in flight at info', async () => {
      const release = printer.hold('runGcode');
      const first = send('heater:set-target', command);
      await send('heater:set-target', command);
      release();
      await first;

      const lines = logLines.filter((line) => String(line['msg']).startsWith('Duplicate command'));
      expect(lines).toHaveLength(1);
      expect(lines[0]?.['msg']).toBe('Duplicate command id d1 while in flight; ignored');
      expect(lines[0]?.['level']).toBe(30);
      expect(lines[0]?.['commandId']).toBe('d1');
    });

    it('rate-limits duplicate in-flight lines', async () => {
      const release = printer.hold('runGcode');
      const first = send('heater:set-target', command);
      for (let copy = 0; copy < 25; copy += 1) await send('heater:set-target', command);
      release();
      await first;

      const lines = logLines.filter((line) => String(line['msg']).startsWith('Duplicate command'));
      expect(lines).toHaveLength(10);
    });

    it('ignores a duplicate of a command waiting for its state', async () => {
      printer.printState = 'printing';
      await send('print:pause', envelope('d3', 'print:pause'));
      await send('print:pause', envelope('d3', 'print:pause'));

      expect(printer.calls.filter((call) => call.startsWith('printAction'))).toEqual([
        'printAction pause',
      ]);
      expect(output.payloads.map((payload) => payload.status)).toEqual(['accepted']);
      processor.onPrintState('paused');
      expect(output.payloads.map((payload) => payload.status)).toEqual(['accepted', 'completed']);
    });
  });

  describe('state-confirmed commands', () => {
    it('completes a pause when the printer reports paused', async () => {
      printer.printState = 'printing';
      await send('print:pause', envelope('s1', 'print:pause'));

      expect(printer.calls[0]).toBe('printAction pause');
      expect(output.payloads.map((payload) => payload.status)).toEqual(['accepted']);
      processor.onPrintState('printing');
      expect(output.acks).toHaveLength(1);

      processor.onPrintState('paused');
      expect(output.payloads[1]).toEqual(
        expect.objectContaining({ commandId: 's1', status: 'completed', stage: 'execution' }),
      );
      expect(output.payloads[1]).not.toHaveProperty('result');
      expect(output.items.at(-1)?.data).toEqual({
        commandId: 's1',
        commandType: 'print:pause',
        state: 'completed',
      });
      expect(store.get('s1')).toMatchObject({ status: 'completed', stage: 'execution' });
    });

    it('times out a pause on an idle printer after 30 seconds', async () => {
      printer.printState = 'standby';
      await send('print:pause', envelope('s2', 'print:pause'));

      clock.advance(29_999);
      expect(output.acks).toHaveLength(1);
      clock.advance(1);

      expect(output.payloads[1]).toMatchObject({
        commandId: 's2',
        status: 'failed',
        stage: 'execution',
        reason: { code: 'state_timeout', message: "Timeout waiting for state 'paused'" },
      });
      expect(output.items.at(-1)?.data).toEqual({
        commandId: 's2',
        commandType: 'print:pause',
        state: 'timeout',
        expectedState: 'paused',
        timeoutSeconds: 30,
      });
      expect(processor.inFlightCount).toBe(0);
    });

    it('times out a pause on a printer that is already paused', async () => {
      printer.printState = 'paused';
      await send('print:pause', envelope('s3', 'print:pause'));
      clock.advance(30_000);
      expect(output.payloads[1]?.reason?.code).toBe('state_timeout');
    });

    it('completes when the state arrives before the action returns', async () => {
      const release = printer.hold('printAction');
      const running = send('print:cancel', envelope('s4', 'print:cancel'));
      processor.onPrintState('cancelled');
      release();
      await running;

      expect(output.payloads.map((payload) => payload.status)).toEqual(['accepted', 'completed']);
    });

    it('completes a resume on printing', async () => {
      await send('print:resume', envelope('s5', 'print:resume'));
      processor.onPrintState('printing');
      expect(output.payloads[1]).toMatchObject({ status: 'completed' });
    });

    it('fails at once when the action fails', async () => {
      printer.failWith('printAction', new CodedError('unreachable', 'connection refused'));
      await send('print:pause', envelope('s6', 'print:pause'));

      expect(output.payloads[1]).toMatchObject({
        status: 'failed',
        reason: { code: 'moonraker_error', message: 'Print pause failed: connection refused' },
      });
      processor.onPrintState('paused');
      expect(output.acks).toHaveLength(2);
    });
  });

  describe('abandonAll', () => {
    it('fails every open command once', async () => {
      await send('print:pause', envelope('a1', 'print:pause'));
      const release = printer.hold('runGcode');
      const running = send('gcode:macro', envelope('a2', 'gcode:macro', { macro: 'PRINT_START' }));
      output.clear();

      processor.abandonAll('shutdown');

      expect(clock.pendingTimers).toBe(0);
      expect(output.payloads).toEqual([
        expect.objectContaining({
          commandId: 'a1',
          status: 'failed',
          stage: 'execution',
          reason: { code: 'agent_restart', message: 'shutdown' },
        }),
        expect.objectContaining({
          commandId: 'a2',
          status: 'failed',
          stage: 'execution',
          reason: { code: 'agent_restart', message: 'shutdown' },
        }),
      ]);
      expect(output.items.map((item) => item.data)).toEqual([
        {
          commandId: 'a1',
          commandType: 'print:pause',
          state: 'abandoned',
          reason: 'agent_restart',
          detail: 'shutdown',
          expectedState: 'paused',
        },
        {
          commandId: 'a2',
          commandType: 'gcode:macro',
          state: 'abandoned',
          reason: 'agent_restart',
          detail: 'shutdown',
        },
      ]);

      release();
      await running;
      processor.onPrintState('paused');
      clock.advance(60_000);
      expect(output.acks).toHaveLength(2);
      expect(processor.inFlightCount).toBe(0);
    });

    it('answers a retry of an abandoned command from the record', async () => {
      await send('print:pause', envelope('a3', 'print:pause'));
      processor.abandonAll('moonraker unavailable');
      output.clear();

      await send('print:pause', envelope('a3', 'print:pause'));

      expect(output.payloads).toEqual([
        expect.objectContaining({
          status: 'failed',
          reason: { code: 'agent_restart', message: 'moonraker unavailable' },
          skipped: true,
        }),
      ]);
      expect(printer.calls.filter((call) => call.startsWith('printAction'))).toHaveLength(1);
    });

    it('sends nothing without open commands', () => {
      processor.abandonAll('shutdown');
      expect(output.acks).toEqual([]);
    });
  });
});
