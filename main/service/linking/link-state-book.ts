import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat } from 'node:fs/promises';

import { z } from 'zod';

import { MAX_LINK_PRINTERS } from '../../../shared/contract/add-printer.js';
import { writeFileAtomic } from '../../support/atomic-file.js';
import type { Clock } from '../../support/clock.js';
import { errorMessage } from '../../support/coded-error.js';
import { silentLogger, type Logger } from '../../support/logger.js';
import { linkingError, type LinkingError } from './linking-errors.js';

export const LINK_STATE_TTL_MS = 10 * 60_000;

/** 32 random bytes, 43 characters of base64url. */
const STATE_BYTES = 32;

const DEFAULT_MAX_PENDING = 64;

/** Spent states are remembered this long after they expire, so a reuse gets a precise message. */
const SPENT_RETENTION_MS = 60 * 60_000;

const MAX_SPENT = 256;

/** The file in the data folder that keeps click-to-link states across restarts. */
export const LINK_STATES_FILE_NAME = 'link-states.json';

const SPENT_REASONS = ['used', 'expired', 'cancelled'] as const;

/**
 * The saved states, with wall clock times because the monotonic clock starts again with the
 * process. A state is a secret like a password, so the file has mode 0600.
 */
const savedStatesSchema = z.object({
  version: z.literal(1),
  pending: z.array(
    z.object({
      state: z.string().min(1),
      printerIds: z.array(z.string().min(1)).min(1).max(MAX_LINK_PRINTERS),
      /** Epoch milliseconds. */
      expiresAt: z.number(),
    }),
  ),
  spent: z.array(
    z.object({
      state: z.string().min(1),
      reason: z.enum(SPENT_REASONS),
      /** Epoch milliseconds. */
      forgetAt: z.number(),
    }),
  ),
});
type SavedStates = z.infer<typeof savedStatesSchema>;

export interface IssuedLinkState {
  state: string;
  /** Epoch milliseconds, for display. The book measures expiry on the monotonic clock. */
  expiresAt: number;
}

/** A state that waits for its callback, as `pendingStates` lists them. */
export interface PendingLinkState {
  state: string;
  printerIds: readonly string[];
  /** Milliseconds until the state expires. */
  remainingMs: number;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface LinkStateBookOptions {
  clock: Clock;
  ttlMs?: number;
  /** Maximum number of states that wait for their callback at the same time. */
  maxPending?: number;
  randomBytes?: (size: number) => Uint8Array;
  /**
   * The file that keeps the states across restarts, written after every change. Without it the
   * states live in memory only.
   */
  file?: string;
  logger?: Logger;
}

interface PendingState {
  printerIds: readonly string[];
  /** Monotonic milliseconds, which decide the expiry. */
  deadline: number;
  /** Epoch milliseconds, for display and for the file. */
  expiresAt: number;
}

interface SpentState {
  reason: (typeof SPENT_REASONS)[number];
  /** Monotonic milliseconds after which the state is forgotten. */
  forgetAt: number;
}

/**
 * One-time `state` values of click-to-link, each bound to the printers that asked for it. A state
 * can be consumed once, within 10 minutes of its issue. With a `file`, the book writes every change
 * to it, and `open` reads it back, so a callback that arrives after a restart still completes
 * its link. The states are secrets and never logged.
 */
export class LinkStateBook {
  private readonly clock: Clock;
  private readonly ttl: number;
  private readonly maxPending: number;
  private readonly random: (size: number) => Uint8Array;
  private readonly file: string | undefined;
  private readonly logger: Logger;
  private readonly pending = new Map<string, PendingState>();
  private readonly spent = new Map<string, SpentState>();
  /** Settles once the last change is written; never rejects. */
  private writing: Promise<void> = Promise.resolve();
  /** Whether a queued write has not yet taken its snapshot, so a new change needs no new write. */
  private writeQueued = false;

