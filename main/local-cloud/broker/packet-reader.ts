import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt-packet';

import { FrameSizeGuard } from './frame-size-guard.js';

/** Reason a byte stream could not be read further. */
export type ReadFailure =
  | { readonly kind: 'packet-too-large'; readonly maximumPacketSize: number }
  | { readonly kind: 'unsupported-protocol-version' }
  | { readonly kind: 'malformed'; readonly detail: string };

/**
 * Turns a connection's bytes into packets. The mqtt-packet parser switches to MQTT 5 decoding by
 * itself once it has parsed a version 5 CONNECT. The first failure stops all further reading.
 */
export class PacketReader {
  private readonly parser = mqttPacket.parser();
  private readonly guard: FrameSizeGuard;
  private failed = false;

  constructor(
    private readonly maximumPacketSize: number,
    onPacket: (packet: Packet) => void,
    private readonly onFailure: (failure: ReadFailure) => void,
  ) {
    this.guard = new FrameSizeGuard(maximumPacketSize);
    this.parser.on('packet', (packet: Packet) => {
      if (!this.failed) onPacket(packet);
    });
    this.parser.on('error', (error: Error) => this.fail(classify(error)));
  }

  read(chunk: Buffer): void {
    if (this.failed) return;
    if (!this.guard.admit(chunk)) {
      this.fail({ kind: 'packet-too-large', maximumPacketSize: this.maximumPacketSize });
      return;
    }
    this.parser.parse(chunk);
  }

  private fail(failure: ReadFailure): void {
    if (this.failed) return;
    this.failed = true;
    this.onFailure(failure);
  }
}

function classify(error: Error): ReadFailure {
  if (/protocol version/i.test(error.message)) return { kind: 'unsupported-protocol-version' };
  return { kind: 'malformed', detail: error.message };
}
