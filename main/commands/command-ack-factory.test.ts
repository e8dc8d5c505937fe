import { describe, expect, it } from 'vitest';

import { commandAckSchema } from '../../shared/contract/commands.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import { CommandAckFactory } from './command-ack-factory.js';

const IDENTITY = {
  deviceId: '00000000-0000-0000-0000-000000000003',
  tenantId: '00000000-0000-0000-0000-000000000001',
  printerId: '00000000-0000-0000-0000-000000000002',
};

function factory(identity: { deviceId: string; tenantId?: string; printerId?: string } = IDENTITY) {
  const clock = new FakeClock(Date.UTC(2025, 0, 15, 10, 33, 1, 456));
  return {
    clock,
    acks: new CommandAckFactory({ identity: () => identity, origin: 'moonraker-owl@0.1.0', clock }),
  };
}

describe('CommandAckFactory', () => {
  describe('create', () => {
    it('builds a valid accepted ack with correlation', () => {
      const { acks } = factory();
      const ack = acks.create({ commandId: 'c1', status: 'accepted', stage: 'dispatch' });

      expect(commandAckSchema.parse(ack)).toEqual(ack);
      expect(ack).toMatchObject({
        $v: 1,
        $type: 'command.ack',
        $ts: '2025-01-15T10:33:01+00:00',
        $origin: 'moonraker-owl@0.1.0',
        deviceId: IDENTITY.deviceId,
      });
      expect(ack.payload).toEqual({
        commandId: 'c1',
        status: 'accepted',
        stage: 'dispatch',
        tenantId: IDENTITY.tenantId,
        printerId: IDENTITY.printerId,
        correlation: { tenantId: IDENTITY.tenantId, printerId: IDENTITY.printerId },
      });
    });

    it('stamps a UUIDv7 from the clock', () => {
      const { acks, clock } = factory();
      const ack = acks.create({ commandId: 'c1', status: 'accepted', stage: 'dispatch' });

      expect(ack.$id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      const millis = parseInt(ack.$id.replace(/-/g, '').slice(0, 12), 16);
      expect(millis).toBe(clock.now());
    });

    it('gives every ack a new id', () => {
      const { acks } = factory();
      const first = acks.create({ commandId: 'c1', status: 'accepted', stage: 'dispatch' });
      const second = acks.create({ commandId: 'c1', status: 'accepted', stage: 'dispatch' });
      expect(first.$id).not.toBe(second.$id);
    });

    it('omits correlation when tenant and printer are unknown', () => {
      const { acks } = factory({ deviceId: 'd1' });
      const ack = acks.create({ commandId: 'c1', status: 'accepted', stage: 'dispatch' });
      expect(ack.payload).toEqual({ commandId: 'c1', status: 'accepted', stage: 'dispatch' });
    });

    it('includes only the known half of the correlation', () => {
      const { acks } = factory({ deviceId: 'd1', tenantId: 't1' });
      const ack = acks.create({ commandId: 'c1', status: 'accepted', stage: 'dispatch' });
      expect(ack.payload).toMatchObject({ tenantId: 't1', correlation: { tenantId: 't1' } });
      expect(ack.payload.printerId).toBeUndefined();
    });

    it('adds the reason of a failure', () => {
      const { acks } = factory();
      const reason = { code: 'gcode_error', message: 'G-code failed' };
      const ack = acks.create({ commandId: 'c1', status: 'failed', stage: 'execution', reason });
      expect(commandAckSchema.safeParse(ack).success).toBe(true);
      expect(ack.payload.reason).toEqual(reason);
    });

    it('drops empty reason keys', () => {
      const { acks } = factory();
      const ack = acks.create({
        commandId: 'c1',
        status: 'failed',
        stage: 'execution',
        reason: { code: 'command_failed', message: '' },
      });
      expect(ack.payload.reason).toEqual({ code: 'command_failed' });
      const empty = acks.create({
        commandId: 'c1',
        status: 'failed',
        stage: 'execution',
        reason: {},
      });
      expect(empty.payload).not.toHaveProperty('reason');
    });

    it('adds a non-empty result and drops an empty one', () => {
      const { acks } = factory();
      const withResult = acks.create({
        commandId: 'c1',
        status: 'completed',
        stage: 'execution',
        result: { heater: 'extruder', target: 200 },
      });
      const withoutResult = acks.create({
        commandId: 'c1',
        status: 'completed',
        stage: 'execution',
        result: {},
      });

      expect(withResult.payload.result).toEqual({ heater: 'extruder', target: 200 });
      expect(withoutResult.payload).not.toHaveProperty('result');
    });

    it('marks a replay as skipped', () => {
      const { acks } = factory();
      const replay = acks.create({
        commandId: 'c1',
        status: 'completed',
        stage: 'execution',
        skipped: true,
      });
      const original = acks.create({
        commandId: 'c1',
        status: 'completed',
        stage: 'execution',
        skipped: false,
      });

      expect(commandAckSchema.safeParse(replay).success).toBe(true);
      expect(replay.payload.skipped).toBe(true);
      expect(original.payload).not.toHaveProperty('skipped');
    });

    it('reads the identity on every ack', () => {
      const identity: { deviceId: string; tenantId?: string } = { deviceId: 'd1' };
      const clock = new FakeClock();
      const acks = new CommandAckFactory({ identity: () => identity, origin: 'o', clock });
      identity.tenantId = 't9';
      const ack = acks.create({ commandId: 'c1', status: 'accepted', stage: 'dispatch' });
      expect(ack.payload.tenantId).toBe('t9');
    });
  });
});
