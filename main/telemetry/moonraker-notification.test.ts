import { describe, expect, it } from 'vitest';

import { classifyNotification, findMessage } from './moonraker-notification.js';

describe('classifyNotification', () => {
  it('reads notify_status_update objects', () => {
    const action = classifyNotification('notify_status_update', [{ fan: { speed: 0.5 } }, 12.5]);

    expect(action).toEqual({ kind: 'merge', objects: { fan: { speed: 0.5 } } });
  });

  it('accepts bare notify_print_stats_update fields', () => {
    expect(classifyNotification('notify_print_stats_update', { state: 'printing' })).toEqual({
      kind: 'merge',
      objects: { print_stats: { state: 'printing' } },
    });
  });

  it('rejects a history change without an action', () => {
    expect(classifyNotification('notify_history_changed', [{ job: {} }])).toEqual({
      kind: 'invalid',
      reason: 'notify_history_changed params are not [{ action, job }]',
    });
  });

  it('ignores unknown notifications', () => {
    expect(classifyNotification('notify_filelist_changed', [{ action: 'create_file' }])).toEqual({
      kind: 'ignore',
    });
  });

  it('ignores unknown Klippy states', () => {
    expect(classifyNotification('notify_klippy_state', ['warming'])).toEqual({ kind: 'ignore' });
  });
});

describe('findMessage', () => {
  it.each([
    [null, undefined],
    [[], undefined],
    [['  '], undefined],
    [[' Lost communication '], 'Lost communication'],
    [[{ message: 'Timer too close' }], 'Timer too close'],
    [[{ state_message: 'MCU shutdown' }], 'MCU shutdown'],
    [[{ other: 1 }, 'second'], 'second'],
  ])('finds %j as %j', (params, message) => {
    expect(findMessage(params)).toBe(message);
  });
});
