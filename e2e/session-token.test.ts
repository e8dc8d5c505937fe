import { describe, expect, it } from 'vitest';

import { browserMissingReason, VIEWPORT } from './support/browser.js';
import { registerUiFixture } from './support/ui-fixture.js';
import { openUi, UI_TIMEOUT_MS, type OpenUi } from './support/ui-steps.js';

const missing = browserMissingReason();

const fixture = registerUiFixture(missing);

async function open(): Promise<OpenUi> {
  const ui = await openUi(fixture.browser, fixture.stack.endpoint);
  fixture.rig.defer(() => ui.context.close());
  return ui;
}

/** Returns the messages of the service's log lines that came from the page. */
function rendererMessages(): string[] {
  return fixture.stack.service.options.logBuffer
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
      const context = await fixture.browser.newContext({ viewport: VIEWPORT });
      fixture.rig.defer(() => context.close());
      context.setDefaultTimeout(UI_TIMEOUT_MS);
      const page = await context.newPage();

      await page.goto(`${fixture.stack.endpoint.origin}/?token=not-the-token`);

      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('The access token was rejected.');
      expect(await alert.textContent()).toContain('DATA_DIR/control-token');
      expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    });

    it('asks for the address in a new tab', async () => {
      const { context } = await open();
      const page = await context.newPage();

      await page.goto(fixture.stack.endpoint.origin);

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
