import { describe, expect, it } from 'vitest';

import { FakeClock } from '../../test/support/fake-clock.js';
import { captureLogger, flushLogs } from '../cloud/__testing__/capture-logger.js';
import { BridgeEvents, guardCallback, guardClock, type BridgeFault } from './bridge-events.js';

describe('guardCallback', () => {
  it('reports what the callback throws instead of throwing it', () => {
    const faults: BridgeFault[] = [];
    const failure = new Error('cannot read properties of undefined');
    const guarded = guardCallback(
      'moonraker input',
      (value: number) => {
        if (value > 1) throw failure;
      },
      (fault) => faults.push(fault),
    );

    guarded(1);
    guarded(2);

    expect(faults).toEqual([{ source: 'moonraker input', error: failure }]);
  });
});

describe('guardClock', () => {
  it('keeps a throwing timer from reaching the timer queue', () => {
    const clock = new FakeClock();
    const faults: BridgeFault[] = [];
    const guarded = guardClock(clock, (fault) => faults.push(fault));
    const fired: string[] = [];

    guarded.setTimeout(() => {
      throw new Error('expiry failed');
    }, 10);
    clock.setTimeout(() => fired.push('other printer'), 20);
    clock.advance(30);

    expect(faults.map((fault) => fault.source)).toEqual(['timer']);
    expect(fired).toEqual(['other printer']);
  });

  it('clears a guarded timer', () => {
    const clock = new FakeClock();
    const guarded = guardClock(clock, () => undefined);

    const handle = guarded.setTimeout(() => undefined, 10);
    guarded.clearTimeout(handle);

    expect(clock.pendingTimers).toBe(0);
  });
});

describe('BridgeEvents', () => {
  it('logs a throwing listener and still calls the others', async () => {
    const { logger, entries } = captureLogger();
    const events = new BridgeEvents(logger);
    const seen: string[] = [];
    events.onChange(() => {
      throw new Error('view failed');
    });
    events.onChange((kind) => seen.push(kind));

    events.emitChange('mqtt');
    await flushLogs();

    expect(seen).toEqual(['mqtt']);
    expect(entries.map((entry) => entry.msg)).toEqual(['A bridge event listener threw']);
    expect(entries[0]?.['err']).toBe('view failed');
  });
});
