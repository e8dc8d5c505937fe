import type { MqttClientHandle } from './mqtt-client-handle.js';

interface PendingPublish {
  client: MqttClientHandle;
  topic: string;
  reject: (error: Error) => void;
}

/**
 * Publishes that wait for their acknowledgement, by client. MQTT.js keeps QoS 1 and 2 callbacks
 * of a closed client pending when Clean Start is false, and a client is never reused here, so
 * they are rejected when their client closes.
 */
export class InFlightPublishes {
  private readonly pending = new Set<PendingPublish>();

  get size(): number {
    return this.pending.size;
  }

  /** Runs `work` and keeps it rejectable through `rejectFor` until it settles. */
  track(client: MqttClientHandle, topic: string, work: Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry: PendingPublish = { client, topic, reject };
      this.pending.add(entry);
      work.then(
        () => {
          this.pending.delete(entry);
          resolve();
        },
        (error: unknown) => {
          this.pending.delete(entry);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** Rejects every publish still waiting on `client` with the error `errorFor` builds. */
  rejectFor(client: MqttClientHandle, errorFor: (topic: string) => Error): void {
    for (const entry of [...this.pending]) {
      if (entry.client !== client) continue;
      this.pending.delete(entry);
      entry.reject(errorFor(entry.topic));
    }
  }
}
