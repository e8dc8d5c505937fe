import { describe, expect, it } from 'vitest';

import { MAX_COMMAND_PAYLOAD_BYTES } from '../../shared/contract/commands.js';
import { parseCommandMessage } from './command-message-parser.js';

const DEVICE = '00000000-0000-0000-0000-000000000003';
const TOPIC = `owl/printers/${DEVICE}/commands/print:pause`;

function bytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
}

function parse(value: unknown, topic = TOPIC) {
  return parseCommandMessage(topic, bytes(value), DEVICE);
}

describe('parseCommandMessage', () => {
  describe('current envelope', () => {
    it('reads id, command and parameters from the envelope', () => {
      const result = parse({
        $v: 1,
        $type: 'command.request',
        $id: '00000000-0000-7000-8000-000000000001',
        $ts: '2025-01-15T10:33:00+00:00',
        $origin: 'cloud-service@1.0',
        deviceId: DEVICE,
        payload: { command: 'Heater:Set-Target', parameters: { heater: 'extruder', target: 200 } },
      });

      expect(result).toEqual({
        kind: 'parsed',
        commandId: '00000000-0000-7000-8000-000000000001',
        command: 'heater:set-target',
        topicName: 'print:pause',
        parameters: { heater: 'extruder', target: 200 },
      });
    });

    it('accepts a later envelope version', () => {
      const result = parse({ $v: 2, $id: 'c1', payload: { command: 'print:pause' } });
      expect(result.kind).toBe('parsed');
    });

    it('falls back to the topic name and empty parameters', () => {
      const result = parse(
        { $id: 'c1', payload: {} },
        `owl/printers/${DEVICE}/commands/Print:Resume`,
      );
      expect(result).toMatchObject({
        kind: 'parsed',
        command: 'print:resume',
        topicName: 'Print:Resume',
        parameters: {},
      });
    });

    it('reads the command from the action alias', () => {
      expect(parse({ $id: 'c1', payload: { action: 'print:cancel' } })).toMatchObject({
        command: 'print:cancel',
      });
    });

    it('falls back to commandId when $id is missing', () => {
      const result = parse({ $type: 'command.request', commandId: 'c9', payload: {} });
      expect(result).toMatchObject({ kind: 'parsed', commandId: 'c9' });
    });

    it('rejects an envelope without a payload object', () => {
      const result = parse({ $id: 'c1', payload: [1, 2] });
      expect(result).toEqual({
        kind: 'rejected',
        code: 'invalid_payload',
        message: "'payload' must be a JSON object",
        commandId: 'c1',
        topicName: 'print:pause',
      });
    });

    it('rejects parameters that are not an object', () => {
      const result = parse({ $id: 'c1', payload: { command: 'print:pause', parameters: 'x' } });
      expect(result).toMatchObject({
        kind: 'rejected',
        code: 'invalid_parameters',
        message: "'payload.parameters' must be a JSON object",
        commandId: 'c1',
      });
    });

    it('rejects a document of another type', () => {
      const result = parse({ $id: 'c1', $type: 'command.ack', payload: {} });
      expect(result).toMatchObject({ kind: 'rejected', code: 'invalid_payload', commandId: 'c1' });
      expect(result).toMatchObject({ message: expect.stringContaining("'$type'") as unknown });
    });
  });

  describe('legacy flat format', () => {
    it('reads commandId, command and parameters', () => {
      const result = parse({
        commandId: ' c2 ',
        command: 'FAN:SET-SPEED',
        parameters: { fan: 'fan' },
      });
      expect(result).toEqual({
        kind: 'parsed',
        commandId: 'c2',
        command: 'fan:set-speed',
        topicName: 'print:pause',
        parameters: { fan: 'fan' },
      });
    });

    it('stringifies a numeric id', () => {
      expect(parse({ commandId: 42 })).toMatchObject({ kind: 'parsed', commandId: '42' });
    });

    it('takes parameters from payload when parameters is absent', () => {
      const result = parse({
        commandId: 'c3',
        action: 'heater:turn-off',
        payload: { heater: 'x' },
      });
      expect(result).toMatchObject({ command: 'heater:turn-off', parameters: { heater: 'x' } });
    });

    it('prefers the payload command over the topic name', () => {
      const result = parse({ commandId: 'c4', command: 'print:cancel' });
      expect(result).toMatchObject({ command: 'print:cancel', topicName: 'print:pause' });
    });

    it('rejects parameters that are an array', () => {
      const result = parse({ commandId: 'c5', parameters: [1] });
      expect(result).toMatchObject({
        kind: 'rejected',
        code: 'invalid_parameters',
        message: "'parameters' must be a JSON object",
        commandId: 'c5',
      });
    });

    it('rejects a command name that is not a string', () => {
      const result = parse({ commandId: 'c6', command: 7 });
      expect(result).toMatchObject({ kind: 'rejected', code: 'invalid_payload', commandId: 'c6' });
    });
  });

  describe('malformed messages', () => {
    const cases: [string, Uint8Array, string, string][] = [
      [
        'non-UTF-8 bytes',
        new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
        'invalid_encoding',
        'Payload is not valid UTF-8',
      ],
      [
        'text that is not JSON',
        bytes('{"commandId": '),
        'invalid_json',
        'Payload is not valid JSON',
      ],
      [
        'a JSON array',
        bytes([{ commandId: 'c1' }]),
        'invalid_payload',
        'Payload must be a JSON object',
      ],
      ['JSON null', bytes('null'), 'invalid_payload', 'Payload must be a JSON object'],
      ['a JSON string', bytes('"print:pause"'), 'invalid_payload', 'Payload must be a JSON object'],
      [
        'a missing id',
        bytes({ command: 'print:pause' }),
        'invalid_payload',
        'Payload has no command id ($id or commandId)',
      ],
      [
        'a blank id',
        bytes({ commandId: '  ' }),
        'invalid_payload',
        'Payload has no command id ($id or commandId)',
      ],
      [
        'an id that is an object',
        bytes({ $id: { a: 1 }, payload: {} }),
        'invalid_payload',
        'Payload has no command id ($id or commandId)',
      ],
    ];

    it.each(cases)('rejects %s', (_label, payload, code, message) => {
      expect(parseCommandMessage(TOPIC, payload, DEVICE)).toEqual({
        kind: 'rejected',
        code,
        message,
        commandId: '',
        topicName: 'print:pause',
      });
    });

    it('rejects a payload over the size limit before decoding it', () => {
      const payload = new Uint8Array(MAX_COMMAND_PAYLOAD_BYTES + 1).fill(0xff);
      expect(parseCommandMessage(TOPIC, payload, DEVICE)).toEqual({
        kind: 'rejected',
        code: 'payload_too_large',
        message: `Payload of ${MAX_COMMAND_PAYLOAD_BYTES + 1} bytes exceeds ${MAX_COMMAND_PAYLOAD_BYTES}`,
        commandId: '',
        topicName: 'print:pause',
      });
    });

    it('accepts a payload of exactly the size limit', () => {
      const head = JSON.stringify({ commandId: 'c1', pad: '' });
      const padded = head.replace('""', `"${'x'.repeat(MAX_COMMAND_PAYLOAD_BYTES - head.length)}"`);
      const result = parseCommandMessage(TOPIC, bytes(padded), DEVICE);
      expect(result.kind).toBe('parsed');
    });
  });

  describe('topics', () => {
    it.each([
      ['another device', 'owl/printers/other-device/commands/print:pause'],
      ['too many segments', `owl/printers/${DEVICE}/commands/print/pause`],
      ['a wrong root', `owl/devices/${DEVICE}/commands/print:pause`],
      ['an empty command segment', `owl/printers/${DEVICE}/commands/`],
    ])('ignores a topic of %s', (_label, topic) => {
      expect(parse({ commandId: 'c1' }, topic)).toEqual({
        kind: 'ignored',
        reason: 'not a command topic of this device',
      });
    });

    it('matches the fixed words case-insensitively', () => {
      const result = parse({ commandId: 'c1' }, `OWL/Printers/${DEVICE}/COMMANDS/print:pause`);
      expect(result.kind).toBe('parsed');
    });
  });
});
