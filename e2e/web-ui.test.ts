import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';

import { channelTopic } from '../shared/contract/topics.js';
import type { PrinterSummary } from '../shared/control-api/printer-views.js';
import type { RunningSimulator } from '../test/support/bridge-rig.js';
import type { CloudMessage } from '../test/support/cloud-message.js';
import { envelopeRequest } from '../test/support/command-requests.js';
import { browserMissingReason } from './support/browser.js';
import { horizontalOverflow, tabUntil } from './support/page-checks.js';
import { registerUiFixture } from './support/ui-fixture.js';
import {
  addByAddress,
  fleetRow,
  linkCard,
  navigate,
  openDetail,
  openUi,
  UI_TIMEOUT_MS,
  waitForText,
  type OpenUi,
} from './support/ui-steps.js';
import { startPrinter } from './support/ui-stack.js';

const missing = browserMissingReason();

const fixture = registerUiFixture(missing);
let ui: OpenUi;

beforeEach(async () => {
  if (missing) return;
  ui = await openUi(fixture.browser, fixture.stack.endpoint);
  fixture.rig.defer(() => ui.context.close());
});

/** Adds a simulator through the service and links it with a minted code, as a shortcut. */
async function linkedPrinter(
  name: string,
  scenario: 'idle' | 'printing',
  speed = 1,
): Promise<{ printer: PrinterSummary; deviceId: string; simulator: RunningSimulator }> {
  const simulator = await startPrinter(fixture.rig, scenario, speed);
  const added = await fixture.stack.service.api['printers.add']({
    name,
    host: '127.0.0.1',
    port: simulator.port,
  });
  const { code } = await fixture.stack.cloud.operator().mintLinkCode();
  const printer = await fixture.stack.service.api['link.withCode']({ printerId: added.id, code });
  return { printer, deviceId: printer.deviceId ?? '', simulator };
}

function sensorsOf(deviceId: string): CloudMessage[] {
  return fixture.stack.observer.ofKind(deviceId, 'sensors');
}

function phaseBadge(page: Page, name: string) {
  return fleetRow(page, name).locator('.phase-badge');
}

