import { describe, expect, it } from 'vitest';

import type { BridgeSnapshot } from '../../bridge/bridge-snapshot.js';
import { deriveHealthChain, type HealthInput } from './health-chain.js';
import { worstLevel, type HealthLinkReport } from './health-levels.js';

const SHUTDOWN_MESSAGE =
  'Shutdown due to M112 command\nOnce the underlying issue is corrected, use the\n' +
  '"FIRMWARE_RESTART" command to reset the firmware, reload the\nconfig, and restart the host software.\nPrinter is shutdown';

function snapshot(overrides: Partial<BridgeSnapshot> = {}): BridgeSnapshot {
  return {
    name: 'voron',
    state: 'running',
    deviceId: 'device-1',
    cloudUrl: 'https://owl.example.com',
    mqtt: { state: 'connected', brokerUrl: 'mqtts://mqtt.owl.example.com:8883' },
    moonraker: {
      state: 'ready',
      url: 'http://192.168.1.50:7125',
      apiKeyConfigured: false,
      version: 'v0.9.3',
    },
    klippy: { state: 'ready' },
    ...overrides,
  };
}

function chain(input: Partial<HealthInput> & { snapshot?: BridgeSnapshot }): HealthLinkReport[] {
  return deriveHealthChain({
    enabled: true,
    linked: true,
    supervisor: { state: 'running', crashes: 0 },
    ...input,
  });
}

function link(reports: HealthLinkReport[], name: HealthLinkReport['link']): HealthLinkReport {
  const found = reports.find((entry) => entry.link === name);
  if (!found) throw new Error(`no ${name} link`);
  return found;
}

function moonrakerFailure(
  code: string,
  message: string,
  extra: Partial<BridgeSnapshot['moonraker']> = {},
) {
  return snapshot({
    moonraker: {
      state: 'backoff',
      url: 'http://192.168.1.50:7125',
      apiKeyConfigured: false,
      failure: { code, message, at: 1 },
      retryInMs: 8_000,
      ...extra,
    },
  });
}

