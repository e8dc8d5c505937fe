/**
 * Saves screenshots of the main views in light and dark mode to docs/screenshots, at 1280×800,
 * and the fleet and detail views in Simplified Chinese as `*-zh-*`. Run with
 * `node --import tsx e2e/screenshots.ts` after `npm run build:ui`; the tests do not run it, so CI
 * never rewrites the pictures. The Chinese pictures show boxes in place of glyphs unless a CJK
 * font, such as Debian's fonts-wqy-microhei, is installed.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Browser, Page } from 'playwright-core';

import { BridgeRig } from '../test/support/bridge-rig.js';
import { browserMissingReason, launchChromium } from './support/browser.js';
import { addByAddress, linkCard, navigate, openDetail, openUi } from './support/ui-steps.js';
import { startPrinter, startUiStack, type UiStack } from './support/ui-stack.js';

const OUTPUT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../docs/screenshots');
const SCHEMES = ['light', 'dark'] as const;

/** Fills the fleet with printers in different states: printing, idle, and unlinked. */
async function stockFleet(rig: BridgeRig, stack: UiStack): Promise<void> {
  const printers = [
    { name: 'Voron 2.4', scenario: 'printing', link: true },
    { name: 'Prusa MK4', scenario: 'printing', link: true },
    { name: 'Ender 3', scenario: 'idle', link: true },
    { name: 'RatRig V-Core', scenario: 'idle', link: false },
  ] as const;
  for (const { name, scenario, link } of printers) {
    const { port } = await startPrinter(rig, scenario, 10);
    const added = await stack.service.api['printers.add']({ name, host: '127.0.0.1', port });
    if (!link) continue;
    const { code } = await stack.cloud.operator().mintLinkCode();
    await stack.service.api['link.withCode']({ printerId: added.id, code });
  }
}

async function shoot(page: Page, view: string): Promise<void> {
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    const path = resolve(OUTPUT_DIR, `${view}-${colorScheme}.png`);
    await page.screenshot({ path });
    process.stdout.write(`Saved ${path}\n`);
  }
}

async function shootViews(browser: Browser, rig: BridgeRig, stack: UiStack): Promise<void> {
  const { context, page } = await openUi(browser, stack.endpoint);
  rig.defer(() => context.close());
  await page.getByRole('button', { name: 'Open Voron 2.4' }).waitFor();
  // Let the printing rows show progress and temperatures.
  await page.locator('[role="progressbar"]:not([aria-valuenow="0"])').nth(1).waitFor();
  await shoot(page, 'fleet');

  await openDetail(page, 'Voron 2.4');
  await page.locator('[role="progressbar"]:not([aria-valuenow="0"])').first().waitFor();
  await page.locator('.chart canvas').first().waitFor();
  await shoot(page, 'detail');
  await page.getByRole('region', { name: 'Printer settings' }).scrollIntoViewIfNeeded();
  await shoot(page, 'printer-settings');

  await navigate(page, 'Settings');
  await page.getByRole('combobox', { name: 'Log level' }).waitFor();
  await shoot(page, 'settings');
  await shootChinese(page);

  const { port } = await startPrinter(rig, 'idle');
  await addByAddress(page, 'Bambu X1', port);
  await shoot(page, 'discovery');

  await openDetail(page, 'RatRig V-Core');
  const opened = context.waitForEvent('page');
  await linkCard(page).getByRole('button', { name: 'Link in the browser' }).click();
  const cloudPage = await opened;
  await linkCard(page).getByText('Waiting for the browser', { exact: false }).waitFor();
  await page.bringToFront();
  await shoot(page, 'linking');
  await cloudPage.close();
  await navigate(page, 'Printers');
}

/**
 * Takes the fleet and detail views in Simplified Chinese, then switches back to English. The
 * glyphs need a CJK font on the machine, such as Debian's fonts-wqy-microhei.
 */
async function shootChinese(page: Page): Promise<void> {
  await page.getByLabel('Language').selectOption('zh-CN');
  await navigate(page, '打印机');
  await page.getByRole('button', { name: '打开 Voron 2.4' }).waitFor();
  await shoot(page, 'fleet-zh');
  await page.getByRole('button', { name: '打开 Voron 2.4' }).click();
  await page.getByRole('heading', { name: 'Voron 2.4', level: 1 }).waitFor();
  await page.locator('.chart canvas').first().waitFor();
  await shoot(page, 'detail-zh');
  await page.getByLabel('语言').selectOption('en');
  await navigate(page, 'Printers');
}

async function main(): Promise<number> {
  const missing = browserMissingReason();
  if (missing) {
    process.stderr.write(`Cannot take screenshots: ${missing}\n`);
    return 1;
  }
  await mkdir(OUTPUT_DIR, { recursive: true });
  const rig = new BridgeRig();
  const browser = await launchChromium();
  try {
    const stack = await startUiStack(rig);
    await stockFleet(rig, stack);
    await shootViews(browser, rig, stack);
    return 0;
  } finally {
    await rig.dispose();
    await browser.close();
  }
}

process.exitCode = await main();
