import { ACK_QOS, CHANNEL_QOS, TRACEPARENT_PROPERTY } from '../../shared/contract/envelope.js';
import type { TelemetryEnvelope } from '../../shared/contract/envelope.js';
import type { CommandAck } from '../../shared/contract/commands.js';
import { ackTopic, channelTopic } from '../../shared/contract/topics.js';
import type { CloudPublisher } from '../cloud/cloud-publisher.js';
import { errorMessage } from '../support/coded-error.js';
import type { Logger } from '../support/logger.js';
import type { CadenceChannel } from '../telemetry/cadence-policy.js';

/**
 * Sends a device's envelopes and acks the way each kind needs: status (retained), sensors and
 * objects as latest values (coalesced while offline), events and acks through the durable outbox
 * so none is lost or reordered.
 */
export class TelemetryRouter {
  constructor(
    private readonly deviceId: string,
    private readonly publisher: CloudPublisher,
    private readonly traceparent: () => string,
    private readonly logger: Logger,
  ) {}

  sendEnvelope(channel: CadenceChannel, envelope: TelemetryEnvelope): void {
    const topic = channelTopic(this.deviceId, channel);
    // Status is retained so that a subscriber arriving later reads the printer's current state,
    // not the Offline Will that the broker kept from an earlier disconnect.
    const retain = channel === 'status';
    const payload = JSON.stringify(envelope);
    const properties = { userProperties: { [TRACEPARENT_PROPERTY]: this.traceparent() } };
    const qos = CHANNEL_QOS[channel];
    const sent =
      channel === 'events'
        ? this.publisher.publishDurable({ topic, payload, qos, properties })
        : this.publisher.publishLatest({
            topic,
            payload,
            qos,
            properties,
            ...(retain ? { retain } : {}),
          });
    sent.catch((error: unknown) => {
      this.logger.error({ topic, seq: envelope.$seq, err: errorMessage(error) }, 'Publish failed');
    });
  }

  sendAck(topicCommandName: string, ack: CommandAck): void {
    const topic = ackTopic(this.deviceId, topicCommandName);
    const commandId = ack.payload.commandId;
    this.publisher
      .publishDurable({ topic, payload: JSON.stringify(ack), qos: ACK_QOS })
      .catch((error: unknown) => {
        this.logger.error({ topic, commandId, err: errorMessage(error) }, 'Queueing an ack failed');
      });
  }

  sendDurable(topic: string, body: unknown, qos: 0 | 1 | 2): void {
    this.publisher.publishDurable({ topic, payload: JSON.stringify(body), qos }).catch((error) => {
      this.logger.error({ topic, err: errorMessage(error) }, 'Queueing a message failed');
    });
  }
}
