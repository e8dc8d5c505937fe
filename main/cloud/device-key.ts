import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { CodedError } from '../support/coded-error.js';

export type DeviceKeyErrorCode = 'invalid_private_key';

const SEED_BYTES = 32;

/** DER header of a PKCS #8 Ed25519 private key. The 32-byte seed follows it directly (RFC 8410). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Standard base64 with padding, in groups of four characters. */
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The device's Ed25519 key, issued by the cloud at linking as a base64 32-byte seed. It signs
 * token requests. The seed text is not kept, and Node's KeyObject leaves the key material out
 * when it is printed or serialized to JSON.
 */
export class DeviceKey {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
  ) {}

  /** Decodes the seed strictly and throws `invalid_private_key` when it is not 32 bytes of base64. */
  static fromBase64(seedBase64: string): DeviceKey {
    const seed = decodeSeed(seedBase64);
    const privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    return new DeviceKey(privateKey, createPublicKey(privateKey));
  }

  /** Signs the UTF-8 bytes of `text` and returns the 64-byte signature as standard base64. */
  sign(text: string): string {
    return sign(null, Buffer.from(text, 'utf8'), this.privateKey).toString('base64');
  }

  /** Returns the raw 32-byte public key as standard base64. */
  publicKeyBase64(): string {
    const { x } = this.publicKey.export({ format: 'jwk' });
    return Buffer.from(x ?? '', 'base64url').toString('base64');
  }
}

function decodeSeed(seedBase64: string): Buffer {
  if (!STRICT_BASE64.test(seedBase64)) {
    throw invalidKey('is not valid base64');
  }
  const seed = Buffer.from(seedBase64, 'base64');
  // Buffer.from ignores non-zero bits in the last character, so a round trip catches those.
  if (seed.toString('base64') !== seedBase64) {
    throw invalidKey('is not canonical base64');
  }
  if (seed.length !== SEED_BYTES) {
    throw invalidKey(`decodes to ${seed.length} bytes instead of ${SEED_BYTES}`);
  }
  return seed;
}

function invalidKey(problem: string): CodedError<DeviceKeyErrorCode> {
  return new CodedError(
    'invalid_private_key',
    `The device private key ${problem}; re-link this printer to get a new key`,
  );
}
