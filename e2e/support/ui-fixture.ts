import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

import { BridgeRig } from '../../test/support/bridge-rig.js';
import { launchChromium } from './browser.js';
import { startUiStack, type UiStack } from './ui-stack.js';

/** The Chromium of one test file and the rig and UI stack of the running test. */
export interface UiFixture {
  readonly browser: Browser;
  readonly rig: BridgeRig;
  readonly stack: UiStack;
}

/**
 * Registers the vitest hooks of a browser test file: one Chromium for the whole file, and a new
 * rig and UI stack for each test, which the rig releases after it. The returned fields are set
 * once the hooks have run. When `missing` is set, as `browserMissingReason` returns it, the hooks
 * start nothing and the caller should skip its tests.
 */
export function registerUiFixture(missing: string | undefined): UiFixture {
  let browser: Browser | undefined;
  let rig: BridgeRig | undefined;
  let stack: UiStack | undefined;

  beforeAll(async () => {
    if (!missing) browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    if (missing) return;
    rig = new BridgeRig();
    stack = await startUiStack(rig);
  });

  afterEach(async () => {
    await rig?.dispose();
  });

  return {
    get browser() {
      return started(browser, 'browser');
    },
    get rig() {
      return started(rig, 'rig');
    },
    get stack() {
      return started(stack, 'stack');
    },
  };
}

function started<T>(value: T | undefined, name: string): T {
  if (value === undefined) {
    throw new Error(`The UI fixture's ${name} is not started yet. Read it inside a test or hook.`);
  }
  return value;
}
