import { randomBytes } from 'node:crypto';
import { MAX_LINK_PRINTERS } from '../../../shared/contract/add-printer.js';
import type { Clock } from '../../support/clock.js';
import { linkingError, type LinkingError } from './linking-errors.js';

export const LINK_STATE_TTL_MS = 10 * 60_000;

/** 32 random bytes, 43 characters of base64url. */
const STATE_BYTES = 32;

const DEFAULT_MAX_PENDING = 64;

/** Spent states are remembered this long after they expire, so a reuse gets a precise message. */
const SPENT_RETENTION_MS = 60 * 60_000;

const MAX_SPENT = 256;

export interface IssuedLinkState {
  state: string;
  /** Epoch milliseconds, for display. The book measures expiry on the monotonic clock. */
  expiresAt: number;
}

export interface LinkStateBookOptions {
  clock: Clock;
  ttlMs?: number;
  /** Maximum number of states that wait for their callback at the same time. */
  maxPending?: number;
  randomBytes?: (size: number) => Uint8Array;
}

interface PendingState {
  printerIds: readonly string[];
  /** Monotonic milliseconds. */
  deadline: number;
}

interface SpentState {
  reason: 'used' | 'expired';
  /** Monotonic milliseconds after which the state is forgotten. */
  forgetAt: number;
}

/**
 * One-time `state` values of click-to-link, each bound to the printers that asked for it. A state
 * can be consumed once, within 10 minutes of its issue. States live in memory only, so they are
 * lost when the app restarts.
 */
export class LinkStateBook {
  private readonly clock: Clock;
  private readonly ttl: number;
  private readonly maxPending: number;
  private readonly random: (size: number) => Uint8Array;
  private readonly pending = new Map<string, PendingState>();
  private readonly spent = new Map<string, SpentState>();

  constructor(options: LinkStateBookOptions) {
    this.clock = options.clock;
    this.ttl = options.ttlMs ?? LINK_STATE_TTL_MS;
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.random = options.randomBytes ?? randomBytes;
  }

  get ttlMs(): number {
    return this.ttl;
  }

  /** Number of states that still wait for their callback. */
  get size(): number {
    this.prune();
    return this.pending.size;
  }

  /**
   * Mints a state for `printerIds`, in the order their link codes will arrive. Throws
   * `invalid_arguments` for an empty, duplicated or too long list, and `busy` when the maximum
   * number of states already wait.
   */
  issue(printerIds: readonly string[]): IssuedLinkState {
    checkPrinterIds(printerIds);
    this.prune();
    if (this.pending.size >= this.maxPending) {
      throw linkingError(
        'busy',
        `${this.maxPending} links already wait for Owl Web; finish them or wait up to ${this.ttlMinutes()} minutes for them to expire`,
      );
    }

    const state = Buffer.from(this.random(STATE_BYTES)).toString('base64url');
    const deadline = this.clock.monotonic() + this.ttl;
    this.pending.set(state, { printerIds: Object.freeze([...printerIds]), deadline });
    return { state, expiresAt: this.clock.now() + this.ttl };
  }

  /**
   * Uses up `state` and returns the printer ids it was issued for. Throws `link_state_invalid`
   * for an unknown or used state and `link_expired` once its 10 minutes have passed.
   */
  consume(state: string): readonly string[] {
    this.prune();
    const entry = this.pending.get(state);
    if (entry) {
      this.pending.delete(state);
      this.remember(state, 'used', entry.deadline);
      return entry.printerIds;
    }

    const spent = this.spent.get(state);
    if (spent?.reason === 'used') {
      throw linkingError('link_state_invalid', 'This link was already used; start linking again');
    }
    if (spent?.reason === 'expired') throw this.expiredError();
    throw linkingError(
      'link_state_invalid',
      'This link was not started by this app, or the app restarted since; start linking again',
    );
  }

  /**
   * Ends a waiting state now, as its expiry timer does, and returns the error that consuming it
   * raises from then on. Returns undefined when `state` does not wait.
   */
  expire(state: string): LinkingError | undefined {
    const entry = this.pending.get(state);
    if (!entry) return undefined;
    this.pending.delete(state);
    this.remember(state, 'expired', entry.deadline);
    return this.expiredError();
  }

  /** Forgets a waiting state without a trace, for a start that failed after the issue. */
  discard(state: string): void {
    this.pending.delete(state);
  }

  private expiredError(): LinkingError {
    return linkingError(
      'link_expired',
      `The link expired after ${this.ttlMinutes()} minutes; start linking again`,
    );
  }

  private prune(): void {
    const now = this.clock.monotonic();
    for (const [state, entry] of this.pending) {
      if (now < entry.deadline) continue;
      this.pending.delete(state);
      this.remember(state, 'expired', entry.deadline);
    }
    for (const [state, entry] of this.spent) {
      if (now >= entry.forgetAt) this.spent.delete(state);
    }
  }

  /** Keeps at most `MAX_SPENT` spent states; the oldest go first. */
  private remember(state: string, reason: SpentState['reason'], deadline: number): void {
    this.spent.set(state, { reason, forgetAt: deadline + SPENT_RETENTION_MS });
    for (const oldest of this.spent.keys()) {
      if (this.spent.size <= MAX_SPENT) break;
      this.spent.delete(oldest);
    }
  }

  private ttlMinutes(): number {
    return Math.round(this.ttl / 60_000);
  }
}

function checkPrinterIds(printerIds: readonly string[]): void {
  if (printerIds.length === 0) {
    throw linkingError('invalid_arguments', 'Choose at least one printer to link');
  }
  if (printerIds.length > MAX_LINK_PRINTERS) {
    throw linkingError(
      'invalid_arguments',
      `At most ${MAX_LINK_PRINTERS} printers can be linked in one action; ${printerIds.length} were chosen`,
    );
  }
  const duplicate = printerIds.find((id, index) => printerIds.indexOf(id) !== index);
  if (duplicate !== undefined) {
    throw linkingError('invalid_arguments', `Printer ${duplicate} is listed twice`);
  }
}
