import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LinkResponse } from '../../../shared/contract/device-http.js';
import { FakeClock } from '../../../test/support/fake-clock.js';
import { LinkClient } from '../../cloud/link-client.js';
import { CloudHttpServer } from '../../local-cloud/cloud-http-server.js';
import type { TimerHandle } from '../../support/clock.js';
import { CodedError } from '../../support/coded-error.js';
import { silentLogger } from '../../support/logger.js';
import { LinkCoordinator } from './link-coordinator.js';
import { LINK_STATE_TTL_MS, LINK_STATES_FILE_NAME, LinkStateBook } from './link-state-book.js';
import {
  LinkClientExchange,
  type LinkCodeExchange,
  type LinkOutcome,
  type LinkProgressEvent,
  type LinkTarget,
  type LinkTargetStore,
} from './linking-ports.js';

/** A fake clock on which the link client's 5 s poll delay elapses as soon as it is scheduled. */
class PollingClock extends FakeClock {
  override setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const handle = super.setTimeout(callback, delayMs);
    if (delayMs === 5_000) setImmediate(() => this.advance(delayMs));
    return handle;
  }
}

/** The fleet's side: printers by id, and the credentials it was handed. */
class FleetStub implements LinkTargetStore {
  readonly printers = new Map<string, LinkTarget>();
  readonly saved = new Map<string, LinkResponse>();
  saveFailure: Error | undefined;

  add(printerId: string, name: string, linked = false): void {
    this.printers.set(printerId, { printerId, name, linked });
  }

  target(printerId: string): LinkTarget | undefined {
    return this.printers.get(printerId);
  }

  onLinked(printerId: string, response: LinkResponse): Promise<void> {
    if (this.saveFailure) return Promise.reject(this.saveFailure);
    this.saved.set(printerId, response);
    const printer = this.printers.get(printerId);
    if (printer) printer.linked = true;
    return Promise.resolve();
  }
}

interface CapturedError {
  code?: unknown;
  message?: unknown;
}

async function rejectionOf(promise: Promise<unknown>): Promise<CapturedError> {
  try {
    await promise;
  } catch (error) {
    return error as CapturedError;
  }
  throw new Error('expected the promise to reject');
}

function unescapeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** Plays the user in the browser: opens the page, presses Add printer, returns the redirect. */
async function pressAddPrinter(pageUrl: string): Promise<string> {
  const page = await fetch(pageUrl);
  const html = await page.text();
  expect(page.status).toBe(200);

  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1] ?? '';
  const fields = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.append(match[1] ?? '', unescapeHtml(match[2] ?? ''));
  }
  const response = await fetch(new URL(action, pageUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  return response.headers.get('location') ?? '';
}

function failureOf(outcome: LinkOutcome | undefined): CapturedError | undefined {
  return outcome?.ok === false ? outcome.error : undefined;
}

function linkedIds(outcomes: LinkOutcome[]): string[] {
  return outcomes.map((outcome) => (outcome.ok ? outcome.response.deviceId : outcome.error.code));
}

describe('LinkCoordinator', () => {
  let clock: PollingClock;
  let serverClock: FakeClock;
  let server: CloudHttpServer;
  let fleet: FleetStub;
  let states: LinkStateBook;
  let coordinator: LinkCoordinator;
  let events: LinkProgressEvent[];
  let cloudUrl: string;

  function createCoordinator(baseUrl: string): LinkCoordinator {
    const exchange = new LinkClientExchange(
      () => new LinkClient({ baseUrl, clock, logger: silentLogger }),
    );
    const created = new LinkCoordinator({
      exchange,
      targets: fleet,
      webUrl: () => server.url,
      clock,
      logger: silentLogger,
      states,
      linkTimeoutMs: 10_000,
    });
    created.onProgress((event) => events.push(event));
    return created;
  }

  beforeEach(async () => {
    clock = new PollingClock();
    serverClock = new FakeClock();
    server = new CloudHttpServer({ clock: serverClock });
    cloudUrl = await server.start();
    fleet = new FleetStub();
    fleet.add('p1', 'Voron');
    fleet.add('p2', 'Ender');
    fleet.add('p3', 'Prusa');
    states = new LinkStateBook({ clock });
    events = [];
    coordinator = createCoordinator(cloudUrl);
  });

  afterEach(async () => {
    coordinator.dispose();
    await server.close();
    expect(clock.pendingTimers).toBe(0);
  });

  /** Resolves with the next progress event whose message matches. */
  function progressMatching(pattern: RegExp): Promise<LinkProgressEvent> {
    return new Promise((resolve) => {
      const subscription = coordinator.onProgress((event) => {
        if (!pattern.test(event.message)) return;
        subscription.dispose();
        resolve(event);
      });
    });
  }

  /** Replaces the coordinator with one whose code exchange the test settles by hand. */
  function manualExchange(): {
    signal: () => AbortSignal | undefined;
    settle: (response: LinkResponse) => void;
  } {
    let signal: AbortSignal | undefined;
    let settle: (response: LinkResponse) => void = () => undefined;
    coordinator.dispose();
    coordinator = new LinkCoordinator({
      exchange: {
        linkWithCode: (_code, options) =>
          new Promise((resolve) => {
            signal = options?.signal;
            settle = resolve;
          }),
      },
      targets: fleet,
      webUrl: () => server.url,
      clock,
      logger: silentLogger,
      states,
    });
    coordinator.onProgress((event) => events.push(event));
    return { signal: () => signal, settle: (response) => settle(response) };
  }

  describe('linkWithCode', () => {
    it('links a printer with a minted code', async () => {
      const { code } = server.linkCodes.mint();

      const response = await coordinator.linkWithCode('p1', code);

      expect(server.registry.get(response.deviceId)?.printerId).toBe(response.printerId);
      expect(fleet.saved.get('p1')).toEqual(response);
      expect(events).toEqual([
        {
          printerId: 'p1',
          state: 'waiting',
          message: 'Linking Voron with Owl Cloud',
          at: clock.now(),
          step: 'cloud',
          attempt: 1,
          expiresAt: clock.now() + 10_000,
        },
        {
          printerId: 'p1',
          state: 'linked',
          message: `Linked Voron as device ${response.deviceId}`,
          at: clock.now(),
        },
      ]);
    });

    it('reports each poll until acceptance', async () => {
      const { code } = server.linkCodes.mint({ acceptAfterPolls: 2 });
      const expiresAt = clock.now() + 10_000;

      await coordinator.linkWithCode('p1', code);

      expect(events.map((event) => event.message)).toEqual([
        'Linking Voron with Owl Cloud',
        'Waiting for the link code of Voron to be accepted in Owl Web (attempt 2)',
        'Waiting for the link code of Voron to be accepted in Owl Web (attempt 3)',
        expect.stringMatching(/^Linked Voron as device /),
      ]);
      expect(events.map((event) => event.attempt)).toEqual([1, 2, 3, undefined]);
      expect(events.map((event) => event.expiresAt)).toEqual([
        expiresAt,
        expiresAt,
        expiresAt,
        undefined,
      ]);
    });

    it('explains an expired code', async () => {
      const { code } = server.linkCodes.mint({ ttlSeconds: 1 });
      serverClock.advance(2_000);

      const error = await rejectionOf(coordinator.linkWithCode('p1', code));

      expect(error.code).toBe('link_expired');
      expect(error.message).toBe('This link code expired; create a new one in Owl Web');
      expect(events.at(-1)).toEqual({
        printerId: 'p1',
        state: 'failed',
        message: 'This link code expired; create a new one in Owl Web',
        at: clock.now(),
        code: 'link_expired',
      });
      expect(fleet.saved.size).toBe(0);
    });

    it('explains a code that was already used', async () => {
      const { code } = server.linkCodes.mint();
      await coordinator.linkWithCode('p1', code);

      const error = await rejectionOf(coordinator.linkWithCode('p2', code));

      expect(error.code).toBe('code_used');
      expect(error.message).toBe(
        'This link code was already used or its printer is already linked; create a new one in Owl Web',
      );
      expect(events.at(-1)?.code).toBe('code_used');
    });

    it('fails an unknown code after the link timeout', async () => {
      const error = await rejectionOf(coordinator.linkWithCode('p1', 'NOPE12'));

      expect(error.code).toBe('link_failed');
      expect(error.message).toBe(
        'Owl Cloud did not accept the link code within 10 s. The code may be mistyped, or it ' +
          'was not accepted in Owl Web yet. Compare it with the code under Printers, Add printer ' +
          'in Owl Web, accept the printer there, and link again with that code or a new one',
      );
      expect(error.message).not.toContain('NOPE12');
      expect(clock.monotonic()).toBe(10_000);
      expect(events.at(-1)?.state).toBe('failed');
    });

    it('rejects a second link of a linking printer as busy', async () => {
      const { code } = server.linkCodes.mint({ acceptAfterPolls: 1 });
      const first = coordinator.linkWithCode('p1', code);

      const error = await rejectionOf(coordinator.linkWithCode('p1', code));
      await first;

      expect(error.code).toBe('busy');
      expect(error.message).toBe('Voron is already linking; wait for it to finish or cancel it');
      expect(events.map((event) => event.state)).toEqual(['waiting', 'waiting', 'linked']);
    });

    it('names the cloud URL when it is unreachable', async () => {
      const closed = new CloudHttpServer();
      const closedUrl = await closed.start();
      await closed.close();
      coordinator.dispose();
      coordinator = createCoordinator(closedUrl);

      const error = await rejectionOf(coordinator.linkWithCode('p1', 'AB12CD'));

      expect(error.code).toBe('cloud_unreachable');
      expect(error.message).toContain(`Cannot reach Owl Cloud at ${closedUrl}`);
    });

    it('rejects a printer that is already linked', async () => {
      fleet.add('p1', 'Voron', true);
      const { code } = server.linkCodes.mint();

      const error = await rejectionOf(coordinator.linkWithCode('p1', code));

      expect(error.code).toBe('already_linked');
      expect(error.message).toBe('Voron is already linked; unlink it first to link it again');
      expect(server.linkCodes.claim(code)).toBe('accepted');
      expect(events).toEqual([]);
    });

    it('rejects an unknown printer', async () => {
      const error = await rejectionOf(coordinator.linkWithCode('p9', 'AB12CD'));

      expect(error.code).toBe('not_found');
      expect(error.message).toBe('No printer with id p9; add the printer first');
    });

    it('rejects a second link of a linking printer', async () => {
      const first = coordinator.linkWithCode('p1', server.linkCodes.mint().code);

      const error = await rejectionOf(coordinator.linkWithCode('p1', 'AB12CD'));
      await first;

      expect(error.code).toBe('busy');
      expect(error.message).toBe('Voron is already linking; wait for it to finish or cancel it');
    });

    it('rejects an empty code', async () => {
      const error = await rejectionOf(coordinator.linkWithCode('p1', '  '));

      expect(error.code).toBe('invalid_arguments');
      expect(error.message).toContain('Link code cannot be empty');
    });

    it('explains credentials that could not be saved', async () => {
      fleet.saveFailure = new Error('disk full');

      const error = await rejectionOf(coordinator.linkWithCode('p1', server.linkCodes.mint().code));

      expect(error.code).toBe('link_failed');
      expect(error.message).toMatch(
        /^Owl Cloud linked Voron as device [0-9a-f-]{36}, but saving its credentials failed \(disk full\); remove the device in Owl Web and link again$/,
      );
      expect(events.at(-1)?.state).toBe('failed');
    });
  });

  describe('cancel', () => {
    it('stops a link that waits for acceptance', async () => {
      const { code } = server.linkCodes.mint({ acceptAfterPolls: 2 });
      const secondPoll = progressMatching(/attempt 2/);
      const pending = rejectionOf(coordinator.linkWithCode('p1', code));
      await secondPoll;

      const cancelled = await coordinator.cancel('p1');
      const error = await pending;

      expect(cancelled).toBe(true);
      expect(error.code).toBe('link_failed');
      expect(error.message).toBe('Linking of Voron was cancelled');
      expect(events.at(-1)).toEqual({
        printerId: 'p1',
        state: 'failed',
        message: 'Linking of Voron was cancelled',
        at: clock.now(),
        code: 'link_failed',
        cancelled: true,
      });
      expect(fleet.saved.size).toBe(0);
      expect(server.registry.list()).toEqual([]);
    });

    it('lets the next link start at once', async () => {
      const waiting = coordinator.linkWithCode('p1', server.linkCodes.mint().code);
      await coordinator.cancel('p1');
      await rejectionOf(waiting);

      const response = await coordinator.linkWithCode('p1', server.linkCodes.mint().code);

      expect(fleet.saved.get('p1')).toEqual(response);
    });

    it('returns false for a printer that is not linking', async () => {
      expect(await coordinator.cancel('p1')).toBe(false);
      expect(events).toEqual([]);
    });

    it('keeps no credentials the cloud issued after the cancel', async () => {
      const template = await coordinator.linkWithCode('p3', server.linkCodes.mint().code);
      const manual = manualExchange();
      const pending = rejectionOf(coordinator.linkWithCode('p1', 'AB12CD'));

      const cancelled = coordinator.cancel('p1');
      manual.settle({ ...template, deviceId: 'device-late' });
      const error = await pending;

      expect(await cancelled).toBe(true);
      expect(manual.signal()?.aborted).toBe(true);
      expect(error.code).toBe('link_failed');
      expect(error.message).toBe(
        'Linking of Voron was cancelled, but Owl Cloud had already linked it as device ' +
          'device-late. Remove device device-late in Owl Web, then link the printer again',
      );
      expect(fleet.saved.has('p1')).toBe(false);
    });

    it('keeps no credentials of a printer removed meanwhile', async () => {
      const template = await coordinator.linkWithCode('p3', server.linkCodes.mint().code);
      const manual = manualExchange();
      const pending = rejectionOf(coordinator.linkWithCode('p1', 'AB12CD'));

      fleet.printers.delete('p1');
      manual.settle({ ...template, deviceId: 'device-orphan' });
      const error = await pending;

      expect(error.message).toBe(
        'Voron was removed while linking, but Owl Cloud had already linked it as device ' +
          'device-orphan. Remove device device-orphan in Owl Web',
      );
      expect(fleet.saved.has('p1')).toBe(false);
    });

    it('skips the code of a cancelled printer in click-to-link', async () => {
      const start = await coordinator.startClickToLink(['p1', 'p2']);
      events = [];

      await coordinator.cancel('p1');
      const outcomes = await coordinator.completeClickToLink(await pressAddPrinter(start.url));

      const [first, second] = outcomes;
      expect(events[0]).toEqual({
        printerId: 'p1',
        state: 'failed',
        message: 'Linking of Voron was cancelled',
        at: clock.now(),
        code: 'link_failed',
        cancelled: true,
      });
      expect(failureOf(first)?.message).toBe('Linking of Voron was cancelled');
      expect(second?.ok).toBe(true);
      expect(server.registry.list()).toHaveLength(1);
      expect(events.filter((event) => event.printerId === 'p1')).toHaveLength(1);
    });

    it('ends a click-to-link state whose printers are all cancelled', async () => {
      const start = await coordinator.startClickToLink(['p1']);
      const location = await pressAddPrinter(start.url);

      await coordinator.cancel('p1');
      const error = await rejectionOf(coordinator.completeClickToLink(location));

      expect(error.code).toBe('link_state_invalid');
      expect(error.message).toBe('This link was cancelled; start linking again');
      expect(states.size).toBe(0);
      expect(clock.pendingTimers).toBe(0);
      expect(server.registry.list()).toEqual([]);
    });
  });

  describe('startClickToLink', () => {
    it('opens the add-printer page of Owl Web', async () => {
      const start = await coordinator.startClickToLink(['p1']);
      const url = new URL(start.url);

      expect(`${url.origin}${url.pathname}`).toBe(`${server.url}/printers/add`);
      expect(url.searchParams.get('state')).toBe(start.state);
      expect(url.searchParams.get('callback')).toBe('owl://link');
      expect(url.searchParams.get('count')).toBe('1');
      expect(url.searchParams.getAll('name')).toEqual(['Voron']);
      expect(start.expiresAt).toBe(clock.now() + LINK_STATE_TTL_MS);
      expect(start.skipped).toEqual([]);
      expect(events).toEqual([
        {
          printerId: 'p1',
          state: 'waiting',
          message: 'Waiting for Owl Web to return a link code for Voron',
          at: clock.now(),
          step: 'browser',
          expiresAt: start.expiresAt,
        },
      ]);
    });

    it('skips a linked printer and links the others', async () => {
      fleet.add('p2', 'Ender', true);

      const start = await coordinator.startClickToLink(['p1', 'p2', 'p3']);

      expect(start.skipped).toEqual([
        {
          printerId: 'p2',
          code: 'already_linked',
          message: 'Ender is already linked; unlink it first to link it again',
        },
      ]);
      const url = new URL(start.url);
      expect(url.searchParams.get('count')).toBe('2');
      expect(url.searchParams.getAll('name')).toEqual(['Voron', 'Prusa']);
      expect(events.map((event) => event.printerId)).toEqual(['p1', 'p3']);
      const outcomes = await coordinator.completeClickToLink(await pressAddPrinter(start.url));
      expect(outcomes.map((outcome) => `${outcome.printerId} ${outcome.ok}`)).toEqual([
        'p1 true',
        'p3 true',
      ]);
      expect(fleet.saved.has('p2')).toBe(false);
    });

    it('skips a printer that exchanges a code', async () => {
      const { code } = server.linkCodes.mint({ acceptAfterPolls: 1 });
      const linking = coordinator.linkWithCode('p1', code);

      const start = await coordinator.startClickToLink(['p1', 'p2']);
      await linking;

      expect(start.skipped.map((skipped) => `${skipped.printerId} ${skipped.code}`)).toEqual([
        'p1 busy',
      ]);
      expect(new URL(start.url).searchParams.getAll('name')).toEqual(['Ender']);
    });

    it('rejects printers that are all linked without a state', async () => {
      fleet.add('p1', 'Voron', true);
      fleet.add('p2', 'Ender', true);

      const error = await rejectionOf(coordinator.startClickToLink(['p1', 'p2']));

      expect(error.code).toBe('already_linked');
      expect(error.message).toBe('Voron is already linked; unlink it first to link it again');
      expect(states.size).toBe(0);
      expect(events).toEqual([]);
    });

    it('rejects a web URL that is not http(s) without a state', async () => {
      coordinator.dispose();
      coordinator = new LinkCoordinator({
        exchange: { linkWithCode: () => Promise.reject(new Error('not called')) },
        targets: fleet,
        webUrl: () => 'owl.example.com',
        clock,
        logger: silentLogger,
        states,
      });

      const error = await rejectionOf(coordinator.startClickToLink(['p1']));

      expect(error.code).toBe('invalid_arguments');
      expect(states.size).toBe(0);
      expect(clock.pendingTimers).toBe(0);
    });

    it('fails the waiting printers once the state expires', async () => {
      await coordinator.startClickToLink(['p1', 'p2']);
      events = [];

      clock.advance(LINK_STATE_TTL_MS);

      expect(events).toEqual([
        {
          printerId: 'p1',
          state: 'failed',
          message: 'The link expired after 10 minutes; start linking again',
          at: clock.now(),
          code: 'link_expired',
        },
        {
          printerId: 'p2',
          state: 'failed',
          message: 'The link expired after 10 minutes; start linking again',
          at: clock.now(),
          code: 'link_expired',
        },
      ]);
    });

    it('fails no printer at expiry that was linked meanwhile', async () => {
      await coordinator.startClickToLink(['p1', 'p2']);
      fleet.add('p1', 'Voron', true);
      events = [];

      clock.advance(LINK_STATE_TTL_MS);

      expect(events.map((event) => event.printerId)).toEqual(['p2']);
    });

    it('keeps a printer waiting that a newer state covers', async () => {
      await coordinator.startClickToLink(['p1', 'p2']);
      clock.advance(60_000);
      await coordinator.startClickToLink(['p2']);
      events = [];

      clock.advance(LINK_STATE_TTL_MS - 60_000);

      expect(events.map((event) => event.printerId)).toEqual(['p1']);
    });
  });

  describe('completeClickToLink', () => {
    it('links one printer through the add-printer page', async () => {
      const start = await coordinator.startClickToLink(['p1']);
      const location = await pressAddPrinter(start.url);

      const outcomes = await coordinator.completeClickToLink(location);

      const [outcome] = outcomes;
      expect(outcomes).toHaveLength(1);
      expect(outcome?.ok).toBe(true);
      expect(fleet.saved.get('p1')?.deviceId).toBe(linkedIds(outcomes)[0]);
      expect(server.registry.get(linkedIds(outcomes)[0] ?? '')).toBeDefined();
      expect(events.map((event) => event.state)).toEqual(['waiting', 'waiting', 'linked']);
    });

    it('links many printers in one action', async () => {
      const start = await coordinator.startClickToLink(['p3', 'p1', 'p2']);
      const location = await pressAddPrinter(start.url);

      const outcomes = await coordinator.completeClickToLink(location);

      expect(outcomes.map((outcome) => outcome.printerId)).toEqual(['p3', 'p1', 'p2']);
      expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
      expect(new Set(linkedIds(outcomes)).size).toBe(3);
      expect([...fleet.saved.keys()].sort()).toEqual(['p1', 'p2', 'p3']);
      expect(fleet.saved.get('p3')?.deviceId).toBe(linkedIds(outcomes)[0]);
    });

    it('completes through a loopback callback', async () => {
      const callback = 'http://127.0.0.1:41234/link/callback';
      const start = await coordinator.startClickToLink(['p1'], { callback });
      const location = await pressAddPrinter(start.url);

      const outcomes = await coordinator.completeClickToLink(location);

      expect(location.startsWith(`${callback}?code=`)).toBe(true);
      expect(outcomes[0]?.ok).toBe(true);
    });

    it('rejects a state that was already used', async () => {
      const start = await coordinator.startClickToLink(['p1']);
      const location = await pressAddPrinter(start.url);
      await coordinator.completeClickToLink(location);

      const error = await rejectionOf(coordinator.completeClickToLink(location));

      expect(error.code).toBe('link_state_invalid');
      expect(error.message).toBe('This link was already used; start linking again');
    });

    it('rejects an expired state', async () => {
      const start = await coordinator.startClickToLink(['p1']);
      const location = await pressAddPrinter(start.url);
      clock.advance(LINK_STATE_TTL_MS);

      const error = await rejectionOf(coordinator.completeClickToLink(location));

      expect(error.code).toBe('link_expired');
      expect(error.message).toBe('The link expired after 10 minutes; start linking again');
      expect(fleet.saved.size).toBe(0);
    });

    it('rejects a state this app never issued', async () => {
      const location = await pressAddPrinter(
        `${server.url}/printers/add?state=${'A'.repeat(43)}&callback=owl%3A%2F%2Flink`,
      );

      const error = await rejectionOf(coordinator.completeClickToLink(location));

      expect(error.code).toBe('link_state_invalid');
      expect(error.message).toContain('unknown to this app');
    });

    it('keeps the state usable after a malformed callback', async () => {
      const start = await coordinator.startClickToLink(['p1']);
      const location = await pressAddPrinter(start.url);

      const error = await rejectionOf(
        coordinator.completeClickToLink(location.replace('owl://link', 'owl://other')),
      );
      const outcomes = await coordinator.completeClickToLink(location);

      expect(error.code).toBe('invalid_arguments');
      expect(outcomes[0]?.ok).toBe(true);
    });

    it('fails every printer when the code count differs', async () => {
      const start = await coordinator.startClickToLink(['p1', 'p2']);
      const { code } = server.linkCodes.mint();
      events = [];

      const error = await rejectionOf(
        coordinator.completeClickToLink(`owl://link?code=${code}&state=${start.state}`),
      );

      expect(error.code).toBe('invalid_arguments');
      expect(error.message).toBe(
        'Owl Web returned 1 link codes for 2 printers, but each printer needs one; start linking again',
      );
      expect(events.map((event) => `${event.printerId} ${event.state}`)).toEqual([
        'p1 failed',
        'p2 failed',
      ]);
    });

    it('links the others when one printer was linked meanwhile', async () => {
      const start = await coordinator.startClickToLink(['p1', 'p2']);
      const location = await pressAddPrinter(start.url);
      fleet.add('p1', 'Voron', true);

      const outcomes = await coordinator.completeClickToLink(location);

      const [first, second] = outcomes;
      expect(first?.ok).toBe(false);
      expect(failureOf(first)?.code).toBe('already_linked');
      expect(second?.ok).toBe(true);
    });

    it('reports an expired code per printer', async () => {
      const start = await coordinator.startClickToLink(['p1']);
      const { code } = server.linkCodes.mint({ ttlSeconds: 1 });
      serverClock.advance(2_000);

      const outcomes = await coordinator.completeClickToLink(
        `owl://link?code=${code}&state=${start.state}`,
      );

      const [outcome] = outcomes;
      expect(outcome?.ok).toBe(false);
      expect(failureOf(outcome)?.code).toBe('link_expired');
      expect(failureOf(outcome)?.message).toBe(
        'This link code expired; create a new one in Owl Web',
      );
    });
  });

  describe('concurrency', () => {
    function stubCoordinator(exchange: LinkCodeExchange, maxConcurrentLinks?: number): void {
      coordinator.dispose();
      coordinator = new LinkCoordinator({
        exchange,
        targets: fleet,
        webUrl: () => server.url,
        clock,
        logger: silentLogger,
        states,
        maxConcurrentLinks,
      });
      coordinator.onProgress((event) => events.push(event));
    }

    it('runs at most the configured number of links at once', async () => {
      let active = 0;
      let maxActive = 0;
      const template = await coordinator.linkWithCode('p3', server.linkCodes.mint().code);
      stubCoordinator(
        {
          linkWithCode: async (code) => {
            active += 1;
            maxActive = Math.max(maxActive, active);
            await new Promise((resolve) => setImmediate(resolve));
            active -= 1;
            return { ...template, deviceId: `device-${code}` };
          },
        },
        2,
      );
      const ids = ['a', 'b', 'c', 'd', 'e'];
      for (const id of ids) fleet.add(id, `Printer ${id}`);
      const start = await coordinator.startClickToLink(ids);
      const query = ids.map((id) => `code=${id.toUpperCase()}`).join('&');

      const outcomes = await coordinator.completeClickToLink(
        `owl://link?${query}&state=${start.state}`,
      );

      expect(maxActive).toBe(2);
      expect(linkedIds(outcomes)).toEqual(ids.map((id) => `device-${id.toUpperCase()}`));
    });

    it('cancels a running link on dispose', async () => {
      let signal: AbortSignal | undefined;
      stubCoordinator({
        linkWithCode: (_code, options) =>
          new Promise((_resolve, reject) => {
            signal = options?.signal;
            signal?.addEventListener('abort', () =>
              reject(new CodedError('link_cancelled', 'Linking was cancelled')),
            );
          }),
      });
      const pending = coordinator.linkWithCode('p1', 'AB12CD');
      events = [];

      coordinator.dispose();
      const error = await rejectionOf(pending);

      expect(signal?.aborted).toBe(true);
      expect(error.code).toBe('link_failed');
      expect(error.message).toBe('Linking stopped because the app is shutting down');
      expect(events).toEqual([]);
    });
  });

  describe('dispose', () => {
    it('cancels expiry timers and stops reporting', async () => {
      await coordinator.startClickToLink(['p1']);
      events = [];

      coordinator.dispose();
      clock.advance(LINK_STATE_TTL_MS);

      expect(clock.pendingTimers).toBe(0);
      expect(events).toEqual([]);
    });

    it('rejects new links afterwards', async () => {
      coordinator.dispose();

      const error = await rejectionOf(coordinator.linkWithCode('p1', 'AB12CD'));

      expect(error.code).toBe('link_failed');
      expect(error.message).toBe('Linking stopped because the app is shutting down');
    });
  });

  describe('activity', () => {
    it('keeps the outcome of each printer until dismissed', async () => {
      const response = await coordinator.linkWithCode('p1', server.linkCodes.mint().code);
      await rejectionOf(coordinator.linkWithCode('p2', 'NOPE12'));

      const activity = coordinator.activity();

      expect(activity.map((event) => `${event.printerId} ${event.state}`)).toEqual([
        'p1 linked',
        'p2 failed',
      ]);
      expect(activity[0]?.message).toBe(`Linked Voron as device ${response.deviceId}`);
      expect(activity[1]?.code).toBe('link_failed');
      coordinator.dismissOutcome('p1');
      expect(coordinator.activity().map((event) => event.printerId)).toEqual(['p2']);
    });

    it('keeps a printer that still waits when dismissed', async () => {
      await coordinator.startClickToLink(['p1']);

      coordinator.dismissOutcome('p1');

      expect(coordinator.activity().map((event) => `${event.printerId} ${event.step}`)).toEqual([
        'p1 browser',
      ]);
    });

    it('leaves out a linked outcome after an unlink', async () => {
      await coordinator.linkWithCode('p1', server.linkCodes.mint().code);

      const printer = fleet.printers.get('p1');
      if (printer) printer.linked = false;

      expect(coordinator.activity()).toEqual([]);
    });

    it('forgets a failed outcome after an unlink', async () => {
      await rejectionOf(coordinator.linkWithCode('p2', 'NOPE12'));

      coordinator.forget('p2');

      expect(coordinator.activity()).toEqual([]);
    });

    it('leaves out removed printers', async () => {
      await coordinator.startClickToLink(['p1', 'p2']);

      fleet.printers.delete('p1');
      coordinator.forget('p2');

      expect(coordinator.activity()).toEqual([]);
    });
  });

  describe('after a restart', () => {
    let folder: string;
    let file: string;

    beforeEach(async () => {
      folder = await mkdtemp(join(tmpdir(), 'owl-link-restart-'));
      file = join(folder, LINK_STATES_FILE_NAME);
    });

    afterEach(async () => {
      await rm(folder, { recursive: true, force: true });
    });

    /** Replaces the coordinator with one whose states live in `file`, as the app's do. */
    async function coordinatorOnFile(): Promise<void> {
      coordinator.dispose();
      states = await LinkStateBook.open({ clock, file });
      coordinator = createCoordinator(cloudUrl);
    }

    it('completes a click-to-link started before the restart', async () => {
      await coordinatorOnFile();
      const start = await coordinator.startClickToLink(['p1', 'p2']);
      const location = await pressAddPrinter(start.url);
      clock.advance(60_000);
      await coordinatorOnFile();
      events = [];

      coordinator.resume();
      const outcomes = await coordinator.completeClickToLink(location);

      expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true]);
      expect([...fleet.saved.keys()].sort()).toEqual(['p1', 'p2']);
      expect(events.slice(0, 2)).toEqual([
        {
          printerId: 'p1',
          state: 'waiting',
          message: 'Waiting for Owl Web to return a link code for Voron',
          at: clock.now(),
          step: 'browser',
          expiresAt: start.expiresAt,
        },
        {
          printerId: 'p2',
          state: 'waiting',
          message: 'Waiting for Owl Web to return a link code for Ender',
          at: clock.now(),
          step: 'browser',
          expiresAt: start.expiresAt,
        },
      ]);
      expect(coordinator.activity().map((event) => event.state)).toEqual(['linked', 'linked']);
    });

    it('rejects a callback used before the restart', async () => {
      await coordinatorOnFile();
      const start = await coordinator.startClickToLink(['p1']);
      const location = await pressAddPrinter(start.url);
      await coordinator.completeClickToLink(location);
      await coordinatorOnFile();
      coordinator.resume();

      const error = await rejectionOf(coordinator.completeClickToLink(location));

      expect(error.code).toBe('link_state_invalid');
      expect(error.message).toBe('This link was already used; start linking again');
      expect(server.registry.list()).toHaveLength(1);
    });

    it('fails the printers once the rest of the ten minutes has passed', async () => {
      await coordinatorOnFile();
      await coordinator.startClickToLink(['p1']);
      clock.advance(LINK_STATE_TTL_MS - 1_000);
      await coordinatorOnFile();
      coordinator.resume();
      events = [];

      clock.advance(1_000);

      expect(events).toEqual([
        {
          printerId: 'p1',
          state: 'failed',
          message: 'The link expired after 10 minutes; start linking again',
          at: clock.now(),
          code: 'link_expired',
        },
      ]);
    });
  });
});
