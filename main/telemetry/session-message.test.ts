import { describe, expect, it } from 'vitest';

import type { ObjectStatus } from '../moonraker/input.js';
import { displayMessage, sessionMessage } from './session-message.js';
import { historyChanged, historyJob, storeOf } from './__testing__/state-inputs.js';

function printing(extra: ObjectStatus = {}): ObjectStatus {
  return {
    print_stats: { state: 'printing', message: '' },
    idle_timeout: { state: 'Printing' },
    ...extra,
  };
}

describe('sessionMessage', () => {
  it('prefers print_stats.message', () => {
    const store = storeOf({
      ...printing(),
      print_stats: { state: 'printing', message: ' Layer 3 ' },
      display_status: { message: 'Bed: 50c' },
    });

    expect(sessionMessage(store, true)).toBe('Layer 3');
  });

  it('falls back to display_status.message', () => {
    const store = storeOf(printing({ display_status: { message: 'Bed: 50c' } }));

    expect(sessionMessage(store, true)).toBe('Bed: 50c');
  });

  it('keeps a state word during an active job', () => {
    const store = storeOf(printing({ display_status: { message: 'Printing' } }));

    expect(sessionMessage(store, true)).toBe('Printing');
  });

  it('drops a state word without an active job', () => {
    const store = storeOf(printing({ display_status: { message: 'Printing' } }));

    expect(sessionMessage(store, false)).toBeUndefined();
  });

  it.each(['cancelled', 'complete', 'error'])('drops a state word after %s', (state) => {
    const store = storeOf({
      print_stats: { state, message: '' },
      display_status: { message: 'PRINTING' },
    });

    expect(sessionMessage(store, true)).toBeUndefined();
  });

  it('drops a state word while idle_timeout is idle', () => {
    const store = storeOf({
      ...printing({ display_status: { message: 'paused' } }),
      idle_timeout: { state: 'Ready' },
    });

    expect(sessionMessage(store, true)).toBeUndefined();
  });

  it('drops a state word once the history job ended', () => {
    const store = storeOf(printing({ display_status: { message: 'busy' } }));
    store.apply(historyChanged('finished', historyJob('0002E3', 'cube.gcode', 'cancelled')));

    expect(sessionMessage(store, true)).toBeUndefined();
  });

  it('keeps other text in every state', () => {
    const store = storeOf({ print_stats: { state: 'error', message: 'Move out of range' } });

    expect(sessionMessage(store, false)).toBe('Move out of range');
  });
});

describe('displayMessage', () => {
  it('skips the Klippy ready notice', () => {
    const store = storeOf({ display_status: { message: 'Klippy Ready' } });

    expect(displayMessage(store, false)).toBeUndefined();
  });

  it('returns other display text', () => {
    const store = storeOf({ display_status: { message: 'Heating bed' } });

    expect(displayMessage(store, false)).toBe('Heating bed');
  });
});