describe('deriveHealthChain', () => {
  it('reports every link ok for a connected printer', () => {
    const reports = chain({ snapshot: snapshot() });

    expect(reports.map((entry) => entry.link)).toEqual(['lan', 'moonraker', 'klippy', 'cloud']);
    expect(reports.map((entry) => entry.level)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(link(reports, 'lan').summary).toBe('Reachable at 192.168.1.50:7125');
    expect(link(reports, 'moonraker').summary).toBe('Connected to Moonraker v0.9.3');
  });

  describe('Moonraker answering 401', () => {
    const unauthorized = moonrakerFailure(
      'unauthorized',
      'Moonraker requires authorization (401) for the websocket upgrade at ws://192.168.1.50:7125/websocket: no API key is configured and this computer is not in trusted_clients.',
    );

    it('names the trusted_clients entry of this computer', () => {
      const reports = chain({ snapshot: unauthorized, trustedEntry: '192.168.1.0/24' });
      const moonraker = link(reports, 'moonraker');

      expect(link(reports, 'lan').level).toBe('ok');
      expect(moonraker.level).toBe('error');
      expect(moonraker.summary).toBe(
        'Moonraker at 192.168.1.50:7125 does not trust this computer (HTTP 401)',
      );
      expect(moonraker.fix).toBe(
        'To trust this computer, add the line "192.168.1.0/24" under trusted_clients: in the ' +
          '[authorization] section of moonraker.conf and restart Moonraker, or fill in the ' +
          "printer's API key.",
      );
      expect(moonraker.details?.['trustedClientsEntry']).toBe('192.168.1.0/24');
      expect(moonraker.details?.['moonrakerConf']).toBe(
        '[authorization]\ntrusted_clients:\n    192.168.1.0/24',
      );
    });

    it('falls back to an example network before the lookup finished', () => {
      const moonraker = link(chain({ snapshot: unauthorized }), 'moonraker');

      expect(moonraker.fix).toBe(
        "To trust this computer, add this computer's IP address or network (such as " +
          '192.168.1.0/24) under trusted_clients: in the [authorization] section of ' +
          "moonraker.conf and restart Moonraker, or fill in the printer's API key.",
      );
      expect(moonraker.details?.['moonrakerConf']).toBe(
        '[authorization]\ntrusted_clients:\n    192.168.1.0/24',
      );
      expect(moonraker.details?.['trustedClientsEntry']).toBeUndefined();
    });

    it('asks for the current API key when one is configured', () => {
      const rejected = moonrakerFailure(
        'unauthorized',
        'Moonraker rejected the API key (401) for server.info.',
        { apiKeyConfigured: true },
      );
      const moonraker = link(chain({ snapshot: rejected }), 'moonraker');

      expect(moonraker.summary).toBe(
        'Moonraker at 192.168.1.50:7125 rejected the API key (HTTP 401)',
      );
      expect(moonraker.fix).toBe(
        "Check the printer's API key (Mainsail and Fluidd show it in their authorization " +
          "settings), or add this computer's IP address or network (such as 192.168.1.0/24) " +
          'under trusted_clients: in the [authorization] section of moonraker.conf and restart ' +
          'Moonraker.',
      );
    });
  });

  describe('Moonraker not answering', () => {
    it('reports a refused connection as a calm offline state', () => {
      const refused = moonrakerFailure(
        'unreachable',
        'Cannot reach Moonraker at ws://192.168.1.50:7125/websocket (ECONNREFUSED).',
      );
      const reports = chain({ snapshot: refused });
      const lan = link(reports, 'lan');

      expect(lan.level).toBe('offline');
      expect(lan.summary).toBe(
        'Moonraker is not answering on 192.168.1.50:7125; is the printer switched on?',
      );
      expect(lan.details?.['systemCode']).toBe('ECONNREFUSED');
      expect(link(reports, 'moonraker').level).toBe('unknown');
      expect(link(reports, 'cloud').level).toBe('ok');
      expect(worstLevel(reports.map((entry) => entry.level))).toBe('offline');
    });

    it('reports a websocket that never opens as offline too', () => {
      const silent = moonrakerFailure(
        'timeout',
        'The websocket at ws://192.168.1.50:7125/websocket did not open within 5000 ms.',
      );

      expect(link(chain({ snapshot: silent }), 'lan').level).toBe('offline');
    });

    it('keeps the offline state while the next attempt is under way', () => {
      const retrying = moonrakerFailure(
        'unreachable',
        'Cannot reach Moonraker at x (EHOSTUNREACH).',
        {
          state: 'connecting',
        },
      );

      expect(link(chain({ snapshot: retrying }), 'lan').level).toBe('offline');
    });

    it('reports a host name that does not resolve as an error', () => {
      const unknownHost = moonrakerFailure(
        'unreachable',
        'Cannot reach Moonraker at ws://voron.local:7125/websocket (ENOTFOUND).',
        { url: 'http://voron.local:7125' },
      );
      const lan = link(chain({ snapshot: unknownHost }), 'lan');

      expect(lan.level).toBe('error');
      expect(lan.summary).toBe('Cannot resolve the host name of voron.local:7125');
    });
  });

  describe('Klippy', () => {
    it('reports a shutdown with its message and the firmware restart', () => {
      const shutdown = snapshot({ klippy: { state: 'shutdown', message: SHUTDOWN_MESSAGE } });
      const klippy = link(chain({ snapshot: shutdown }), 'klippy');

      expect(klippy.level).toBe('error');
      expect(klippy.summary).toBe('Klippy is shut down: Shutdown due to M112 command');
      expect(klippy.fix).toBe(
        'Fix the cause, then send FIRMWARE_RESTART (or restart the firmware from Mainsail/Fluidd).',
      );
      expect(klippy.details?.['stateMessage']).toBe(SHUTDOWN_MESSAGE);
    });

    it('reports a configuration error with its first line', () => {
      const failed = snapshot({
        klippy: {
          state: 'error',
          message: "Option 'rotation_distance' in section 'stepper_x' must be specified",
        },
      });
      const klippy = link(chain({ snapshot: failed }), 'klippy');

      expect(klippy.summary).toBe(
        "Klippy reports an error: Option 'rotation_distance' in section 'stepper_x' must be specified",
      );
    });

    it('is unknown while Moonraker is not connected', () => {
      const refused = moonrakerFailure(
        'unreachable',
        'Cannot reach Moonraker at x (ECONNREFUSED).',
      );

      expect(link(chain({ snapshot: refused }), 'klippy').level).toBe('unknown');
    });
  });

  describe('cloud', () => {
    function cloudFailure(code: string, message: string, reasonCode?: number) {
      return snapshot({
        mqtt: {
          state: 'connecting',
          brokerUrl: 'mqtts://mqtt.owl.example.com:8883',
          lastFailure: {
            code,
            message,
            at: 1,
            ...(reasonCode === undefined ? {} : { reasonCode }),
          },
        },
      });
    }

    it('asks to relink when the cloud does not know the device', () => {
      const unknown = cloudFailure(
        'device_unknown',
        'Owl Cloud does not know device device-1, or its key was revoked (HTTP 404); re-link this printer',
      );
      const cloud = link(chain({ snapshot: unknown }), 'cloud');

      expect(cloud.level).toBe('error');
      expect(cloud.summary).toBe(
        "Owl Cloud does not know this printer's device, or its key was revoked",
      );
      expect(cloud.fix).toBe('Relink this printer.');
    });

    it('asks to relink when the broker rejects the credentials', () => {
      const rejected = cloudFailure(
        'connect_refused',
        'Broker refused the connection: Not authorized',
        135,
      );
      const cloud = link(chain({ snapshot: rejected }), 'cloud');

      expect(cloud.summary).toBe(
        "The Owl broker rejected this printer's credentials (reason code 135)",
      );
      expect(cloud.fix).toBe('Relink this printer.');
    });

    it('points at the internet connection when the broker is unreachable', () => {
      const unreachable = cloudFailure(
        'connect_failed',
        'Connecting to the broker failed: connect ECONNREFUSED 203.0.113.7:8883',
      );
      const cloud = link(chain({ snapshot: unreachable }), 'cloud');

      expect(cloud.level).toBe('error');
      expect(cloud.summary).toBe(
        'Cannot reach the Owl broker at mqtt.owl.example.com:8883; check the internet connection',
      );
    });

    it('points at the internet connection when the token endpoint is unreachable', () => {
      const unreachable = cloudFailure(
        'cloud_unreachable',
        'Cannot reach Owl Cloud at https://owl.example.com',
      );

      expect(link(chain({ snapshot: unreachable }), 'cloud').summary).toBe(
        'Cannot reach Owl Cloud at owl.example.com:443; check the internet connection',
      );
    });

    it('calls a cloud that is not ready yet a warning that needs no action', () => {
      const notReady = cloudFailure(
        'cloud_not_ready',
        'Owl Cloud is not ready for this device yet (HTTP 503); retry after 5 s',
      );
      const cloud = link(chain({ snapshot: notReady }), 'cloud');

      expect(cloud.level).toBe('warning');
      expect(cloud.summary).toBe('Owl Cloud is not ready for this printer yet');
    });
  });

  describe('bridge state', () => {
    it('carries a crash on the cloud link while the bridge restarts', () => {
      const reports = chain({
        supervisor: {
          state: 'backoff',
          crashes: 2,
          lastCrash: { source: 'start', message: 'EACCES: permission denied', at: 5 },
          nextStartAt: 9,
        },
      });
      const cloud = link(reports, 'cloud');

      expect(cloud.level).toBe('error');
      expect(cloud.summary).toBe('The bridge stopped with an error: EACCES: permission denied');
      expect(cloud.details).toEqual({ crashes: 2, source: 'start', at: 5, restartAt: 9 });
      expect(link(reports, 'lan').level).toBe('unknown');
    });

    it('reports a disabled printer as checked, with the cloud unknown', () => {
      const reports = deriveHealthChain({ enabled: false, linked: true });

      expect(reports.map((entry) => entry.level)).toEqual([
        'pending',
        'pending',
        'unknown',
        'unknown',
      ]);
      expect(link(reports, 'lan').summary).toBe('Checking the printer');
      expect(link(reports, 'cloud').summary).toBe('This printer is disabled');
      expect(link(reports, 'cloud').fix).toBe('Enable it to bridge it again.');
    });

    it('reports an unlinked printer as waiting for its link', () => {
      const reports = deriveHealthChain({ enabled: true, linked: false, linking: true });

      expect(link(reports, 'cloud').level).toBe('pending');
      expect(link(reports, 'cloud').summary).toBe('Linking this printer to Owl Cloud');
    });
  });
});
