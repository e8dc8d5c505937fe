import { type BrokerMessage, isExpired } from './broker-message.js';
import { topicMatchesFilter } from './topic-filter.js';

/**
 * The last retained message of each topic. A retained PUBLISH with an empty payload clears the
 * topic, and a message whose expiry interval has passed is dropped when it is next looked up.
 */
export class RetainedStore {
  private readonly messages = new Map<string, BrokerMessage>();

  constructor(private readonly monotonic: () => number) {}

  get size(): number {
    return this.messages.size;
  }

  store(message: BrokerMessage): void {
    if (message.payload.length === 0) {
      this.messages.delete(message.topic);
      return;
    }
    this.messages.set(message.topic, { ...message, retain: true });
  }

  get(topic: string): BrokerMessage | undefined {
    const message = this.messages.get(topic);
    if (!message || !this.dropIfExpired(message)) return message;
    return undefined;
  }

  /** Returns every live retained message whose topic matches `filter`. */
  matching(filter: string): BrokerMessage[] {
    const found: BrokerMessage[] = [];
    for (const message of [...this.messages.values()]) {
      if (!topicMatchesFilter(filter, message.topic)) continue;
      if (!this.dropIfExpired(message)) found.push(message);
    }
    return found;
  }

  clear(): void {
    this.messages.clear();
  }

  /** Deletes `message` when it has expired. Returns whether it had. */
  private dropIfExpired(message: BrokerMessage): boolean {
    if (!isExpired(message, this.monotonic())) return false;
    this.messages.delete(message.topic);
    return true;
  }
}
