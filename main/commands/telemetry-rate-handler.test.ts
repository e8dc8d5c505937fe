import { describe, expect, it } from 'vitest';

import { setTelemetryRate, toRateRequest } from './telemetry-rate-handler.js';
import { FakePrinter, FakeTelemetry, createContext } from './__testing__/fake-printer.js';

describe('setTelemetryRate', () => {
  it('passes a watch request on and returns the applied rate', async () => {
    const telemetry = new FakeTelemetry();
    const result = await setTelemetryRate(
      { mode: ' Watch ', intervalSeconds: '0.5', durationSeconds: 120.9 },
      createContext(new FakePrinter(), telemetry),
    );

    expect(telemetry.requests).toEqual([
      { mode: 'watch', intervalSeconds: 0.5, durationSeconds: 120 },
    ]);
    expect(result).toEqual({ mode: 'watch', intervalSeconds: 1, durationSeconds: 120 });
  });

  it('fails with sensors_unavailable without telemetry', async () => {
    await expect(
      setTelemetryRate({ mode: 'watch' }, createContext(new FakePrinter(), null)),
    ).rejects.toMatchObject({
      code: 'sensors_unavailable',
      message: 'Telemetry is not running on this device',
    });
  });

  it('passes on sensors_unavailable from the telemetry', async () => {
    const telemetry = new FakeTelemetry();
    telemetry.unavailable = true;
    await expect(
      setTelemetryRate({}, createContext(new FakePrinter(), telemetry)),
    ).rejects.toMatchObject({
      code: 'sensors_unavailable',
      message: 'Sensors are not running',
    });
  });

  it('rejects invalid parameters before touching telemetry', async () => {
    const telemetry = new FakeTelemetry();
    await expect(
      setTelemetryRate({ mode: 'turbo' }, createContext(new FakePrinter(), telemetry)),
    ).rejects.toMatchObject({
      code: 'invalid_parameters',
      message: `Invalid parameters: 'mode' Invalid option: expected one of "idle"|"watch"`,
    });
    expect(telemetry.requests).toEqual([]);
  });
});

describe('toRateRequest', () => {
  it('defaults to idle', () => {
    expect(toRateRequest({})).toEqual({ mode: 'idle' });
  });

  it('parses every timestamp and ignores extra fields', () => {
    const request = toRateRequest({
      mode: 'watch',
      maxHz: '2',
      issuedAt: '2025-01-15T10:33:00Z',
      serverUtcNow: '2025-01-15T10:33:01',
      expiresAt: '2025-01-15T10:38:00+00:00',
      reason: 'viewer',
      watcherId: 'w1',
      viewerCount: 3,
    });
    expect(request).toEqual({
      mode: 'watch',
      maxHz: 2,
      issuedAt: Date.UTC(2025, 0, 15, 10, 33, 0),
      serverUtcNow: Date.UTC(2025, 0, 15, 10, 33, 1),
      expiresAt: Date.UTC(2025, 0, 15, 10, 38, 0),
    });
  });

  it('reads requestedAt as issuedAt', () => {
    expect(toRateRequest({ requestedAt: '2025-01-15T10:33:00Z' })).toEqual({
      mode: 'idle',
      issuedAt: Date.UTC(2025, 0, 15, 10, 33, 0),
    });
  });

  it('treats a negative duration as absent', () => {
    expect(toRateRequest({ mode: 'watch', durationSeconds: -5 })).toEqual({ mode: 'watch' });
  });

  it('keeps a zero duration', () => {
    expect(toRateRequest({ mode: 'watch', durationSeconds: '0' })).toEqual({
      mode: 'watch',
      durationSeconds: 0,
    });
  });

  it.each([
    [{ intervalSeconds: 'fast' }, "'intervalSeconds' expected a number or a numeric string"],
    [{ intervalSeconds: 0 }, "'intervalSeconds' Too small: expected number to be >0"],
    [{ maxHz: -1 }, "'maxHz' Too small: expected number to be >=0"],
    [{ durationSeconds: 'long' }, "'durationSeconds' expected a number or a numeric string"],
    [{ expiresAt: 'tomorrow' }, "'expiresAt' expected an ISO-8601 timestamp, got 'tomorrow'"],
    [{ issuedAt: 1736937180 }, "'issuedAt' expected an ISO-8601 timestamp string"],
    [{ mode: 3 }, "'mode' expected a string"],
  ])('rejects %j', (parameters, problem) => {
    expect(() => toRateRequest(parameters)).toThrowError(
      expect.objectContaining({
        code: 'invalid_parameters',
        message: `Invalid parameters: ${problem}`,
      }),
    );
  });
});
