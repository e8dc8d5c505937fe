import { describe, expect, it } from 'vitest';

import { matchCommands, type ReceivedRequest, type SentCommand } from './command-matcher.js';

const window = { from: 0, to: 100_000, maxLatencyMs: 1_500, toleranceMs: 0.5 };

function pause(printer: number, sentAt: number, commandId = `pause-${sentAt}`): SentCommand {
  return { printer, command: 'print:pause', commandId, sentAt };
}

function resume(printer: number, sentAt: number): SentCommand {
  return { printer, command: 'print:resume', commandId: `resume-${sentAt}`, sentAt };
}

function request(printer: number, method: ReceivedRequest['method'], receivedAt: number) {
  return { printer, method, receivedAt };
}

describe('matchCommands', () => {
  it('pairs a pause and a resume with their requests', () => {
    const commands = [pause(0, 1_000), resume(0, 4_000)];
    const requests = [
      request(0, 'printer.print.pause', 1_006),
      request(0, 'printer.print.resume', 4_009),
    ];

    const match = matchCommands(commands, requests, window);

    expect(match.latenciesMs).toEqual([6, 9]);
    expect(match.unmatched).toBe(0);
    expect(match.unexpected).toBe(0);
  });

  it('keeps printers apart', () => {
    const commands = [pause(0, 1_000), pause(1, 1_000)];
    const requests = [request(1, 'printer.print.pause', 1_004)];

    const match = matchCommands(commands, requests, window);

    expect(match.latenciesMs).toEqual([4]);
    expect(match.unmatched).toBe(1);
    expect(match.unmatchedExamples.map((command) => command.printer)).toEqual([0]);
  });

  it('does not pair a pause with a resume request', () => {
    const match = matchCommands(
      [pause(0, 1_000)],
      [request(0, 'printer.print.resume', 1_003)],
      window,
    );

    expect(match.latenciesMs).toEqual([]);
    expect(match.unmatched).toBe(1);
    expect(match.unexpected).toBe(1);
  });

  it('gives a lost command no request of the next command', () => {
    // The first pause never reached Moonraker; the second one, 3 s later, did.
    const commands = [pause(0, 1_000, 'lost'), pause(0, 4_000, 'delivered')];
    const requests = [request(0, 'printer.print.pause', 4_005)];

    const match = matchCommands(commands, requests, window);

    expect(match.latenciesMs).toEqual([5]);
    expect(match.unmatchedExamples.map((command) => command.commandId)).toEqual(['lost']);
  });

  it('counts a request later than the maximum as unexpected', () => {
    const match = matchCommands(
      [pause(0, 1_000)],
      [request(0, 'printer.print.pause', 2_600)],
      window,
    );

    expect(match.unmatched).toBe(1);
    expect(match.unexpected).toBe(1);
  });

  it('lets each request answer one command', () => {
    const commands = [pause(0, 1_000), pause(0, 1_200)];
    const requests = [request(0, 'printer.print.pause', 1_250)];

    const match = matchCommands(commands, requests, window);

    expect(match.latenciesMs).toEqual([250]);
    expect(match.unmatched).toBe(1);
  });

  it('matches commands sent before the window without reporting them', () => {
    const commands = [pause(0, -500), resume(0, 2_500)];
    const requests = [
      request(0, 'printer.print.pause', 10),
      request(0, 'printer.print.resume', 2_507),
    ];

    const match = matchCommands(commands, requests, window);

    expect(match.latenciesMs).toEqual([7]);
    expect(match.unexpected).toBe(0);
  });

  it('accepts a request just before its command within the clock tolerance', () => {
    const match = matchCommands(
      [pause(0, 1_000)],
      [request(0, 'printer.print.pause', 999.8)],
      window,
    );

    expect(match.latenciesMs).toHaveLength(1);
    expect(match.latenciesMs[0]).toBeCloseTo(-0.2);
  });

  it('ignores requests outside the window that no command made', () => {
    const match = matchCommands([], [request(0, 'printer.print.pause', 100_500)], window);

    expect(match.unexpected).toBe(0);
  });
});
