import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../test/support/fake-clock.js';
import { PendingStateTracker } from './pending-state-tracker.js';
import type { StateSettlement } from './pending-state-tracker.js';

const PAUSE = { commandId: 'c1', commandType: 'print:pause', expectedState: 'paused' };
const CANCEL = { commandId: 'c2', commandType: 'print:cancel', expectedState: 'cancelled' };

describe('PendingStateTracker', () => {
  const clock = new FakeClock();
  const settled: StateSettlement[] = [];
  const tracker = new PendingStateTracker({
    clock,
    onSettled: (settlement) => settled.push(settlement),
  });

  afterEach(() => {
    tracker.remove(PAUSE.commandId);
    tracker.remove(CANCEL.commandId);
    settled.length = 0;
    expect(clock.pendingTimers).toBe(0);
  });

  describe('onPrintState', () => {
    it('completes a waiting command on its state', () => {
      tracker.expect(PAUSE);
      tracker.confirm(PAUSE.commandId);
      tracker.onPrintState('printing');
      expect(settled).toEqual([]);

      tracker.onPrintState('Paused');
      expect(settled).toEqual([{ outcome: 'reached', command: PAUSE }]);
      expect(tracker.has(PAUSE.commandId)).toBe(false);
    });

    it('completes every command that waits for the state', () => {
      const second = { ...PAUSE, commandId: 'c3' };
      tracker.expect(PAUSE);
      tracker.expect(second);
      tracker.expect(CANCEL);
      for (const id of ['c1', 'c3', 'c2']) tracker.confirm(id);

      tracker.onPrintState('paused');

      expect(settled.map((settlement) => settlement.command.commandId)).toEqual(['c1', 'c3']);
      expect(tracker.has(CANCEL.commandId)).toBe(true);
    });

    it('completes at confirmation when the state arrived during the action', () => {
      tracker.expect(PAUSE);
      tracker.onPrintState('paused');
      expect(settled).toEqual([]);

      tracker.confirm(PAUSE.commandId);
      expect(settled).toEqual([{ outcome: 'reached', command: PAUSE }]);
    });
  });

  describe('confirm', () => {
    it('times out after 30 seconds without the state', () => {
      tracker.expect(PAUSE);
      tracker.confirm(PAUSE.commandId);

      clock.advance(29_999);
      expect(settled).toEqual([]);
      clock.advance(1);
      expect(settled).toEqual([{ outcome: 'timeout', command: PAUSE, timeoutSeconds: 30 }]);
      expect(tracker.size).toBe(0);
    });

    it('starts no deadline for an unknown command', () => {
      tracker.confirm('unknown');
      expect(clock.pendingTimers).toBe(0);
    });

    it('ignores a second confirmation', () => {
      tracker.expect(PAUSE);
      tracker.confirm(PAUSE.commandId);
      tracker.confirm(PAUSE.commandId);
      expect(clock.pendingTimers).toBe(1);
    });
  });

  describe('remove', () => {
    it('cancels the deadline', () => {
      tracker.expect(PAUSE);
      tracker.confirm(PAUSE.commandId);
      tracker.remove(PAUSE.commandId);
      clock.advance(60_000);
      tracker.onPrintState('paused');
      expect(settled).toEqual([]);
    });
  });

  describe('dispose', () => {
    it('clears every deadline and ignores later states', () => {
      const local = new PendingStateTracker({
        clock,
        onSettled: (settlement) => settled.push(settlement),
      });
      local.expect(PAUSE);
      local.confirm(PAUSE.commandId);
      local.dispose();
      local.dispose();

      expect(clock.pendingTimers).toBe(0);
      local.expect(CANCEL);
      local.onPrintState('paused');
      expect(local.size).toBe(0);
      expect(settled).toEqual([]);
    });
  });
});
