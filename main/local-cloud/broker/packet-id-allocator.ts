/** MQTT packet identifiers are 16-bit and never zero (MQTT 5.0, section 2.2.1). */
const MAX_PACKET_ID = 0xffff;

/** Hands out packet identifiers for outgoing QoS 1 and 2 messages, skipping those still in use. */
export class PacketIdAllocator {
  private readonly inUse = new Set<number>();
  private next = 1;

  /** Returns a free identifier, or null when all 65535 are in flight. */
  allocate(): number | null {
    if (this.inUse.size >= MAX_PACKET_ID) return null;

    while (this.inUse.has(this.next)) this.advance();
    const id = this.next;
    this.inUse.add(id);
    this.advance();
    return id;
  }

  release(id: number): void {
    this.inUse.delete(id);
  }

  private advance(): void {
    this.next = this.next === MAX_PACKET_ID ? 1 : this.next + 1;
  }
}
