import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  ControlRig,
  type RawSocket,
} from '../../main/headless/control-server/__testing__/control-rig.js';
import type { ControlParams } from '../../shared/control-api/methods.js';
import type { PrinterSummary } from '../../shared/control-api/printer-views.js';
import { BridgeRig } from '../support/bridge-rig.js';
import {
  controlFailure,
  startFleetService,
  useLocalCloud,
  waitForSummary,
  type RunningFleetService,
} from '../support/fleet-service-rig.js';
import { findFreePort } from '../support/mosquitto.js';

const EVENT_TIMEOUT_MS = 5_000;
const API_KEY = 'simulated-api-key-1';

let rig: BridgeRig;
let controlRig: ControlRig;
let running: RunningFleetService;

beforeEach(async () => {
  rig = new BridgeRig();
  controlRig = new ControlRig();
  const cloud = await rig.cloud();
  running = await startFleetService(rig);
  await useLocalCloud(running, cloud);
});

afterEach(async () => {
  await controlRig.dispose();
  await rig.dispose();
});

async function simulatorPort(apiKey?: string): Promise<number> {
  const { url } = await rig.simulator({
    mode: { kind: 'scenario', name: 'idle' },
    ...(apiKey ? { apiKey } : {}),
  });
  return Number(new URL(url).port);
}

async function addSimulator(): Promise<PrinterSummary> {
  const port = await simulatorPort();
  return running.client.call('printers.add', { host: '127.0.0.1', port });
}

/** Sends one request frame past the client's own argument checks and returns its error. */
async function rawError(
  socket: RawSocket,
  id: number,
  method: string,
  params: unknown,
): Promise<{ code: string; message: string; details?: unknown }> {
  socket.send({ id, method, params });
  // Events reach this socket too, so frames without the request's id are skipped.
  for (;;) {
    const frame = (await socket.next()) as {
      id?: number;
      error?: { code: string; message: string; details?: unknown };
    };
    if (frame.id !== id) continue;
    if (!frame.error) throw new Error(`${method} succeeded: ${JSON.stringify(frame)}`);
    return frame.error;
  }
}

