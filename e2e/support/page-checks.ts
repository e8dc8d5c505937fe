import type { Page } from 'playwright-core';

/**
 * Checks that run inside the page. They are strings because the Node type check has no DOM
 * types, and Playwright evaluates a string as an expression in the page.
 */

/** Pixels by which the page or its scrolling content area is wider than the window. */
const HORIZONTAL_OVERFLOW = `(() => {
  const root = document.documentElement;
  const content = document.querySelector('.content');
  const page = root.scrollWidth - root.clientWidth;
  const inner = content ? content.scrollWidth - content.clientWidth : 0;
  return Math.max(page, inner);
})()`;

/**
 * Describes the focused element as `tag:name`, or `input[type]:name` for an input, with the name
 * from its aria-label, its label or its text.
 */
const FOCUSED_CONTROL = `(() => {
  const element = document.activeElement;
  if (!element || element === document.body) return '';
  const label = element.labels && element.labels[0] ? element.labels[0].textContent : null;
  const name = element.getAttribute('aria-label') || label || element.textContent || '';
  const type = element.tagName === 'INPUT' ? '[' + element.getAttribute('type') + ']' : '';
  return element.tagName.toLowerCase() + type + ':' + name.trim();
})()`;

/** Returns how many pixels the view scrolls sideways; 0 when it fits the window's width. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>(HORIZONTAL_OVERFLOW);
}

/**
 * Presses Tab until the focus reaches a control described as `last` (see `FOCUSED_CONTROL`),
 * at most `limit` times, and returns every control it passed, in order.
 */
export async function tabUntil(page: Page, last: string, limit = 150): Promise<string[]> {
  const passed: string[] = [];
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press('Tab');
    const control = await page.evaluate<string>(FOCUSED_CONTROL);
    passed.push(control);
    if (control === last) return passed;
  }
  return passed;
}
