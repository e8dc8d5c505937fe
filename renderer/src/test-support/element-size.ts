import { afterAll, beforeAll } from 'vitest';

/**
 * Gives every element a fixed client size for the tests of the calling `describe`. happy-dom
 * does no layout, so a virtual list would otherwise see a scroller of height 0 and render no rows.
 */
export function stubElementSize(width = 1000, height = 800): void {
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
      configurable: true,
      value: height,
    });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
      configurable: true,
      value: width,
    });
  });

  afterAll(() => {
    Reflect.deleteProperty(HTMLElement.prototype, 'clientHeight');
    Reflect.deleteProperty(HTMLElement.prototype, 'clientWidth');
  });
}