describe('fleet service over the control socket', () => {
  describe('printers.add', () => {
    it('adds a running simulator', async () => {
      const port = await simulatorPort();

      const summary = await running.client.call('printers.add', { host: '127.0.0.1', port });

      expect(summary).toMatchObject({
        name: 'owl-simulator',
        moonrakerUrl: `http://127.0.0.1:${port}`,
        enabled: true,
        link: 'unlinked',
      });
      const changed = await waitForSummary(
        running,
        summary.id,
        () => true,
        EVENT_TIMEOUT_MS,
        'a printer.changed event of the new printer',
      );
      expect(changed.moonrakerUrl).toBe(`http://127.0.0.1:${port}`);
      const listed = await running.client.call('printers.list');
      expect(listed.map((printer) => printer.id)).toEqual([summary.id]);
      const settings = await running.client.call('settings.get');
      expect(settings.printers).toEqual([
        expect.objectContaining({ id: summary.id, moonrakerUrl: `http://127.0.0.1:${port}` }),
      ]);
    });

    it('rejects a closed port as unreachable', async () => {
      const port = await findFreePort();

      const error = await controlFailure(
        running.client.call('printers.add', { host: '127.0.0.1', port }),
      );

      expect(error.code).toBe('unreachable');
      expect(error.message).toBe(
        `Nothing listens on 127.0.0.1:${port} (connection refused). Check that Moonraker is ` +
          'running and that the port is right: Moonraker listens on 7125 by default.',
      );
      expect(error.details).toMatchObject({ host: '127.0.0.1', port, reason: 'refused' });
      expect(await running.client.call('printers.list')).toEqual([]);
    });

    it('rejects a printer that needs an API key', async () => {
      const port = await simulatorPort(API_KEY);

      const error = await controlFailure(
        running.client.call('printers.add', { host: '127.0.0.1', port }),
      );

      expect(error.code).toBe('moonraker_unauthorized');
      expect(error.message).toBe(
        `Moonraker at 127.0.0.1:${port} requires authorization (HTTP 401). To trust this ` +
          'computer, add the line "127.0.0.1" under trusted_clients: in the [authorization] ' +
          "section of moonraker.conf and restart Moonraker, or fill in the printer's API key.",
      );
      expect(error.details).toEqual({
        status: 401,
        trustedClient: '127.0.0.1',
        configLine: '    127.0.0.1',
        configSnippet: '[authorization]\ntrusted_clients:\n    127.0.0.1',
        apiKeyRejected: false,
      });
      expect(await running.client.call('printers.list')).toEqual([]);
    });

    it('rejects a wrong API key', async () => {
      const port = await simulatorPort(API_KEY);

      const error = await controlFailure(
        running.client.call('printers.add', { host: '127.0.0.1', port, apiKey: 'wrong-key' }),
      );

      expect(error.code).toBe('moonraker_unauthorized');
      expect(error.message).toBe(
        `Moonraker at 127.0.0.1:${port} rejected the API key (HTTP 401). Check the printer's ` +
          'API key (Mainsail and Fluidd show it in their authorization settings), or add the ' +
          'line "127.0.0.1" under trusted_clients: in the [authorization] section of ' +
          'moonraker.conf and restart Moonraker.',
      );
      expect(error.details).toMatchObject({ apiKeyRejected: true, trustedClient: '127.0.0.1' });
    });

    it('adds a printer that needs an API key with force', async () => {
      const port = await simulatorPort(API_KEY);

      const summary = await running.client.call('printers.add', {
        host: '127.0.0.1',
        port,
        force: true,
      });

      expect(summary).toMatchObject({ name: '127.0.0.1', link: 'unlinked' });
    });

    it('adds a printer with its API key', async () => {
      const port = await simulatorPort(API_KEY);

      const summary = await running.client.call('printers.add', {
        host: '127.0.0.1',
        port,
        apiKey: API_KEY,
      });

      expect(summary).toMatchObject({ name: 'owl-simulator', link: 'unlinked' });
      const settings = await running.client.call('settings.get');
      expect(JSON.stringify(settings)).not.toContain(API_KEY);
    });

    it('rejects a second printer at one address', async () => {
      const first = await addSimulator();
      const port = Number(new URL(first.moonrakerUrl).port);

      const error = await controlFailure(
        running.client.call('printers.add', { host: '127.0.0.1', port }),
      );

      expect(error.code).toBe('already_exists');
      expect(error.message).toBe(
        `A printer at http://127.0.0.1:${port} is already in the fleet (owl-simulator)`,
      );
    });
  });

  describe('printer names', () => {
    it('numbers the default name of a second printer', async () => {
      const first = await addSimulator();

      const second = await addSimulator();

      expect(first.name).toBe('owl-simulator');
      expect(second.name).toBe('owl-simulator (2)');
    });

    it('rejects an added printer with a name another has', async () => {
      const first = await running.client.call('printers.add', {
        name: 'Voron',
        host: '127.0.0.1',
        port: await simulatorPort(),
      });
      const port = await simulatorPort();

      const error = await controlFailure(
        running.client.call('printers.add', { name: ' VORON ', host: '127.0.0.1', port }),
      );

      expect(error.code).toBe('already_exists');
      expect(error.message).toBe(
        'A printer named "Voron" is already in the fleet; choose another name',
      );
      expect(error.details).toMatchObject({ printerId: first.id });
      expect(await running.client.call('printers.list')).toHaveLength(1);
    });

    it('rejects a rename to a name another printer has', async () => {
      const first = await addSimulator();
      const second = await addSimulator();

      const error = await controlFailure(
        running.client.call('printers.rename', { printerId: second.id, name: 'OWL-Simulator' }),
      );

      expect(error.code).toBe('already_exists');
      expect(error.message).toBe(
        'A printer named "owl-simulator" is already in the fleet; choose another name',
      );
      expect(error.details).toMatchObject({ printerId: first.id });
      const settings = await running.client.call('settings.get');
      expect(settings.printers.map((printer) => printer.name)).toEqual([
        'owl-simulator',
        'owl-simulator (2)',
      ]);
    });

    it('renames a printer to its own name in another case', async () => {
      const added = await addSimulator();

      const renamed = await running.client.call('printers.rename', {
        printerId: added.id,
        name: 'OWL-Simulator',
      });

      expect(renamed.name).toBe('OWL-Simulator');
    });

    for (const name of ['Vo\u0000ron', 'Voron\n2.4']) {
      it(`rejects the name ${JSON.stringify(name)} at the service`, async () => {
        const added = await addSimulator();
        const socket = await controlRig.connectRaw(running.endpoint, {
          token: running.endpoint.token,
        });

        const error = await rawError(socket, 11, 'printers.rename', { printerId: added.id, name });

        expect(error.code).toBe('invalid_arguments');
        expect(error.message).toBe(
          'Invalid arguments for printers.rename: name must not contain control characters ' +
            'such as a line break, a tab or NUL',
        );
        const settings = await running.client.call('settings.get');
        expect(settings.printers[0]?.name).toBe('owl-simulator');
      });
    }

    it('rejects a control character in an added name', async () => {
      const socket = await controlRig.connectRaw(running.endpoint, {
        token: running.endpoint.token,
      });

      const error = await rawError(socket, 12, 'printers.add', {
        name: 'Voron\u0007',
        host: '127.0.0.1',
        force: true,
      });

      expect(error.code).toBe('invalid_arguments');
      expect(await running.client.call('printers.list')).toEqual([]);
    });
  });

  describe('printer changes', () => {
    it('renames a printer', async () => {
      const added = await addSimulator();

      const renamed = await running.client.call('printers.rename', {
        printerId: added.id,
        name: 'Voron 2.4',
      });

      expect(renamed.name).toBe('Voron 2.4');
      await waitForSummary(
        running,
        added.id,
        (summary) => summary.name === 'Voron 2.4',
        EVENT_TIMEOUT_MS,
        'a printer.changed event with the new name',
      );
      const detail = await running.client.call('printers.get', { printerId: added.id });
      expect(detail.name).toBe('Voron 2.4');
      const settings = await running.client.call('settings.get');
      expect(settings.printers[0]?.name).toBe('Voron 2.4');
    });

    it('disables and enables a printer', async () => {
      const added = await addSimulator();

      const disabled = await running.client.call('printers.setEnabled', {
        printerId: added.id,
        enabled: false,
      });

      expect(disabled.enabled).toBe(false);
      await waitForSummary(
        running,
        added.id,
        (summary) => !summary.enabled,
        EVENT_TIMEOUT_MS,
        'a printer.changed event of the disabled printer',
      );
      expect((await running.client.call('settings.get')).printers[0]?.enabled).toBe(false);

      const enabled = await running.client.call('printers.setEnabled', {
        printerId: added.id,
        enabled: true,
      });

      expect(enabled.enabled).toBe(true);
      await waitForSummary(
        running,
        added.id,
        (summary) => summary.enabled,
        EVENT_TIMEOUT_MS,
        'a printer.changed event of the enabled printer',
      );
    });

    it('removes a printer', async () => {
      const added = await addSimulator();

      const removed = await running.client.call('printers.remove', { printerId: added.id });

      expect(removed).toEqual({ ok: true });
      await running.events.waitForItem(
        (item) =>
          item.event === 'printer.removed' &&
          (item.data as { printerId: string }).printerId === added.id,
        EVENT_TIMEOUT_MS,
        'the printer.removed event',
      );
      expect(await running.client.call('printers.list')).toEqual([]);
      expect((await running.client.call('settings.get')).printers).toEqual([]);
      const error = await controlFailure(
        running.client.call('printers.get', { printerId: added.id }),
      );
      expect(error.code).toBe('not_found');
      expect(error.message).toBe(`No printer with id ${added.id}`);
    });

    it('moves a printer to another Moonraker', async () => {
      const added = await addSimulator();
      const port = await simulatorPort();

      const moved = await running.client.call('printers.setMoonrakerUrl', {
        printerId: added.id,
        moonrakerUrl: `http://127.0.0.1:${port}/`,
      });

      expect(moved.moonrakerUrl).toBe(`http://127.0.0.1:${port}`);
      const probed = await waitForSummary(
        running,
        added.id,
        (summary) => summary.moonrakerUrl === moved.moonrakerUrl && summary.probe !== undefined,
        EVENT_TIMEOUT_MS,
        'a printer.changed event with the probe of the new address',
      );
      expect(probed.standby).toBe('ready_to_link');
      const settings = await running.client.call('settings.get');
      expect(settings.printers[0]?.moonrakerUrl).toBe(`http://127.0.0.1:${port}`);
    });

    it('rejects a Moonraker URL another printer uses', async () => {
      const first = await addSimulator();
      const second = await addSimulator();

      const error = await controlFailure(
        running.client.call('printers.setMoonrakerUrl', {
          printerId: second.id,
          moonrakerUrl: first.moonrakerUrl,
        }),
      );

      expect(error.code).toBe('already_exists');
      expect(error.message).toBe(
        `A printer at ${first.moonrakerUrl} is already in the fleet (owl-simulator)`,
      );
    });

    it('rejects a Moonraker URL that is not http at the service', async () => {
      const added = await addSimulator();
      const socket = await controlRig.connectRaw(running.endpoint, {
        token: running.endpoint.token,
      });

      const error = await rawError(socket, 9, 'printers.setMoonrakerUrl', {
        printerId: added.id,
        moonrakerUrl: 'ws://127.0.0.1:7125',
      });

      expect(error.code).toBe('invalid_arguments');
      expect(error.message).toBe(
        'Invalid arguments for printers.setMoonrakerUrl: moonrakerUrl must be an http:// or ' +
          'https:// URL such as http://192.168.1.20:7125',
      );
    });

    it('rejects a change of an unknown printer', async () => {
      const error = await controlFailure(
        running.client.call('printers.rename', { printerId: 'missing', name: 'X' }),
      );

      expect(error.code).toBe('not_found');
      expect(error.message).toBe('No printer with id missing');
    });
  });

  describe('argument checks', () => {
    const cases: { title: string; params: unknown; message: string; paths: string[] }[] = [
      {
        title: 'a missing host',
        params: { port: 7125 },
        message: 'Invalid arguments for printers.add: host is required',
        paths: ['host'],
      },
      {
        title: 'wrong types',
        params: { host: '127.0.0.1', port: '7125', force: 'yes' },
        message:
          'Invalid arguments for printers.add: port must be a number, not text; ' +
          'force must be true or false, not text',
        paths: ['port', 'force'],
      },
      {
        title: 'an unknown field',
        params: { host: '127.0.0.1', colour: 'red' },
        message: 'Invalid arguments for printers.add: colour is not a known field',
        paths: ['colour'],
      },
      {
        title: 'a port out of range',
        params: { host: '127.0.0.1', port: 70_000 },
        message: 'Invalid arguments for printers.add: port must be at most 65535',
        paths: ['port'],
      },
    ];

    for (const { title, params, message, paths } of cases) {
      it(`rejects ${title} at the service`, async () => {
        const socket = await controlRig.connectRaw(running.endpoint, {
          token: running.endpoint.token,
        });

        const error = await rawError(socket, 7, 'printers.add', params);

        expect(error.code).toBe('invalid_arguments');
        expect(error.message).toBe(message);
        const issues = (error.details as { issues: { path: string }[] }).issues;
        expect(issues.map((issue) => issue.path)).toEqual(paths);
      });

      it(`rejects ${title} in the client`, async () => {
        const error = await controlFailure(
          running.client.call('printers.add', params as ControlParams<'printers.add'>),
        );

        expect(error.code).toBe('invalid_arguments');
        expect(error.message).toBe(message);
        expect(error.source).toBe('client');
      });
    }

    it('rejects an unknown method', async () => {
      const socket = await controlRig.connectRaw(running.endpoint, {
        token: running.endpoint.token,
      });

      const error = await rawError(socket, 8, 'printers.explode', {});

      expect(error.code).toBe('unknown_method');
      expect(error.message).toBe(
        'Unknown control method "printers.explode". Check the method name; the app and the ' +
          'service may be of different versions.',
      );
    });
  });

  describe('upgrade checks', () => {
    it('rejects a wrong token with 401', async () => {
      const rejection = await controlRig.rejection(running.endpoint, { token: 'wrong-token' });

      expect(rejection.status).toBe(401);
      expect(rejection.body).toBe('Invalid control token\n');
    });

    it('rejects a foreign origin with 403', async () => {
      const rejection = await controlRig.rejection(running.endpoint, {
        token: running.endpoint.token,
        origin: 'http://evil.example.com',
      });

      expect(rejection.status).toBe(403);
      expect(rejection.body).toBe('Cross-origin control connections are not allowed\n');
    });
  });
});
