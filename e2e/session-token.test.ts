import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { BridgeRig } from '../test/support/bridge-rig.js';
import { browserMissingReason, launchChromium, VIEWPORT } from './support/browser.js';
import { openUi, UI_TIMEOUT_MS, type OpenUi } from './support/ui-steps.js';
import { startUiStack, type UiStack } from './support/ui-stack.js';

const missing = browserMissingReason();

let browser: Browser;
let rig: BridgeRig;
let stack: UiStack;

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

async function open(): Promise<OpenUi> {
  const ui = await openUi(browser, stack.endpoint);
  rig.defer(() => ui.context.close());
  return ui;
}

/** Returns the messages of the service's log lines that came from the page. */
function rendererMessages(): string[] {
  return stack.service.options.logBuffer
    .recent()
    .map((line) => JSON.parse(line.raw) as { component?: string; msg?: string })
    .filter((record) => record.component === 'renderer')
    .map((record) => record.msg ?? '');
}

describe.skipIf(missing)(
  `the control token in Chromium${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    it('survives a reload of the tab', async () => {
      const { page } = await open();
      expect(new URL(page.url()).searchParams.has('token')).toBe(false);

      await page.reload();

      await page.getByRole('heading', { name: 'Printers', level: 1 }).waitFor();
      expect(await page.getByRole('alert').count()).toBe(0);
    });

    it('names a rejected token', async () => {
      const context = await browser.newContext({ viewport: VIEWPORT });
      rig.defer(() => context.close());
      context.setDefaultTimeout(UI_TIMEOUT_MS);
      const page = await context.newPage();

      await page.goto(`${stack.endpoint.origin}/?token=not-the-token`);

      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('The access token was rejected.');
      expect(await alert.textContent()).toContain('DATA_DIR/control-token');
      expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    });

    it('asks for the address in a new tab', async () => {
      const { context } = await open();
      const page = await context.newPage();

      await page.goto(stack.endpoint.origin);

      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('This page needs the address');
    });

    it('writes an uncaught error to the service log', async () => {
      const { page } = await open();

      await page.evaluate(() => {
        setTimeout(() => {
          throw new Error('Thrown by the session test');
        }, 0);
      });

      await expect
        .poll(
          () =>
            rendererMessages().some((message) => message.includes('Thrown by the session test')),
          {
            timeout: UI_TIMEOUT_MS,
          },
        )
        .toBe(true);
    });
  },
);
