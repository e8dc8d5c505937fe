import { describe, expect, it } from 'vitest';

import type { BridgeSnapshot } from '../../bridge/bridge-snapshot.js';
import type { FleetPrinter } from './fleet-bridge.js';
import { buildPrinterDetail, buildPrinterSummary, type SummaryInput } from './printer-view.js';

const PRINTER: FleetPrinter = {
  id: 'id-a',
  name: 'a',
  moonrakerUrl: 'http://a.local:7125',
  enabled: true,
  credentials: { deviceId: 'device-a', printerId: 'printer-a', devicePrivateKey: 'k' },
};

function snapshot(moonraker: string): BridgeSnapshot {
  return {
    name: 'a',
    state: 'running',
    deviceId: 'device-a',
    cloudUrl: 'http://cloud.test',
    mqtt: { state: 'connected', brokerUrl: 'mqtt://broker.test:1883' },
    moonraker: { state: moonraker, url: PRINTER.moonrakerUrl, apiKeyConfigured: false },
    klippy: { state: 'ready' },
    printer: { phase: moonraker === 'ready' ? 'Printing' : 'Offline', remainingSeconds: 385 },
    temperatures: [{ name: 'extruder', value: 215, target: 215 }],
  };
}

function input(overrides: Partial<SummaryInput>): SummaryInput {
  return { printer: PRINTER, linking: false, health: [], idleIntervalSeconds: 30, ...overrides };
}

describe('buildPrinterSummary', () => {
  it('leaves live readings unmarked', () => {
    const summary = buildPrinterSummary(input({ snapshot: snapshot('ready'), lastLiveAt: 1000 }));

    expect(summary.staleReadings).toBeUndefined();
  });

  it('marks readings stale without Moonraker', () => {
    const summary = buildPrinterSummary(input({ snapshot: snapshot('backoff'), lastLiveAt: 1000 }));

    expect(summary.temperatures).toEqual([{ name: 'extruder', value: 215, target: 215 }]);
    expect(summary.staleReadings).toEqual({ lastSeenAt: 1000 });
  });

  it('leaves out an unknown last-seen time', () => {
    const summary = buildPrinterSummary(input({ snapshot: snapshot('backoff') }));

    expect(summary.staleReadings).toEqual({});
  });
});

describe('buildPrinterDetail', () => {
  it('passes the text values of event data', () => {
    const detail = buildPrinterDetail({
      ...input({}),
      recentEvents: [
        {
          eventId: '00000000-0000-4000-8000-000000000000',
          eventName: 'print:started',
          severity: 'info',
          message: 'Print started: cube.gcode',
          occurredAt: '2026-01-01T12:00:00Z',
          data: { filename: 'cube.gcode', estimatedDuration: 600 },
        },
      ],
      commands: [],
      timeline: [],
    });

    expect(detail.recentEvents[0]?.data).toEqual({ filename: 'cube.gcode' });
  });
});
