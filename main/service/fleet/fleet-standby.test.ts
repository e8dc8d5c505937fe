import { afterEach, describe, expect, it } from 'vitest';

import {
  printerSummarySchema,
  type PrinterSummary,
} from '../../../shared/control-api/printer-views.js';
import { closedLoopbackPort } from '../../bridge/__testing__/closed-port.js';
import { FleetRig } from './__testing__/fleet-rig.js';
import type { FleetPrinter } from './fleet-bridge.js';
import type { FleetRuntime } from './fleet-runtime.js';

let rig: FleetRig;

afterEach(async () => {
  await rig.dispose();
});

function unlinked(name: string, url: string, extra: Partial<FleetPrinter> = {}): FleetPrinter {
  return { id: `id-${name}`, name, moonrakerUrl: url, enabled: true, ...extra };
}

function until(runtime: FleetRuntime, id: string, test: (summary: PrinterSummary) => boolean) {
  return rig.until(runtime, () => test(runtime.summary(id)), 10_000, `the probe of ${id}`);
}

function link(summary: PrinterSummary, name: string) {
  return summary.health.find((entry) => entry.link === name);
}

describe('FleetRuntime standby probes', () => {
  it('shows an unlinked printer as ready to link', async () => {
    rig = new FleetRig();
    const { url } = await rig.simulator({ mode: { kind: 'scenario', name: 'idle' } });
    const runtime = await rig.runtime();

    const added = runtime.add(unlinked('a', url));
    expect(added.standby).toBe('checking');
    await until(runtime, 'id-a', (summary) => summary.probe !== undefined);

    const summary = printerSummarySchema.parse(runtime.summary('id-a'));
    expect(summary.standby).toBe('ready_to_link');
    expect(summary.probe).toMatchObject({
      outcome: 'ready',
      summary: 'Moonraker v0.9.3-simulated responds and Klippy is ready',
      moonrakerVersion: 'v0.9.3-simulated',
      klippyState: 'ready',
    });
    expect(summary.health.map((entry) => entry.level)).toEqual(['ok', 'ok', 'ok', 'warning']);
    expect(link(summary, 'moonraker')?.summary).toBe('Moonraker v0.9.3-simulated responds');
    expect(summary.overall).toBe('warning');
  });

  it('names the API key or trusted_clients for a 401', async () => {
    rig = new FleetRig();
    const { url } = await rig.simulator({
      mode: { kind: 'scenario', name: 'idle' },
      apiKey: 'k3y',
    });
    const runtime = await rig.runtime();

    runtime.add(unlinked('a', url));
    await until(runtime, 'id-a', (summary) => summary.probe !== undefined);

    const summary = runtime.summary('id-a');
    const endpoint = new URL(url).host;
    expect(summary.standby).toBe('needs_api_key');
    expect(summary.probe?.summary).toBe(`Moonraker at ${endpoint} does not trust this computer`);
    expect(summary.probe?.fix).toBe(
      'To trust this computer, add the line "127.0.0.1" under trusted_clients: in the ' +
        '[authorization] section of moonraker.conf and restart Moonraker, or fill in the ' +
        "printer's API key.",
    );
    expect(summary.probe?.details).toMatchObject({
      trustedClient: '127.0.0.1',
      configSnippet: '[authorization]\ntrusted_clients:\n    127.0.0.1',
    });
    expect(link(summary, 'moonraker')?.level).toBe('error');
    expect(link(summary, 'moonraker')?.fix).toBe(summary.probe?.fix);
  });

  it('probes again at once after the API key changed', async () => {
    rig = new FleetRig();
    const { url } = await rig.simulator({
      mode: { kind: 'scenario', name: 'idle' },
      apiKey: 'k3y',
    });
    const runtime = await rig.runtime();
    runtime.add(unlinked('a', url));
    await until(runtime, 'id-a', (summary) => summary.standby === 'needs_api_key');

    const changed = await runtime.reconfigure('id-a', { apiKey: 'k3y' });

    expect(changed.standby).toBe('checking');
    await until(runtime, 'id-a', (summary) => summary.standby === 'ready_to_link');
  });

  it('probes the new address at once after the URL changed', async () => {
    rig = new FleetRig();
    const port = await closedLoopbackPort();
    const { url } = await rig.simulator({ mode: { kind: 'scenario', name: 'idle' } });
    const runtime = await rig.runtime();
    runtime.add(unlinked('a', `http://127.0.0.1:${port}`));
    await until(runtime, 'id-a', (summary) => summary.standby === 'unreachable');

    const changed = await runtime.reconfigure('id-a', { moonrakerUrl: url });

    expect(changed.moonrakerUrl).toBe(url);
    expect(changed.standby).toBe('checking');
    expect(changed.probe).toBeUndefined();
    await until(runtime, 'id-a', (summary) => summary.standby === 'ready_to_link');
  });

  it('shows a closed port as unreachable', async () => {
    rig = new FleetRig();
    const port = await closedLoopbackPort();
    const runtime = await rig.runtime();

    runtime.add(unlinked('a', `http://127.0.0.1:${port}`));
    await until(runtime, 'id-a', (summary) => summary.probe !== undefined);

    const summary = runtime.summary('id-a');
    expect(summary.standby).toBe('unreachable');
    expect(summary.probe?.summary).toBe(
      `Nothing listens on 127.0.0.1:${port} (connection refused)`,
    );
    expect(summary.probe?.fix).toMatch(/^Check that Moonraker is running/);
    // The UI translates the probe by this reason.
    expect(summary.probe?.details?.['reason']).toBe('refused');
    expect(link(summary, 'lan')?.level).toBe('offline');
  });

  it('shows a disabled linked printer as ready and stops probing once enabled', async () => {
    rig = new FleetRig();
    const { url } = await rig.simulator({ mode: { kind: 'scenario', name: 'idle' } });
    const runtime = await rig.runtime();
    runtime.add(await rig.printer('a', url, { enabled: false }));
    await until(runtime, 'id-a', (summary) => summary.probe !== undefined);

    expect(runtime.summary('id-a').standby).toBe('ready');
    expect(link(runtime.summary('id-a'), 'cloud')?.summary).toBe('This printer is disabled');

    const enabled = await runtime.setEnabled('id-a', true);

    expect(enabled.standby).toBeUndefined();
    expect(enabled.probe).toBeUndefined();
  });
});
