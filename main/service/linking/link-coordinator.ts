import { DEEP_LINK_CALLBACK } from '../../../shared/contract/add-printer.js';
import type { LinkResponse } from '../../../shared/contract/device-http.js';
import { ListenerSet, logListenerErrors } from '../../support/listener-set.js';
import type { LinkProgress } from '../../cloud/link-client.js';
import type { Clock } from '../../support/clock.js';
import { errorMessage } from '../../support/coded-error.js';
import type { Disposable } from '../../support/disposable.js';
import type { Logger } from '../../support/logger.js';
import { buildAddPrinterUrl, parseLinkCallback } from './link-callback-url.js';
import { LinkStateBook } from './link-state-book.js';
import { mapWithLimit } from './map-with-limit.js';
import { WaitingStates } from './waiting-states.js';
import { linkingError, translateLinkFailure } from './linking-errors.js';
import type {
  ClickToLinkOptions,
  ClickToLinkStart,
  LinkCodeExchange,
  LinkOutcome,
  LinkProgressEvent,
  LinkTarget,
  LinkTargetStore,
} from './linking-ports.js';

export interface LinkCoordinatorOptions {
  exchange: LinkCodeExchange;
  targets: LinkTargetStore;
  /** Owl Web's base URL, read at each click-to-link start so that a settings change applies. */
  webUrl: () => string;
  clock: Clock;
  logger: Logger;
  states?: LinkStateBook;
  /** Links that run at the same time when many printers complete together. Defaults to 4. */
  maxConcurrentLinks?: number;
  /**
   * Milliseconds that one link retries 404, 5xx and network failures before it fails. Owl Cloud
   * answers 404 until the code is accepted, and the link exchange allows 120 s for that, so a
   * caller that waits for the result needs a call timeout of about 150 s.
   */
  linkTimeoutMs?: number;
}

export const DEFAULT_LINK_TIMEOUT_MS = 120_000;

/**
 * Links printers to Owl Cloud, with a pasted link code or by click-to-link, and reports
 * `link.progress` events (`waiting`, `linked`, `failed`) per printer.
 *
 * Click-to-link for many printers: a link code links one device and is single use, so one code
 * cannot serve several printers. The add-printer page therefore receives `count=N` and returns N
 * codes as repeated `code` parameters, and the coordinator pairs them with the printers in the
 * order they were passed to `startClickToLink`. A callback with a different number of codes fails
 * every printer of its state.
 */
export class LinkCoordinator implements Disposable {
  private readonly exchange: LinkCodeExchange;
  private readonly targets: LinkTargetStore;
  private readonly webUrl: () => string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly states: LinkStateBook;
  private readonly maxConcurrentLinks: number;
  private readonly linkTimeoutMs: number;
  private readonly progress: ListenerSet<[LinkProgressEvent]>;
  private readonly inFlight = new Map<string, AbortController>();
  private readonly waiting: WaitingStates;
  private disposed = false;

  constructor(options: LinkCoordinatorOptions) {
    this.exchange = options.exchange;
    this.targets = options.targets;
    this.webUrl = options.webUrl;
    this.clock = options.clock;
    this.logger = options.logger.child({ component: 'link-coordinator' });
    this.states = options.states ?? new LinkStateBook({ clock: options.clock });
    this.maxConcurrentLinks = Math.max(1, options.maxConcurrentLinks ?? 4);
    this.linkTimeoutMs = options.linkTimeoutMs ?? DEFAULT_LINK_TIMEOUT_MS;
    this.progress = new ListenerSet(logListenerErrors(this.logger, 'link.progress'));
    this.waiting = new WaitingStates(this.clock, this.states.ttlMs, (state, printerIds) =>
      this.expireState(state, printerIds),
    );
  }

  onProgress(listener: (event: LinkProgressEvent) => void): Disposable {
    return this.progress.add(listener);
  }

  /**
   * Links one printer with a code pasted from Owl Web. Throws `not_found`, `already_linked` or
   * `busy` before any request, and the translated link failure after one.
   */
  async linkWithCode(printerId: string, code: string): Promise<LinkResponse> {
    this.checkOpen();
    return this.link(this.linkableTarget(printerId), code);
  }

  /**
   * Mints a state for `printerIds` and returns the add-printer page to open. Every printer must
   * exist, be unlinked and not be linking. The printers report `waiting` until the callback
   * arrives or the state expires.
   */
  startClickToLink(
    printerIds: readonly string[],
    options: ClickToLinkOptions = {},
  ): ClickToLinkStart {
    this.checkOpen();
    const targets = printerIds.map((printerId) => this.linkableTarget(printerId));
    const issued = this.states.issue(printerIds);

    let url: string;
    try {
      url = buildAddPrinterUrl(this.webUrl(), {
        state: issued.state,
        callback: options.callback ?? DEEP_LINK_CALLBACK,
        printers: targets,
      });
    } catch (error) {
      this.states.discard(issued.state);
      throw error;
    }

    this.waiting.add(issued.state, printerIds);
    for (const target of targets) {
      this.emit(
        target.printerId,
        'waiting',
        `Waiting for Owl Web to return a link code for ${target.name}`,
      );
    }
    this.logger.info({ printers: printerIds.length }, 'click-to-link started');
    return { url, state: issued.state, expiresAt: issued.expiresAt };
  }

