import { afterEach, describe, expect, it } from 'vitest';

import { closedLoopbackPort } from '../../main/bridge/__testing__/closed-port.js';
import { CliProcesses } from '../../main/headless/__testing__/cli-process.js';

const cli = new CliProcesses();

afterEach(() => {
  cli.killAll();
});

describe('demo command', () => {
  it('exits at once for a missing recording', { timeout: 30_000 }, async () => {
    const outcome = await cli.run(['demo', '--replay', '/nonexistent/session.jsonl'], 20_000);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      'moonraker-owl: Cannot read the recording /nonexistent/session.jsonl: ENOENT',
    );
    expect(outcome.stderr).toContain(
      'Pass --replay with the path of a recorded Moonraker session (a .jsonl file). [replay_not_found]',
    );
    expect(outcome.stdout).toBe('');
  });

  it('exits when the broker refuses the connection', { timeout: 30_000 }, async () => {
    const url = `mqtt://127.0.0.1:${await closedLoopbackPort()}`;

    const outcome = await cli.run(['demo', '--broker', url], 20_000);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      `moonraker-owl: Connecting to the MQTT broker at ${url} failed: connect ECONNREFUSED`,
    );
    expect(outcome.stderr).toContain(
      'leave out --broker to use the embedded broker. [broker_unreachable]',
    );
  });

  it('gives up waiting for the bridges after the broker timeout', { timeout: 30_000 }, async () => {
    const url = `mqtt://127.0.0.1:${await closedLoopbackPort()}`;

    const outcome = await cli.run(
      ['demo', '--json', '--broker', url, '--broker-timeout', '1'],
      20_000,
    );

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      `moonraker-owl: No connection to the MQTT broker at ${url} within 1 s. Check that the ` +
        'broker is running and that the URL is right',
    );
  });
});
