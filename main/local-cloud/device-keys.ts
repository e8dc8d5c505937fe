import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';

/** An Ed25519 key pair in the contract's encoding: raw 32-byte seed and public key, base64. */
export interface DeviceKeyPair {
  seedBase64: string;
  publicKeyBase64: string;
}

const SIGNATURE_BYTES = 64;

export function generateDeviceKeyPair(): DeviceKeyPair {
  const { privateKey } = generateKeyPairSync('ed25519');
  const { d, x } = privateKey.export({ format: 'jwk' });
  return {
    seedBase64: Buffer.from(d ?? '', 'base64url').toString('base64'),
    publicKeyBase64: Buffer.from(x ?? '', 'base64url').toString('base64'),
  };
}

/**
 * Checks an Ed25519 signature over the UTF-8 bytes of `text`. Returns false for a signature that
 * is not 64 bytes of base64, as well as for a wrong one.
 */
export function verifyDeviceSignature(
  publicKeyBase64: string,
  text: string,
  signatureBase64: string,
): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length !== SIGNATURE_BYTES) return false;
  if (signature.toString('base64') !== signatureBase64) return false;

  const publicKey = createPublicKey({
    key: {
      kty: 'OKP',
      crv: 'Ed25519',
      x: Buffer.from(publicKeyBase64, 'base64').toString('base64url'),
    },
    format: 'jwk',
  });
  return verify(null, Buffer.from(text, 'utf8'), publicKey, signature);
}
