import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DiscoveredPrinter } from '../../shared/control-api/printer-views.js';
import { avahiSkipReason, AvahiInNamespace } from './__testing__/avahi-in-namespace.js';
import { ChildOutput } from './__testing__/child-output.js';
import {
  namespaceSkipReason,
  NamespacePair,
  type NamespaceEnd,
} from './__testing__/namespace-pair.js';

/**
 * mDNS between two network namespaces created for the test, never in the root namespace: there
 * multicast would go out on the machine's real interfaces. The advertiser runs in A, the
 * browsing DiscoveryService in B, each in its own node process.
 */

const namespaceReason = namespaceSkipReason();
const avahiReason = namespaceReason ?? avahiSkipReason();
const FIND_TIMEOUT_MS = 20_000;
const READY_TIMEOUT_MS = 15_000;

interface ListEvent {
  event: 'list';
  elapsedMs: number;
  printers: DiscoveredPrinter[];
}

function script(name: string): string {
  return fileURLToPath(new URL(`./__testing__/${name}`, import.meta.url));
}

/** Runs a test script with tsx in a namespace and returns its output. */
function runScript(pair: NamespacePair, end: NamespaceEnd, name: string, args: string[]) {
  const child = pair.spawn(end, process.execPath, ['--import', 'tsx', script(name), ...args]);
  return new ChildOutput(child, `${name} in ${end.name}`);
}

async function startServer(pair: NamespacePair, args: string[]): Promise<number> {
  const output = runScript(pair, pair.a, 'serve-in-namespace.ts', args);
  const ready = await output.waitForJson<{ event: string; port: number }>(
    (value) => value.event === 'ready',
    READY_TIMEOUT_MS,
    'the simulator to listen',
  );
  return ready.port;
}

function findPrinter(browser: ChildOutput, accept: (printer: DiscoveredPrinter) => boolean) {
  return browser.waitForJson<ListEvent>(
    (value) => value.event === 'list' && value.printers.some(accept),
    FIND_TIMEOUT_MS,
    'the printer to be listed',
  );
}

function skipTitle(title: string, reason: string | undefined): string {
  return reason ? `${title} (skipped: ${reason})` : title;
}

describe.skipIf(namespaceReason)(
  skipTitle('mDNS discovery with a bonjour-service advertiser', namespaceReason),
  () => {
    let pair: NamespacePair;

    beforeAll(() => {
      pair = NamespacePair.create();
    });

    afterAll(async () => {
      await pair?.dispose();
    });

    it('finds and confirms the simulator across the veth', async () => {
      const port = await startServer(pair, [
        '--hostname',
        'bonjour-voron',
        '--advertise',
        'Owl Simulator',
        '--interface',
        pair.a.address,
      ]);
      const startedAt = performance.now();
      const browser = runScript(pair, pair.b, 'browse-in-namespace.ts', [
        '--interface',
        pair.b.address,
      ]);

      const found = await findPrinter(browser, (printer) => printer.port === port);
      const printer = found.printers.find((candidate) => candidate.port === port);

      expect(printer?.state).toBe('confirmed');
      expect(printer?.via).toEqual(['mdns']);
      expect(printer?.host).toBe(pair.a.address);
      expect(printer?.hostname).toBe('bonjour-voron');
      expect(printer?.moonrakerVersion).toBe('v0.9.3-simulated');
      console.info(
        `bonjour-service advertiser found after ${found.elapsedMs} ms of browsing, ` +
          `${Math.round(performance.now() - startedAt)} ms including process start`,
      );
    });
  },
);

describe.skipIf(avahiReason)(skipTitle('mDNS discovery with avahi', avahiReason), () => {
  let pair: NamespacePair;
  let avahi: AvahiInNamespace | undefined;
  let browser: ChildOutput;
  let advertisedPort: number;

  beforeAll(async () => {
    pair = NamespacePair.create();
    advertisedPort = await startServer(pair, ['--hostname', 'avahi-voron']);
    await startServer(pair, ['--hostname', 'hint-voron', '--port', '7125']);
    avahi = await AvahiInNamespace.start(pair, pair.a);
    await avahi.publish('Avahi Voron', '_moonraker._tcp', advertisedPort, ['version=v0.9.3']);
    browser = runScript(pair, pair.b, 'browse-in-namespace.ts', []);
  });

  afterAll(async () => {
    await avahi?.stop();
    await pair?.dispose();
  });

  it('finds a service published with avahi-publish', async () => {
    const found = await findPrinter(browser, (printer) => printer.port === advertisedPort);
    const printer = found.printers.find((candidate) => candidate.port === advertisedPort);

    expect(printer?.state).toBe('confirmed');
    expect(printer?.via).toEqual(['mdns']);
    expect(printer?.host).toBe(pair.a.address);
    expect(printer?.hostname).toBe('avahi-voron');
    console.info(`avahi-publish service found after ${found.elapsedMs} ms of browsing`);
  });

  it('probes port 7125 of a workstation that avahi announces', async () => {
    const found = await findPrinter(browser, (printer) => printer.port === 7125);
    const printer = found.printers.find((candidate) => candidate.port === 7125);

    expect(printer?.state).toBe('confirmed');
    expect(printer?.via).toEqual(['mdns']);
    expect(printer?.host).toBe(pair.a.address);
    expect(printer?.hostname).toBe('hint-voron');
    console.info(`workstation hint confirmed after ${found.elapsedMs} ms of browsing`);
  });
});
