import { describe, expect, it } from 'vitest';

import { phaseOfRawState, resolvePhase, TIMELAPSE_MACRO } from './printer-phase.js';
import { availability, notification, storeOf } from './__testing__/state-inputs.js';

describe('phaseOfRawState', () => {
  it.each([
    ['printing', 'Printing'],
    ['resuming', 'Printing'],
    ['paused', 'Paused'],
    ['pausing', 'Paused'],
    ['cancelling', 'Cancelling'],
    ['canceling', 'Cancelling'],
    ['cancelled', 'Cancelled'],
    ['canceled', 'Cancelled'],
    ['complete', 'Completed'],
    ['completed', 'Completed'],
    ['error', 'Error'],
    ['standby', 'Idle'],
    ['ready', 'Idle'],
    ['idle', 'Idle'],
    ['shutdown', 'Offline'],
    ['offline', 'Offline'],
    [' Printing ', 'Printing'],
  ])('maps %j to %s', (raw, phase) => {
    expect(phaseOfRawState(raw)).toBe(phase);
  });

  it('leaves unknown states unmapped', () => {
    expect(phaseOfRawState('warming')).toBeUndefined();
    expect(phaseOfRawState(undefined)).toBeUndefined();
  });
});

describe('resolvePhase', () => {
  it('uses print_stats.state first', () => {
    const store = storeOf({
      print_stats: { state: 'paused' },
      idle_timeout: { state: 'Printing' },
    });

    expect(resolvePhase(store)).toEqual({ phase: 'Paused' });
  });

  it('falls back to idle_timeout.state', () => {
    const store = storeOf({ print_stats: { state: '' }, idle_timeout: { state: 'Printing' } });

    expect(resolvePhase(store).phase).toBe('Printing');
  });

  it('defaults to Idle', () => {
    expect(resolvePhase(storeOf({})).phase).toBe('Idle');
  });

  it('shows a timelapse pause as Printing', () => {
    const store = storeOf({
      print_stats: { state: 'paused' },
      [TIMELAPSE_MACRO]: { is_paused: true },
    });

    expect(resolvePhase(store).phase).toBe('Printing');
  });

  it('reports a Klippy shutdown as Error with its message', () => {
    const store = storeOf({ print_stats: { state: 'printing' } });
    store.apply(notification('notify_klippy_shutdown', ['Lost communication with MCU']));

    expect(resolvePhase(store)).toEqual({ phase: 'Error', reason: 'Lost communication with MCU' });
  });

  it('reports an unreachable Moonraker as Offline', () => {
    const store = storeOf({ print_stats: { state: 'printing' } });
    store.apply(availability(false, 'connection refused'));

    expect(resolvePhase(store)).toEqual({
      phase: 'Offline',
      reason: 'Moonraker unreachable: connection refused',
    });
  });

  it('pins Offline over a shutdown until Moonraker returns', () => {
    const store = storeOf({ print_stats: { state: 'printing' } });
    store.apply(notification('notify_klippy_shutdown', null));
    store.apply(availability(false));

    expect(resolvePhase(store)).toEqual({ phase: 'Offline', reason: 'Moonraker unreachable' });

    store.apply(availability(true));
    expect(resolvePhase(store).phase).toBe('Error');
  });
});
