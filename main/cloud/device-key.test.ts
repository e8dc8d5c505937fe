import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DeviceKey } from './device-key.js';

function generatedSeed(): { seed: string; publicKey: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const { d, x } = privateKey.export({ format: 'jwk' });
  return {
    seed: Buffer.from(d ?? '', 'base64url').toString('base64'),
    publicKey: Buffer.from(x ?? '', 'base64url').toString('base64'),
  };
}

describe('DeviceKey', () => {
  describe('fromBase64', () => {
    it('derives the public key of the seed', () => {
      const { seed, publicKey } = generatedSeed();

      expect(DeviceKey.fromBase64(seed).publicKeyBase64()).toBe(publicKey);
    });

    it.each([
      ['an empty string', '', 'decodes to 0 bytes instead of 32'],
      ['characters outside base64', `${'A'.repeat(42)}!=`, 'is not valid base64'],
      ['missing padding', 'A'.repeat(43), 'is not valid base64'],
      ['surrounding whitespace', ` ${Buffer.alloc(32).toString('base64')}`, 'is not valid base64'],
      ['URL-safe characters', `${'_'.repeat(42)}A=`, 'is not valid base64'],
      ['stray bits in the last character', `${'A'.repeat(42)}B=`, 'is not canonical base64'],
      ['31 bytes', Buffer.alloc(31).toString('base64'), 'decodes to 31 bytes instead of 32'],
      ['64 bytes', Buffer.alloc(64).toString('base64'), 'decodes to 64 bytes instead of 32'],
    ])('rejects %s', (_case, seed, problem) => {
      expect(() => DeviceKey.fromBase64(seed)).toThrow(
        expect.objectContaining({
          code: 'invalid_private_key',
          message: `The device private key ${problem}; re-link this printer to get a new key`,
        }),
      );
    });
  });

  describe('sign', () => {
    it('makes a signature the public key verifies', () => {
      const { seed, publicKey } = generatedSeed();
      const key = DeviceKey.fromBase64(seed);

      const signature = Buffer.from(key.sign('device-1:1735732800'), 'base64');

      const verifier = createPublicKey({
        key: {
          kty: 'OKP',
          crv: 'Ed25519',
          x: Buffer.from(publicKey, 'base64').toString('base64url'),
        },
        format: 'jwk',
      });
      expect(signature).toHaveLength(64);
      expect(verify(null, Buffer.from('device-1:1735732800'), verifier, signature)).toBe(true);
      expect(verify(null, Buffer.from('device-1:1735732801'), verifier, signature)).toBe(false);
    });

    it('matches the RFC 8032 test vector', () => {
      // RFC 8032, section 7.1, TEST 1: the empty message.
      const seed = Buffer.from(
        '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
        'hex',
      ).toString('base64');
      const key = DeviceKey.fromBase64(seed);

      expect(Buffer.from(key.publicKeyBase64(), 'base64').toString('hex')).toBe(
        'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      );
      expect(Buffer.from(key.sign(''), 'base64').toString('hex')).toBe(
        'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
      );
    });
  });
});
