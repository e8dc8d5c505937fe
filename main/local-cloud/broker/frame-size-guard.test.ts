import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';

import { FrameSizeGuard } from './frame-size-guard.js';

function publishBytes(payloadBytes: number): Buffer {
  return mqttPacket.generate({
    cmd: 'publish',
    topic: 't',
    payload: Buffer.alloc(payloadBytes),
    qos: 0,
    retain: false,
    dup: false,
  });
}

describe('FrameSizeGuard', () => {
  describe('admit', () => {
    it('admits packets up to the maximum', () => {
      const packet = publishBytes(100);
      const guard = new FrameSizeGuard(packet.length);

      expect(guard.admit(Buffer.concat([packet, packet]))).toBe(true);
    });

    it('rejects a packet one byte above the maximum', () => {
      const packet = publishBytes(100);
      const guard = new FrameSizeGuard(packet.length - 1);

      expect(guard.admit(packet)).toBe(false);
    });

    it('rejects on the length bytes, before the body arrives', () => {
      const packet = publishBytes(5000);
      const guard = new FrameSizeGuard(1024);

      expect(guard.admit(packet.subarray(0, 3))).toBe(false);
    });

    it('follows packets split across chunks byte by byte', () => {
      const small = publishBytes(10);
      const large = publishBytes(300);
      const guard = new FrameSizeGuard(small.length + 5);
      const stream = Buffer.concat([small, small, large]);
      const verdicts = [...stream].map((byte) => guard.admit(Buffer.from([byte])));

      expect(verdicts.indexOf(false)).toBe(2 * small.length + 2);
    });

    it('leaves a malformed length to the parser', () => {
      const guard = new FrameSizeGuard(64);

      expect(guard.admit(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe(true);
    });
  });
});
