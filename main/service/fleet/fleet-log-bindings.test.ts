import { Writable } from 'node:stream';

import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import type { HealthLink } from '../../../shared/control-api/printer-views.js';
import { FleetRig } from './__testing__/fleet-rig.js';

let rig: FleetRig;

afterEach(async () => {
  await rig.dispose();
});

/** Creates a pino logger that keeps each JSON line as written, before a parse merges its keys. */
function rawLineLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line.trim() !== ''),
      );
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, destination), lines };
}

/** Counts each top-level key of one JSON line as written, so a key written twice counts 2. */
function keyCounts(line: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of line.matchAll(/[{,]"([^"]+)":/g)) {
    const key = match[1] ?? '';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe('fleet log lines', () => {
  it('carry each binding of a printer once', { timeout: 30_000 }, async () => {
    rig = new FleetRig();
    const { url } = await rig.simulator({ mode: { kind: 'scenario', name: 'idle' } });
    const { logger, lines } = rawLineLogger();
    const runtime = await rig.runtime({ logger });
    const printer = await rig.printer('a', url);

    runtime.add(printer);
    const cloudLevel = (): HealthLink['level'] | undefined =>
      runtime.summary('id-a').health.find((link) => link.link === 'cloud')?.level;
    await rig.until(runtime, () => cloudLevel() === 'ok', 20_000, 'the cloud connection');

    const deviceId = printer.credentials?.deviceId ?? '';
    const printerLines = lines.filter((line) => line.includes(deviceId));
    const components = new Set(printerLines.map((line) => JSON.parse(line).component as string));
    expect(components).toContain('mqtt');
    expect(components).toContain('token-manager');
    for (const line of printerLines) {
      const repeated = [...keyCounts(line)].filter(([, count]) => count > 1).map(([key]) => key);
      expect(repeated, line).toEqual([]);
    }
  });
});