  /**
   * Completes click-to-link with the callback URL that Owl Web redirected to. Throws
   * `invalid_arguments` for a malformed callback or a code count that does not match,
   * `link_state_invalid` or `link_expired` for the state. Otherwise resolves with one outcome per
   * printer, in order; a printer that fails does not stop the others.
   */
  async completeClickToLink(callbackUrl: string): Promise<LinkOutcome[]> {
    this.checkOpen();
    const callback = parseLinkCallback(callbackUrl);
    const printerIds = this.consumeState(callback.state);
    if (callback.codes.length !== printerIds.length) {
      const error = linkingError(
        'invalid_arguments',
        `Owl Web returned ${callback.codes.length} link codes for ${printerIds.length} printers, but each printer needs one; start linking again`,
      );
      for (const printerId of printerIds) this.emit(printerId, 'failed', error.message);
      throw error;
    }

    const outcomes = await mapWithLimit(printerIds, this.maxConcurrentLinks, (printerId, index) =>
      this.completeOne(printerId, callback.codes[index] ?? ''),
    );
    const linked = outcomes.filter((outcome) => outcome.ok).length;
    this.logger.info({ linked, failed: outcomes.length - linked }, 'click-to-link completed');
    return outcomes;
  }

  /** Cancels running links and expiry timers; later events are not reported. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.waiting.dispose();
    for (const controller of this.inFlight.values()) controller.abort();
    this.progress.clear();
  }

  private async completeOne(printerId: string, code: string): Promise<LinkOutcome> {
    let target: LinkTarget;
    try {
      target = this.linkableTarget(printerId);
    } catch (error) {
      const failure = translateLinkFailure(error);
      this.emit(printerId, 'failed', failure.message);
      return { printerId, ok: false, error: failure };
    }
    try {
      return { printerId, ok: true, response: await this.link(target, code) };
    } catch (error) {
      return { printerId, ok: false, error: translateLinkFailure(error) };
    }
  }

  private async link(target: LinkTarget, code: string): Promise<LinkResponse> {
    const { printerId, name } = target;
    const controller = new AbortController();
    this.inFlight.set(printerId, controller);
    this.emit(printerId, 'waiting', `Linking ${name} with Owl Cloud`);
    try {
      const response = await this.exchange.linkWithCode(code, {
        signal: controller.signal,
        timeoutMs: this.linkTimeoutMs,
        onProgress: (progress) => this.reportAttempt(target, progress),
      });
      await this.save(target, response);
      this.emit(printerId, 'linked', `Linked ${name} as device ${response.deviceId}`);
      this.logger.info({ printerId, deviceId: response.deviceId }, 'printer linked');
      return response;
    } catch (error) {
      const failure = translateLinkFailure(error);
      this.emit(printerId, 'failed', failure.message);
      this.logger.warn({ printerId, code: failure.code, err: error }, 'linking failed');
      throw failure;
    } finally {
      this.inFlight.delete(printerId);
    }
  }

  private reportAttempt(target: LinkTarget, progress: LinkProgress): void {
    if (progress.attempt < 2) return;
    const message = `Waiting for the link code of ${target.name} to be accepted in Owl Web (attempt ${progress.attempt})`;
    this.emit(target.printerId, 'waiting', message);
  }

  /** Hands the credentials to the fleet. Owl Cloud has used the code up by now. */
  private async save(target: LinkTarget, response: LinkResponse): Promise<void> {
    if (this.disposed) {
      throw linkingError('link_failed', 'Linking stopped because the app is shutting down');
    }
    try {
      await this.targets.onLinked(target.printerId, response);
    } catch (error) {
      throw linkingError(
        'link_failed',
        `Owl Cloud linked ${target.name} as device ${response.deviceId}, but saving its credentials failed (${errorMessage(error)}); remove the device in Owl Web and link again`,
        { cause: error, details: { deviceId: response.deviceId } },
      );
    }
  }

  private linkableTarget(printerId: string): LinkTarget {
    const target = this.targets.target(printerId);
    if (!target) {
      throw linkingError('not_found', `No printer with id ${printerId}; add the printer first`);
    }
    if (target.linked) {
      throw linkingError(
        'already_linked',
        `${target.name} is already linked; unlink it first to link it again`,
      );
    }
    if (this.inFlight.has(printerId)) {
      throw linkingError('busy', `${target.name} is already linking; wait for it to finish`);
    }
    return target;
  }

  private expireState(state: string, printerIds: readonly string[]): void {
    const error = this.states.expire(state);
    if (this.disposed || !error) return;
    this.failWaiting(printerIds, error.message);
    this.logger.info({ printers: printerIds.length }, 'click-to-link expired');
  }

  private consumeState(state: string): readonly string[] {
    const waitingPrinters = this.waiting.take(state);
    try {
      return this.states.consume(state);
    } catch (error) {
      const failure = translateLinkFailure(error);
      if (waitingPrinters && failure.code === 'link_expired') {
        this.failWaiting(waitingPrinters, failure.message);
      }
      throw failure;
    }
  }

  /** Fails the printers of an ended state, except those that another state still waits for. */
  private failWaiting(printerIds: readonly string[], message: string): void {
    for (const printerId of this.waiting.uncovered(printerIds)) {
      this.emit(printerId, 'failed', message);
    }
  }

  private emit(printerId: string, state: LinkProgressEvent['state'], message: string): void {
    if (this.disposed) return;
    this.progress.emit({ printerId, state, message });
  }

  private checkOpen(): void {
    if (this.disposed) {
      throw linkingError('link_failed', 'Linking stopped because the app is shutting down');
    }
  }
}
