import { randomInt } from 'node:crypto';
import type { Clock } from '../support/clock.js';

export const LINK_CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const LINK_CODE_LENGTH = 6;
export const DEFAULT_LINK_CODE_TTL_SECONDS = 600;

export interface LinkCodeOptions {
  /** Number of link requests that get 404 before the code is accepted, as if the user hesitated. */
  acceptAfterPolls?: number;
  ttlSeconds?: number;
}

export interface MintedLinkCode {
  code: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Outcome of one link request for a code. Only `accepted` uses the code up. */
export type LinkCodeClaim = 'accepted' | 'pending' | 'unknown' | 'used' | 'expired';

interface LinkCodeRecord {
  expiresAt: number;
  pollsBeforeAcceptance: number;
  used: boolean;
}

const MAX_MINT_ATTEMPTS = 100;

/** Expired codes are kept this long so that late requests get 410 instead of 404. */
const EXPIRED_RETENTION_MS = 24 * 3600_000;

/**
 * One-time link codes of the local cloud: six characters from A-Z and 0-9. In Owl the user
 * accepts the printer in the web UI; here a code is either accepted at once or after a set
 * number of polls.
 */
export class LinkCodeBook {
  private readonly codes = new Map<string, LinkCodeRecord>();

  constructor(
    private readonly clock: Clock,
    private readonly randomIndex: (size: number) => number = randomInt,
  ) {}

  mint(options: LinkCodeOptions = {}): MintedLinkCode {
    this.prune();
    const code = this.uniqueCode();
    const ttlMs = (options.ttlSeconds ?? DEFAULT_LINK_CODE_TTL_SECONDS) * 1000;
    const record = {
      expiresAt: this.clock.now() + ttlMs,
      pollsBeforeAcceptance: options.acceptAfterPolls ?? 0,
      used: false,
    };
    this.codes.set(code, record);
    return { code, expiresAt: record.expiresAt };
  }

  /** Records one link request for `code`, which is compared without regard to case. */
  claim(code: string): LinkCodeClaim {
    const record = this.codes.get(code.trim().toUpperCase());
    if (!record) return 'unknown';
    if (record.used) return 'used';
    if (this.clock.now() >= record.expiresAt) return 'expired';
    if (record.pollsBeforeAcceptance > 0) {
      record.pollsBeforeAcceptance -= 1;
      return 'pending';
    }
    record.used = true;
    return 'accepted';
  }

  private uniqueCode(): string {
    for (let attempt = 0; attempt < MAX_MINT_ATTEMPTS; attempt += 1) {
      let code = '';
      for (let index = 0; index < LINK_CODE_LENGTH; index += 1) {
        code += LINK_CODE_ALPHABET[this.randomIndex(LINK_CODE_ALPHABET.length)] ?? '';
      }
      if (!this.codes.has(code)) return code;
    }
    throw new Error(`No unused link code found in ${MAX_MINT_ATTEMPTS} random draws`);
  }

  private prune(): void {
    const cutoff = this.clock.now() - EXPIRED_RETENTION_MS;
    for (const [code, record] of this.codes) {
      if (record.expiresAt < cutoff) this.codes.delete(code);
    }
  }
}
