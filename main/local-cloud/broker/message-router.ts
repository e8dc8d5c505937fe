import type { BrokerMessage } from './broker-message.js';
import type { MessageOrigin } from './broker-types.js';
import type { RetainedStore } from './retained-store.js';
import type { SessionStore } from './session-store.js';

/**
 * Takes an accepted message to the retained store and to every session with a matching
 * subscription, connected or away.
 */
export class MessageRouter {
  constructor(
    private readonly sessions: SessionStore,
    private readonly retained: RetainedStore,
    private readonly onRouted: (message: BrokerMessage, origin: MessageOrigin) => void,
  ) {}

  // NOTE: every session's filters are tested one by one, which suits the few hundred clients of a
  // local cloud. A broker for many thousands of clients would index filters in a topic tree.
  route(message: BrokerMessage, origin: MessageOrigin): void {
    if (message.retain) this.retained.store(message);
    for (const session of this.sessions.values()) {
      const delivery = session.deliveryFor(message);
      if (delivery) session.outbound.deliver(delivery);
    }
    this.onRouted(message, origin);
  }
}
