import { createServer, type AddressInfo, type Socket } from 'node:net';

import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import type { DeviceCredentials } from '../../../shared/contract/device-http.js';
import type { HealthLink, PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { closedLoopbackPort } from '../../bridge/__testing__/closed-port.js';
import { FleetRig } from './__testing__/fleet-rig.js';
import type { FleetPrinter } from './fleet-bridge.js';
import type { FleetRuntime } from './fleet-runtime.js';
import { probeMoonraker } from '../../discovery/moonraker-probe.js';
import { lookupLocalNetwork } from './local-network.js';

let rig: FleetRig;

afterEach(async () => {
  await rig.dispose();
});

function link(summary: PrinterSummary, name: HealthLink['link']): HealthLink {
  const found = summary.health.find((entry) => entry.link === name);
  if (!found) throw new Error(`no ${name} link`);
  return found;
}

function linkLevel(runtime: FleetRuntime, id: string, name: HealthLink['link']): string {
  return link(runtime.summary(id), name).level;
}

function credentialsOf(printer: FleetPrinter): DeviceCredentials {
  if (!printer.credentials) throw new Error(`${printer.name} is not linked`);
  return printer.credentials;
}

describe('FleetRuntime health with real printers', () => {
  it('names the trusted_clients entry when Moonraker answers 401', async () => {
    rig = new FleetRig();
    const printer = await rig.simulator({
      mode: { kind: 'scenario', name: 'idle' },
      apiKey: 'k3y',
    });
    const runtime = await rig.runtime({ localNetwork: lookupLocalNetwork });

    runtime.add(await rig.printer('a', printer.url));
    await rig.until(
      runtime,
      () =>
        link(runtime.summary('id-a'), 'moonraker').details?.['trustedClientsEntry'] !== undefined,
      10_000,
      'the 401 with the trusted_clients entry',
    );

    const moonraker = link(runtime.summary('id-a'), 'moonraker');
    const endpoint = new URL(printer.url).host;
    expect(linkLevel(runtime, 'id-a', 'lan')).toBe('ok');
    expect(moonraker.level).toBe('error');
    expect(moonraker.summary).toBe(
      `Moonraker at ${endpoint} does not trust this computer (HTTP 401)`,
    );
    expect(moonraker.fix).toBe(
      'To trust this computer, add the line "127.0.0.1" under trusted_clients: in the ' +
        '[authorization] section of moonraker.conf and restart Moonraker, or fill in the ' +
        "printer's API key.",
    );
    expect(moonraker.details?.['trustedClientsEntry']).toBe('127.0.0.1');

    const probed = await probeMoonraker({
      host: '127.0.0.1',
      port: Number(new URL(printer.url).port),
      timeoutMs: 2_000,
    });
    expect(probed.kind).toBe('unauthorized');
    const hint = probed.kind === 'unauthorized' ? probed.hint : undefined;
    expect(hint?.trustedClient).toBe(moonraker.details?.['trustedClientsEntry']);
    expect(hint?.configSnippet).toBe(moonraker.details?.['moonrakerConf']);

    await runtime.reconfigure('id-a', { apiKey: 'k3y' });
    await rig.until(
      runtime,
      () => linkLevel(runtime, 'id-a', 'moonraker') === 'ok',
      10_000,
      'Moonraker',
    );
    expect(linkLevel(runtime, 'id-a', 'klippy')).toBe('ok');
  });

  it('reports a closed port as a switched-off printer', async () => {
    rig = new FleetRig();
    const port = await closedLoopbackPort();
    const runtime = await rig.runtime();

    runtime.add(await rig.printer('a', `http://127.0.0.1:${port}`));
    await rig.until(
      runtime,
      () =>
        linkLevel(runtime, 'id-a', 'lan') === 'offline' &&
        linkLevel(runtime, 'id-a', 'cloud') === 'ok',
      10_000,
      'the offline LAN link with a connected cloud',
    );

    const summary = runtime.summary('id-a');
    expect(link(summary, 'lan').summary).toBe(
      `Moonraker is not answering on 127.0.0.1:${port}; is the printer switched on?`,
    );
    expect(link(summary, 'lan').details?.['systemCode']).toBe('ECONNREFUSED');
    expect(link(summary, 'moonraker').level).toBe('unknown');
    expect(summary.overall).toBe('offline');
  });

  it('reports a Klippy shutdown with its message, and the recovery', async () => {
    rig = new FleetRig();
    const printer = await rig.simulator({ mode: { kind: 'scenario', name: 'idle', speed: 20 } });
    const runtime = await rig.runtime();
    runtime.add(await rig.printer('a', printer.url));
    await rig.until(
      runtime,
      () => linkLevel(runtime, 'id-a', 'klippy') === 'ok',
      10_000,
      'Klippy ready',
    );

    const stop = await fetch(`${printer.url}/printer/emergency_stop`, { method: 'POST' });
    expect(stop.status).toBe(200);
    await rig.until(
      runtime,
      () => linkLevel(runtime, 'id-a', 'klippy') === 'error',
      10_000,
      'the shutdown',
    );

    const klippy = link(runtime.summary('id-a'), 'klippy');
    expect(klippy.summary).toBe('Klippy is shut down: Shutdown due to webhooks request');
    expect(klippy.fix).toBe(
      'Fix the cause, then send FIRMWARE_RESTART (or restart the firmware from Mainsail/Fluidd).',
    );

    const restart = await fetch(`${printer.url}/printer/firmware_restart`, { method: 'POST' });
    expect(restart.status).toBe(200);
    await rig.until(
      runtime,
      () => linkLevel(runtime, 'id-a', 'klippy') === 'ok',
      10_000,
      'Klippy ready again',
    );
    const levels = runtime.timeline('id-a').filter((entry) => entry.link === 'klippy');
    expect(levels.map((entry) => entry.level)).toContain('error');
    expect(levels.at(-1)?.level).toBe('ok');
  });
});

describe('FleetRuntime isolation with real bridges', () => {
  it('keeps a printer running beside a Moonraker that hangs', async () => {
    rig = new FleetRig();
    const sockets = new Set<Socket>();
    const hung = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    rig.defer(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => hung.close(() => resolve()));
    });
    const port = (hung.address() as AddressInfo).port;
    const good = await rig.simulator({ mode: { kind: 'scenario', name: 'idle' } });
    const runtime = await rig.runtime();

    runtime.start([
      await rig.printer('hung', `http://127.0.0.1:${port}`),
      await rig.printer('good', good.url),
    ]);
    await rig.until(
      runtime,
      () => linkLevel(runtime, 'id-hung', 'lan') === 'offline',
      15_000,
      'the hung Moonraker reported offline',
    );

    const lan = link(runtime.summary('id-hung'), 'lan');
    expect(lan.summary).toBe(
      `Moonraker is not answering on 127.0.0.1:${port}; is the printer switched on?`,
    );
    expect(lan.details?.['code']).toBe('timeout');
    expect(runtime.summary('id-good').overall).toBe('ok');
  });

  it('restarts a bridge whose start throws while the others keep publishing', async () => {
    rig = new FleetRig();
    const good = await rig.simulator({ mode: { kind: 'scenario', name: 'printing', speed: 30 } });
    const broken = await rig.simulator({ mode: { kind: 'scenario', name: 'idle' } });
    const observer = await rig.observer();
    const runtime = await rig.runtime({ restart: { initialMs: 200, jitterRatio: 0 } });
    const healthy = await rig.printer('good', good.url);
    const failing = await rig.printer('broken', broken.url);
    const invalidKey = {
      ...failing,
      credentials: { ...credentialsOf(failing), devicePrivateKey: 'bm90IGEga2V5' },
    };

    runtime.start([healthy, invalidKey]);
    const deviceId = credentialsOf(healthy).deviceId;
    await observer.until(() => observer.count(deviceId, 'status') > 0, 15_000, 'the first status');
    await rig.until(
      runtime,
      () =>
        runtime
          .timeline('id-broken')
          .filter((entry) => entry.link === 'cloud' && entry.level === 'error').length >= 3,
      15_000,
      'three crashes of the broken bridge',
    );
    const since = Date.now();
    await observer.until(
      () => observer.count(deviceId, 'status', since) >= 2,
      15_000,
      'two more statuses',
    );

    const cloud = link(runtime.summary('id-broken'), 'cloud');
    expect(cloud.level).toBe('error');
    expect(cloud.summary).toMatch(/^The bridge stopped with an error: /);
    expect(linkLevel(runtime, 'id-good', 'cloud')).toBe('ok');
    expect(observer.count(credentialsOf(failing).deviceId, 'status')).toBe(0);
  });

  it('contains an exception thrown in one bridge timer and restarts only that bridge', async () => {
    rig = new FleetRig();
    const first = await rig.simulator({ mode: { kind: 'scenario', name: 'printing', speed: 30 } });
    const second = await rig.simulator({ mode: { kind: 'scenario', name: 'printing', speed: 30 } });
    const observer = await rig.observer();
    const logger = pino(
      {
        level: 'info',
        hooks: {
          logMethod(args, method) {
            const fields = args[0] as { reason?: unknown } | undefined;
            const bindings = this.bindings() as { localPrinterId?: unknown };
            if (bindings.localPrinterId === 'id-a' && fields?.reason === 'expired') {
              throw new Error('log sink failed');
            }
            method.apply(this, args);
          },
        },
      },
      { write: () => undefined },
    );
    const runtime = await rig.runtime({ logger, restart: { initialMs: 200, jitterRatio: 0 } });
    const a = await rig.printer('a', first.url);
    const b = await rig.printer('b', second.url);
    runtime.start([a, b]);
    await rig.until(
      runtime,
      () =>
        linkLevel(runtime, 'id-a', 'cloud') === 'ok' &&
        linkLevel(runtime, 'id-b', 'cloud') === 'ok',
      15_000,
      'both printers connected',
    );

    runtime.setTelemetryRate('id-a', { mode: 'watch', intervalSeconds: 1, durationSeconds: 1 });
    const crashed = (): boolean =>
      runtime.timeline('id-a').some((entry) => entry.link === 'cloud' && entry.level === 'error');
    await rig.until(runtime, crashed, 10_000, 'the crash');
    const crashedAt = Date.now();
    await rig.until(
      runtime,
      () => linkLevel(runtime, 'id-a', 'cloud') === 'ok',
      15_000,
      'the restart',
    );
    await observer.until(
      () => observer.count(credentialsOf(b).deviceId, 'status', crashedAt) >= 1,
      15_000,
      'status of the other printer after the crash',
    );

    const crash = runtime.timeline('id-a').find((entry) => entry.level === 'error');
    expect(crash?.summary).toBe('The bridge stopped with an error: log sink failed');
    expect(runtime.timeline('id-b').some((entry) => entry.level === 'error')).toBe(false);
  });
});
