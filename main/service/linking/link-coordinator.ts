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
import { WaitingStates, type TakenState } from './waiting-states.js';
import { linkingError, translateLinkFailure, type LinkingError } from './linking-errors.js';
import type {
  ClickToLinkOptions,
  ClickToLinkStart,
  LinkCodeExchange,
  LinkOutcome,
  LinkProgressEvent,
  LinkTarget,
  LinkTargetStore,
  SkippedPrinter,
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
   * returns 404 until the code is accepted, and the link exchange allows 120 s for that, so a
   * caller that waits for the result needs a call timeout of about 150 s.
   */
  linkTimeoutMs?: number;
}

export const DEFAULT_LINK_TIMEOUT_MS = 120_000;

/**
 * Why a link stopped early: `link.cancel` requested it, the printer was removed, or the app is
 * shutting down.
 */
export type LinkCancelReason = 'requested' | 'removed' | 'shutdown';

/** One code exchange in flight. */
interface RunningLink {
  controller: AbortController;
  /** Settles once the link has finished, whether or not it saved credentials. */
  settled: Promise<void>;
  /** Set when the link was cancelled. */
  cancelReason?: LinkCancelReason;
}

/** The facts of a `link.progress` event beyond the printer, state and message. */
type ProgressFacts = Omit<LinkProgressEvent, 'printerId' | 'state' | 'message' | 'at'>;

