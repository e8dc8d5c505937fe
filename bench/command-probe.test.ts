import { describe, expect, it } from 'vitest';

import { FakeClock } from '../test/support/fake-clock.js';
import { CommandProbe } from './command-probe.js';
import type { ProbeEventName } from './host-protocols.js';

interface Published {
  topic: string;
  payload: Record<string, unknown>;
}

function probeWith(deviceIds: string[], lastEvents = new Map<string, ProbeEventName>()) {
  const clock = new FakeClock();
  const published: Published[] = [];
  const probe = new CommandProbe({
    deviceIds,
    intervalMs: 3_000,
    publish: (topic, payload) => {
      published.push({ topic, payload: JSON.parse(payload) as Record<string, unknown> });
      return Promise.resolve();
    },
    lastEvent: (deviceId) => lastEvents.get(deviceId),
    clock,
  });
  return { clock, probe, published, lastEvents };
}

describe('CommandProbe', () => {
  it('spreads the first commands over one interval', () => {
    const { clock, probe, published } = probeWith(['a', 'b', 'c']);

    probe.start();
    clock.advance(0);
    const atStart = published.length;
    clock.advance(1_000);
    const afterOneSecond = published.length;
    clock.advance(1_000);

    expect(atStart).toBe(1);
    expect(afterOneSecond).toBe(2);
    expect(published.map((message) => message.topic)).toEqual([
      'owl/printers/a/commands/print:pause',
      'owl/printers/b/commands/print:pause',
      'owl/printers/c/commands/print:pause',
    ]);
    probe.stop();
  });

  it('resumes a printer whose last event was print:paused', () => {
    const { clock, probe, published, lastEvents } = probeWith(['a']);

    probe.start();
    clock.advance(0);
    lastEvents.set('a', 'print:paused');
    clock.advance(3_000);
    lastEvents.set('a', 'print:resumed');
    clock.advance(3_000);

    expect(published.map((message) => message.topic)).toEqual([
      'owl/printers/a/commands/print:pause',
      'owl/printers/a/commands/print:resume',
      'owl/printers/a/commands/print:pause',
    ]);
    probe.stop();
  });

  it('sends command.request envelopes with fresh ids', () => {
    const { clock, probe, published } = probeWith(['a']);

    probe.start();
    clock.advance(3_000);
    probe.stop();

    const [first, second] = published.map((message) => message.payload);
    expect(first).toMatchObject({
      $v: 1,
      $type: 'command.request',
      $ts: '2026-01-01T12:00:00+00:00',
      deviceId: 'a',
      payload: { command: 'print:pause', parameters: {} },
    });
    expect(first?.['$id']).not.toBe(second?.['$id']);
  });

  it('records each command with its id', () => {
    const { clock, probe, published } = probeWith(['a']);

    probe.start();
    clock.advance(0);
    probe.stop();

    const [command] = probe.commands();
    expect(command?.deviceId).toBe('a');
    expect(command?.command).toBe('print:pause');
    expect(command?.commandId).toBe(published[0]?.payload['$id']);
  });

  it('sends nothing after stop and leaves no timer', () => {
    const { clock, probe, published } = probeWith(['a', 'b']);

    probe.start();
    clock.advance(0);
    probe.stop();
    clock.advance(10_000);

    expect(published).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('counts acknowledged and failed publishes', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const probe = new CommandProbe({
      deviceIds: ['a'],
      intervalMs: 3_000,
      publish: () => (calls++ === 0 ? Promise.resolve() : Promise.reject(new Error('closed'))),
      lastEvent: () => undefined,
      clock,
    });

    probe.start();
    await clock.advanceAsync(3_000);
    await Promise.resolve();

    expect(probe.stop()).toEqual({ sent: 1, failed: 1 });
  });
});
