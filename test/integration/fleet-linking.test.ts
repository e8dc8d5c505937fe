import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CREDENTIALS_FILE_NAME } from '../../main/cloud/secret-store.js';
import type { LocalCloud } from '../../main/local-cloud/local-cloud.js';
import { createPrinterBridge, type FleetBridge } from '../../main/service/fleet/fleet-bridge.js';
import { OFFLINE_REASON_SHUTDOWN } from '../../shared/contract/status.js';
import { channelTopic } from '../../shared/contract/topics.js';
import type { PrinterSummary } from '../../shared/control-api/printer-views.js';
import { BridgeRig } from '../support/bridge-rig.js';
import type { CloudObserver } from '../support/cloud-observer.js';
import { LINK_STATES_FILE_NAME } from '../../main/service/linking/link-state-book.js';
import {
  connectClient,
  controlFailure,
  startFleetService,
  useLocalCloud,
  waitForFleet,
  waitForSummary,
  type RunningFleetService,
} from '../support/fleet-service-rig.js';

const STEP_TIMEOUT_MS = 10_000;

let rig: BridgeRig;
let cloud: LocalCloud;
let observer: CloudObserver;
let running: RunningFleetService;

beforeEach(async () => {
  rig = new BridgeRig();
  cloud = await rig.cloud();
  observer = await rig.observer({
    url: cloud.endpoints.mqttUrl,
    login: cloud.endpoints.operatorMqtt,
  });
  running = await startFleetService(rig);
  await useLocalCloud(running, cloud);
});

afterEach(async () => {
  await rig.dispose();
});

async function addPrinter(name: string, service = running): Promise<PrinterSummary> {
  const { url } = await rig.simulator({ mode: { kind: 'scenario', name: 'idle' } });
  const port = Number(new URL(url).port);
  return service.client.call('printers.add', { name, host: '127.0.0.1', port });
}

/** Mints a link code and uses it up by linking a printer of its own. */
async function spentCode(): Promise<string> {
  const spare = await addPrinter('Spare');
  const { code } = await cloud.operator().mintLinkCode();
  await running.client.call('link.withCode', { printerId: spare.id, code });
  return code;
}

async function linkWithCode(printer: PrinterSummary, service = running): Promise<PrinterSummary> {
  const { code } = await cloud.operator().mintLinkCode();
  return service.client.call('link.withCode', { printerId: printer.id, code });
}

/**
 * Starts `link.withCode` with a code that the cloud accepts only at its third request, and
 * resolves once the service reports that the printer waits for acceptance.
 */
async function startSlowLink(printer: PrinterSummary): Promise<{ call: Promise<unknown> }> {
  const { code } = await cloud.operator().mintLinkCode({ acceptAfterPolls: 2 });
  const call = running.client.call('link.withCode', { printerId: printer.id, code });
  // The test reads the failure later, and this handler keeps it from counting as unhandled.
  call.catch(() => undefined);
  await running.events.waitForItem(
    (item) =>
      item.event === 'link.progress' &&
      (item.data as { printerId: string; state: string }).printerId === printer.id &&
      (item.data as { state: string }).state === 'waiting',
    STEP_TIMEOUT_MS,
    `the link of ${printer.name} waiting`,
  );
  // Wrapped, because an async function would wait for a promise that it returns.
  return { call };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits until the operator has received a status of the online device. The first status after
 * a connect is retained, and the subscriber keeps the retain flag, so the flag is not checked.
 */
async function liveStatus(deviceId: string): Promise<void> {
  await observer.messages.waitForItem(
    (message) =>
      message.kind === 'status' &&
      message.deviceId === deviceId &&
      lifecycleOf(Buffer.from(message.text)).phase !== 'Offline',
    STEP_TIMEOUT_MS,
    `a status from ${deviceId} while online`,
  );
}

/** Reads the secret store's file. No file means that no secret was ever stored. */
async function storedSecrets(): Promise<Record<string, string>> {
  const path = join(running.dataDir, CREDENTIALS_FILE_NAME);
  if (!(await exists(path))) return {};
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, string>;
}

/** Plays the user on the add-printer page: posts its form and returns the redirect address. */
async function pressAddPrinter(pageUrl: string): Promise<string> {
  const page = await fetch(pageUrl);
  const posted = await fetch(new URL('/printers/add', pageUrl), {
    method: 'POST',
    body: formFields(await page.text()),
    redirect: 'manual',
  });
  expect(posted.status).toBe(303);
  return posted.headers.get('location') ?? '';
}

/** Returns every log line of the service as one text. */
function loggedText(service: RunningFleetService): string {
  return service.logBuffer
    .recent()
    .map((line) => line.raw)
    .join('\n');
}

/** Decodes the hidden fields of the add-printer page's form. */
function formFields(html: string): URLSearchParams {
  const fields = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) {
    const value = (match[2] ?? '').replace(/&#(\d+);/g, (_entity, code: string) =>
      String.fromCharCode(Number(code)),
    );
    fields.append(match[1] ?? '', value);
  }
  return fields;
}

