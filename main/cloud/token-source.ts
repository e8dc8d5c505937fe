import type { Disposable } from '../support/disposable.js';

/**
 * Token access that the MQTT device connection needs from the token manager. The access token
 * (a JWT) is the MQTT password, so every connect attempt requests it again.
 */
export interface TokenSource {
  /** Resolves with a token that is valid now, issuing one first when none is held. */
  current(): Promise<string>;
  /** Issues a new token even if the held one has not expired, as after a broker auth failure. */
  refresh(): Promise<string>;
  /** Calls `listener` after each scheduled renewal issued a new token. */
  onRenewed(listener: () => void): Disposable;
  /** Calls `listener` after every newly issued token, the first one and each renewal included. */
  onIssued(listener: () => void): Disposable;
}
