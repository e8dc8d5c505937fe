import { randomFillSync } from 'node:crypto';

/** Source of `size` random bytes, injected so tests can pin the ids. */
export type RandomBytes = (size: number) => Uint8Array;

/** Random bytes drawn ahead, because every publish needs 24 and one draw per id costs more. */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/** Returns a copy of unused bytes from `crypto.randomFillSync`, through a pool drawn ahead. */
export const defaultRandomBytes: RandomBytes = (size) => {
  if (size > pool.length) return randomFillSync(Buffer.alloc(size));
  if (poolOffset + size > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = new Uint8Array(pool.subarray(poolOffset, poolOffset + size));
  poolOffset += size;
  return bytes;
};

/**
 * Builds a W3C trace context `traceparent` value, `00-<32 hex trace id>-<16 hex span id>-01`,
 * with fresh random ids and the sampled flag set.
 */
export function createTraceparent(randomBytes: RandomBytes = defaultRandomBytes): string {
  return `00-${randomHexId(randomBytes, 16)}-${randomHexId(randomBytes, 8)}-01`;
}

/** Draws a hex id. The format forbids all-zero ids, so an all-zero draw gets its last bit set. */
function randomHexId(randomBytes: RandomBytes, size: number): string {
  const bytes = Uint8Array.from(randomBytes(size)).slice(0, size);
  if (bytes.length !== size) {
    throw new RangeError(`randomBytes returned ${bytes.length} bytes, expected ${size}`);
  }
  if (bytes.every((byte) => byte === 0)) bytes[size - 1] = 1;
  return Buffer.from(bytes).toString('hex');
}