function lifecycleOf(payload: Buffer): Record<string, unknown> {
  const envelope = JSON.parse(payload.toString('utf8')) as {
    payload: { lifecycle: Record<string, unknown> };
  };
  return envelope.payload.lifecycle;
}

describe('linking through the local cloud', () => {
  describe('link.withCode', () => {
    it('links a printer whose bridge then publishes', async () => {
      const printer = await addPrinter('Alpha');

      const linked = await linkWithCode(printer);

      expect(linked.link).toBe('linked');
      const deviceId = linked.deviceId ?? '';
      expect(deviceId).not.toBe('');
      await liveStatus(deviceId);
      await waitForSummary(
        running,
        printer.id,
        (summary) => summary.health.find((link) => link.link === 'cloud')?.level === 'ok',
        STEP_TIMEOUT_MS,
        'the cloud link of the printer reported ok',
      );
      const progress = running.events.items
        .filter((item) => item.event === 'link.progress')
        .map((item) => (item.data as { state: string }).state);
      expect(progress.at(-1)).toBe('linked');
      const settings = await running.client.call('settings.get');
      expect(settings.printers[0]?.deviceId).toBe(deviceId);
      expect(Object.keys(await storedSecrets())).toContain(`device-credentials/${printer.id}`);
      expect(observer.problems()).toEqual([]);
    });

    it('rejects a used code', async () => {
      const first = await addPrinter('Alpha');
      const second = await addPrinter('Beta');
      const { code } = await cloud.operator().mintLinkCode();
      await running.client.call('link.withCode', { printerId: first.id, code });

      const error = await controlFailure(
        running.client.call('link.withCode', { printerId: second.id, code }),
      );

      expect(error.code).toBe('code_used');
      expect(error.message).toBe(
        'This link code was already used or its printer is already linked; create a new one in Owl Web',
      );
      const summary = (await running.client.call('printers.list')).find(
        (candidate) => candidate.id === second.id,
      );
      expect(summary?.link).toBe('unlinked');
    });
  });

  describe('click-to-link', () => {
    it('links two printers through the add-printer page', async () => {
      const alpha = await addPrinter('Alpha');
      const beta = await addPrinter('Beta');
      const callback = `${running.endpoint.origin}/link/callback`;

      const start = await running.client.call('link.start', { printerIds: [alpha.id, beta.id] });

      const pageUrl = new URL(start.url);
      expect(pageUrl.origin).toBe(cloud.endpoints.httpUrl);
      expect(pageUrl.pathname).toBe('/printers/add');
      expect(pageUrl.searchParams.get('callback')).toBe(callback);
      expect(pageUrl.searchParams.get('count')).toBe('2');
      expect(pageUrl.searchParams.getAll('name')).toEqual(['Alpha', 'Beta']);
      const page = await fetch(pageUrl);
      expect(page.status).toBe(200);
      const form = formFields(await page.text());
      expect(form.get('state')).toBe(start.state);
      expect(form.get('callback')).toBe(callback);

      const posted = await fetch(new URL('/printers/add', pageUrl), {
        method: 'POST',
        body: form,
        redirect: 'manual',
      });
      expect(posted.status).toBe(303);
      const location = posted.headers.get('location') ?? '';
      expect(location.startsWith(`${callback}?`)).toBe(true);
      expect(new URL(location).searchParams.getAll('code')).toHaveLength(2);

      const landing = await fetch(location);
      const landingText = await landing.text();
      expect(landing.status).toBe(200);
      expect(landingText).toContain('<h1>Printers linked</h1>');
      expect(landingText).toContain('Linked Alpha, Beta. You can close this tab.');

      const printers = await running.client.call('printers.list');
      expect(printers.map((printer) => printer.link)).toEqual(['linked', 'linked']);
      for (const printer of printers) await liveStatus(printer.deviceId ?? '');
      expect(new Set(printers.map((printer) => printer.deviceId)).size).toBe(2);
      const linkedProgress = running.events.items
        .filter((item) => item.event === 'link.progress')
        .map((item) => item.data as { printerId: string; state: string })
        .filter((progress) => progress.state === 'linked')
        .map((progress) => progress.printerId);
      expect(linkedProgress.sort()).toEqual([alpha.id, beta.id].sort());

      const reused = await fetch(location);
      const reusedText = await reused.text();
      expect(reused.status).toBe(400);
      expect(reusedText).toContain('<h1>Linking failed</h1>');
      expect(reusedText).toContain('This link was already used; start linking again');
      expect(observer.problems()).toEqual([]);
    });
  });

  describe('click-to-link with a linked printer', () => {
    it('links the others and reports the linked one as skipped', async () => {
      const linked = await linkWithCode(await addPrinter('Alpha'));
      const beta = await addPrinter('Beta');

      const start = await running.client.call('link.start', { printerIds: [linked.id, beta.id] });

      expect(start.skipped).toEqual([
        {
          printerId: linked.id,
          code: 'already_linked',
          message: 'Alpha is already linked; unlink it first to link it again',
        },
      ]);
      expect(new URL(start.url).searchParams.getAll('name')).toEqual(['Beta']);
      const landing = await fetch(await pressAddPrinter(start.url));
      expect(await landing.text()).toContain('Linked Beta. You can close this tab.');
      const printers = await running.client.call('printers.list');
      expect(printers.map((printer) => printer.link)).toEqual(['linked', 'linked']);
      expect(printers[0]?.deviceId).toBe(linked.deviceId);
    });
  });

  describe('click-to-link across a restart', () => {
    it('completes after a restart and keeps the outcome for a new page', async () => {
      const alpha = await addPrinter('Alpha');
      const start = await running.client.call('link.start', { printerIds: [alpha.id] });
      const redirect = new URL(await pressAddPrinter(start.url));
      await running.server.close();
      await running.service.stop();

      const restarted = await startFleetService(rig, { dataDir: running.dataDir });
      const waiting = await restarted.client.call('link.activity');
      expect(waiting.map((event) => `${event.state} ${event.step}`)).toEqual(['waiting browser']);
      expect(waiting[0]?.expiresAt).toBe(start.expiresAt);
      // The desktop app receives the same codes and state as an owl://link URL.
      const deepLink = new URL('owl://link');
      deepLink.search = redirect.search;
      const linked = await restarted.client.call('link.complete', {
        callbackUrl: deepLink.toString(),
      });

      expect(linked.map((printer) => printer.link)).toEqual(['linked']);
      const page = await connectClient(rig, restarted.endpoint);
      const activity = await page.call('link.activity');
      expect(activity).toEqual([
        {
          printerId: alpha.id,
          state: 'linked',
          message: `Linked Alpha as device ${linked[0]?.deviceId}`,
          at: expect.any(Number) as number,
        },
      ]);
      await page.call('link.dismissOutcome', { printerId: alpha.id });
      expect(await page.call('link.activity')).toEqual([]);
      const mode = (await stat(join(running.dataDir, LINK_STATES_FILE_NAME))).mode & 0o777;
      expect(mode).toBe(0o600);
      expect(loggedText(running)).not.toContain(start.state);
      expect(loggedText(restarted)).not.toContain(start.state);
    });
  });

  describe('click-to-link with a failed code', () => {
    it('names the linked and the failed printers apart', async () => {
      const alpha = await addPrinter('Alpha');
      const beta = await addPrinter('Beta');
      const spent = await spentCode();
      const fresh = await cloud.operator().mintLinkCode();
      const start = await running.client.call('link.start', { printerIds: [alpha.id, beta.id] });
      const callback = new URL(`${running.endpoint.origin}/link/callback`);
      callback.searchParams.append('code', fresh.code);
      callback.searchParams.append('code', spent);
      callback.searchParams.append('state', start.state);

      const landing = await fetch(callback);
      const landingText = await landing.text();

      expect(landing.status).toBe(200);
      expect(landingText).toContain('<h1>Some printers not linked</h1>');
      expect(landingText).toContain(
        'Linked Alpha. Beta was not linked: This link code was already used or its printer is already linked; create a new one in Owl Web. You can close this tab.',
      );
      const printers = await running.client.call('printers.list');
      const byName = new Map(printers.map((printer) => [printer.name, printer.link]));
      expect(byName.get('Alpha')).toBe('linked');
      expect(byName.get('Beta')).toBe('unlinked');
    });
  });

  describe('link.cancel', () => {
    it('ends a waiting link so the next one can start', async () => {
      const printer = await addPrinter('Delta');
      const slow = (await startSlowLink(printer)).call;

      const summary = await running.client.call('link.cancel', { printerId: printer.id });
      const error = await controlFailure(slow);

      expect(summary.link).toBe('unlinked');
      expect(error.code).toBe('link_failed');
      expect(error.message).toBe('Linking of Delta was cancelled');
      expect(await cloud.operator().listDevices()).toEqual([]);
      const linked = await linkWithCode(printer);
      expect(linked.link).toBe('linked');
    });

    it('ends a click-to-link that waits for the browser', async () => {
      const printer = await addPrinter('Delta');
      await running.client.call('link.start', { printerIds: [printer.id] });
      await waitForSummary(
        running,
        printer.id,
        (summary) => summary.link === 'linking',
        STEP_TIMEOUT_MS,
        'the printer linking in the browser',
      );

      const summary = await running.client.call('link.cancel', { printerId: printer.id });

      expect(summary.link).toBe('unlinked');
      const progress = running.events.items
        .filter((item) => item.event === 'link.progress')
        .map((item) => item.data as { state: string; message: string });
      expect(progress.at(-1)).toEqual({
        printerId: printer.id,
        state: 'failed',
        message: 'Linking of Delta was cancelled',
        at: expect.any(Number) as number,
        code: 'link_failed',
        cancelled: true,
      });
    });
  });

  describe('printers.remove', () => {
    it('cancels the link of the removed printer', async () => {
      const printer = await addPrinter('Delta');
      const slow = (await startSlowLink(printer)).call;

      await running.client.call('printers.remove', { printerId: printer.id });
      const error = await controlFailure(slow);

      expect(error.code).toBe('link_failed');
      expect(error.message).toBe('Linking of Delta stopped because the printer was removed');
      expect(await cloud.operator().listDevices()).toEqual([]);
      expect(Object.keys(await storedSecrets())).not.toContain(`device-credentials/${printer.id}`);
      expect(await running.client.call('printers.list')).toEqual([]);
    });

    it('ends the click-to-link of the removed printer', async () => {
      const printer = await addPrinter('Delta');
      const start = await running.client.call('link.start', { printerIds: [printer.id] });

      await running.client.call('printers.remove', { printerId: printer.id });

      const progress = running.events.items
        .filter((item) => item.event === 'link.progress')
        .map((item) => item.data);
      expect(progress.at(-1)).toEqual({
        printerId: printer.id,
        state: 'failed',
        message: 'Linking of Delta stopped because the printer was removed',
        at: expect.any(Number) as number,
        code: 'link_failed',
        cancelled: true,
      });
      const callback = new URL(`${running.endpoint.origin}/link/callback`);
      callback.searchParams.append('code', (await cloud.operator().mintLinkCode()).code);
      callback.searchParams.append('state', start.state);
      const landing = await fetch(callback);
      expect(landing.status).toBe(400);
      expect(await landing.text()).toContain('This link was cancelled; start linking again');
      expect(await cloud.operator().listDevices()).toEqual([]);
    });

    it('deletes the data folder of its device', async () => {
      const printer = await addPrinter('Alpha');
      const deviceId = (await linkWithCode(printer)).deviceId ?? '';
      await liveStatus(deviceId);
      const folder = join(running.dataDir, 'devices', deviceId);
      expect(await exists(join(folder, 'outbox'))).toBe(true);

      await running.client.call('printers.remove', { printerId: printer.id });

      expect(await exists(folder)).toBe(false);
      expect(await exists(join(running.dataDir, 'devices'))).toBe(true);
    });
  });

  describe('settings.update', () => {
    /** Starts a second service that keeps every bridge it creates, oldest first. */
    async function countingService(): Promise<{
      service: RunningFleetService;
      bridges: FleetBridge[];
    }> {
      const bridges: FleetBridge[] = [];
      const service = await startFleetService(rig, {
        runtime: {
          createBridge: (options) => {
            const bridge = createPrinterBridge(options);
            bridges.push(bridge);
            return bridge;
          },
        },
      });
      await useLocalCloud(service, cloud);
      return { service, bridges };
    }

    it('keeps the bridges running after an Owl Web change', async () => {
      const { service, bridges } = await countingService();
      const printer = await addPrinter('Alpha', service);
      const deviceId = (await linkWithCode(printer, service)).deviceId ?? '';
      await liveStatus(deviceId);

      const after = await service.client.call('settings.update', {
        cloud: { webUrl: 'http://127.0.0.1:9/owl-web' },
      });

      expect(after.cloud.webUrl).toBe('http://127.0.0.1:9/owl-web');
      expect(bridges).toHaveLength(1);
      expect(bridges[0]?.state).toBe('running');
    });

    it('restarts the bridges after a broker change', async () => {
      const { service, bridges } = await countingService();
      const printer = await addPrinter('Alpha', service);
      const deviceId = (await linkWithCode(printer, service)).deviceId ?? '';
      await liveStatus(deviceId);
      const { mqttUrl } = cloud.endpoints;
      const brokerUrl = mqttUrl.replace('127.0.0.1', 'localhost');
      expect(brokerUrl).not.toBe(mqttUrl);

      await service.client.call('settings.update', { cloud: { brokerUrl } });

      expect(bridges[0]?.state).toBe('stopped');
      await waitForFleet(
        service,
        () => bridges.length === 2,
        STEP_TIMEOUT_MS,
        'the bridge started again with the new broker',
      );
    });
  });

  describe('link.unlink', () => {
    it('rejects a printer that is not linked', async () => {
      const printer = await addPrinter('Alpha');

      const error = await controlFailure(
        running.client.call('link.unlink', { printerId: printer.id }),
      );

      expect(error.code).toBe('not_linked');
      expect(error.message).toBe('Alpha is not linked, so there is nothing to unlink');
    });

    it('deletes the data folder of the device', async () => {
      const printer = await addPrinter('Alpha');
      const deviceId = (await linkWithCode(printer)).deviceId ?? '';
      await liveStatus(deviceId);

      await running.client.call('link.unlink', { printerId: printer.id });

      expect(await exists(join(running.dataDir, 'devices', deviceId))).toBe(false);
    });

    it('forgets the credentials and leaves the device offline', async () => {
      const printer = await addPrinter('Alpha');
      const linked = await linkWithCode(printer);
      const deviceId = linked.deviceId ?? '';
      await liveStatus(deviceId);
      const stored = (await storedSecrets())[`device-credentials/${printer.id}`] ?? '';
      const { devicePrivateKey } = JSON.parse(stored) as { devicePrivateKey: string };

      const unlinked = await running.client.call('link.unlink', { printerId: printer.id });

      expect(unlinked.link).toBe('unlinked');
      expect(unlinked.deviceId).toBeUndefined();
      const secrets = await storedSecrets();
      expect(Object.keys(secrets)).not.toContain(`device-credentials/${printer.id}`);
      expect(JSON.stringify(secrets)).not.toContain(devicePrivateKey);
      const retained = cloud.embeddedBroker?.retainedMessage(channelTopic(deviceId, 'status'));
      expect(retained).toBeDefined();
      expect(lifecycleOf(retained?.payload ?? Buffer.from('{}'))).toMatchObject({
        phase: 'Offline',
        reason: OFFLINE_REASON_SHUTDOWN,
      });
      await observer.messages.waitForItem(
        (message) =>
          message.kind === 'status' &&
          message.deviceId === deviceId &&
          lifecycleOf(Buffer.from(message.text))['reason'] === OFFLINE_REASON_SHUTDOWN,
        STEP_TIMEOUT_MS,
        'the Offline status of the unlinked device',
      );
      const settings = await running.client.call('settings.get');
      expect(settings.printers[0]).not.toHaveProperty('deviceId');
      const listed = await running.client.call('printers.list');
      expect(listed[0]?.link).toBe('unlinked');
    });
  });
});
