import { describe, expect, it } from 'vitest';

import type { CommandAck } from '../../shared/contract/commands.js';
import { ENVELOPE_VERSION } from '../../shared/contract/envelope.js';
import type { CommandState, CommandStateItem } from '../../shared/contract/events.js';
import { CommandHistory } from './command-history.js';

function stateItem(commandId: string, commandType: string, state: CommandState): CommandStateItem {
  return {
    eventName: 'system:command-state',
    severity: 'info',
    occurredAt: '2026-01-01T12:00:00+00:00',
    data: { commandId, commandType, state },
  };
}

function ack(
  commandId: string,
  status: CommandAck['payload']['status'],
  stage: CommandAck['payload']['stage'],
  reason?: { code: string; message: string },
): CommandAck {
  return {
    $v: ENVELOPE_VERSION,
    $type: 'command.ack',
    $id: '01890a5d-ac96-774b-bcce-b302099a8057',
    $ts: '2026-01-01T12:00:00+00:00',
    $origin: 'moonraker-owl@0.1.0',
    deviceId: 'device-1',
    payload: { commandId, status, stage, ...(reason ? { reason } : {}) },
  };
}

describe('CommandHistory', () => {
  it('records a command with its acks in order', () => {
    let now = 1_000;
    const history = new CommandHistory(() => now);

    history.noteState(stateItem('c1', 'print:pause', 'dispatched'));
    history.noteAck('print:pause', ack('c1', 'accepted', 'dispatch'));
    now = 3_000;
    history.noteAck('print:pause', ack('c1', 'completed', 'execution'));

    expect(history.list()).toEqual([
      {
        commandId: 'c1',
        command: 'print:pause',
        receivedAt: 1_000,
        acks: [
          { at: 1_000, status: 'accepted', stage: 'dispatch' },
          { at: 3_000, status: 'completed', stage: 'execution' },
        ],
      },
    ]);
  });

  it('keeps the failure code and message of an ack', () => {
    const history = new CommandHistory(() => 0);
    const reason = { code: 'invalid_heater', message: "Unknown heater 'extruder9'" };

    history.noteAck('heater:set-target', ack('c2', 'failed', 'dispatch', reason));

    expect(history.list()[0]?.command).toBe('heater:set-target');
    expect(history.list()[0]?.acks[0]).toEqual({
      at: 0,
      status: 'failed',
      stage: 'dispatch',
      ...reason,
    });
  });

  it('gives each rejected message without an id its own record', () => {
    const history = new CommandHistory(() => 0);

    history.noteAck('bogus', ack('', 'failed', 'dispatch'));
    history.noteAck('bogus', ack('', 'failed', 'dispatch'));

    expect(history.list()).toHaveLength(2);
  });

  it('drops the oldest command beyond the limit', () => {
    const history = new CommandHistory(() => 0, 2);

    for (const id of ['c1', 'c2', 'c3'])
      history.noteState(stateItem(id, 'fan:set-speed', 'dispatched'));

    expect(history.list().map((record) => record.commandId)).toEqual(['c2', 'c3']);
  });
});
