import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it, vi } from 'vitest';

import type { PrinterSettings } from '../../shared/settings/app-settings.js';
import { systemClock } from '../support/clock.js';
import { LogBuffer } from '../support/log-buffer.js';
import { silentLogger } from '../support/logger.js';
import type { ProbeTarget } from './fleet/standby-probes.js';
import { FleetService } from './fleet-service.js';

const VORON: PrinterSettings = {
  id: 'voron',
  name: 'Voron',
  moonrakerUrl: 'http://192.168.1.40:7125',
  enabled: true,
  instanceKey: 'voron-instance',
};
const ENDER: PrinterSettings = {
  id: 'ender',
  name: 'Ender',
  moonrakerUrl: 'http://ender.local:7125',
  enabled: true,
};

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Opens a service in a new data folder with two unlinked printers. Its standby probe is a fake
 * that records each target in `targets` and never finishes, so no request leaves the machine.
 */
async function openService() {
  const dataDir = await mkdtemp(join(tmpdir(), 'owl-moonraker-url-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const targets: ProbeTarget[] = [];
  const service = await FleetService.open({
    dataDir,
    version: '0.1.0',
    clock: systemClock,
    logger: silentLogger,
    logBuffer: new LogBuffer(),
    discovery: { mdns: false },
    runtime: {
      random: () => 0,
      probe: (target) => {
        targets.push(target);
        return new Promise(() => undefined);
      },
    },
  });
  cleanups.push(() => service.stop());
  await service.settings.update((draft) => {
    draft.printers.push({ ...VORON }, { ...ENDER });
  });
  await service.start();
  return { service, targets };
}

function stored(service: FleetService, printerId: string): PrinterSettings | undefined {
  return service.settings.get().printers.find((printer) => printer.id === printerId);
}

describe('printers.setMoonrakerUrl', () => {
  it('stores the normalized URL', async () => {
    const { service } = await openService();

    const summary = await service.api['printers.setMoonrakerUrl']({
      printerId: 'voron',
      moonrakerUrl: 'http://Voron.local:7125/',
    });

    expect(summary.moonrakerUrl).toBe('http://voron.local:7125');
    expect(stored(service, 'voron')?.moonrakerUrl).toBe('http://voron.local:7125');
    expect(stored(service, 'ender')).toEqual(ENDER);
  });

  it('clears the instance key', async () => {
    const { service } = await openService();
    const setPrinterId = vi.spyOn(service.discovery, 'setPrinterId');

    await service.api['printers.setMoonrakerUrl']({
      printerId: 'voron',
      moonrakerUrl: 'http://voron.local:7125',
    });

    expect(stored(service, 'voron')).not.toHaveProperty('instanceKey');
    expect(setPrinterId).toHaveBeenCalledWith('voron-instance', undefined);
  });

  it('probes the printer at its new address', async () => {
    const { service, targets } = await openService();
    await vi.waitFor(() => expect(targets).toHaveLength(2));

    const summary = await service.api['printers.setMoonrakerUrl']({
      printerId: 'voron',
      moonrakerUrl: 'https://voron.local/printer',
    });

    expect(summary.standby).toBe('checking');
    await vi.waitFor(() => expect(targets).toHaveLength(3));
    expect(targets[2]).toEqual({ host: 'voron.local', port: 443 });
  });

  it('rejects a URL another printer uses', async () => {
    const { service } = await openService();

    const call = service.api['printers.setMoonrakerUrl']({
      printerId: 'voron',
      moonrakerUrl: 'http://ENDER.local:7125/',
    });

    await expect(call).rejects.toThrow(
      'A printer at http://ender.local:7125 is already in the fleet (Ender)',
    );
    await expect(call).rejects.toMatchObject({
      code: 'already_exists',
      details: { printerId: 'ender' },
    });
    expect(stored(service, 'voron')).toEqual(VORON);
  });

  it('keeps an unchanged URL and its instance key', async () => {
    const { service } = await openService();
    const setPrinterId = vi.spyOn(service.discovery, 'setPrinterId');

    const summary = await service.api['printers.setMoonrakerUrl']({
      printerId: 'voron',
      moonrakerUrl: 'HTTP://192.168.1.40:7125/',
    });

    expect(summary.moonrakerUrl).toBe('http://192.168.1.40:7125');
    expect(stored(service, 'voron')).toEqual(VORON);
    expect(setPrinterId).not.toHaveBeenCalled();
  });

  it('rejects an unknown printer', async () => {
    const { service } = await openService();

    const call = service.api['printers.setMoonrakerUrl']({
      printerId: 'missing',
      moonrakerUrl: 'http://voron.local:7125',
    });

    await expect(call).rejects.toThrow('No printer with id missing');
    await expect(call).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('printers.add', () => {
  it('rejects an address that differs only in case', async () => {
    const { service } = await openService();

    const call = service.api['printers.add']({ host: 'Ender.local', port: 7125, force: true });

    await expect(call).rejects.toThrow(
      'A printer at http://ender.local:7125 is already in the fleet (Ender)',
    );
    await expect(call).rejects.toMatchObject({ code: 'already_exists' });
  });
});

describe('printer summary apiKeySet', () => {
  it('follows printers.setApiKey', async () => {
    const { service } = await openService();
    expect((await service.api['printers.list']({})).map((printer) => printer.apiKeySet)).toEqual([
      false,
      false,
    ]);

    const withKey = await service.api['printers.setApiKey']({ printerId: 'voron', apiKey: 'k3y' });
    expect(withKey.apiKeySet).toBe(true);
    expect(JSON.stringify(withKey)).not.toContain('k3y');

    const cleared = await service.api['printers.setApiKey']({ printerId: 'voron', apiKey: null });
    expect(cleared.apiKeySet).toBe(false);
  });
});
