/**
 * Follows MQTT packet boundaries in a byte stream by reading only each fixed header, so that an
 * oversize packet is rejected as soon as its length is announced, before its body is buffered.
 */
export class FrameSizeGuard {
  private phase: 'header' | 'length' | 'body' | 'malformed' = 'header';
  private remainingLength = 0;
  private lengthBytes = 0;
  private multiplier = 1;
  private bodyLeft = 0;

  /** `maximumBytes` is the largest whole packet accepted: fixed header plus remaining length. */
  constructor(private readonly maximumBytes: number) {}

  /**
   * Returns false as soon as a packet in the stream announces a size above the maximum. A malformed
   * length (more than 4 bytes) passes, because the packet parser reports it.
   */
  admit(chunk: Buffer): boolean {
    let offset = 0;
    while (offset < chunk.length && this.phase !== 'malformed') {
      if (this.phase === 'body') {
        const step = Math.min(this.bodyLeft, chunk.length - offset);
        offset += step;
        this.bodyLeft -= step;
        if (this.bodyLeft === 0) this.phase = 'header';
        continue;
      }
      const byte = chunk[offset] ?? 0;
      offset += 1;
      if (this.phase === 'header') {
        this.startLength();
        continue;
      }
      if (!this.readLengthByte(byte)) return false;
    }
    return true;
  }

  private startLength(): void {
    this.phase = 'length';
    this.remainingLength = 0;
    this.lengthBytes = 0;
    this.multiplier = 1;
  }

  private readLengthByte(byte: number): boolean {
    this.remainingLength += (byte & 0x7f) * this.multiplier;
    this.multiplier *= 128;
    this.lengthBytes += 1;
    if ((byte & 0x80) !== 0) {
      if (this.lengthBytes === 4) this.phase = 'malformed';
      return true;
    }

    if (1 + this.lengthBytes + this.remainingLength > this.maximumBytes) return false;
    this.bodyLeft = this.remainingLength;
    this.phase = this.bodyLeft === 0 ? 'header' : 'body';
    return true;
  }
}
