import { join } from 'node:path';

import { safeStorage } from 'electron';

import { EncryptedSecretStore, type Encryptor } from './logic/encrypted-secret-store.js';

/**
 * `safeStorage` as the encryptor. On Linux without a keyring Electron falls back to the
 * `basic_text` backend, which only obfuscates with a fixed key, so that counts as unavailable.
 */
const safeStorageEncryptor: Encryptor = {
  isAvailable() {
    if (!safeStorage.isEncryptionAvailable()) return false;
    if (process.platform !== 'linux') return true;
    return safeStorage.getSelectedStorageBackend() !== 'basic_text';
  },
  encrypt: (plainText) => safeStorage.encryptString(plainText),
  decrypt: (cipherText) => safeStorage.decryptString(cipherText),
};

/** Secrets in `secrets.json` of the user data folder; call only after the app is ready. */
export function createSafeStorageSecretStore(userData: string): EncryptedSecretStore {
  return new EncryptedSecretStore(join(userData, 'secrets.json'), safeStorageEncryptor);
}
