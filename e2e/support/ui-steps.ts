import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

import type { ControlServerEndpoint } from '../../main/headless/control-server/control-server.js';
import { VIEWPORT } from './browser.js';

/** How long one step in the browser may take before it fails. */
export const UI_TIMEOUT_MS = 10_000;

/** A browser tab with the web UI open, in its own context. */
export interface OpenUi {
  readonly context: BrowserContext;
  readonly page: Page;
}

/** Opens the page address the service prints and waits for the fleet view. */
export async function openUi(browser: Browser, endpoint: ControlServerEndpoint): Promise<OpenUi> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const page = await context.newPage();
  await page.goto(endpoint.pageUrl);
  await page.getByRole('heading', { name: 'Printers', level: 1 }).waitFor();
  return { context, page };
}

/** Switches views with the top navigation: Printers, Add printers or Settings. */
export async function navigate(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: label, exact: true }).click();
}

/** Adds a printer in the discovery view with the add-by-address form. */
export async function addByAddress(page: Page, name: string, port: number): Promise<void> {
  await navigate(page, 'Add printers');
  const form = page.getByRole('form', { name: 'Add by address' });
  await form.getByLabel('Host or IP address').fill('127.0.0.1');
  await form.getByLabel('Port (optional)').fill(String(port));
  await form.getByLabel('Name (optional)').fill(name);
  await form.getByRole('button', { name: 'Add printer' }).click();
  await form
    .getByRole('status')
    .filter({ hasText: `Added ${name}.` })
    .waitFor();
}

/** The fleet grid's row of one printer. */
export function fleetRow(page: Page, name: string): Locator {
  return page
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: `Open ${name}`, exact: true }) });
}

/** Opens the detail view of one printer from the fleet list. */
export async function openDetail(page: Page, name: string): Promise<void> {
  await navigate(page, 'Printers');
  await page.getByRole('button', { name: `Open ${name}`, exact: true }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

/** The detail view's linking card. */
export function linkCard(page: Page): Locator {
  return page.getByRole('region', { name: 'Link to Owl Cloud' });
}

/** Waits until a locator's text, trimmed, is `text`. */
export async function waitForText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) }).waitFor();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