  constructor(options: LinkStateBookOptions) {
    this.clock = options.clock;
    this.ttl = options.ttlMs ?? LINK_STATE_TTL_MS;
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.random = options.randomBytes ?? randomBytes;
    this.file = options.file;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Creates a book with the states saved in `options.file`. A missing file gives an empty book.
   * An unreadable or invalid one is logged and ignored, so the links it held must start again.
   */
  static async open(options: LinkStateBookOptions & { file: string }): Promise<LinkStateBook> {
    const book = new LinkStateBook(options);
    await book.restrictPermissions();
    const saved = await book.readFile();
    if (saved) book.restore(saved);
    return book;
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
    const expiresAt = this.clock.now() + this.ttl;
    this.pending.set(state, { printerIds: Object.freeze([...printerIds]), deadline, expiresAt });
    this.save();
    return { state, expiresAt };
  }

  /** Lists the states that wait for their callback, such as those read back after a restart. */
  pendingStates(): PendingLinkState[] {
    this.prune();
    const now = this.clock.monotonic();
    return [...this.pending].map(([state, entry]) => ({
      state,
      printerIds: entry.printerIds,
      remainingMs: entry.deadline - now,
      expiresAt: entry.expiresAt,
    }));
  }

  /**
   * Resolves once every change so far is written to the file, or its write failed and was
   * logged. A caller awaits it before it relies on a change surviving a restart.
   */
  saved(): Promise<void> {
    return this.writing;
  }

  /**
   * Uses up `state` and returns the printer ids it was issued for. Throws `link_state_invalid`
   * for an unknown, used or cancelled state and `link_expired` once its 10 minutes have passed.
   */
  consume(state: string): readonly string[] {
    this.prune();
    const entry = this.pending.get(state);
    if (entry) {
      this.pending.delete(state);
      this.remember(state, 'used', entry.deadline);
      this.save();
      return entry.printerIds;
    }

    const spent = this.spent.get(state);
    if (spent?.reason === 'used') {
      throw linkingError('link_state_invalid', 'This link was already used; start linking again');
    }
    if (spent?.reason === 'expired') throw this.expiredError();
    if (spent?.reason === 'cancelled') {
      throw linkingError('link_state_invalid', 'This link was cancelled; start linking again');
    }
    throw linkingError(
      'link_state_invalid',
      'This link is unknown to this app: another app started it, or it ended more than an hour ago; start linking again',
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
    this.save();
    return this.expiredError();
  }

  /**
   * Ends a waiting state whose printers were all cancelled, so that a later callback with it is
   * rejected as cancelled. Does nothing when `state` does not wait.
   */
  cancel(state: string): void {
    const entry = this.pending.get(state);
    if (!entry) return;
    this.pending.delete(state);
    this.remember(state, 'cancelled', entry.deadline);
    this.save();
  }

  /** Forgets a waiting state without a trace, for a start that failed after the issue. */
  discard(state: string): void {
    if (this.pending.delete(state)) this.save();
  }

  private expiredError(): LinkingError {
    return linkingError(
      'link_expired',
      `The link expired after ${this.ttlMinutes()} minutes; start linking again`,
    );
  }

  private prune(): void {
    const now = this.clock.monotonic();
    let changed = false;
    for (const [state, entry] of this.pending) {
      if (now < entry.deadline) continue;
      this.pending.delete(state);
      this.remember(state, 'expired', entry.deadline);
      changed = true;
    }
    for (const [state, entry] of this.spent) {
      if (now < entry.forgetAt) continue;
      this.spent.delete(state);
      changed = true;
    }
    if (changed) this.save();
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

  /** Converts monotonic milliseconds to whole epoch milliseconds at the current offset of the two. */
  private epochOf(monotonic: number): number {
    return Math.round(this.clock.now() + (monotonic - this.clock.monotonic()));
  }

  /**
   * Converts saved epoch milliseconds to monotonic ones, at most `limitMs` ahead. The limit keeps
   * a wall clock that went back since the save from making a state outlive its 10 minutes.
   */
  private monotonicOf(epoch: number, limitMs: number): number {
    const ahead = Math.min(epoch - this.clock.now(), limitMs);
    return this.clock.monotonic() + ahead;
  }

  /** Queues a write of the current states; the write takes its snapshot when it starts. */
  private save(): void {
    if (this.file === undefined || this.writeQueued) return;
    this.writeQueued = true;
    this.writing = this.writing.then(() => this.writeFile());
  }

  private async writeFile(): Promise<void> {
    this.writeQueued = false;
    const file = this.file ?? '';
    const saved: SavedStates = {
      version: 1,
      pending: [...this.pending].map(([state, entry]) => ({
        state,
        printerIds: [...entry.printerIds],
        expiresAt: entry.expiresAt,
      })),
      spent: [...this.spent].map(([state, entry]) => ({
        state,
        reason: entry.reason,
        forgetAt: this.epochOf(entry.forgetAt),
      })),
    };
    try {
      await writeFileAtomic(file, `${JSON.stringify(saved)}\n`, 0o600);
    } catch (error) {
      this.logger.warn(
        { file, err: errorMessage(error) },
        `Failed to save the click-to-link states to ${file}; a link completed after a restart will fail`,
      );
    }
  }

  /** Reads the saved states, or returns undefined for a missing, unreadable or invalid file. */
  /**
   * Sets the file's mode to 0600 when group or other users may access it, because its states
   * let anyone who reads them complete a link. A failure is logged, and the next write replaces
   * the file with mode 0600 anyway.
   */
  private async restrictPermissions(): Promise<void> {
    const file = this.file;
    if (file === undefined || process.platform === 'win32') return;
    try {
      const { mode } = await stat(file);
      if ((mode & 0o077) === 0) return;
      await chmod(file, 0o600);
      this.logger.warn(
        { file, mode: (mode & 0o777).toString(8) },
        'Set the click-to-link states file to mode 0600, because other users could read it',
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.logger.warn(
        { file, err: errorMessage(error) },
        'Failed to set the click-to-link states file to mode 0600',
      );
    }
  }

  private async readFile(): Promise<SavedStates | undefined> {
    const file = this.file ?? '';
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      this.logger.warn(
        { file, err: errorMessage(error) },
        `Failed to read the click-to-link states in ${file}; links started before the restart must start again`,
      );
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      this.logger.warn(
        { file, err: errorMessage(error) },
        `Ignored ${file}, because it is not valid JSON; links started before the restart must start again`,
      );
      return undefined;
    }
    const parsed = savedStatesSchema.safeParse(json);
    if (!parsed.success) {
      this.logger.warn(
        { file, err: parsed.error.message },
        `Ignored ${file}, because it is not a file of click-to-link states; links started before the restart must start again`,
      );
      return undefined;
    }
    return parsed.data;
  }

  /** Takes over saved states; those past their expiry count as expired. */
  private restore(saved: SavedStates): void {
    for (const entry of saved.spent) {
      const forgetAt = this.monotonicOf(entry.forgetAt, this.ttl + SPENT_RETENTION_MS);
      this.spent.set(entry.state, { reason: entry.reason, forgetAt });
    }
    for (const entry of saved.pending) {
      const deadline = this.monotonicOf(entry.expiresAt, this.ttl);
      const expiresAt = Math.min(entry.expiresAt, this.clock.now() + this.ttl);
      const printerIds = Object.freeze([...entry.printerIds]);
      this.pending.set(entry.state, { printerIds, deadline, expiresAt });
    }
    this.prune();
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
