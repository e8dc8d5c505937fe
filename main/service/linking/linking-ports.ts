import type { LinkResponse } from '../../../shared/contract/device-http.js';
import type { ControlEventData } from '../../../shared/control-api/events.js';
import type { LinkClient, LinkOptions } from '../../cloud/link-client.js';
import type { LinkingError, LinkingErrorCode } from './linking-errors.js';

/** Exchanges one link code for device credentials with Owl Cloud. */
export interface LinkCodeExchange {
  linkWithCode(code: string, options?: LinkOptions): Promise<LinkResponse>;
}

/** A printer of the fleet, with the facts that linking needs. */
export interface LinkTarget {
  printerId: string;
  name: string;
  /** Whether the printer already has cloud credentials. */
  linked: boolean;
}

/**
 * The fleet side of linking. `onLinked` saves the credentials and starts the printer's bridge;
 * linking reports success only after it resolves.
 */
export interface LinkTargetStore {
  target(printerId: string): LinkTarget | undefined;
  onLinked(printerId: string, response: LinkResponse): Promise<void>;
}

export interface ClickToLinkStart {
  /** The add-printer page to open in the system browser. */
  url: string;
  state: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The printers left out, because they are already linked or exchanging a code. */
  skipped: SkippedPrinter[];
}

/** A printer that a click-to-link start left out, with the reason. */
export interface SkippedPrinter {
  printerId: string;
  code: LinkingErrorCode;
  message: string;
}

export interface ClickToLinkOptions {
  /**
   * Callback that receives the codes, `owl://link` by default. The headless service passes its
   * loopback callback URL instead.
   */
  callback?: string;
}

/** The result of one printer of a click-to-link callback. */
export type LinkOutcome =
  | { printerId: string; ok: true; response: LinkResponse }
  | { printerId: string; ok: false; error: LinkingError };

/** The payload of the control API event `link.progress`. */
export type LinkProgressEvent = ControlEventData<'link.progress'>;

/**
 * A LinkCodeExchange over the link client. `clientFor` is called once per code, so a change of
 * the cloud URL in the settings applies to the next link.
 */
export class LinkClientExchange implements LinkCodeExchange {
  constructor(private readonly clientFor: () => LinkClient) {}

  linkWithCode(code: string, options?: LinkOptions): Promise<LinkResponse> {
    return this.clientFor().link(code, options);
  }
}
