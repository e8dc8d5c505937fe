import { describe, expect, it } from 'vitest';

import { applySettingsPatch } from './settings-patch.js';
import { defaultSettings } from './settings-document.js';

describe('applySettingsPatch', () => {
  it('merges a section field by field', () => {
    const next = applySettingsPatch(defaultSettings(), {
      telemetry: { sensorAllowlist: ['extruder'] },
    });

    expect(next.telemetry).toEqual({
      sensorsIntervalSeconds: 30,
      sensorAllowlist: ['extruder'],
      sensorDenylist: [],
    });
  });

  it('ignores fields that are present but undefined', () => {
    const settings = applySettingsPatch(defaultSettings(), {
      cloud: { baseUrl: 'https://cloud.example.net' },
    });

    const next = applySettingsPatch(settings, {
      cloud: { baseUrl: undefined },
      logLevel: undefined,
    });

    expect(next.cloud.baseUrl).toBe('https://cloud.example.net');
    expect(next.logLevel).toBe('info');
  });

  it('sets and removes the interface address', () => {
    const set = applySettingsPatch(defaultSettings(), {
      discovery: { interfaceAddress: '10.0.0.5', mdns: false },
    });
    const removed = applySettingsPatch(set, { discovery: { interfaceAddress: null } });

    expect(set.discovery).toEqual({ mdns: false, interfaceAddress: '10.0.0.5' });
    expect(removed.discovery).toEqual({ mdns: false });
  });

  it('leaves the input unchanged', () => {
    const settings = defaultSettings();

    applySettingsPatch(settings, { startAtLogin: true, notifications: { printFailed: false } });

    expect(settings).toEqual(defaultSettings());
  });
});
