import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../../test/support/fake-clock.js';
import { ChangeThrottle } from './change-throttle.js';

const throttles: ChangeThrottle[] = [];

function createThrottle(clock: FakeClock) {
  const emitted: [string, number][] = [];
  const throttle = new ChangeThrottle(clock, 250, (key) => emitted.push([key, clock.monotonic()]));
  throttles.push(throttle);
  return { throttle, emitted };
}

afterEach(() => {
  for (const throttle of throttles.splice(0)) throttle.dispose();
});

describe('ChangeThrottle', () => {
  it('emits the first change at once and coalesces the rest', () => {
    const clock = new FakeClock();
    const { throttle, emitted } = createThrottle(clock);

    throttle.notify('a');
    clock.advance(10);
    throttle.notify('a');
    throttle.notify('a');
    clock.advance(300);

    expect(emitted).toEqual([
      ['a', 0],
      ['a', 250],
    ]);
  });

  it('throttles each key on its own', () => {
    const clock = new FakeClock();
    const { throttle, emitted } = createThrottle(clock);

    throttle.notify('a');
    throttle.notify('b');

    expect(emitted).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
  });

  it('drops the pending emission of a forgotten key', () => {
    const clock = new FakeClock();
    const { throttle, emitted } = createThrottle(clock);
    throttle.notify('a');
    throttle.notify('a');

    throttle.forget('a');
    clock.advance(500);

    expect(emitted).toEqual([['a', 0]]);
    expect(clock.pendingTimers).toBe(0);
  });
});