/**
 * Links printers to Owl Cloud, with a pasted link code or by click-to-link, and reports
 * `link.progress` events (`waiting`, `linked`, `failed`) per printer. It keeps the latest event
 * of each printer, so a UI that opens later still shows how a link ended, such as one completed
 * by a callback that started the app.
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
  private readonly inFlight = new Map<string, RunningLink>();
  private readonly waiting: WaitingStates;
  /** The latest progress event of each printer, until dismissed once it is an outcome. */
  private readonly latest = new Map<string, LinkProgressEvent>();
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
   * Mints a state for `printerIds` and returns the add-printer page to open, once the state is
   * saved. A printer that is already linked or exchanging a code is left out and listed in
   * `skipped`. Throws `not_found` for a printer that does not exist, and the reason of the
   * first printer when every printer is left out. The printers report `waiting` until the
   * callback arrives or the state expires.
   */
  async startClickToLink(
    printerIds: readonly string[],
    options: ClickToLinkOptions = {},
  ): Promise<ClickToLinkStart> {
    this.checkOpen();
    const { targets, skipped } = this.sortOutTargets(printerIds);
    const linkable = targets.map((target) => target.printerId);
    const issued = this.states.issue(linkable);

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

    this.waiting.add(issued.state, linkable);
    for (const target of targets) this.reportBrowserWait(target, issued.expiresAt);
    this.logger.info(
      { printers: linkable.length, skipped: skipped.length },
      'click-to-link started',
    );
    await this.states.saved();
    return { url, state: issued.state, expiresAt: issued.expiresAt, skipped };
  }

  /**
   * Arms the expiry of the click-to-link states read back from the data folder and reports
   * their printers as waiting again. Call it once, after the fleet's printers are known.
   */
  resume(): void {
    this.checkOpen();
    for (const pending of this.states.pendingStates()) {
      if (this.waiting.has(pending.state)) continue;
      this.waiting.add(pending.state, pending.printerIds, pending.remainingMs);
      for (const printerId of pending.printerIds) {
        const target = this.targets.target(printerId);
        if (target && !target.linked) this.reportBrowserWait(target, pending.expiresAt);
      }
    }
  }

  /**
   * Returns the latest progress event of each printer in the fleet: `waiting` while it links,
   * else how its last link ended, until `dismissOutcome` or `forget`. A `linked` outcome of a
   * printer that is no longer linked is left out, because it would contradict its link state.
   */
  activity(): LinkProgressEvent[] {
    return [...this.latest.values()].filter((event) => {
      const target = this.targets.target(event.printerId);
      if (!target) return false;
      return event.state !== 'linked' || target.linked;
    });
  }

  /** Forgets the printer's last outcome; a link that still waits is kept. */
  dismissOutcome(printerId: string): void {
    if (this.latest.get(printerId)?.state !== 'waiting') this.latest.delete(printerId);
  }

  /** Forgets everything about a printer that was removed or unlinked. */
  forget(printerId: string): void {
    this.latest.delete(printerId);
  }

  /** Resolves once the click-to-link states are saved, for a clean stop. */
  saved(): Promise<void> {
    return this.states.saved();
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
    const { printerIds, cancelled } = this.consumeState(callback.state);
    if (callback.codes.length !== printerIds.length) {
      const error = linkingError(
        'invalid_arguments',
        `Owl Web returned ${callback.codes.length} link codes for ${printerIds.length} printers, but each printer needs one; start linking again`,
      );
      for (const printerId of printerIds) {
        if (!cancelled.has(printerId)) this.reportFailure(printerId, error);
      }
      throw error;
    }
    // The state is used up on disk before any code is exchanged, so a restart cannot reuse it.
    await this.states.saved();

    const outcomes = await mapWithLimit(printerIds, this.maxConcurrentLinks, (printerId, index) =>
      this.completeOne(printerId, callback.codes[index] ?? '', cancelled),
    );
    const linked = outcomes.filter((outcome) => outcome.ok).length;
    this.logger.info({ linked, failed: outcomes.length - linked }, 'click-to-link completed');
    return outcomes;
  }

  /**
   * Cancels the printer's linking: aborts its code exchange with Owl Cloud and takes it out of
   * the click-to-link states that wait for a callback, so their code for it is never exchanged.
   * The printer reports `failed`. Resolves once an exchange in flight has settled, so a caller
   * that removes the printer next finds no credentials being saved. Resolves with false when the
   * printer was not linking.
   */
  async cancel(
    printerId: string,
    reason: Exclude<LinkCancelReason, 'shutdown'> = 'requested',
  ): Promise<boolean> {
    const running = this.inFlight.get(printerId);
    const waiting = this.waiting.cancel(printerId);
    for (const state of waiting.ended) this.states.cancel(state);
    if (!running && !waiting.found) return false;

    this.logger.info({ printerId, reason }, 'linking cancelled');
    if (running) {
      // The exchange's own failure path reports `failed` with the cancellation message.
      running.cancelReason ??= reason;
      running.controller.abort();
      await running.settled;
    } else {
      const name = this.targets.target(printerId)?.name ?? printerId;
      const error = linkingError('link_failed', cancelledMessage(name, reason), {
        details: { cancelReason: reason },
      });
      this.reportFailure(printerId, error);
    }
    return true;
  }

  /** Cancels running links and expiry timers; later events are not reported. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.waiting.dispose();
    for (const running of this.inFlight.values()) {
      running.cancelReason ??= 'shutdown';
      running.controller.abort();
    }
    this.progress.clear();
  }

  private async completeOne(
    printerId: string,
    code: string,
    cancelled: ReadonlySet<string>,
  ): Promise<LinkOutcome> {
    if (cancelled.has(printerId)) {
      const name = this.targets.target(printerId)?.name ?? printerId;
      const error = linkingError('link_failed', cancelledMessage(name, 'requested'));
      return { printerId, ok: false, error };
    }
    let target: LinkTarget;
    try {
      target = this.linkableTarget(printerId);
    } catch (error) {
      const failure = translateLinkFailure(error);
      // A printer linked meanwhile, by a pasted code for one, keeps its `linked` outcome.
      if (failure.code !== 'already_linked') this.reportFailure(printerId, failure);
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
    let settle = (): void => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const running: RunningLink = { controller: new AbortController(), settled };
    this.inFlight.set(printerId, running);
    // The link client measures its timeout from its first request, which follows at once.
    const expiresAt = this.clock.now() + this.linkTimeoutMs;
    this.emit(printerId, 'waiting', `Linking ${name} with Owl Cloud`, {
      step: 'cloud',
      attempt: 1,
      expiresAt,
    });
    try {
      const response = await this.exchangeCode(target, code, running, expiresAt);
      await this.save(target, response, running);
      this.emit(printerId, 'linked', `Linked ${name} as device ${response.deviceId}`);
      this.logger.info({ printerId, deviceId: response.deviceId }, 'printer linked');
      return response;
    } catch (error) {
      const failure = translateLinkFailure(error);
      this.reportFailure(printerId, failure);
      this.logger.warn({ printerId, code: failure.code, err: error }, 'linking failed');
      throw failure;
    } finally {
      this.inFlight.delete(printerId);
      settle();
    }
  }

  /** Exchanges the code, and turns a failure after a cancellation into the cancellation. */
  private async exchangeCode(
    target: LinkTarget,
    code: string,
    running: RunningLink,
    expiresAt: number,
  ): Promise<LinkResponse> {
    try {
      return await this.exchange.linkWithCode(code, {
        signal: running.controller.signal,
        timeoutMs: this.linkTimeoutMs,
        onProgress: (progress) => this.reportAttempt(target, progress, expiresAt),
      });
    } catch (error) {
      if (!running.cancelReason) throw error;
      throw linkingError('link_failed', cancelledMessage(target.name, running.cancelReason), {
        cause: error,
        details: { cancelReason: running.cancelReason },
      });
    }
  }

  private reportAttempt(target: LinkTarget, progress: LinkProgress, expiresAt: number): void {
    if (progress.attempt < 2) return;
    const message = `Waiting for the link code of ${target.name} to be accepted in Owl Web (attempt ${progress.attempt})`;
    this.emit(target.printerId, 'waiting', message, {
      step: 'cloud',
      attempt: progress.attempt,
      expiresAt,
    });
  }

  private reportBrowserWait(target: LinkTarget, expiresAt: number): void {
    const message = `Waiting for Owl Web to return a link code for ${target.name}`;
    this.emit(target.printerId, 'waiting', message, { step: 'browser', expiresAt });
  }

  /** Reports a failed link with its code, and whether a cancellation caused it. */
  private reportFailure(printerId: string, failure: LinkingError): void {
    const cancelled = failure.details['cancelReason'] !== undefined;
    this.emit(printerId, 'failed', failure.message, {
      code: failure.code,
      ...(cancelled ? { cancelled } : {}),
    });
  }

  /**
   * Hands the credentials to the fleet. Owl Cloud has used the code up by now, so a link that was
   * cancelled meanwhile, or whose printer is gone, leaves a device in the cloud that only the
   * user can remove.
   */
  private async save(
    target: LinkTarget,
    response: LinkResponse,
    running: RunningLink,
  ): Promise<void> {
    const stopReason = this.stopReason(target.printerId, running);
    if (stopReason) throw this.unsavedLink(target, response, stopReason);
    try {
      await this.targets.onLinked(target.printerId, response);
    } catch (error) {
      if (!this.targets.target(target.printerId)) {
        throw this.unsavedLink(target, response, 'removed', error);
      }
      throw linkingError(
        'link_failed',
        `Owl Cloud linked ${target.name} as device ${response.deviceId}, but saving its credentials failed (${errorMessage(error)}); remove the device in Owl Web and link again`,
        { cause: error, details: { deviceId: response.deviceId } },
      );
    }
  }

  /** Returns why the link must not save its credentials, or undefined when it may. */
  private stopReason(printerId: string, running: RunningLink): LinkCancelReason | undefined {
    if (running.cancelReason) return running.cancelReason;
    if (this.disposed) return 'shutdown';
    return this.targets.target(printerId) ? undefined : 'removed';
  }

  /** Logs and returns the failure of a link that Owl Cloud completed but the app did not save. */
  private unsavedLink(
    target: LinkTarget,
    response: LinkResponse,
    reason: LinkCancelReason,
    cause?: unknown,
  ): LinkingError {
    const { deviceId } = response;
    const message = `${unsavedLinkPrefix(target.name, reason)}, but Owl Cloud had already linked it as device ${deviceId}. Remove device ${deviceId} in Owl Web${reason === 'removed' ? '' : ', then link the printer again'}`;
    this.logger.warn(
      { printerId: target.printerId, deviceId, reason },
      `Owl Cloud linked device ${deviceId}, but its credentials were not saved; remove the device in Owl Web`,
    );
    return linkingError('link_failed', message, {
      ...(cause === undefined ? {} : { cause }),
      details: { deviceId, cancelReason: reason },
    });
  }

  private linkableTarget(printerId: string): LinkTarget {
    const target = this.targets.target(printerId);
    if (!target) {
      throw linkingError('not_found', `No printer with id ${printerId}; add the printer first`);
    }
    const reason = this.unlinkableReason(target);
    if (reason) throw reason;
    return target;
  }

  /** Returns why `target` cannot start linking now, or undefined when it can. */
  private unlinkableReason(target: LinkTarget): LinkingError | undefined {
    if (target.linked) {
      return linkingError(
        'already_linked',
        `${target.name} is already linked; unlink it first to link it again`,
      );
    }
    if (this.inFlight.has(target.printerId)) {
      return linkingError(
        'busy',
        `${target.name} is already linking; wait for it to finish or cancel it`,
      );
    }
    return undefined;
  }

  /**
   * Splits the printers of a click-to-link start into those that can link and those left out.
   * Throws `not_found` for an unknown printer, and the first reason when none can link.
   */
  private sortOutTargets(printerIds: readonly string[]): {
    targets: LinkTarget[];
    skipped: SkippedPrinter[];
  } {
    const targets: LinkTarget[] = [];
    const skipped: SkippedPrinter[] = [];
    let firstReason: LinkingError | undefined;
    for (const printerId of printerIds) {
      const target = this.targets.target(printerId);
      if (!target) {
        throw linkingError('not_found', `No printer with id ${printerId}; add the printer first`);
      }
      const reason = this.unlinkableReason(target);
      if (!reason) {
        targets.push(target);
        continue;
      }
      firstReason ??= reason;
      skipped.push({ printerId, code: reason.code, message: reason.message });
    }
    if (targets.length === 0 && firstReason) throw firstReason;
    return { targets, skipped };
  }

  private expireState(state: string, printerIds: readonly string[]): void {
    const error = this.states.expire(state);
    if (this.disposed || !error) return;
    this.failWaiting(printerIds, error);
    this.logger.info({ printers: printerIds.length }, 'click-to-link expired');
  }

  private consumeState(state: string): TakenState {
    const waiting = this.waiting.take(state);
    const cancelled = waiting?.cancelled ?? new Set<string>();
    try {
      return { printerIds: this.states.consume(state), cancelled };
    } catch (error) {
      const failure = translateLinkFailure(error);
      if (waiting && failure.code === 'link_expired') {
        const remaining = waiting.printerIds.filter((printerId) => !cancelled.has(printerId));
        this.failWaiting(remaining, failure);
      }
      throw failure;
    }
  }

  /**
   * Fails the printers of an ended state, except those that another state still waits for and
   * those linked or removed meanwhile.
   */
  private failWaiting(printerIds: readonly string[], error: LinkingError): void {
    for (const printerId of this.waiting.uncovered(printerIds)) {
      const target = this.targets.target(printerId);
      if (target && !target.linked) this.reportFailure(printerId, error);
    }
  }

  private emit(
    printerId: string,
    state: LinkProgressEvent['state'],
    message: string,
    facts: ProgressFacts = {},
  ): void {
    if (this.disposed) return;
    const event: LinkProgressEvent = { printerId, state, message, at: this.clock.now(), ...facts };
    this.latest.set(printerId, event);
    this.progress.emit(event);
  }

  private checkOpen(): void {
    if (this.disposed) {
      throw linkingError('link_failed', 'Linking stopped because the app is shutting down');
    }
  }
}

function cancelledMessage(name: string, reason: LinkCancelReason): string {
  switch (reason) {
    case 'requested':
      return `Linking of ${name} was cancelled`;
    case 'removed':
      return `Linking of ${name} stopped because the printer was removed`;
    case 'shutdown':
      return 'Linking stopped because the app is shutting down';
  }
}

function unsavedLinkPrefix(name: string, reason: LinkCancelReason): string {
  switch (reason) {
    case 'requested':
      return `Linking of ${name} was cancelled`;
    case 'removed':
      return `${name} was removed while linking`;
    case 'shutdown':
      return `The app shut down while linking ${name}`;
  }
}
