import { describe, expect, it } from 'vitest';

import { classifyNotification, findMessage } from './moonraker-notification.js';

describe('classifyNotification', () => {
  it('reads notify_status_update objects', () => {
    const action = classifyNotification('notify_status_update', [{ fan: { speed: 0.5 } }, 12.5]);

    expect(action).toEqual({ kind: 'merge', objects: { fan: { speed: 0.5 } } });
  });

  it('rejects notify_status_update objects that are not objects', () => {
    expect(classifyNotification('notify_status_update', [{ fan: 0.5 }, 12.5])).toEqual({
      kind: 'invalid',
      reason: 'notify_status_update params are not [objects, eventtime]',
    });
  });

  it('drops a __proto__ object name from notify_status_update', () => {
    const params = JSON.parse('[{"__proto__": {"x": 1}, "fan": {"speed": 0.5}}, 12.5]') as unknown;
    const action = classifyNotification('notify_status_update', params);

    expect(action).toEqual({ kind: 'merge', objects: { fan: { speed: 0.5 } } });
    const objects = action.kind === 'merge' ? action.objects : {};
    expect(Object.hasOwn(objects, '__proto__')).toBe(false);
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