describe.skipIf(missing)(`the web UI in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  describe('discovery', () => {
    it('adds a printer by address and lists it in the fleet', async () => {
      const { port } = await startPrinter(fixture.rig, 'idle');

      await addByAddress(ui.page, 'Alpha', port);
      await navigate(ui.page, 'Printers');

      const row = fleetRow(ui.page, 'Alpha');
      await row.waitFor();
      expect(await row.textContent()).toContain(`http://127.0.0.1:${port}`);
      // No bridge runs for an unlinked printer, so the badge shows what its probe found.
      await waitForText(phaseBadge(ui.page, 'Alpha'), 'Ready to link');
      await waitForText(row.locator('.link-state'), 'Not linked');
    });
  });

  describe('click-to-link', () => {
    it('links a printer through the add-printer page that opens', async () => {
      const { port } = await startPrinter(fixture.rig, 'idle');
      await addByAddress(ui.page, 'Alpha', port);
      await openDetail(ui.page, 'Alpha');

      const opened = ui.context.waitForEvent('page');
      await linkCard(ui.page).getByRole('button', { name: 'Link in the browser' }).click();
      const cloudPage = await opened;
      await cloudPage.waitForLoadState();
      expect(new URL(cloudPage.url()).origin).toBe(fixture.stack.cloud.endpoints.httpUrl);
      await cloudPage.getByRole('button', { name: 'Add printer' }).click();

      await cloudPage.getByRole('heading', { name: 'Printer linked' }).waitFor();
      expect(new URL(cloudPage.url()).origin).toBe(fixture.stack.endpoint.origin);
      await waitForText(linkCard(ui.page).locator('.link-state'), 'Linked');
      await navigate(ui.page, 'Printers');
      await waitForText(fleetRow(ui.page, 'Alpha').locator('.link-state'), 'Linked');
    });
  });

  describe('live status', () => {
    it('moves the progress of a printing row without a reload', async () => {
      await linkedPrinter('Alpha', 'printing', 20);
      await navigate(ui.page, 'Printers');
      await waitForText(phaseBadge(ui.page, 'Alpha'), 'Printing');
      const bar = ui.page.getByRole('progressbar', { name: 'Progress of Alpha' });
      const progress = async () => Number(await bar.getAttribute('aria-valuenow'));
      const first = await progress();
      let navigations = 0;
      ui.page.on('framenavigated', () => (navigations += 1));

      // The first value can drop once file metadata switches progress to the file position, so
      // wait for a value above the first rather than for any change.
      await ui.page.waitForFunction(
        ([label, start]) => {
          // This function runs in the page, where `document` exists.
          const page = globalThis as unknown as {
            document: {
              querySelector(selector: string): { getAttribute(name: string): string | null } | null;
            };
          };
          const bar = page.document.querySelector(`[role="progressbar"][aria-label="${label}"]`);
          return Number(bar?.getAttribute('aria-valuenow')) > start;
        },
        ['Progress of Alpha', first] as const,
        { timeout: 20_000 },
      );
      expect(await progress()).toBeGreaterThan(first);
      expect(navigations).toBe(0);
    });
  });

  describe('telemetry rate', () => {
    it('sends sensors every second while watching', async () => {
      const { deviceId, simulator } = await linkedPrinter('Alpha', 'idle');
      await openDetail(ui.page, 'Alpha');
      const rate = ui.page.getByTestId('rate-current');
      await rate.filter({ hasText: 'Idle, every' }).waitFor();
      await fixture.stack.observer.messages.waitForItem(
        (message) => message.kind === 'sensors' && message.deviceId === deviceId,
        UI_TIMEOUT_MS,
        'the first sensors message',
      );
      const idleCount = await countSensorsOverFrames(deviceId, simulator, 12);

      const region = ui.page.getByRole('region', { name: 'Telemetry rate' });
      await region.getByLabel('Interval').selectOption({ label: '1 s' });
      await region.getByRole('button', { name: 'Watch', exact: true }).click();
      await rate.filter({ hasText: 'Watching, every 1 s' }).waitFor();
      const before = sensorsOf(deviceId).length;
      await fixture.stack.observer.messages.waitFor(
        () => (sensorsOf(deviceId).length >= before + 4 ? true : undefined),
        UI_TIMEOUT_MS,
        'four sensors messages while watching',
      );

      expect(idleCount).toBeLessThanOrEqual(1);
      const times = sensorsOf(deviceId)
        .slice(before)
        .map((message) => message.receivedAt);
      const gaps = times.slice(1).map((time, index) => time - (times[index] ?? time));
      // Sensors go out only when a reading changed, at most once a second while watching.
      // NOTE: an idle printer's readings can stay unchanged for a few seconds, so a gap may be
      // two or three intervals long; only the shortest gap shows the one-second interval.
      for (const gap of gaps) expect(gap).toBeGreaterThan(900);
      expect(Math.min(...gaps)).toBeLessThan(1_200);
    });
  });

  describe('cloud commands', () => {
    it('shows Paused after the cloud pauses the print', async () => {
      const { deviceId } = await linkedPrinter('Alpha', 'printing');
      await navigate(ui.page, 'Printers');
      await waitForText(phaseBadge(ui.page, 'Alpha'), 'Printing');

      const request = envelopeRequest(deviceId, 'e2e-pause-1', 'print:pause');
      await fixture.stack.observer.sendCommand(deviceId, 'print:pause', request);

      await waitForText(phaseBadge(ui.page, 'Alpha'), 'Paused');
      await fixture.stack.observer.waitForAck(deviceId, 'e2e-pause-1', 'completed', UI_TIMEOUT_MS);
    });
  });

  describe('small window', () => {
    it('fits the detail and settings views into 800×600', async () => {
      await linkedPrinter('Alpha', 'printing', 10);
      await ui.page.setViewportSize({ width: 800, height: 600 });

      await openDetail(ui.page, 'Alpha');
      await ui.page.locator('.chart canvas').first().waitFor();
      await ui.page.getByRole('region', { name: 'Printer settings' }).waitFor();
      expect(await horizontalOverflow(ui.page)).toBe(0);

      await navigate(ui.page, 'Settings');
      await ui.page.getByRole('combobox', { name: 'Log level' }).waitFor();
      expect(await horizontalOverflow(ui.page)).toBe(0);
    });
  });

  describe('printer settings', () => {
    it('reaches every new control by keyboard and renames with Enter', async () => {
      const { printer } = await linkedPrinter('Alpha', 'idle');
      // Clear key is disabled, and so out of the tab order, while no key is stored.
      await fixture.stack.service.api['printers.setApiKey']({
        printerId: printer.id,
        apiKey: 'k3y',
      });
      await openDetail(ui.page, 'Alpha');
      await ui.page.getByRole('button', { name: 'Back to printers' }).focus();

      const passed = await tabUntil(ui.page, 'button:Clear key');

      expect(passed).toContain('input[text]:Name');
      expect(passed).toContain('input[text]:Moonraker URL');
      expect(passed).toContain('input[checkbox]:Enabled');
      expect(passed).toContain('input[password]:New API key');
      expect(passed.at(-1)).toBe('button:Clear key');
      const name = ui.page.getByRole('textbox', { name: 'Name', exact: true });
      await name.focus();
      await ui.page.keyboard.press('ControlOrMeta+A');
      await ui.page.keyboard.type('Alpha Prime');
      await ui.page.keyboard.press('Enter');
      await ui.page.getByRole('heading', { name: 'Alpha Prime', level: 1 }).waitFor();
      const stored = fixture.stack.service.settings.get().printers.map((printer) => printer.name);
      expect(stored).toEqual(['Alpha Prime']);
    });

    it('moves a printer to another Moonraker URL', async () => {
      const { printer } = await linkedPrinter('Alpha', 'idle');
      const next = await startPrinter(fixture.rig, 'idle');
      await openDetail(ui.page, 'Alpha');
      const url = ui.page.getByRole('textbox', { name: 'Moonraker URL' });

      await url.fill(`http://127.0.0.1:${next.port}/`);
      await url.press('Enter');

      await waitForText(ui.page.locator(`#moonraker-url-${printer.id}-status`), 'Saved');
      expect(await url.inputValue()).toBe(`http://127.0.0.1:${next.port}`);
      const stored = fixture.stack.service.settings
        .get()
        .printers.map((entry) => entry.moonrakerUrl);
      expect(stored).toEqual([`http://127.0.0.1:${next.port}`]);
    });

    it('shows an invalid Moonraker URL under the field', async () => {
      await linkedPrinter('Alpha', 'idle');
      await openDetail(ui.page, 'Alpha');
      const url = ui.page.getByRole('textbox', { name: 'Moonraker URL' });

      await url.fill('printer.local:7125');
      await url.press('Enter');

      const problem = ui.page.getByRole('alert');
      await waitForText(
        problem,
        'moonrakerUrl must be an http:// or https:// URL such as http://192.168.1.20:7125',
      );
      expect(await url.getAttribute('aria-invalid')).toBe('true');
    });

    it('shows no updater in the browser', async () => {
      await ui.page.getByRole('heading', { name: 'Printers', level: 1 }).waitFor();

      expect(await ui.page.getByRole('button', { name: 'Restart to update' }).count()).toBe(0);
      expect(await ui.page.locator('.update-status').count()).toBe(0);
    });
  });

  describe('unlink', () => {
    it('shows the printer unlinked and leaves a retained Offline status', async () => {
      const { deviceId } = await linkedPrinter('Alpha', 'idle');
      await openDetail(ui.page, 'Alpha');
      await waitForText(linkCard(ui.page).locator('.link-state'), 'Linked');

      await linkCard(ui.page).getByRole('button', { name: 'Unlink' }).click();
      const confirmation = ui.page.getByRole('alertdialog', {
        name: 'Unlink Alpha from Owl Cloud?',
      });
      await confirmation.getByRole('button', { name: 'Unlink' }).click();

      await waitForText(linkCard(ui.page).locator('.link-state'), 'Not linked');
      await linkCard(ui.page).getByRole('button', { name: 'Link in the browser' }).waitFor();
      const retained = retainedStatus(deviceId);
      expect(retained).toMatchObject({ phase: 'Offline' });
    });
  });
});

/**
 * Counts the sensors messages of a device that arrive while the simulator sends `frames` more
 * status frames (Moonraker sends one every 250 ms), a time span measured by events.
 */
async function countSensorsOverFrames(
  deviceId: string,
  simulator: RunningSimulator,
  frames: number,
): Promise<number> {
  const before = sensorsOf(deviceId).length;
  const target = simulator.frames.items.length + frames;
  await simulator.frames.waitFor(
    (items) => (items.length >= target ? true : undefined),
    UI_TIMEOUT_MS,
    `${frames} more simulator frames`,
  );
  return sensorsOf(deviceId).length - before;
}

/** Reads the lifecycle of the status the broker retains for a device. */
function retainedStatus(deviceId: string): Record<string, unknown> {
  const retained = fixture.stack.cloud.embeddedBroker?.retainedMessage(
    channelTopic(deviceId, 'status'),
  );
  if (!retained) return {};
  const envelope = JSON.parse(retained.payload.toString('utf8')) as {
    payload: { lifecycle: Record<string, unknown> };
  };
  return envelope.payload.lifecycle;
}
