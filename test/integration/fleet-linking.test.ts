import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CREDENTIALS_FILE_NAME } from '../../main/cloud/secret-store.js';
import type { LocalCloud } from '../../main/local-cloud/local-cloud.js';
import { OFFLINE_REASON_SHUTDOWN } from '../../shared/contract/status.js';
import { channelTopic } from '../../shared/contract/topics.js';
import type { PrinterSummary } from '../../shared/control-api/printer-views.js';
import { BridgeRig } from '../support/bridge-rig.js';
import type { CloudObserver } from '../support/cloud-observer.js';
import {
  controlFailure,
  startFleetService,
  useLocalCloud,
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

async function addPrinter(name: string): Promise<PrinterSummary> {
  const { url } = await rig.simulator({ mode: { kind: 'scenario', name: 'idle' } });
  const port = Number(new URL(url).port);
  return running.client.call('printers.add', { name, host: '127.0.0.1', port });
}

/** Mints a link code and uses it up by linking a printer of its own. */
async function spentCode(): Promise<string> {
  const spare = await addPrinter('Spare');
  const { code } = await cloud.operator().mintLinkCode();
  await running.client.call('link.withCode', { printerId: spare.id, code });
  return code;
}

async function linkWithCode(printer: PrinterSummary): Promise<PrinterSummary> {
  const { code } = await cloud.operator().mintLinkCode();
  return running.client.call('link.withCode', { printerId: printer.id, code });
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

async function storedSecrets(): Promise<Record<string, string>> {
  const text = await readFile(join(running.dataDir, CREDENTIALS_FILE_NAME), 'utf8');
  return JSON.parse(text) as Record<string, string>;
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

      expect(error.code).toBe('link_failed');
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
      expect(landingText).toContain('<h1>Printer linked</h1>');
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

  describe('link.unlink', () => {
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
