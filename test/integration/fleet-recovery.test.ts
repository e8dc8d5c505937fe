import { afterEach, describe, expect, it } from 'vitest';

import type { FleetPrinter } from '../../main/service/fleet/fleet-bridge.js';
import type { FleetRuntime } from '../../main/service/fleet/fleet-runtime.js';
import { FleetRig, type FleetObserver } from '../../main/service/fleet/__testing__/fleet-rig.js';
import type { MoonrakerSimulator } from '../../main/simulator/moonraker-simulator.js';

const FLEET_SIZE = 20;
const KILLED = 3;
/** Simulated printers run this many times faster than real ones. */
const SPEED = 20;
/** With a 2 s status heartbeat, a gap this long means a printer missed a beat. */
const MAX_STATUS_GAP_MS = 6_000;
const PRINT_ENDS = new Set(['print:completed', 'print:cancelled', 'print:failed']);

let rig: FleetRig;

afterEach(async () => {
  await rig.dispose();
});

function lanLevel(runtime: FleetRuntime, id: string): string | undefined {
  return runtime.summary(id).health.find((link) => link.link === 'lan')?.level;
}

function largestGap(times: readonly number[], from: number, to: number): number {
  const inside = [from, ...times.filter((time) => time > from && time < to), to];
  let largest = 0;
  for (let index = 1; index < inside.length; index += 1) {
    largest = Math.max(largest, (inside[index] ?? 0) - (inside[index - 1] ?? 0));
  }
  return largest;
}

/** Lists print:started events that came before the previous print ended or repeat a session. */
function printSequenceProblems(observer: FleetObserver, deviceId: string): string[] {
  const problems: string[] = [];
  const sessions = new Set<string>();
  let printing = false;
  for (const event of observer.events(deviceId)) {
    if (event.eventName === 'print:started') {
      if (printing) problems.push(`print:started again before the print ended (${event.message})`);
      if (event.sessionId && sessions.has(event.sessionId)) {
        problems.push(`print:started twice for session ${event.sessionId}`);
      }
      if (event.sessionId) sessions.add(event.sessionId);
      printing = true;
    } else if (PRINT_ENDS.has(event.eventName)) {
      printing = false;
    }
  }
  return problems;
}

function printStarts(observer: FleetObserver, deviceId: string): number {
  return observer.eventNames(deviceId).filter((name) => name === 'print:started').length;
}

describe('a fleet of simulated printers', () => {
  it('recovers killed printers while the others keep reporting', { timeout: 90_000 }, async () => {
    rig = new FleetRig();
    const observer = await rig.observer();
    const simulators: MoonrakerSimulator[] = [];
    const printers: FleetPrinter[] = [];
    for (let index = 0; index < FLEET_SIZE; index += 1) {
      const { simulator, url } = await rig.simulator({
        mode: { kind: 'scenario', name: 'printing', speed: SPEED },
      });
      simulators.push(simulator);
      printers.push(await rig.printer(`p${index}`, url));
    }
    const runtime = await rig.runtime({
      telemetry: { statusHeartbeatSeconds: 2, statusMinIntervalSeconds: 1 },
    });
    const deviceOf = (printer: FleetPrinter): string => printer.credentials?.deviceId ?? '';

    runtime.start(printers);
    await observer.until(
      () => printers.every((printer) => printStarts(observer, deviceOf(printer)) >= 1),
      45_000,
      'a print:started from every printer',
    );

    const killed = printers.slice(0, KILLED);
    const survivors = printers.slice(KILLED);
    const killedAt = Date.now();
    const ports = killed.map((printer) => Number(new URL(printer.moonrakerUrl).port));
    await Promise.all(simulators.slice(0, KILLED).map((simulator) => simulator.stop()));
    await rig.until(
      runtime,
      () => killed.every((printer) => lanLevel(runtime, printer.id) === 'offline'),
      15_000,
      'the killed printers reported offline',
    );
    for (const port of ports) {
      await rig.simulator({ mode: { kind: 'scenario', name: 'printing', speed: SPEED }, port });
    }
    const restartedAt = Date.now();
    await rig.until(
      runtime,
      () => killed.every((printer) => runtime.summary(printer.id).overall === 'ok'),
      45_000,
      'the killed printers healthy again',
    );
    await observer.until(
      () =>
        killed.every((printer) => observer.count(deviceOf(printer), 'status', restartedAt) >= 2),
      15_000,
      'status from each restarted printer',
    );
    const recoveredAt = Date.now();

    for (const printer of killed) {
      expect(printSequenceProblems(observer, deviceOf(printer)), printer.name).toEqual([]);
    }
    for (const printer of survivors) {
      const statuses = observer.arrivals(deviceOf(printer), 'status');
      expect(largestGap(statuses, killedAt, recoveredAt), printer.name).toBeLessThanOrEqual(
        MAX_STATUS_GAP_MS,
      );
      expect(printSequenceProblems(observer, deviceOf(printer)), printer.name).toEqual([]);
      expect(runtime.summary(printer.id).overall, printer.name).toBe('ok');
      expect(
        runtime
          .timeline(printer.id)
          .some((entry) => entry.level !== 'ok' && entry.link === 'lan' && entry.at > killedAt),
        printer.name,
      ).toBe(false);
    }
  });
});
